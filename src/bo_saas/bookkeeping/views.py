"""The desk's rows as their response bodies: entries with their lines (by account code) and reversal links."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.entries import lines_of, reversals_of
from bo_saas.bookkeeping.models import JournalEntry, LedgerAccount, Period
from bo_saas.bookkeeping.periods import period_name
from bo_saas.bookkeeping.posting import entry_number
from bo_saas.bookkeeping.schemas import AccountOut, EntryOut, LineOut, PeriodOut, TrialBalanceOut, TrialBalanceRowOut
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
