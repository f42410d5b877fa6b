"""The ledger seam (``bookkeeping.ledger.post_entry``): what payroll calls to post a balanced entry into the books."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bo_saas.bookkeeping.errors import InvalidBookkeepingRequest, LedgerConflict, UnbalancedEntry
from bo_saas.bookkeeping.ledger import LineInput, post_entry
from bo_saas.bookkeeping.models import EntryStatus, JournalEntry, Period, PeriodStatus
from tests.bookkeeping.helpers import runtime_session, tenant_with_books
from tests.factories import TenantFactory, save

PAYROLL = [
    LineInput("6000", debit=2_500_000, description="March salaries"),
    LineInput("2200", credit=2_500_000, description="Net pay due"),
]


async def test_a_balanced_entry_is_posted_at_once_above_the_threshold_and_a_retry_posts_nothing_more(
    admin_session, runtime_sessionmaker
):
    tenant = await tenant_with_books(admin_session, approval_threshold=1000)

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        first = await post_entry(session, tenant.id, date(2026, 3, 31), "Payroll March", PAYROLL, "hr.payroll_run:42")
        await session.commit()
    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        again = await post_entry(session, tenant.id, date(2026, 3, 31), "Payroll March", PAYROLL, "hr.payroll_run:42")
        await session.commit()

    entries = (await admin_session.scalars(select(JournalEntry).where(JournalEntry.tenant_id == tenant.id))).all()
    assert first.created and not again.created and again.id == first.id
    assert first.number == "JE-2026-000001"
    assert [(e.status, e.source) for e in entries] == [(EntryStatus.POSTED, "hr.payroll_run:42")]


async def test_a_tenant_without_books_gets_them_opened_by_its_first_posting(admin_session, runtime_sessionmaker):
    tenant = TenantFactory(services=["bookkeeping", "hr"])
    await save(admin_session, tenant)

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        posted = await post_entry(session, tenant.id, date(2026, 5, 1), "Payroll", PAYROLL, "hr.payroll_run:1")
        await session.commit()

    assert posted.number == "JE-2026-000001"


@pytest.mark.parametrize(
    ("lines", "refusal"),
    [
        ([LineInput("6000", debit=10), LineInput("2200", credit=9)], UnbalancedEntry),
        ([LineInput("6000", debit=10), LineInput("nope", credit=10)], InvalidBookkeepingRequest),
        ([LineInput("6000", debit=10, credit=10)], InvalidBookkeepingRequest),
        ([], InvalidBookkeepingRequest),
    ],
    ids=["unbalanced", "unknown account", "both sides", "no lines"],
)
async def test_a_wrong_entry_is_refused_and_nothing_is_written(admin_session, runtime_sessionmaker, lines, refusal):
    tenant = await tenant_with_books(admin_session)

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        with pytest.raises(refusal):
            await post_entry(session, tenant.id, date(2026, 3, 31), "Payroll", lines, "hr.payroll_run:7")

    assert await admin_session.scalar(select(JournalEntry.id).where(JournalEntry.tenant_id == tenant.id)) is None


async def test_a_posting_into_a_locked_period_is_refused(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)
    period = await admin_session.scalar(
        select(Period).where(Period.tenant_id == tenant.id, Period.month == date(2026, 3, 1))
    )
    period.status = PeriodStatus.LOCKED
    await admin_session.commit()

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        with pytest.raises(LedgerConflict, match="2026-03 is locked"):
            await post_entry(session, tenant.id, date(2026, 3, 31), "Payroll", PAYROLL, "hr.payroll_run:8")
