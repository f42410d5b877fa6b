"""The trial balance: each account's posted debits and credits between two dates, and their totals.

Only posted entries count (a draft or an entry waiting for approval is not in
the books). ``balance`` is debits minus credits, so assets and expenses read
positive when they are in their normal state; the two totals are equal
whenever the books are sound, which the database guarantees entry by entry.
Totals come from the per-month balances (``period_balances``): whole months
from the cache, only the partial months at the range's edges from the lines,
so a report never rescans history. ``use_cache=False`` scans every line, the
reference a test proves the cache against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.models import AccountType, LedgerAccount
from bo_saas.bookkeeping.period_balances import posted_totals


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


async def trial_balance(
    session: AsyncSession, tenant_id: UUID, start: date | None, end: date | None, *, use_cache: bool = True
) -> TrialBalance:
    """Accounts with any posted line between ``start`` and ``end`` (inclusive; None: unbounded), in code order."""
    totals = posted_totals(tenant_id, start, end, use_cache=use_cache).subquery()
    statement = (
        select(LedgerAccount.code, LedgerAccount.name, LedgerAccount.type, LedgerAccount.group, totals.c.debit,
               totals.c.credit)
        .join(totals, totals.c.account_id == LedgerAccount.id)
        .where(LedgerAccount.tenant_id == tenant_id)
        .order_by(LedgerAccount.code)
    )  # fmt: skip
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
