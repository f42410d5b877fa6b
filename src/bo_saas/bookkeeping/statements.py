"""Financial statements from posted entries: profit and loss for a date range, the balance sheet at a date.

Both are read from the trial balance (one grouped query), so they agree with it
and with each other by construction. Amounts are in the base currency's minor
units and signed the way each section reads: income and liabilities and
equity as credits less debits, expenses and assets as debits less credits.

The books keep no closing entries, so the balance sheet shows the result of
everything posted up to its date (income less expenses) as a line of equity of
its own; with it, assets equal liabilities plus equity to the minor unit
whenever every entry balances, which the database guarantees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.models import AccountType
from bo_saas.bookkeeping.trial_balance import TrialBalanceRow, trial_balance

# Which way each type reads: +1 debits less credits, -1 credits less debits.
_SIGN = {
    AccountType.ASSET: 1,
    AccountType.EXPENSE: 1,
    AccountType.LIABILITY: -1,
    AccountType.EQUITY: -1,
    AccountType.INCOME: -1,
}


@dataclass(frozen=True, slots=True)
class StatementRow:
    account: str
    name: str
    group: str | None
    amount: int


@dataclass(frozen=True, slots=True)
class ProfitAndLoss:
    start: date | None
    end: date | None
    income: list[StatementRow]
    expenses: list[StatementRow]

    @property
    def total_income(self) -> int:
        return sum(row.amount for row in self.income)

    @property
    def total_expenses(self) -> int:
        return sum(row.amount for row in self.expenses)

    @property
    def net_result(self) -> int:
        return self.total_income - self.total_expenses


@dataclass(frozen=True, slots=True)
class BalanceSheet:
    as_of: date | None
    assets: list[StatementRow]
    liabilities: list[StatementRow]
    equity: list[StatementRow]
    result: int  # income less expenses posted up to ``as_of``, not yet closed into equity

    @property
    def total_assets(self) -> int:
        return sum(row.amount for row in self.assets)

    @property
    def total_liabilities(self) -> int:
        return sum(row.amount for row in self.liabilities)

    @property
    def total_equity(self) -> int:
        return sum(row.amount for row in self.equity) + self.result

    @property
    def total_liabilities_and_equity(self) -> int:
        return self.total_liabilities + self.total_equity


def _section(rows: list[TrialBalanceRow], kind: AccountType) -> list[StatementRow]:
    return [
        StatementRow(row.account, row.name, row.group, _SIGN[kind] * row.balance) for row in rows if row.type is kind
    ]


async def profit_and_loss(
    session: AsyncSession, tenant_id: UUID, start: date | None, end: date | None
) -> ProfitAndLoss:
    rows = (await trial_balance(session, tenant_id, start, end)).rows
    return ProfitAndLoss(start, end, _section(rows, AccountType.INCOME), _section(rows, AccountType.EXPENSE))


async def balance_sheet(session: AsyncSession, tenant_id: UUID, as_of: date | None) -> BalanceSheet:
    rows = (await trial_balance(session, tenant_id, None, as_of)).rows
    income, expenses = _section(rows, AccountType.INCOME), _section(rows, AccountType.EXPENSE)
    return BalanceSheet(
        as_of=as_of,
        assets=_section(rows, AccountType.ASSET),
        liabilities=_section(rows, AccountType.LIABILITY),
        equity=_section(rows, AccountType.EQUITY),
        result=sum(row.amount for row in income) - sum(row.amount for row in expenses),
    )
