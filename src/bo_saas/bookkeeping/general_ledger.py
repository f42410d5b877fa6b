"""The general ledger: each account's posted lines in a date range, with its opening, running and closing balance.

Balances are debits less credits (as the trial balance's), in the base
currency's minor units. The opening balance is everything posted before the
range, read like the trial balance's totals (``period_balances``): the whole
months before the range's first month from the per-month balances, and only
the lines of that first month before the range's start scanned, so history is
never rescanned. Each account's closing balance equals its trial-balance
balance over everything up to the range's end, and the cached openings equal
a full scan of the lines (``use_cache=False``); property tests check both. Two
queries: the openings, grouped, and the range's lines in ledger order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.models import EntryStatus, JournalEntry, JournalLine, LedgerAccount
from bo_saas.bookkeeping.period_balances import posted_totals


@dataclass(frozen=True, slots=True)
class LedgerLine:
    date: date
    entry: str  # JE-YYYY-NNNNNN
    memo: str
    description: str
    debit: int
    credit: int
    balance: int  # running, after this line


@dataclass
class LedgerAccountLines:
    account: str
    name: str
    opening: int
    lines: list[LedgerLine] = field(default_factory=list)

    @property
    def closing(self) -> int:
        return self.lines[-1].balance if self.lines else self.opening


@dataclass(frozen=True, slots=True)
class GeneralLedger:
    start: date | None
    end: date | None
    accounts: list[LedgerAccountLines]


def _posted(tenant_id: UUID, account: str | None):
    statement = (
        select()
        .select_from(JournalLine)
        .join(
            LedgerAccount,
            (LedgerAccount.tenant_id == JournalLine.tenant_id) & (LedgerAccount.id == JournalLine.account_id),
        )
        .join(
            JournalEntry, (JournalEntry.tenant_id == JournalLine.tenant_id) & (JournalEntry.id == JournalLine.entry_id)
        )
        .where(JournalLine.tenant_id == tenant_id, JournalEntry.status == EntryStatus.POSTED)
    )
    return statement if account is None else statement.where(LedgerAccount.code == account)


async def openings(
    session: AsyncSession, tenant_id: UUID, start: date, account: str | None = None, *, use_cache: bool = True
) -> dict[str, tuple[str, int]]:
    """Each account's balance of everything posted before ``start`` (code: (name, balance)), zero ones left out;
    ``use_cache=False`` scans every line instead (the reference the cache is proved against)."""
    if start == date.min:
        return {}  # nothing is posted before the first day there is
    totals = posted_totals(tenant_id, None, start - timedelta(days=1), use_cache=use_cache).subquery()
    statement = (
        select(LedgerAccount.code, LedgerAccount.name, totals.c.debit - totals.c.credit)
        .join(totals, totals.c.account_id == LedgerAccount.id)
        .where(LedgerAccount.tenant_id == tenant_id)
    )
    if account is not None:
        statement = statement.where(LedgerAccount.code == account)
    return {code: (name, int(balance)) for code, name, balance in await session.execute(statement) if balance}


async def general_ledger(
    session: AsyncSession, tenant_id: UUID, start: date | None, end: date | None, account: str | None = None
) -> GeneralLedger:
    """Accounts with an opening balance or a line in the range (one ``account`` code, or all), in code order."""
    accounts: dict[str, LedgerAccountLines] = {}
    if start is not None:
        for code, (name, opening) in (await openings(session, tenant_id, start, account)).items():
            accounts[code] = LedgerAccountLines(code, name, opening)
    lines = _posted(tenant_id, account).add_columns(
        LedgerAccount.code, LedgerAccount.name, JournalEntry.entry_date, JournalEntry.fiscal_year,
        JournalEntry.number, JournalEntry.memo, JournalLine.description, JournalLine.debit, JournalLine.credit,
    )  # fmt: skip
    if start is not None:
        lines = lines.where(JournalEntry.entry_date >= start)
    if end is not None:
        lines = lines.where(JournalEntry.entry_date <= end)
    ordered = lines.order_by(
        LedgerAccount.code, JournalEntry.entry_date, JournalEntry.fiscal_year, JournalEntry.number,
        JournalLine.line_number,
    )  # fmt: skip
    for code, name, day, year, number, memo, description, debit, credit in await session.execute(ordered):
        ledger = accounts.setdefault(code, LedgerAccountLines(code, name, 0))
        balance = ledger.closing + debit - credit
        ledger.lines.append(LedgerLine(day, f"JE-{year}-{number:06d}", memo, description, debit, credit, balance))
    return GeneralLedger(start, end, [accounts[code] for code in sorted(accounts)])
