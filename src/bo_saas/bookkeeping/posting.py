"""Posting, approving and reversing: how an entry becomes part of the books, numbered and frozen for good.

An entry whose total is above the book's approval threshold goes to
``pending_approval`` when posted and is posted when a second person approves
it (maker-checker). A posted entry gets the next number of its fiscal year
from the tenant's counter row, under that row's lock: a transaction that rolls
back gives its number back, so numbers have no gaps. A posted entry is only
ever corrected by a reversal, a posted entry pointing at it with every line's
sides swapped. The database holds the same rules (migration 0016); the checks
here answer first, with clearer words. Every posting, approval and reversal is
done by one database function (``bo_journal_post``, migration 0033, through
``posting_rows``): the checks, the number and the update in one round trip.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID, uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from bo_saas.bookkeeping.entries import lines_of, require_draft
from bo_saas.bookkeeping.errors import LedgerConflict, UnbalancedEntry
from bo_saas.bookkeeping.models import Book, EntryStatus, JournalEntry, JournalLine
from bo_saas.bookkeeping.posting_rows import number_text, post_in_database, refuse_unless_pending


def entry_number(entry: JournalEntry) -> str | None:
    """How a posted entry is cited: ``JE-<fiscal year>-<number>``, e.g. JE-2026-000042."""
    return number_text(entry.fiscal_year, entry.number)


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


async def _post_in_database(
    session: AsyncSession, entry: JournalEntry, now: datetime, approver_id: UUID | None
) -> None:
    """``bo_journal_post`` on the ORM's entry, which is then told what the database wrote (no second UPDATE)."""
    await session.flush()  # the entry and its lines as the ORM holds them, before the database posts them
    posted = await post_in_database(session, entry.tenant_id, entry.id, now, approver_id)
    changed = {"status": posted.status, "fiscal_year": posted.fiscal_year, "number": posted.number, "updated_at": now}
    if posted.status is EntryStatus.POSTED:
        changed |= {"posted_at": now, "approver_id": approver_id or entry.approver_id}
    for name, value in changed.items():
        set_committed_value(entry, name, value)


async def post(session: AsyncSession, book: Book, entry: JournalEntry, now: datetime) -> JournalEntry:
    """Post a draft of ``book``: at once, or to pending approval when its total is above the book's threshold
    (the function reads the threshold and fiscal year start from the book's row, under the same transaction)."""
    require_draft(entry, "posted")
    await _post_in_database(session, entry, now, None)
    return entry


async def approve(session: AsyncSession, book: Book, entry: JournalEntry, approver_id: UUID, now: datetime) -> None:
    """The second person's approval posts a pending entry (``access.require_approver`` has checked who)."""
    refuse_unless_pending(entry.status)
    await _post_in_database(session, entry, now, approver_id)


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
    await _post_in_database(session, reversal, now, None)  # a reversal is never held for approval
    return reversal
