"""Periods: calendar months of a tenant's books, closed by its keepers and reopened only by a provider admin.

Closing locks the month: the database refuses any posting dated in it
(migration 0016). Reopening is the exception, done by a provider admin with a
reason that the audit trail keeps; entries pending approval in a month stay
pending when it closes, and their approval is refused until it reopens.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.errors import LedgerConflict, PeriodNotFound
from bo_saas.bookkeeping.models import Period, PeriodStatus
from bo_saas.lib.repository import TenantRepository


class Periods(TenantRepository[Period]):
    model = Period
    not_found = PeriodNotFound
    not_found_message = "No such period"


def period_name(period: Period) -> str:
    return f"{period.month:%Y-%m}"


async def close_period(session: AsyncSession, period: Period, by: UUID | None, now: datetime) -> None:
    if period.status is PeriodStatus.LOCKED:
        raise LedgerConflict(f"The period {period_name(period)} is locked already")
    period.status = PeriodStatus.LOCKED
    period.closed_at = now
    period.closed_by = by
    await session.flush()


async def reopen_period(session: AsyncSession, period: Period) -> None:
    if period.status is PeriodStatus.OPEN:
        raise LedgerConflict(f"The period {period_name(period)} is open already")
    period.status = PeriodStatus.OPEN
    period.closed_at = None
    period.closed_by = None
    await session.flush()
