"""Building a period's invoice from what was in force and used: every line explains its arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bo_saas.audit.models import AuditEvent
from bo_saas.billing.invoice_builder import build_invoice
from bo_saas.billing.models import Subscription
from bo_saas.billing.periods import period_starting
from bo_saas.lib.caller import Role
from tests.billing.helpers import OneOffChargeFactory, billing_profile, breach, subscribed_tenant, upgrade_on, use
from tests.factories import client_user, save

RIYADH = ZoneInfo("Asia/Riyadh")
OCTOBER = period_starting(datetime(2026, 10, 1).date(), "Asia/Riyadh")


async def _build(session, tenant, period=OCTOBER, until=None):
    subscription = await session.scalar(select(Subscription).where(Subscription.tenant_id == tenant.id))
    return await build_invoice(session, tenant, subscription, period, until)


def _lines(built) -> list[tuple]:
    return [(line.kind, line.description, line.quantity, line.unit_price, line.amount) for line in built.priced.lines]


async def test_a_month_bills_base_fee_seats_usage_charges_and_resolution_credits_then_tax_once(admin_session):
    tenant = await subscribed_tenant(admin_session, "growth")
    for _ in range(12):  # growth includes 10 seats
        await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    await billing_profile(admin_session, tenant, tax_rate_bp=1500)
    await use(admin_session, tenant, "support.tickets", 5100, datetime(2026, 10, 15, tzinfo=UTC))
    await use(admin_session, tenant, "support.tickets", 700, datetime(2026, 11, 1, 0, 30, tzinfo=RIYADH))  # November
    await save(admin_session, OneOffChargeFactory(tenant_id=tenant.id, description="Onboarding", amount=15000))
    await save(admin_session, OneOffChargeFactory(tenant_id=tenant.id, period="2026-11", amount=777))
    for day in (3, 9, 30):
        await breach(admin_session, tenant, datetime(2026, 10, day, 12, tzinfo=RIYADH))
    await breach(admin_session, tenant, datetime(2026, 11, 1, 0, 30, tzinfo=RIYADH))  # the next local month
    await breach(admin_session, tenant, datetime(2026, 10, 5, tzinfo=RIYADH), clock="first_response")  # no credit

    built = await _build(admin_session, tenant)

    assert _lines(built) == [
        ("base_fee", "Growth v1 base fee", 1, "999.00", 99900),
        ("seats", "Growth v1 seats: 2 at 29.00", 2, "29.00", 5800),
        ("usage", "support.tickets: units 1-4000 at 1.20", 4000, "1.20", 480000),
        ("usage", "support.tickets: units 4001-4100 at 0.90", 100, "0.90", 9000),
        ("charge", "Onboarding", 1, "150.00", 15000),
        (
            "sla_credit",
            "SLA credit: 3 resolution breaches x 2% of the base fee 999.00, at most 20%",
            1,
            "-59.94",
            -5994,
        ),
    ]
    assert built.priced.subtotal == 603706
    assert built.priced.tax == 90556  # 15% of 603706 is 90555.9
    assert built.priced.total == 694262
    assert built.currency == "USD" and built.period.label == "2026-10"


async def test_an_upgrade_in_the_period_prorates_each_versions_fees_by_day_and_usage_is_priced_on_the_last(
    admin_session,
):
    tenant = await subscribed_tenant(admin_session, "starter")
    for _ in range(5):  # starter includes 3 seats, growth 10
        await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    await upgrade_on(admin_session, tenant, "starter", "growth", datetime(2026, 10, 11, 10, tzinfo=RIYADH))
    await use(admin_session, tenant, "data_entry.records", 6000, datetime(2026, 10, 2, tzinfo=UTC))

    built = await _build(admin_session, tenant)

    assert _lines(built) == [
        ("base_fee", "Starter v1 base fee, 10 of 31 days", 1, "299.00", 9645),  # 29900 x 10/31 = 9645.16
        ("seats", "Starter v1 seats: 2 at 19.00, 10 of 31 days", 2, "19.00", 1226),  # 3800 x 10/31 = 1225.81
        ("base_fee", "Growth v1 base fee, 21 of 31 days", 1, "999.00", 67674),  # 99900 x 21/31 = 67674.19
        ("usage", "data_entry.records: units 1-1000 at 0.04", 1000, "0.04", 4000),  # growth: 5000 included
    ]
    assert built.version.plan_code == "growth"
    assert (built.priced.subtotal, built.priced.tax, built.priced.total) == (82545, 0, 82545)


async def test_credits_stop_at_the_plans_cap(admin_session):
    tenant = await subscribed_tenant(admin_session, "starter")  # 1% per breach, at most 10%
    for hour in range(12):
        await breach(admin_session, tenant, datetime(2026, 10, 20, hour, tzinfo=RIYADH))

    built = await _build(admin_session, tenant)

    assert built.priced.credit == 2990  # 10% of 29900, not 12%
    assert _lines(built)[-1][-1] == -2990


async def test_a_tenant_that_started_after_the_period_has_no_invoice_for_it(admin_session):
    tenant = await subscribed_tenant(admin_session, "growth")
    september = period_starting(datetime(2025, 9, 1).date(), "Asia/Riyadh")

    assert await _build(admin_session, tenant, september) is None


async def test_a_downgrade_scheduled_for_the_next_period_leaves_this_one_whole_and_one_cancelled_never_happens(
    admin_session,
):
    tenant = await subscribed_tenant(admin_session, "growth")
    november = period_starting(datetime(2026, 11, 1).date(), "Asia/Riyadh")
    scheduled_at = datetime(2026, 10, 20, tzinfo=UTC)
    admin_session.add(
        AuditEvent(
            tenant_id=tenant.id, actor_kind="account", action="subscription.downgraded", subject_type="subscription",
            subject_id=str(tenant.id), occurred_at=scheduled_at,
            changes={"plan": {"old": "growth", "new": "starter"}, "version": 1,
                     "effective_at": november.start.isoformat()},
        )
    )  # fmt: skip
    await admin_session.commit()

    october = await _build(admin_session, tenant)
    after = await _build(admin_session, tenant, november)
    admin_session.add(
        AuditEvent(
            tenant_id=tenant.id, actor_kind="account", action="subscription.downgrade_cancelled",
            subject_type="subscription", subject_id=str(tenant.id), occurred_at=scheduled_at + timedelta(days=1),
            changes={"plan": "growth"},
        )
    )  # fmt: skip
    await admin_session.commit()
    kept = await _build(admin_session, tenant, november)

    assert [line[1] for line in _lines(october)] == ["Growth v1 base fee"]
    assert [line[1] for line in _lines(after)] == ["Starter v1 base fee"]
    assert [line[1] for line in _lines(kept)] == ["Growth v1 base fee"]
