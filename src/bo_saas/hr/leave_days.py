"""Working days for leave, from the tenant's business calendar (the one SLA clocks run on).

A day is a working day when the calendar has hours on its weekday and it is
not a holiday (the tenant's own holidays and its holiday country's). The
holiday test goes through ``BusinessTime.is_business`` at the start of the day's
first period, so leave and SLA clocks agree on what a holiday is.

A tenant without a calendar runs its SLA clocks round the clock; counting
every weekend day as a leave day would be wrong for nearly everyone, so leave
then counts Monday to Friday.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.business_time import BusinessTime
from bo_saas.tenancy.calendars import business_time_for

MONDAY_TO_FRIDAY = frozenset(range(5))
MAX_SPAN_DAYS = 366


def working_days(calendar: BusinessTime, start: date, end: date) -> list[date]:
    """The working days from ``start`` to ``end``, both included."""
    periods = calendar.weekly_periods()
    zone = ZoneInfo(calendar.timezone)
    days = []
    day = start
    while day <= end:
        if periods is None:
            if day.weekday() in MONDAY_TO_FRIDAY:
                days.append(day)
        elif periods[day.weekday()]:
            first_minute = periods[day.weekday()][0][0]
            opening = datetime.combine(day, time(first_minute // 60, first_minute % 60), zone)
            if calendar.is_business(opening):
                days.append(day)
        day += timedelta(days=1)
    return days


async def tenant_working_days(session: AsyncSession, tenant_id: UUID, start: date, end: date) -> list[date]:
    return working_days(await business_time_for(session, tenant_id), start, end)
