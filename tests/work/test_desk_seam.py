"""The desk seam, proven by the test desk (tests/testdesk): one folder plus one line in the registry.

The desk keeps its own records on a work item of its service type, says when
its part is complete (until then the item cannot go to review or done), earns
its quantity when the item is done, and its records stay inside their tenant.
"""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bo_saas.server.app import create_app
from bo_saas.work.models import QaSampling, UsageRecord, WorkState
from tests.desk import queued_item
from tests.factories import CustomServiceTypeFactory, TenantFactory, save
from tests.testdesk.domain import METER
from tests.testdesk.models import Widget

TEST_DESK = "test_desk"


@pytest.fixture
async def desk_item(desk, admin_session) -> str:
    """A queued test-desk item of the desk's tenant, the only one the agent can claim."""
    item = queued_item(desk.tenant, service_type=TEST_DESK, requester_id=desk.member.id)
    await save(admin_session, item)
    return str(item.id)


async def _claim(client, desk, item_id: str) -> dict:
    claimed = await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    assert claimed.status_code == 200 and claimed.json()["id"] == item_id, claimed.text
    return claimed.json()


async def _add_widget(client, desk, item_id: str, label: str, checked: bool = False) -> dict:
    added = await client.post(
        f"/api/v1/test-desk/items/{item_id}/widgets", json={"label": label, "checked": checked},
        headers=desk.as_("agent"),
    )  # fmt: skip
    assert added.status_code == 201, added.text
    return added.json()


async def _finish(client, desk, item_id: str, who: str = "agent"):
    return await client.post(f"/api/v1/work-items/{item_id}/transitions", json={"to": "done"}, headers=desk.as_(who))


async def _earned(admin_session, tenant_id) -> list[tuple[str, int]]:
    rows = await admin_session.execute(
        select(UsageRecord.meter, UsageRecord.quantity).where(UsageRecord.tenant_id == tenant_id)
    )
    earned = [tuple(row) for row in rows]
    await admin_session.commit()
    return earned


async def test_the_registry_line_mounts_the_desk_and_the_shipped_app_does_not(settings, testdesk_app):
    def desk_routes(app) -> set[str]:
        return {route.path for route in app.routes if route.path.startswith("/api/v1/test-desk")}

    assert desk_routes(testdesk_app) == {
        "/api/v1/test-desk/items/{item_id:uuid}/widgets",
        "/api/v1/test-desk/widgets/{widget_id:uuid}",
    }
    assert desk_routes(create_app(settings)) == set()


async def test_a_desk_item_carries_its_workspace_and_a_plain_item_none(testdesk_client, desk, desk_item, admin_session):
    # Every built-in service has a desk now: a tenant's custom service is the plain kind.
    custom = CustomServiceTypeFactory(tenant_id=desk.tenant.id, skill_code="data_entry")
    await save(admin_session, custom)
    plain = queued_item(desk.tenant, service_type=custom.code, skill_code="data_entry")
    await save(admin_session, plain)

    claimed = await _claim(testdesk_client, desk, desk_item)
    other = await testdesk_client.get(f"/api/v1/work-items/{plain.id}", headers=desk.as_("agent"))

    assert claimed["desk"] == {"service_type": TEST_DESK, "workspace": f"/console/desks/test-desk/{desk_item}"}
    assert other.json()["desk"] is None


async def test_a_desk_item_cannot_be_done_until_the_desk_says_its_part_is_complete(
    testdesk_client, desk, desk_item, admin_session
):
    client = testdesk_client
    await _claim(client, desk, desk_item)

    empty = await _finish(client, desk, desk_item)
    assert empty.status_code == 409
    assert empty.json()["detail"] == "The test_desk desk's part is not complete: no widgets yet"

    await _add_widget(client, desk, desk_item, "left", checked=True)
    right = await _add_widget(client, desk, desk_item, "right")
    unchecked = await _finish(client, desk, desk_item)
    assert unchecked.status_code == 409
    assert unchecked.json()["extra"] == {"service_type": TEST_DESK, "remaining": "1 widget(s) not checked"}
    assert await _earned(admin_session, desk.tenant.id) == []

    checked = await client.patch(
        f"/api/v1/test-desk/widgets/{right['id']}", json={"checked": True}, headers=desk.as_("agent")
    )
    assert checked.status_code == 200 and checked.json()["checked"] is True
    done = await _finish(client, desk, desk_item)

    assert done.status_code == 200 and done.json()["state"] == "done", done.text
    assert await _earned(admin_session, desk.tenant.id) == [(METER, 2)]


async def test_an_incomplete_desk_item_cannot_go_to_review_either(testdesk_client, desk, desk_item, admin_session):
    await save(admin_session, QaSampling(tenant_id=desk.tenant.id, service_type=TEST_DESK, sample_percent=100))
    await _claim(testdesk_client, desk, desk_item)
    await _add_widget(testdesk_client, desk, desk_item, "unchecked")

    refused = await _finish(testdesk_client, desk, desk_item)

    assert refused.status_code == 409 and "not complete" in refused.json()["detail"]
    item = await testdesk_client.get(f"/api/v1/work-items/{desk_item}", headers=desk.as_("agent"))
    assert item.json()["state"] == "in_progress"


async def test_the_desk_earns_when_qa_accepts(testdesk_client, desk, desk_item, admin_session):
    await save(admin_session, QaSampling(tenant_id=desk.tenant.id, service_type=TEST_DESK, sample_percent=100))
    await _claim(testdesk_client, desk, desk_item)
    for label in ("a", "b", "c"):
        await _add_widget(testdesk_client, desk, desk_item, label, checked=True)

    handed_in = await _finish(testdesk_client, desk, desk_item)
    assert handed_in.json()["state"] == "in_review"
    assert await _earned(admin_session, desk.tenant.id) == []
    accepted = await testdesk_client.post(
        f"/api/v1/work-items/{desk_item}/review", json={"verdict": "accept"}, headers=desk.as_("reviewer")
    )

    assert accepted.status_code == 201, accepted.text
    assert await _earned(admin_session, desk.tenant.id) == [(METER, 3)]


async def test_another_tenants_desk_records_answer_404(testdesk_client, desk, admin_session):
    other = TenantFactory()
    await save(admin_session, other)
    theirs = queued_item(other, service_type=TEST_DESK, state=WorkState.IN_PROGRESS)
    await save(admin_session, theirs)
    widget = Widget(id=uuid4(), tenant_id=other.id, work_item_id=theirs.id, label="theirs", checked=False)
    await save(admin_session, widget)
    agent = desk.as_("agent")  # serves only the desk's tenant

    listed = await testdesk_client.get(f"/api/v1/test-desk/items/{theirs.id}/widgets", headers=agent)
    added = await testdesk_client.post(
        f"/api/v1/test-desk/items/{theirs.id}/widgets", json={"label": "sneaky"}, headers=agent
    )
    changed = await testdesk_client.patch(
        f"/api/v1/test-desk/widgets/{widget.id}", json={"checked": True}, headers=agent
    )

    assert [r.status_code for r in (listed, added, changed)] == [404, 404, 404]
    assert all(str(widget.id) not in r.text for r in (listed, added, changed))
    rows = (await admin_session.scalars(select(Widget).where(Widget.tenant_id == other.id))).all()
    assert [(w.label, w.checked) for w in rows] == [("theirs", False)]


async def test_a_plain_item_is_no_test_desk_item(testdesk_client, desk, admin_session):
    plain = queued_item(desk.tenant, state=WorkState.IN_PROGRESS)
    await save(admin_session, plain)

    answer = await testdesk_client.get(f"/api/v1/test-desk/items/{plain.id}/widgets", headers=desk.as_("agent"))

    assert answer.status_code == 404 and answer.json()["detail"] == "No such test-desk item"


async def test_a_client_member_reads_the_widgets_but_cannot_add_one(testdesk_client, desk, desk_item):
    await _claim(testdesk_client, desk, desk_item)
    await _add_widget(testdesk_client, desk, desk_item, "seen")
    url = f"/api/v1/test-desk/items/{desk_item}/widgets"

    read = await testdesk_client.get(url, headers=desk.as_("member"))
    refused = await testdesk_client.post(url, json={"label": "mine"}, headers=desk.as_("member"))

    assert [w["label"] for w in read.json()] == ["seen"]
    assert refused.status_code == 403


async def test_the_composite_key_refuses_a_record_on_another_tenants_item(desk, admin_session):
    other = TenantFactory()
    await save(admin_session, other)
    theirs = queued_item(other, service_type=TEST_DESK)
    await save(admin_session, theirs)

    # The owner role bypasses RLS: what refuses this is the foreign key, (tenant_id, work_item_id).
    admin_session.add(Widget(id=uuid4(), tenant_id=desk.tenant.id, work_item_id=theirs.id, label="crossed"))
    with pytest.raises(IntegrityError, match="foreign key"):
        await admin_session.commit()
    await admin_session.rollback()


async def test_the_walker_fragment_covers_every_test_desk_route(testdesk_app):
    from tests.testdesk.isolation import ROUTES

    mounted = {
        (method, route.path)
        for route in testdesk_app.routes
        if route.path.startswith("/api/v1/test-desk")
        for method in route.methods
        if method not in ("HEAD", "OPTIONS")
    }
    assert {(entry.method, entry.path) for entry in ROUTES} == mounted
