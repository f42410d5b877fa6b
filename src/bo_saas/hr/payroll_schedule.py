"""A tenant's payroll schedule: on a set day of each month its draft payroll run is prepared on its own.

The day is read in the tenant's time zone; a day past the month's end (29 to
31) means the month's last day. The schedule is set through the API
(``/api/v1/hr/payroll-schedule``) or the manifest (``[hr.payroll_schedule]``);
the background tick (``hr.payroll_schedule_tick``) prepares the run. The run it
prepares has no preparer, so any of the tenant's client admins checks it,
as with a run prepared by hand.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.hr.payroll_schedule_models import PayrollSchedule


@dataclass(frozen=True)
class ScheduleView:
    day: int | None
    enabled: bool
    last_period: str | None
    next_date: date | None


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def scheduled_date(year: int, month: int, day: int) -> date:
    """The month's preparation day: ``day``, or the month's last day when the month is shorter."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def due_period(today: date, day: int, last_period: str | None) -> str | None:
    """The period to prepare on ``today`` (the tenant's date), or None: its day has come and it is not done.

    A tick that missed the day (the process was down) prepares the period on a
    later day of the same month; a past month is never prepared late.
    """
    period = period_of(today)
    if last_period == period or today < scheduled_date(today.year, today.month, day):
        return None
    return period


def next_date(today: date, day: int, last_period: str | None) -> date:
    """When the schedule next prepares a run: today's tick if this month's is due, else its day next due."""
    this_month = scheduled_date(today.year, today.month, day)
    if last_period != period_of(today):
        return max(this_month, today)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return scheduled_date(year, month, day)


def view(schedule: PayrollSchedule | None, today: date) -> ScheduleView:
    if schedule is None:
        return ScheduleView(day=None, enabled=False, last_period=None, next_date=None)
    upcoming = next_date(today, schedule.day, schedule.last_period) if schedule.enabled else None
    return ScheduleView(schedule.day, schedule.enabled, schedule.last_period, upcoming)


async def set_schedule(session: AsyncSession, tenant_id: UUID, *, day: int, enabled: bool) -> dict[str, Any]:
    """Make the tenant's schedule ``day``/``enabled``; the changes made ({} when it was so already)."""
    schedule = await session.get(PayrollSchedule, tenant_id, with_for_update=True)
    if schedule is None:
        session.add(PayrollSchedule(tenant_id=tenant_id, day=day, enabled=enabled))
        await session.flush()
        return {"day": day, "enabled": enabled}
    changes: dict[str, Any] = {}
    if schedule.day != day:
        changes["day"] = {"old": schedule.day, "new": day}
        schedule.day = day
    if schedule.enabled != enabled:
        changes["enabled"] = {"old": schedule.enabled, "new": enabled}
        schedule.enabled = enabled
    if changes:
        await session.flush()
    return changes
