"""The trial balance: each account's posted debits and credits between two dates, and their totals.

Only posted entries count (a draft or an entry waiting for approval is not in
the books). ``balance`` is debits minus credits, so assets and expenses read
positive when they are in their normal state; the two totals are equal
whenever the books are sound, which the database guarantees entry by entry.
One aggregate query, grouped by account, whatever the number of entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.models import AccountType, EntryStatus, JournalEntry, JournalLine, LedgerAccount


@dataclass(frozen=True, slots=True)
class TrialBalanceRow:
    account: str
    name: str
    debit: int
    credit: int
    balance: int
    type: AccountType  # what the statements sort accounts by
    group: str | None


@dataclass(frozen=True, slots=True)
class TrialBalance:
    start: date | None
    end: date | None
    rows: list[TrialBalanceRow]
    total_debit: int
    total_credit: int


async def trial_balance(session: AsyncSession, tenant_id: UUID, start: date | None, end: date | None) -> TrialBalance:
    """Accounts with any posted line between ``start`` and ``end`` (inclusive; None: unbounded), in code order."""
    debit = func.sum(JournalLine.debit)
    credit = func.sum(JournalLine.credit)
    statement = (
        select(LedgerAccount.code, LedgerAccount.name, LedgerAccount.type, LedgerAccount.group, debit, credit)
        .join(
            JournalLine,
            (JournalLine.tenant_id == LedgerAccount.tenant_id) & (JournalLine.account_id == LedgerAccount.id),
        )
        .join(
            JournalEntry,
            (JournalEntry.tenant_id == JournalLine.tenant_id) & (JournalEntry.id == JournalLine.entry_id),
        )
        .where(LedgerAccount.tenant_id == tenant_id, JournalEntry.status == EntryStatus.POSTED)
        .group_by(LedgerAccount.code, LedgerAccount.name, LedgerAccount.type, LedgerAccount.group)
        .order_by(LedgerAccount.code)
    )
    if start is not None:
        statement = statement.where(JournalEntry.entry_date >= start)
    if end is not None:
        statement = statement.where(JournalEntry.entry_date <= end)
    rows = [
        TrialBalanceRow(code, name, int(debits), int(credits), int(debits) - int(credits), kind, group)
        for code, name, kind, group, debits, credits in (await session.execute(statement)).all()
    ]
    return TrialBalance(
        start=start,
        end=end,
        rows=rows,
        total_debit=sum(row.debit for row in rows),
        total_credit=sum(row.credit for row in rows),
    )
