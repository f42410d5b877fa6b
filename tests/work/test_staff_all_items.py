"""Staff see every item of the tenants they serve, open one without taking it; provider admins hand items out."""

from __future__ import annotations

from bo_saas.lib.caller import Role
from bo_saas.work.models import WorkState
from tests.factories import TenantFactory, client_user, save
from tests.work.helpers import work_item


async def test_an_agent_lists_filters_and_searches_every_item_of_its_tenants_and_no_other(client, desk, admin_session):
    other = TenantFactory()
    await save(admin_session, other)
    await client_user(admin_session, other, Role.CLIENT_ADMIN)
    queued = await work_item(admin_session, desk.tenant, title="Payroll for March")
    someone_elses = await work_item(
        admin_session, desk.tenant, title="Bank feed", state=WorkState.IN_PROGRESS, assignee_id=desk.reviewer.id
    )
    await work_item(admin_session, other, title="Payroll elsewhere")

    listed = await client.get("/api/v1/work-items", headers=desk.as_("agent"))
    assert listed.status_code == 200, listed.text
    assert {item["id"] for item in listed.json()["items"]} == {str(queued.id), str(someone_elses.id)}

    searched = await client.get("/api/v1/work-items", params={"q": "payroll"}, headers=desk.as_("agent"))
    assert [item["id"] for item in searched.json()["items"]] == [str(queued.id)]
    in_progress = await client.get("/api/v1/work-items", params={"state": "in_progress"}, headers=desk.as_("agent"))
    assert [item["id"] for item in in_progress.json()["items"]] == [str(someone_elses.id)]


async def test_opening_a_queued_item_does_not_claim_it(client, desk, admin_session):
    queued = await work_item(admin_session, desk.tenant)

    opened = await client.get(f"/api/v1/work-items/{queued.id}", headers=desk.as_("agent"))
    assert opened.status_code == 200, opened.text
    again = (await client.get(f"/api/v1/work-items/{queued.id}", headers=desk.as_("agent"))).json()
    assert (again["state"], again["assignee_id"]) == ("queued", None)


async def test_a_provider_admin_assigns_an_item_to_staff_serving_its_tenant(client, desk, admin_session):
    queued = await work_item(admin_session, desk.tenant)

    assigned = await client.put(
        f"/api/v1/work-items/{queued.id}/assignee",
        json={"assignee_id": str(desk.reviewer.id)},
        headers={**desk.as_("provider_admin"), "X-Tenant": str(desk.tenant.id)},
    )
    assert assigned.status_code == 200, assigned.text
    assert (assigned.json()["state"], assigned.json()["assignee_name"]) == ("in_progress", desk.reviewer.name)
    by_agent = await client.put(
        f"/api/v1/work-items/{queued.id}/assignee", json={"assignee_id": str(desk.agent.id)}, headers=desk.as_("agent")
    )
    assert by_agent.status_code == 403
