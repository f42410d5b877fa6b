"""``GET /api/v1/usage``: a month's usage per meter through the usage seam, priced on the plan in force."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bo_saas.billing.periods import month_of
from bo_saas.billing.subscriptions import follow_plan
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from bo_saas.work.usage import record_usage
from tests.auth import bearer
from tests.factories import TenantFactory, WorkItemFactory, client_user, save


async def _growth_tenant(admin_session):
    tenant = TenantFactory(plan_code="growth", timezone="Asia/Riyadh")
    await save(admin_session, tenant)
    await follow_plan(admin_session, tenant)
    await admin_session.commit()
    return tenant


async def _record(admin_session, tenant, meter: str, quantity: int, key: str, at: datetime) -> None:
    await record_usage(
        admin_session, tenant_id=tenant.id, meter=meter, quantity=quantity, idempotency_key=key, occurred_at=at
    )
    await admin_session.commit()


async def test_usage_of_a_local_month_is_priced_per_meter_with_the_included_units_free(app, client, admin_session):
    tenant = await _growth_tenant(admin_session)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    november = month_of(datetime(2026, 11, 15, tzinfo=UTC), tenant.timezone)
    await _record(admin_session, tenant, "support.tickets", 1200, "batch-1", november.start)  # 00:00 1 Nov Riyadh
    await _record(admin_session, tenant, "support.tickets", 3900, "batch-2", november.end - timedelta(seconds=1))
    await _record(admin_session, tenant, "support.tickets", 999, "october", november.start - timedelta(seconds=1))
    await _record(admin_session, tenant, "work.items", 450, "custom", november.start + timedelta(days=3))

    response = await client.get(
        "/api/v1/usage", params={"period": "2026-11"}, headers=bearer(app, member, Role.CLIENT_MEMBER, tenant.id)
    )

    assert response.status_code == 200, response.text
    usage = response.json()
    assert (usage["period"], usage["plan"], usage["currency"]) == ("2026-11", "growth", "USD")
    assert usage["start"] == "2026-10-31T21:00:00Z"
    records, tickets, items = usage["meters"]  # in the plan's order
    assert (records["meter"], records["quantity"], records["amount"]) == ("data_entry.records", 0, 0)
    # 5100 tickets, 1000 included: billable units 1-4000 at 1.20, 4001-4100 at 0.90 (graduated).
    assert (tickets["quantity"], tickets["included"], tickets["billable"]) == (5100, 1000, 4100)
    assert [(line["quantity"], line["amount"]) for line in tickets["lines"]] == [(4000, 480000), (100, 9000)]
    assert tickets["amount"] == 489000
    # 450 items, 200 included: 250 at the first volume tier's 3.00.
    assert (items["meter"], items["billable"], items["amount"]) == ("work.items", 250, 75000)
    assert (usage["seats"]["quantity"], usage["seats"]["amount"]) == (1, 0)  # 10 seats included
    assert usage["estimated_total"] == 99900 + 489000 + 75000


async def test_usage_defaults_to_this_month_and_refuses_a_period_that_is_not_one(app, client, admin_session):
    tenant = await _growth_tenant(admin_session)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    headers = bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)

    this_month = await client.get("/api/v1/usage", headers=headers)
    bad = await client.get("/api/v1/usage", params={"period": "2026-13"}, headers=headers)

    assert this_month.json()["period"] == month_of(utc_now(), tenant.timezone).label
    assert this_month.json()["estimated_total"] == 99900  # nothing used yet: the base fee
    assert (bad.status_code, bad.json()["detail"]) == (
        400,
        "period: '2026-13' is not a month written YYYY-MM (e.g. 2026-11)",
    )


async def test_each_unit_of_usage_links_to_the_work_item_that_earned_it_and_stays_in_its_tenant(
    app, client, admin_session
):
    tenant = await _growth_tenant(admin_session)
    other = await _growth_tenant(admin_session)
    item = WorkItemFactory(tenant_id=tenant.id, service_type="data_entry", skill_code="data_entry", title="Chunk 7")
    await save(admin_session, item)
    november = month_of(datetime(2026, 11, 15, tzinfo=UTC), tenant.timezone)
    await record_usage(
        admin_session, tenant_id=tenant.id, meter="data_entry.records", quantity=50, idempotency_key="chunk-7",
        occurred_at=november.start + timedelta(days=2), work_item_id=item.id,
    )  # fmt: skip
    await _record(admin_session, tenant, "support.tickets", 3, "no-item", november.start + timedelta(days=3))
    await _record(admin_session, other, "support.tickets", 9, "theirs", november.start + timedelta(days=3))
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    headers = bearer(app, member, Role.CLIENT_MEMBER, tenant.id)

    listed = await client.get("/api/v1/usage/records", params={"period": "2026-11"}, headers=headers)
    records_only = await client.get(
        "/api/v1/usage/records", params={"period": "2026-11", "meter": "data_entry.records"}, headers=headers
    )
    bad = await client.get("/api/v1/usage/records", params={"period": "2026-13"}, headers=headers)

    assert listed.status_code == 200, listed.text
    assert [(u["meter"], u["quantity"], u["work_item_id"], u["work_item_title"]) for u in listed.json()["items"]] == [
        ("support.tickets", 3, None, None),
        ("data_entry.records", 50, str(item.id), "Chunk 7"),
    ]
    assert listed.json()["total"] == 2
    assert [u["quantity"] for u in records_only.json()["items"]] == [50]
    assert bad.status_code == 400 and "YYYY-MM" in bad.json()["detail"]
