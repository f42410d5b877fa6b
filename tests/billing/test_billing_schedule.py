"""Scheduled billing: drafts after the grace time, finalized on their own after review, re-reading usage first."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bo_saas.billing.models import BillingRun, Invoice, InvoiceStatus
from bo_saas.billing.schedule import SCHEDULE, billing_tick
from tests.billing.helpers import subscribed_tenant, use

GRACE = timedelta(hours=24)
REVIEW = timedelta(hours=72)
# November 2026 ends last at UTC-12: 1 December 12:00 UTC. Grace ends 24 h later, review 72 h after that.
NOVEMBER_ENDED_EVERYWHERE = datetime(2026, 12, 1, 12, tzinfo=UTC)


async def _invoices(admin_session, tenant) -> list[tuple[str, InvoiceStatus, str | None, int]]:
    rows = await admin_session.execute(
        select(Invoice.period, Invoice.status, Invoice.number, Invoice.total)
        .where(Invoice.tenant_id == tenant.id)
        .order_by(Invoice.period)
        .execution_options(populate_existing=True)
    )
    await admin_session.commit()
    return [tuple(row) for row in rows]


async def test_a_period_is_drafted_after_its_grace_and_finalized_after_review_with_late_usage_in_it(
    admin_session, runtime_sessionmaker
):
    tenant = await subscribed_tenant(admin_session, "growth")

    async def tick(at: datetime):
        return await billing_tick(runtime_sessionmaker, now=at, draft_grace=GRACE, review=REVIEW)

    # A minute before November's grace ends, only October is due: drafted, and (its review long over) finalized.
    in_grace = await tick(NOVEMBER_ENDED_EVERYWHERE + GRACE - timedelta(minutes=1))
    assert in_grace.drafted == "2026-10" and len(in_grace.finalized) == 1
    drafted = await tick(NOVEMBER_ENDED_EVERYWHERE + GRACE)
    again = await tick(NOVEMBER_ENDED_EVERYWHERE + GRACE + timedelta(hours=1))
    assert (drafted.drafted, drafted.finalized) == ("2026-11", [])
    assert (again.drafted, again.finalized) == (None, [])
    assert [(period, status) for period, status, *_ in await _invoices(admin_session, tenant)] == [
        ("2026-10", InvoiceStatus.OPEN),
        ("2026-11", InvoiceStatus.DRAFT),
    ]

    # During review, a November ticket past the included 1,000 is recorded: the finalized invoice has it.
    await use(admin_session, tenant, "support.tickets", 1001, datetime(2026, 11, 20, tzinfo=UTC))
    reviewed = await tick(NOVEMBER_ENDED_EVERYWHERE + GRACE + REVIEW)

    invoices = await _invoices(admin_session, tenant)
    assert [(period, status) for period, status, *_ in invoices] == [
        ("2026-10", InvoiceStatus.OPEN),
        ("2026-11", InvoiceStatus.OPEN),
    ]
    assert reviewed.finalized == [invoices[1][2]]
    assert invoices[1][3] == 99900 + 120
    runs = await admin_session.scalars(select(BillingRun.period).where(BillingRun.started_by == SCHEDULE))
    assert sorted(runs) == ["2026-10", "2026-11"]


async def test_two_processes_ticking_at_once_finalize_each_draft_once(admin_session, runtime_sessionmaker):
    tenants = [await subscribed_tenant(admin_session, "growth") for _ in range(3)]
    at = NOVEMBER_ENDED_EVERYWHERE + GRACE + REVIEW

    ticks = await asyncio.gather(
        *(billing_tick(runtime_sessionmaker, now=at, draft_grace=GRACE, review=REVIEW) for _ in range(2))
    )

    numbers = [number for tick in ticks for number in tick.finalized]
    assert len(numbers) == len(set(numbers)) == len(tenants)
    for tenant in tenants:
        [(period, status, number, _)] = await _invoices(admin_session, tenant)
        assert (period, status) == ("2026-11", InvoiceStatus.OPEN) and number in numbers
