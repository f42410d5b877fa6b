"""The monthly support report: tickets in and solved, SLA met and breached, CSAT, top tags; JSON and CSV."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bo_saas.lib.clock import utc_now
from bo_saas.work.models import WorkState
from tests.desk import queued_item
from tests.factories import CsatRatingFactory, SupportContactFactory, TicketFactory, save
from tests.support.helpers import a_channel


async def _month_of_tickets(admin_session, desk) -> str:
    now = utc_now()
    channel = await a_channel(admin_session, desk.tenant)
    contact = SupportContactFactory(tenant_id=desk.tenant.id)
    await save(admin_session, contact)
    shapes = [
        # state, first responded, first response breached, resolution breached, tags, rating
        (WorkState.DONE, True, False, False, ["shipping", "refund"], 5),
        (WorkState.DONE, True, True, True, ["shipping"], 2),
        (WorkState.IN_PROGRESS, True, False, False, ["shipping", "billing"], None),
        (WorkState.QUEUED, False, True, False, [], None),
    ]
    for state, responded, first_breached, resolution_breached, tags, rating in shapes:
        item = queued_item(desk.tenant, skill="support", state=state)
        item.first_responded_at = now if responded else None
        item.first_response_breached_at = now if first_breached else None
        item.resolution_breached_at = now if resolution_breached else None
        item.closed_at = now if state is WorkState.DONE else None
        await save(admin_session, item)
        ticket = TicketFactory(
            tenant_id=desk.tenant.id, work_item_id=item.id, channel_id=channel.id, contact_id=contact.id, tags=tags
        )
        await save(admin_session, ticket)
        if rating:
            await save(admin_session, CsatRatingFactory(tenant_id=desk.tenant.id, ticket_id=ticket.id, rating=rating))
    local = now.astimezone(ZoneInfo(desk.tenant.timezone))
    return f"{local.year:04d}-{local.month:02d}"


async def test_the_report_counts_the_tenants_month(client, admin_session, desk):
    month = await _month_of_tickets(admin_session, desk)

    report = (await client.get(f"/api/v1/support/reports?month={month}", headers=desk.as_("admin"))).json()

    assert report["month"] == month
    assert (report["tickets_in"], report["tickets_solved"]) == (4, 2)
    assert report["first_response"] == {"met": 2, "breached": 2}
    assert report["resolution"] == {"met": 1, "breached": 1}
    assert report["csat_average"] == 3.5 and report["csat_count"] == 2
    assert report["csat_distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}
    assert report["top_tags"][0] == {"tag": "shipping", "count": 3}
    assert {t["tag"] for t in report["top_tags"]} == {"shipping", "refund", "billing"}


async def test_the_report_as_csv_has_one_row_per_figure(client, admin_session, desk):
    month = await _month_of_tickets(admin_session, desk)

    answer = await client.get(f"/api/v1/support/reports?month={month}&format=csv", headers=desk.as_("admin"))

    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = dict(line.split(",", 1) for line in answer.text.strip().splitlines()[1:])
    assert rows["tickets_in"] == "4" and rows["csat_average"] == "3.5" and rows["tag:shipping"] == "3"


async def test_another_month_is_empty_and_a_bad_month_is_refused(client, admin_session, desk):
    await _month_of_tickets(admin_session, desk)
    last_year = (datetime.now(ZoneInfo("UTC")) - timedelta(days=400)).strftime("%Y-%m")

    empty = (await client.get(f"/api/v1/support/reports?month={last_year}", headers=desk.as_("admin"))).json()
    bad = await client.get("/api/v1/support/reports?month=2026-13", headers=desk.as_("admin"))

    assert (empty["tickets_in"], empty["csat_average"], empty["top_tags"]) == (0, None, [])
    assert bad.status_code == 400


async def test_staff_report_on_one_tenant_they_serve(client, admin_session, desk):
    await _month_of_tickets(admin_session, desk)
    from bo_saas.lib.caller import Role
    from tests.auth import bearer
    from tests.factories import TenantFactory, staff_user

    other = TenantFactory()
    await save(admin_session, other)
    serving_two = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(desk.tenant, other))
    headers = bearer(desk.app, serving_two, Role.PROVIDER_AGENT)

    unnamed = await client.get("/api/v1/support/reports", headers=headers)
    named = await client.get("/api/v1/support/reports", headers=headers | {"X-Tenant": str(desk.tenant.id)})

    assert unnamed.status_code == 400 and "X-Tenant" in unnamed.json()["detail"]
    assert named.status_code == 200 and named.json()["tickets_in"] == 4
