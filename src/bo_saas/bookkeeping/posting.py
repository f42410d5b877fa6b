"""Posting, approving and reversing: how an entry becomes part of the books, numbered and frozen for good.

An entry whose total is above the book's approval threshold goes to
``pending_approval`` when posted and is posted when a second person approves
it (maker-checker). A posted entry gets the next number of its fiscal year
from the tenant's counter row, under that row's lock: a transaction that rolls
back gives its number back, so numbers have no gaps. A posted entry is only
ever corrected by a reversal, a posted entry pointing at it with every line's
sides swapped. The database holds the same rules (migration 0016); the checks
here answer first, with clearer words.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.books import ensure_period, fiscal_year, month_of
from bo_saas.bookkeeping.entries import lines_of, require_draft
from bo_saas.bookkeeping.errors import LedgerConflict, UnbalancedEntry
from bo_saas.bookkeeping.models import (
    Book,
    EntryStatus,
    JournalCounter,
    JournalEntry,
    JournalLine,
    Period,
    PeriodStatus,
)


def entry_number(entry: JournalEntry) -> str | None:
    """How a posted entry is cited: ``JE-<fiscal year>-<number>``, e.g. JE-2026-000042."""
    if entry.number is None:
        return None
    return f"JE-{entry.fiscal_year}-{entry.number:06d}"


async def entry_totals(session: AsyncSession, entry: JournalEntry) -> tuple[int, int, int]:
    """(debits, credits, lines) of the entry as stored."""
    row = (
        await session.execute(
            select(
                func.coalesce(func.sum(JournalLine.debit), 0),
                func.coalesce(func.sum(JournalLine.credit), 0),
                func.count(),
            ).where(JournalLine.tenant_id == entry.tenant_id, JournalLine.entry_id == entry.id)
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


async def require_balanced(session: AsyncSession, entry: JournalEntry) -> int:
    """The entry's total; 422 when its debits and credits differ."""
    debits, credits, count = await entry_totals(session, entry)
    if count == 0 or debits != credits:
        raise UnbalancedEntry(
            f"The entry does not balance: debits {debits}, credits {credits} (minor units)",
            extra={"debit": debits, "credit": credits, "difference": debits - credits},
        )
    return debits


async def _require_open_period(session: AsyncSession, tenant_id: UUID, day: date) -> None:
    await ensure_period(session, tenant_id, month_of(day))
    status = await session.scalar(
        select(Period.status)
        .where(Period.tenant_id == tenant_id, Period.month == month_of(day))
        .with_for_update(read=True)
    )
    if status is PeriodStatus.LOCKED:
        raise LedgerConflict(
            f"The period {day:%Y-%m} is locked: nothing posts into it (date the entry in an open period)",
            extra={"period": f"{day:%Y-%m}"},
        )


async def _next_number(session: AsyncSession, tenant_id: UUID, year: int) -> int:
    """The next number of the fiscal year, under the counter row's lock until the transaction ends."""
    statement = (
        insert(JournalCounter)
        .values(tenant_id=tenant_id, fiscal_year=year, last_number=1)
        .on_conflict_do_update(
            index_elements=["tenant_id", "fiscal_year"], set_={"last_number": JournalCounter.last_number + 1}
        )
        .returning(JournalCounter.last_number)
    )
    return int(await session.scalar(statement))


async def _finalize(session: AsyncSession, book: Book, entry: JournalEntry, now: datetime) -> None:
    await _require_open_period(session, entry.tenant_id, entry.entry_date)
    year = fiscal_year(entry.entry_date, book.fiscal_year_start)
    entry.fiscal_year = year
    entry.number = await _next_number(session, entry.tenant_id, year)
    entry.status = EntryStatus.POSTED
    entry.posted_at = now
    await session.flush()


async def post(session: AsyncSession, book: Book, entry: JournalEntry, now: datetime) -> JournalEntry:
    """Post a draft: at once, or to pending approval when its total is above the book's threshold."""
    require_draft(entry, "posted")
    total = await require_balanced(session, entry)
    if total > book.approval_threshold and entry.source is None:
        await _require_open_period(session, entry.tenant_id, entry.entry_date)  # say so now, not at approval
        entry.status = EntryStatus.PENDING_APPROVAL
        await session.flush()
        return entry
    await _finalize(session, book, entry, now)
    return entry


async def approve(session: AsyncSession, book: Book, entry: JournalEntry, approver_id: UUID, now: datetime) -> None:
    """The second person's approval posts a pending entry (``access.require_approver`` has checked who)."""
    if entry.status is not EntryStatus.PENDING_APPROVAL:
        raise LedgerConflict(f"Journal entry is {entry.status.value}: only an entry pending approval is approved")
    entry.approver_id = approver_id
    await _finalize(session, book, entry, now)


async def reverse(
    session: AsyncSession,
    book: Book,
    entry: JournalEntry,
    *,
    entry_date: date,
    memo: str | None,
    maker_id: UUID | None,
    now: datetime,
) -> JournalEntry:
    """A posted reversal of a posted entry: every line's sides swapped, pointing at the original."""
    if entry.status is not EntryStatus.POSTED:
        raise LedgerConflict(f"Journal entry is {entry.status.value}: only a posted entry is reversed")
    taken = await session.scalar(
        select(JournalEntry.id).where(JournalEntry.tenant_id == entry.tenant_id, JournalEntry.reverses_id == entry.id)
    )
    if taken is not None:
        raise LedgerConflict("The journal entry is reversed already", extra={"reversed_by": str(taken)})
    reversal = JournalEntry(
        id=uuid4(), tenant_id=entry.tenant_id, entry_date=entry_date, status=EntryStatus.DRAFT, maker_id=maker_id,
        memo=memo if memo is not None else f"Reversal of {entry_number(entry)}", reverses_id=entry.id,
    )  # fmt: skip
    session.add(reversal)
    await session.flush()
    for line, _code in (await lines_of(session, entry.tenant_id, [entry.id]))[entry.id]:
        session.add(
            JournalLine(
                tenant_id=entry.tenant_id, entry_id=reversal.id, line_number=line.line_number,
                account_id=line.account_id, debit=line.credit, credit=line.debit,
                description=line.description, currency=line.currency, foreign_amount=line.foreign_amount,
                rate=line.rate,
            )
        )  # fmt: skip
    await session.flush()
    await _finalize(session, book, reversal, now)
    return reversal
