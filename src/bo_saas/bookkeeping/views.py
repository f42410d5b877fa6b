"""The desk's rows and reports as their response bodies: entries with their lines and reversal links, statements."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.entries import lines_of, reversals_of
from bo_saas.bookkeeping.general_ledger import GeneralLedger
from bo_saas.bookkeeping.models import JournalEntry, LedgerAccount, Period
from bo_saas.bookkeeping.periods import period_name
from bo_saas.bookkeeping.posting import entry_number
from bo_saas.bookkeeping.schemas import (
    AccountOut,
    BalanceSheetOut,
    EntryOut,
    GeneralLedgerOut,
    LedgerAccountOut,
    LedgerLineOut,
    LineOut,
    PeriodOut,
    ProfitAndLossOut,
    StatementRowOut,
    TrialBalanceOut,
    TrialBalanceRowOut,
)
from bo_saas.bookkeeping.statements import BalanceSheet, ProfitAndLoss, StatementRow
from bo_saas.bookkeeping.trial_balance import TrialBalance


def account_out(account: LedgerAccount) -> AccountOut:
    return AccountOut(
        id=account.id, code=account.code, name=account.name, type=account.type.value, group=account.group,
        status=account.status.value,
    )  # fmt: skip


def period_out(period: Period) -> PeriodOut:
    return PeriodOut(id=period.id, month=period_name(period), status=period.status.value)


def _rate(rate: Decimal | None) -> str | None:
    return None if rate is None else format(rate.normalize(), "f")


async def entries_out(session: AsyncSession, entries: Sequence[JournalEntry]) -> list[EntryOut]:
    """The entries' bodies, their lines and reversals read in two queries per tenant (lists are one tenant's)."""
    out = []
    by_tenant: dict = {}
    for entry in entries:
        by_tenant.setdefault(entry.tenant_id, []).append(entry.id)
    lines, reversals = {}, {}
    for tenant_id, ids in by_tenant.items():
        lines |= await lines_of(session, tenant_id, ids)
        reversals |= await reversals_of(session, tenant_id, ids)
    for entry in entries:
        out.append(
            EntryOut(
                id=entry.id,
                number=entry_number(entry),
                date=entry.entry_date,
                memo=entry.memo,
                status=entry.status.value,
                lines=[
                    LineOut(
                        account=code,
                        debit=line.debit,
                        credit=line.credit,
                        description=line.description,
                        currency=line.currency,
                        foreign_amount=line.foreign_amount,
                        rate=_rate(line.rate),
                    )
                    for line, code in lines.get(entry.id, [])
                ],  # fmt: skip
                reverses=entry.reverses_id,
                reversed_by=reversals.get(entry.id),
            )
        )
    return out


async def entry_out(session: AsyncSession, entry: JournalEntry) -> EntryOut:
    return (await entries_out(session, [entry]))[0]


def trial_balance_out(report: TrialBalance) -> TrialBalanceOut:
    return TrialBalanceOut(
        start=report.start,
        end=report.end,
        rows=[TrialBalanceRowOut(r.account, r.name, r.debit, r.credit, r.balance) for r in report.rows],
        total_debit=report.total_debit,
        total_credit=report.total_credit,
    )


def _rows_out(rows: list[StatementRow]) -> list[StatementRowOut]:
    return [StatementRowOut(row.account, row.name, row.group, row.amount) for row in rows]


def profit_and_loss_out(report: ProfitAndLoss) -> ProfitAndLossOut:
    return ProfitAndLossOut(
        start=report.start, end=report.end, income=_rows_out(report.income), expenses=_rows_out(report.expenses),
        total_income=report.total_income, total_expenses=report.total_expenses, net_result=report.net_result,
    )  # fmt: skip


def balance_sheet_out(report: BalanceSheet) -> BalanceSheetOut:
    return BalanceSheetOut(
        as_of=report.as_of, assets=_rows_out(report.assets), liabilities=_rows_out(report.liabilities),
        equity=_rows_out(report.equity), result=report.result, total_assets=report.total_assets,
        total_liabilities=report.total_liabilities, total_equity=report.total_equity,
        total_liabilities_and_equity=report.total_liabilities_and_equity,
    )  # fmt: skip


def general_ledger_out(report: GeneralLedger) -> GeneralLedgerOut:
    return GeneralLedgerOut(
        start=report.start,
        end=report.end,
        accounts=[
            LedgerAccountOut(
                account=account.account,
                name=account.name,
                opening=account.opening,
                closing=account.closing,
                lines=[
                    LedgerLineOut(
                        line.date, line.entry, line.memo, line.description, line.debit, line.credit, line.balance
                    )
                    for line in account.lines
                ],
            )  # fmt: skip
            for account in report.accounts
        ],
    )
