"""Billing runs: one invoice per tenant and period however often (or however concurrently) a run happens."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from bo_saas.audit.models import AuditEvent
from bo_saas.billing import runs
from bo_saas.billing.errors import BillingRunRefused
from bo_saas.billing.invoices import finalize
from bo_saas.billing.models import BillingRun, Invoice, InvoiceStatus, OneOffCharge, PlanVersion, Subscription
from bo_saas.billing.runs import default_period, run_billing
from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from tests.billing.helpers import subscribed_tenant, use, version_of

NOW = datetime(2026, 12, 5, 9, tzinfo=UTC)


async def _invoices(admin_session) -> list[tuple[str, str, int, InvoiceStatus]]:
    rows = await admin_session.execute(
        select(Invoice.tenant_id, Invoice.period, Invoice.total, Invoice.status)
        .order_by(Invoice.period)
        .execution_options(populate_existing=True)
    )
    await admin_session.commit()
    return [tuple(row) for row in rows]


async def test_a_run_bills_each_tenant_once_and_a_rerun_finds_them_unchanged(admin_session, runtime_sessionmaker):
    growth = await subscribed_tenant(admin_session, "growth")
    starter = await subscribed_tenant(admin_session, "starter", timezone="America/New_York")

    first = await run_billing(runtime_sessionmaker, period="2026-10", now=NOW)
    again = await run_billing(runtime_sessionmaker, period="2026-10", now=NOW)

    assert [(r.tenant, r.outcome, r.total) for r in first.results] == sorted(
        [(growth.slug, "created", 99900), (starter.slug, "created", 29900)]
    )
    assert [r.outcome for r in again.results] == ["unchanged", "unchanged"]
    assert sorted(await _invoices(admin_session)) == sorted(
        [(growth.id, "2026-10", 99900, InvoiceStatus.DRAFT), (starter.id, "2026-10", 29900, InvoiceStatus.DRAFT)]
    )
    runs = (await admin_session.scalars(select(BillingRun).order_by(BillingRun.started_at))).all()
    assert [(run.period, run.status, run.created, run.unchanged) for run in runs] == [
        ("2026-10", "finished", 2, 0),
        ("2026-10", "finished", 0, 2),
    ]


async def test_a_draft_is_recomputed_and_a_finalized_invoice_is_never_touched(admin_session, runtime_sessionmaker):
    tenant = await subscribed_tenant(admin_session, "growth")
    await run_billing(runtime_sessionmaker, period="2026-09", now=NOW)
    await run_billing(runtime_sessionmaker, period="2026-10", now=NOW)
    async with runtime_sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant.id))
        async with session.begin():
            september = await session.scalar(select(Invoice).where(Invoice.period == "2026-09"))
            await finalize(session, None, tenant, september.id, NOW)
    # Usage arrives late for both months: growth includes 1000 tickets, so 1001 bill one, at 1.20.
    await use(admin_session, tenant, "support.tickets", 1001, datetime(2026, 9, 10, tzinfo=UTC))
    await use(admin_session, tenant, "support.tickets", 1001, datetime(2026, 10, 10, tzinfo=UTC))

    september_run = await run_billing(runtime_sessionmaker, period="2026-09", now=NOW)
    october_run = await run_billing(runtime_sessionmaker, period="2026-10", now=NOW)

    # September's invoice never changes; its late ticket is October's own line (late_usage's tests).
    assert [(r.outcome, r.total) for r in september_run.results] == [("finalized", 99900)]
    assert [(r.outcome, r.total) for r in october_run.results] == [("recomputed", 99900 + 120 + 120)]
    assert await _invoices(admin_session) == [
        (tenant.id, "2026-09", 99900, InvoiceStatus.OPEN),
        (tenant.id, "2026-10", 100140, InvoiceStatus.DRAFT),
    ]


async def test_two_runs_at_once_make_exactly_one_invoice_per_tenant(admin_session, runtime_sessionmaker):
    tenants = [await subscribed_tenant(admin_session, "growth") for _ in range(3)]

    summaries = await asyncio.gather(
        run_billing(runtime_sessionmaker, period="2026-10", now=NOW),
        run_billing(runtime_sessionmaker, period="2026-10", now=NOW),
    )

    counts = await admin_session.execute(select(Invoice.tenant_id, func.count()).group_by(Invoice.tenant_id))
    assert dict(counts.all()) == {tenant.id: 1 for tenant in tenants}
    outcomes = sorted(r.outcome for summary in summaries for r in summary.results)
    assert outcomes == ["created"] * 3 + ["unchanged"] * 3


async def test_a_period_that_has_not_ended_in_a_tenants_time_zone_is_refused(admin_session, runtime_sessionmaker):
    await subscribed_tenant(admin_session, "growth", timezone="Pacific/Honolulu", slug="aloha")
    # 1 December 05:00 UTC is still 30 November in Honolulu (UTC-10).
    early_december = datetime(2026, 12, 1, 5, tzinfo=UTC)

    with pytest.raises(BillingRunRefused) as refused:
        await run_billing(runtime_sessionmaker, period="2026-11", now=early_december)

    assert refused.value.message == (
        "period: 2026-11 has not ended yet for aloha (Pacific/Honolulu); a period is billed once it has ended "
        "(the last ended everywhere is 2026-10)"
    )
    assert await _invoices(admin_session) == []
    assert await admin_session.scalar(select(func.count()).select_from(BillingRun)) == 0


def test_the_default_period_is_the_last_month_ended_in_every_time_zone():
    assert default_period(datetime(2026, 12, 5, tzinfo=UTC)) == "2026-11"
    assert default_period(datetime(2026, 12, 1, 11, tzinfo=UTC)) == "2026-10"  # still 30 Nov at UTC-12
    assert default_period(datetime(2027, 1, 1, 12, tzinfo=UTC)) == "2026-12"


async def test_a_dry_run_writes_no_invoice_but_says_what_it_would_do(admin_session, runtime_sessionmaker):
    tenant = await subscribed_tenant(admin_session, "growth")

    summary = await run_billing(runtime_sessionmaker, period="2026-10", now=NOW, dry_run=True)

    assert [(r.tenant, r.outcome, r.total) for r in summary.results] == [(tenant.slug, "created", 99900)]
    assert await _invoices(admin_session) == []
    run = await admin_session.scalar(select(BillingRun))
    assert (run.dry_run, run.created) == (True, 1)


async def test_a_run_for_one_tenant_bills_only_it_and_an_unknown_slug_is_refused(admin_session, runtime_sessionmaker):
    chosen = await subscribed_tenant(admin_session, "growth", slug="chosen")
    await subscribed_tenant(admin_session, "growth", slug="other")

    summary = await run_billing(runtime_sessionmaker, period="2026-10", tenant_slug="chosen", now=NOW)
    with pytest.raises(BillingRunRefused) as refused:
        await run_billing(runtime_sessionmaker, period="2026-10", tenant_slug="nobody", now=NOW)

    assert [r.tenant for r in summary.results] == ["chosen"]
    assert [row[0] for row in await _invoices(admin_session)] == [chosen.id]
    assert refused.value.message == "tenant: no tenant 'nobody'"


async def test_a_tenant_whose_invoice_cannot_be_built_or_written_fails_alone(
    admin_session, runtime_sessionmaker, monkeypatch
):
    monkeypatch.setattr(runs, "CHUNK", 3)  # both faulty tenants share a chunk with good ones
    good = [await subscribed_tenant(admin_session, "growth", slug=f"good-{n}") for n in range(3)]
    yearly = await subscribed_tenant(admin_session, "growth", slug="yearly")
    growth = await version_of(admin_session, "growth")
    definition = {**growth.definition, "interval": "year"}
    by_the_year = PlanVersion(
        plan_code="growth", version=99, definition=definition, currency="USD", interval="year",
        base_fee=growth.base_fee, trial_days=0, seats_included=growth.seats_included,
        seat_unit_price=growth.seat_unit_price, content_hash="0" * 64,
    )  # fmt: skip
    admin_session.add(by_the_year)
    await admin_session.flush()
    await admin_session.execute(
        update(Subscription).where(Subscription.tenant_id == yearly.id).values(plan_version_id=by_the_year.id)
    )
    admin_session.add(
        AuditEvent(
            tenant_id=yearly.id, actor_kind="account", action="subscription.plan_changed", subject_type="subscription",
            subject_id=str(yearly.id), occurred_at=datetime(2026, 2, 1, tzinfo=UTC),
            changes={"plan": {"old": "growth", "new": "growth"}, "version": 99},
        )
    )  # fmt: skip
    huge = await subscribed_tenant(admin_session, "growth", slug="huge")  # its total overflows a bigint
    admin_session.add(
        OneOffCharge(tenant_id=huge.id, period="2026-10", description="x", amount=2**63 - 1, currency="USD")
    )
    await admin_session.commit()

    summary = await run_billing(runtime_sessionmaker, period="2026-10", now=NOW)

    outcomes = {r.tenant: r.outcome for r in summary.results}
    assert outcomes == {"good-0": "created", "good-1": "created", "good-2": "created", "yearly": "failed",
                        "huge": "failed"}  # fmt: skip
    reasons = {r.tenant: r.reason for r in summary.failures}
    assert "billed by the year" in reasons["yearly"]
    assert {tenant_id for tenant_id, *_ in await _invoices(admin_session)} == {tenant.id for tenant in good}


async def test_a_run_stopped_half_way_and_run_again_invoices_each_tenant_once(
    admin_session, runtime_sessionmaker, monkeypatch
):
    monkeypatch.setattr(runs, "CHUNK", 2)
    tenants = [await subscribed_tenant(admin_session, "growth") for _ in range(5)]
    seen = []

    def crash_after_the_first_chunk(result) -> None:
        seen.append(result)
        if len(seen) == 2:
            raise KeyboardInterrupt  # the operator's Ctrl-C, or a killed process, between two chunks

    with pytest.raises(KeyboardInterrupt):
        await run_billing(runtime_sessionmaker, period="2026-10", now=NOW, on_result=crash_after_the_first_chunk)
    again = await run_billing(runtime_sessionmaker, period="2026-10", now=NOW)

    assert sorted(r.outcome for r in again.results) == ["created"] * 3 + ["unchanged"] * 2
    counts = await admin_session.execute(select(Invoice.tenant_id, func.count()).group_by(Invoice.tenant_id))
    assert dict(counts.all()) == {tenant.id: 1 for tenant in tenants}
