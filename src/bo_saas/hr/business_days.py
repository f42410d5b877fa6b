"""Business days on a tenant's calendar: a day is one when it has opening hours and is not a holiday.

A checklist task is due "3 business days after the start date" (or before it,
for a negative count): the count skips the days the tenant's calendar keeps
closed (weekends as its weekly hours say, its own holidays and its country's
public holidays). A tenant without a calendar works every day.

Only ``BusinessTime``'s public questions are asked: whether the first instant
of one of the day's opening periods is business time, which is false exactly on
a holiday.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bo_saas.lib.business_time import BusinessTime

# More than any count a checklist may ask for: a calendar with no open day ends the walk, not the process.
MAX_WALK_DAYS = 3 * 366


def is_business_day(calendar: BusinessTime, day: date) -> bool:
    weekly = calendar.weekly_periods()
    if weekly is None:
        return True  # round the clock: every day, no holidays
    periods = weekly[day.weekday()]
    if not periods:
        return False
    start_minute = periods[0][0]
    local = datetime.combine(day, time(0), tzinfo=ZoneInfo(calendar.timezone)) + timedelta(minutes=start_minute)
    return calendar.is_business(local)


def add_business_days(calendar: BusinessTime, start: date, days: int) -> date:
    """The day ``days`` business days after ``start`` (before it when negative); 0 is ``start`` itself.

    Raises ValueError when the calendar has no business day within three years (a calendar with no hours).
    """
    step = 1 if days >= 0 else -1
    left = abs(days)
    day = start
    walked = 0
    while left:
        day += timedelta(days=step)
        walked += 1
        if walked > MAX_WALK_DAYS:
            raise ValueError("the tenant's calendar has no business day to count on")
        if is_business_day(calendar, day):
            left -= 1
    return day
