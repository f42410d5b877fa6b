"""The work-items list (one statement, records into structs) answers what the ORM path answers.

``GET /api/v1/work-items/{id}`` still builds an item through the ORM
(``controllers.item_response``); every listed item must equal it field by field,
with the clock stopped so the SLA minutes compare exactly. The cases are the
ones a hand-written list statement gets wrong: calendars, visibility, names,
nulls in the sort, search, and the total past the last page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bo_saas.lib.caller import Caller, Role
from bo_saas.work.models import Priority, WorkState
from tests.auth import bearer
from tests.factories import ApiClientFactory, BusinessCalendarFactory, TenantFactory, save, staff_user
from tests.work.helpers import work_item

# Monday 8 March 2027, 10:30 in Riyadh (UTC+3, no daylight saving).
NOW = datetime(2027, 3, 8, 7, 30, tzinfo=UTC)
SUNDAY_0900 = datetime(2027, 3, 7, 6, 0, tzinfo=UTC)
THURSDAY_1600 = datetime(2027, 3, 4, 13, 0, tzinfo=UTC)


@pytest.fixture
def stopped_clock(monkeypatch):
    """Both the list and the single item read this instant as now."""
    for module in ("bo_saas.work.item_list", "bo_saas.work.controllers"):
        monkeypatch.setattr(f"{module}.utc_now", lambda: NOW)


async def _listed_as_shown_one_by_one(client, headers, query: str = "") -> dict:
    """The list's page, after checking each item against the item's own route."""
    listed = await client.get(f"/api/v1/work-items?{query}", headers=headers)
    assert listed.status_code == 200, listed.text
    page = listed.json()
    for item in page["items"]:
        one = await client.get(f"/api/v1/work-items/{item['id']}", headers=headers)
        assert one.status_code == 200, one.text
        assert item == one.json()
    return page


async def test_business_minutes_follow_each_tenants_calendar(client, desk, admin_session, stopped_clock):
    # Sun-Thu 09:00-17:00 with Sunday the 7th a holiday; the second tenant has no calendar (round the clock).
    await save(admin_session, BusinessCalendarFactory(tenant_id=desk.tenant.id, holidays=[date(2027, 3, 7)]))
    open_hours = TenantFactory()
    await save(admin_session, open_hours)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(desk.tenant, open_hours))
    since_sunday = await work_item(
        admin_session, desk.tenant, title="since Sunday", resolution_running_since=SUNDAY_0900,
        resolution_minutes_banked=15.0,
    )  # fmt: skip
    since_thursday = await work_item(
        admin_session, desk.tenant, title="since Thursday", resolution_running_since=THURSDAY_1600
    )
    paused = await work_item(
        admin_session, desk.tenant, title="paused", state=WorkState.WAITING_ON_CLIENT, resolution_running_since=None,
        resolution_minutes_banked=42.5, paused_at=SUNDAY_0900, waiting_reason="Which bank account?",
    )  # fmt: skip
    around_the_clock = await work_item(admin_session, open_hours, title="24/7", resolution_running_since=SUNDAY_0900)

    page = await _listed_as_shown_one_by_one(client, bearer(desk.app, agent, Role.PROVIDER_AGENT))

    sla = {item["id"]: item["sla"] for item in page["items"]}
    assert sla[str(since_sunday.id)]["business_minutes_used"] == 15 + 90  # the holiday, then 09:00-10:30
    assert sla[str(since_thursday.id)]["business_minutes_used"] == 60 + 90  # Thu 16-17, closed Fri/Sat, holiday
    waiting = sla[str(paused.id)]
    assert (waiting["business_minutes_used"], waiting["paused"], waiting["pause_reason"]) == (
        42.5, True, "Which bank account?"
    )  # fmt: skip
    assert sla[str(around_the_clock.id)]["business_minutes_used"] == 25.5 * 60
    assert page["total"] == 4


async def test_a_member_lists_own_and_shared_items_and_counts_only_those(client, desk, admin_session, stopped_clock):
    mine = await work_item(admin_session, desk.tenant, title="mine", requester_id=desk.member.id)
    theirs = await work_item(admin_session, desk.tenant, title="theirs", requester_id=desk.other_member.id)
    shared = await work_item(admin_session, desk.tenant, title="shared", requester_id=desk.other_member.id, shared=True)

    # One statement serves both members; each binds its own account.
    as_member = await _listed_as_shown_one_by_one(client, desk.as_("member"), "sort=created_at")
    as_other = await _listed_as_shown_one_by_one(client, desk.as_("other_member"), "sort=created_at")
    as_admin = await _listed_as_shown_one_by_one(client, desk.as_("admin"))

    assert {i["id"] for i in as_member["items"]} == {str(mine.id), str(shared.id)}
    assert as_member["total"] == 2
    assert {i["id"] for i in as_other["items"]} == {str(theirs.id), str(shared.id)}
    assert as_admin["total"] == 3
    assert {i["requester_name"] for i in as_admin["items"]} == {desk.member.name, desk.other_member.name}
    # Past the end the window counts nothing: the total is counted on its own, visibility included.
    beyond = (await client.get("/api/v1/work-items?offset=10", headers=desk.as_("member"))).json()
    assert (beyond["items"], beyond["total"], beyond["limit"], beyond["offset"]) == ([], 2, 50, 10)


async def test_an_api_clients_request_is_named_as_the_client_and_the_client_sees_every_item(
    client, desk, admin_session, stopped_clock
):
    erp = ApiClientFactory(tenant_id=desk.tenant.id, name="Ledger sync")
    await save(admin_session, erp)
    pushed = await work_item(admin_session, desk.tenant, title="pushed", requester_client_id=erp.id)
    await work_item(admin_session, desk.tenant, title="a member's", requester_id=desk.member.id)
    assigned = await work_item(
        admin_session, desk.tenant, title="assigned", state=WorkState.IN_PROGRESS, assignee_id=desk.agent.id
    )

    as_admin = await _listed_as_shown_one_by_one(client, desk.as_("admin"))
    names = {i["id"]: (i["requester_name"], i["assignee_name"]) for i in as_admin["items"]}
    assert names[str(pushed.id)] == ("Ledger sync (API)", None)
    assert names[str(assigned.id)] == (None, desk.agent.name)

    token = desk.app.state.token_signer.issue(
        Caller(role=Role.CLIENT_MEMBER, api_client_id=erp.id, tenant_id=desk.tenant.id)
    )
    as_erp = await _listed_as_shown_one_by_one(client, {"Authorization": f"Bearer {token}"})
    assert as_erp["total"] == 3


async def test_sorting_by_due_time_keeps_items_without_one_last_both_ways(client, desk, admin_session, stopped_clock):
    soon = await work_item(admin_session, desk.tenant, title="soon", due_in=timedelta(minutes=30))
    later = await work_item(admin_session, desk.tenant, title="later", due_in=timedelta(hours=5))
    draft = await work_item(
        admin_session, desk.tenant, title="draft", state=WorkState.NEW, first_response_due_at=None,
        resolution_due_at=None, queued_at=None, resolution_running_since=None, sla_first_response_minutes=None,
        sla_resolution_minutes=None, sla_warning_percent=None,
    )  # fmt: skip
    answered = await work_item(
        admin_session, desk.tenant, title="answered", first_responded_at=NOW - timedelta(hours=1),
        resolution_due_at=NOW + timedelta(hours=3),
    )  # fmt: skip

    ascending = await _listed_as_shown_one_by_one(client, desk.as_("admin"), "sort=due_at")
    descending = await _listed_as_shown_one_by_one(client, desk.as_("admin"), "sort=-due_at")

    # "answered" is due by its resolution clock once the first response is given.
    assert [i["title"] for i in ascending["items"]] == [i.title for i in (soon, later, answered, draft)]
    assert [i["title"] for i in descending["items"]] == [i.title for i in (answered, later, soon, draft)]
    assert ascending["items"][-1]["sla"]["policy"] is None
    refused = await client.get("/api/v1/work-items?sort=colour", headers=desk.as_("admin"))
    assert refused.status_code == 400
    assert "-due_at" in refused.json()["extra"]["allowed"]


async def test_search_filters_and_pages_bind_each_requests_values(client, desk, admin_session, stopped_clock):
    await work_item(admin_session, desk.tenant, title="Payroll 100% done", priority=Priority.LOW)
    await work_item(admin_session, desk.tenant, title="Payroll 1000 lines", priority=Priority.URGENT)
    await work_item(
        admin_session, desk.tenant, skill="support", title="Refund", payload={"message": "where is my refund"}
    )
    await work_item(admin_session, desk.tenant, title="Mine", state=WorkState.IN_PROGRESS, assignee_id=desk.agent.id)

    async def titles(query: str, who: str = "admin") -> list[str]:
        page = await _listed_as_shown_one_by_one(client, desk.as_(who), query)
        return sorted(i["title"] for i in page["items"])

    assert await titles("q=100%25") == ["Payroll 100% done"]  # % is a character, not a wildcard
    assert await titles("q=payroll") == ["Payroll 100% done", "Payroll 1000 lines"]
    assert await titles("q=where refund") == ["Refund"]  # the form's words, by full text
    assert await titles("priority=urgent") == ["Payroll 1000 lines"]
    assert await titles("priority=low") == ["Payroll 100% done"]
    assert await titles("state=queued&service_type=support") == ["Refund"]
    assert await titles("state=in_progress&state=done") == ["Mine"]
    assert await titles("assignee=me", who="agent") == ["Mine"]
    assert await titles(f"assignee={desk.reviewer.id}", who="agent") == []

    second = (await client.get("/api/v1/work-items?limit=3&offset=3", headers=desk.as_("admin"))).json()
    assert (len(second["items"]), second["total"]) == (1, 4)
    past = (await client.get("/api/v1/work-items?q=payroll&limit=1&offset=5", headers=desk.as_("admin"))).json()
    assert (past["items"], past["total"]) == ([], 2)
    empty = (await client.get("/api/v1/work-items?q=nothing-like-it", headers=desk.as_("admin"))).json()
    assert (empty["items"], empty["total"]) == ([], 0)


async def test_queue_counts_come_back_field_by_field(client, desk, admin_session):
    await work_item(admin_session, desk.tenant, skill="support")
    await work_item(admin_session, desk.tenant, state=WorkState.IN_PROGRESS, assignee_id=desk.agent.id)
    await work_item(admin_session, desk.tenant, state=WorkState.DONE)  # closed: not in the queue

    summary = (await client.get("/api/v1/queue/", headers=desk.as_("agent"))).json()

    slug, tenant_id = desk.tenant.slug, str(desk.tenant.id)
    assert summary == {
        "queued": 1,
        "in_progress": 1,
        "breached": 0,
        "at_risk": 0,
        "counts": [
            {"tenant_id": tenant_id, "tenant_slug": slug, "service_type": "data_entry", "sla_status": "ok",
             "state": "in_progress", "items": 1},
            {"tenant_id": tenant_id, "tenant_slug": slug, "service_type": "support", "sla_status": "ok",
             "state": "queued", "items": 1},
        ],
    }  # fmt: skip
