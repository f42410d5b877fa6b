"""A tenant's business hours in words, English and Arabic, for the acknowledgement a customer gets.

A customer writing at night should learn when a person will read their mail: the weekly hours in the
tenant's own time zone and, when the message arrives outside them, when the team is next at work. The
hours are the tenant's SLA calendar (``BusinessTime``), so what we promise is what the clocks measure;
when the team is back is asked of that calendar too (holidays included) rather than worked out again here.
A tenant without a calendar works round the clock, and then there is nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bo_saas.lib.bidi import isolated_ltr
from bo_saas.lib.business_time import BusinessTime, CalendarError

# Index = date.weekday(), as BusinessTime's weekdays. Babel is not a dependency; seven names do not need it.
_ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ARABIC_DAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")

Periods = tuple[tuple[int, int], ...]


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class HoursNotice:
    """What to tell the customer about the hours, a sentence or two per language; empty when there is nothing."""

    english: str
    arabic: str


def hours_notice(business_time: BusinessTime, now: datetime) -> HoursNotice:
    """The weekly hours, and whether and until when the team is away at ``now`` (an aware instant)."""
    weekly = business_time.weekly_periods()
    if weekly is None or not any(weekly):
        return HoursNotice("", "")  # round the clock, or a calendar with no hours at all: no promise to state
    zone = business_time.timezone
    english = [f"Our hours are {_week_text(weekly, _ENGLISH_DAYS, 'every day', ' and ', '; ', _same)} ({zone} time)."]
    arabic = [
        f"ساعات عملنا: {_week_text(weekly, _ARABIC_DAYS, 'يومياً', ' و', '؛ ', isolated_ltr)} "
        f"(بتوقيت {isolated_ltr(zone)})."
    ]
    back = _next_opening(business_time, now)
    if back is not None:
        local_now, local_back = now.astimezone(ZoneInfo(zone)), back.astimezone(ZoneInfo(zone))
        days_ahead = (local_back.date() - local_now.date()).days
        clock = local_back.strftime("%H:%M")
        english_day, arabic_day = _ENGLISH_DAYS[local_back.weekday()], _ARABIC_DAYS[local_back.weekday()]
        if days_ahead >= 7:  # a weekday name alone would read as this week's
            english_day += f" {local_back.date().isoformat()}"
            arabic_day += f" {isolated_ltr(local_back.date().isoformat())}"
        if days_ahead == 0:
            english.append(f"We are closed now and will be back today at {clock}.")
            arabic.append(f"نحن خارج ساعات العمل الآن وسنعود اليوم الساعة {isolated_ltr(clock)}.")
        else:
            english.append(f"We are closed now and will be back on {english_day} at {clock}.")
            arabic.append(f"نحن خارج ساعات العمل الآن وسنعود يوم {arabic_day} الساعة {isolated_ltr(clock)}.")
    return HoursNotice(" ".join(english), " ".join(arabic))


def _next_opening(business_time: BusinessTime, now: datetime) -> datetime | None:
    """When business time next begins after ``now``; None if it is business time now (or never comes)."""
    if business_time.is_business(now):
        return None
    # add_minutes lands one business minute past the next opening (periods are whole minutes, at least one
    # long), so stepping back that minute gives the opening itself, with holidays and DST as the calendar has them.
    try:
        return business_time.add_minutes(now, 1) - timedelta(minutes=1)
    except CalendarError:  # years of holidays: better to say nothing than to name a day
        return None


def _week_text(
    weekly: tuple[Periods, ...],
    day_names: tuple[str, ...],
    every_day: str,
    and_: str,
    sep: str,
    span: Callable[[str], str],
) -> str:
    """The open days, consecutive days with the same hours grouped: 'Sunday–Thursday 09:00–13:00 and 14:00–18:00'.

    ``span`` wraps each time span (``isolated_ltr`` in Arabic).
    """
    if len(set(weekly)) == 1:
        return f"{every_day} {_periods_text(weekly[0], and_, span)}"
    groups = []
    for first, last, periods in _runs(weekly):
        if periods:
            days = day_names[first] if first == last else f"{day_names[first]}–{day_names[last]}"
            groups.append(f"{days} {_periods_text(periods, and_, span)}")
    return sep.join(groups)


def _runs(weekly: tuple[Periods, ...]) -> list[tuple[int, int, Periods]]:
    """Runs of consecutive weekdays with the same hours, as (first, last, periods), round the week.

    The week is read from the day after the last closed day, so a Sunday–Thursday week reads from Sunday
    and a Monday–Friday one from Monday; with no closed day, from the first day whose hours change.
    """
    closed = [day for day in range(7) if not weekly[day]]
    if closed:
        start = (closed[-1] + 1) % 7
    else:
        start = next(day for day in range(7) if weekly[day] != weekly[day - 1])
    runs: list[tuple[int, int, Periods]] = []
    for offset in range(7):
        day = (start + offset) % 7
        if runs and runs[-1][2] == weekly[day]:
            runs[-1] = (runs[-1][0], day, weekly[day])
        else:
            runs.append((day, day, weekly[day]))
    return runs


def _periods_text(periods: Periods, and_: str, span: Callable[[str], str]) -> str:
    return and_.join(span(f"{_clock(start)}–{_clock(end)}") for start, end in periods)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
