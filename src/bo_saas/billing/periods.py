"""Billing periods: calendar months (or years) in the tenant's own time zone, as aware UTC instants.

A tenant in Riyadh is billed for its November from 1 November 00:00 Riyadh
time, which is 31 October 21:00 UTC; usage is summed between such instants.
Proration counts local days, so an upgrade at 23:00 local time is on the day
the tenant saw it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class Period:
    """``[start, end)`` in UTC; ``first_day``..``last_day`` are the local dates it covers."""

    start: datetime
    end: datetime
    first_day: date
    last_day: date

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def label(self) -> str:
        return f"{self.first_day.year:04d}-{self.first_day.month:02d}"


def parse_month(text: str) -> date | None:
    """The first day of a month written YYYY-MM, or None if it is not one."""
    match = _MONTH.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2999:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _instant(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def local_day(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def period_starting(first_day: date, timezone: str, interval: str = "month") -> Period:
    """The period that starts on local ``first_day`` (a month's first day) and runs one ``interval``."""
    after = _add_months(first_day, 12 if interval == "year" else 1)
    return Period(
        _instant(first_day, timezone), _instant(after, timezone), first_day, date.fromordinal(after.toordinal() - 1)
    )


def month_of(moment: datetime, timezone: str) -> Period:
    """The local calendar month ``moment`` falls in."""
    return period_starting(local_day(moment, timezone).replace(day=1), timezone)


def current_period(period_start: datetime, moment: datetime, timezone: str, interval: str) -> Period:
    """The subscription period containing ``moment``, counting whole intervals on from ``period_start``."""
    period = period_starting(local_day(period_start, timezone).replace(day=1), timezone, interval)
    while period.end <= moment:
        period = period_starting(date.fromordinal(period.last_day.toordinal() + 1), timezone, interval)
    return period
