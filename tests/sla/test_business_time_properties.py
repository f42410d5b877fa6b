"""Property tests of SLA business-time arithmetic against a brute-force reference that walks real minutes.

The reference shares nothing with the implementation: it steps through real time one UTC minute at a
time, converts each minute to local time with zoneinfo, and asks directly whether that local date is a
holiday and whether that local time of day lies in one of the weekday's periods. Every boundary in these
tests falls on a whole minute (periods on quarter hours; the zones' offsets and DST changes are whole
minutes), so each minute is wholly business time or wholly not, and counting minutes is exact.

Starts are biased to within a few days of real DST changes, where the interesting mistakes live.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from math import isclose
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bo_saas.lib.business_time import BusinessTime, CalendarError, Pause, clock_due_at, clock_used_minutes

# Modest example counts keep the file well under 30 s on two slow cores; no example database, so a run
# leaves no files in the source tree (a failure still prints its example).
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The reference tests run once per zone, so every zone (DST or not) is exercised on every run.
PER_ZONE_SETTINGS = settings(PROPERTY_SETTINGS, max_examples=30)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTE = timedelta(minutes=1)
MICROSECOND = timedelta(microseconds=1)
DAY_MINUTES = 24 * 60
MAX_SPAN_MINUTES = 10 * DAY_MINUTES


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# UTC instants of each zone's offset changes in 2025-2027, read off tzdata. Lord Howe moves by 30 minutes;
# Santiago changes at local midnight, so some local dates start at 01:00 or have two 23:00s.
DST_CHANGES: dict[str, list[datetime]] = {
    "America/New_York": [
        utc(text)
        for text in ("2025-03-09T07:00", "2025-11-02T06:00", "2026-03-08T07:00", "2026-11-01T06:00", "2027-03-14T07:00")
    ],
    "Europe/London": [
        utc(text)
        for text in ("2025-03-30T01:00", "2025-10-26T01:00", "2026-03-29T01:00", "2026-10-25T01:00", "2027-03-28T01:00")
    ],
    "Australia/Lord_Howe": [
        utc(text)
        for text in ("2025-04-05T15:00", "2025-10-04T15:30", "2026-04-04T15:00", "2026-10-03T15:30", "2027-04-03T15:00")
    ],
    "America/Santiago": [
        utc(text)
        for text in ("2025-04-06T03:00", "2025-09-07T04:00", "2026-04-05T03:00", "2026-09-06T04:00", "2027-04-04T03:00")
    ],
    "UTC": [],
    "Asia/Riyadh": [],
    "Asia/Kolkata": [],
}
ZONES = tuple(DST_CHANGES)
COUNTRIES = (None, None, "US", "GB", "SA")


# --- the reference ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarSpec:
    """A calendar as plain data, from which both the implementation and the reference are built."""

    timezone: str
    weekly_hours: dict[str, list[str]] | None
    holiday_dates: frozenset[date]
    holiday_country: str | None

    def build(self) -> BusinessTime:
        return BusinessTime(
            timezone=self.timezone,
            weekly_hours=self.weekly_hours,
            holidays=self.holiday_dates,
            holiday_country=self.holiday_country,
        )

    def has_hours(self) -> bool:
        return self.weekly_hours is None or any(self.weekly_hours.values())


_reference_country_holidays: dict[str, holidays.HolidayBase] = {}


def _minutes_of_day(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def reference_business_minutes(spec: CalendarSpec, start: datetime, minute_count: int) -> list[bool]:
    """For each real minute from ``start`` (UTC, whole minute), whether it is business time."""
    if spec.weekly_hours is None:
        return [True] * minute_count
    zone = ZoneInfo(spec.timezone)
    periods = {
        day: [(_minutes_of_day(text.split("-")[0]), _minutes_of_day(text.split("-")[1])) for text in texts]
        for day, texts in spec.weekly_hours.items()
    }
    country = None
    if spec.holiday_country is not None:
        country = _reference_country_holidays.setdefault(
            spec.holiday_country, holidays.country_holidays(spec.holiday_country)
        )
    is_holiday: dict[date, bool] = {}  # memo only: the package's look-up is slow per minute
    flags = []
    for index in range(minute_count):
        local = (start + index * MINUTE).astimezone(zone)  # start is in UTC, so this adds real minutes
        local_date = local.date()
        if local_date not in is_holiday:
            is_holiday[local_date] = local_date in spec.holiday_dates or (country is not None and local_date in country)
        minute_of_day = local.hour * 60 + local.minute
        day_periods = periods.get(WEEKDAYS[local.weekday()], [])
        flags.append(not is_holiday[local_date] and any(begin <= minute_of_day < end for begin, end in day_periods))
    return flags


def prefix_counts(flags: Sequence[bool]) -> list[int]:
    """prefix[k] = how many of the first k minutes are counted."""
    return [0, *accumulate(int(flag) for flag in flags)]


def instant_after_nth(flags: Sequence[bool], start: datetime, n: int) -> datetime:
    """The end of the n-th counted minute (n >= 1): the earliest instant by which n minutes have been counted."""
    seen = 0
    for index, flag in enumerate(flags):
        seen += flag
        if seen == n:
            return start + (index + 1) * MINUTE
    raise AssertionError("n is beyond the minutes walked")


# --- strategies ---------------------------------------------------------------------------------------------


def _clock(quarter_hours: int) -> str:
    return f"{quarter_hours // 4:02d}:{quarter_hours % 4 * 15:02d}"  # 96 quarter hours -> "24:00"


@st.composite
def day_periods(draw: st.DrawFn) -> list[str]:
    count = draw(st.integers(0, 3))
    boundaries = sorted(draw(st.sets(st.integers(0, 96), min_size=2 * count, max_size=2 * count)))
    pairs = [[boundaries[index], boundaries[index + 1]] for index in range(0, len(boundaries), 2)]
    for index in range(1, len(pairs)):
        if draw(st.booleans()):
            pairs[index][0] = pairs[index - 1][1]  # touching periods, e.g. 09:00-13:00 + 13:00-17:00
    periods = [f"{_clock(begin)}-{_clock(end)}" for begin, end in pairs]
    return list(draw(st.permutations(periods)))  # given in any order


@st.composite
def calendar_specs(draw: st.DrawFn, zone: str, around: date, span_days: int) -> CalendarSpec:
    if draw(st.sampled_from([False] * 9 + [True])):  # a round-the-clock calendar one time in ten
        return CalendarSpec(zone, None, frozenset(), None)
    open_days = draw(st.sets(st.sampled_from(WEEKDAYS)))
    weekly_hours = {day: draw(day_periods()) for day in sorted(open_days)}
    holiday_offsets = draw(st.sets(st.integers(-2, span_days + 2), max_size=3))
    return CalendarSpec(
        timezone=zone,
        weekly_hours=weekly_hours,
        holiday_dates=frozenset(around + timedelta(days=offset) for offset in holiday_offsets),
        holiday_country=draw(st.sampled_from(COUNTRIES)),
    )


@st.composite
def anchors(draw: st.DrawFn, zone: str) -> datetime:
    """An instant near one of the zone's DST changes, or anywhere in 2025-2027."""
    changes = DST_CHANGES[zone]
    if changes and draw(st.sampled_from([True, True, True, False])):
        return draw(st.sampled_from(changes))
    return utc("2025-01-01T00:00") + draw(st.integers(0, 3 * 365 * DAY_MINUTES)) * MINUTE


@st.composite
def whole_minute_starts(draw: st.DrawFn, zone: str) -> datetime:
    # Mostly a little before the anchor, so that the span that follows crosses it.
    return draw(anchors(zone)) + draw(st.integers(-3 * DAY_MINUTES, DAY_MINUTES)) * MINUTE


@st.composite
def scenarios(draw: st.DrawFn, zone: str) -> tuple[CalendarSpec, datetime, int]:
    start = draw(whole_minute_starts(zone))
    # Whole days drawn separately: hypothesis favours small integers, and long spans are what cross DST changes.
    span_minutes = draw(st.integers(0, MAX_SPAN_MINUTES // DAY_MINUTES - 1)) * DAY_MINUTES
    span_minutes += draw(st.integers(0, DAY_MINUTES))
    spec = draw(calendar_specs(zone, start.date(), span_minutes // DAY_MINUTES + 1))
    return spec, start, span_minutes


# --- properties ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ZONES)
@PER_ZONE_SETTINGS
@given(data=st.data())
def test_arithmetic_matches_minute_by_minute_reference(zone: str, data: st.DataObject) -> None:
    spec, start, span_minutes = data.draw(scenarios(zone), label="scenario")
    calendar = spec.build()
    flags = reference_business_minutes(spec, start, span_minutes)
    prefix = prefix_counts(flags)

    # seconds_between over the whole span and over prefixes of it (which also makes it monotonic in end).
    assert calendar.seconds_between(start, start + span_minutes * MINUTE) == prefix[-1] * 60
    for minutes in data.draw(st.lists(st.integers(0, span_minutes), max_size=6), label="prefix ends"):
        assert calendar.seconds_between(start, start + minutes * MINUTE) == prefix[minutes] * 60
        assert calendar.minutes_between(start, start + minutes * MINUTE) == prefix[minutes]

    # is_business where the reference flips, and on either side of each flip, plus a few random minutes.
    flips = [index for index in range(1, span_minutes) if flags[index] != flags[index - 1]]
    probes = {index + shift for index in flips[:40] for shift in (-1, 0)}
    probes |= set(data.draw(st.lists(st.integers(0, max(span_minutes - 1, 0)), max_size=5), label="probes"))
    for index in sorted(probes):
        if 0 <= index < span_minutes:
            assert calendar.is_business(start + index * MINUTE) == flags[index], index

    # add_minutes is the inverse: the instant right after the m-th business minute.
    assert calendar.add_minutes(start, 0) == start
    if prefix[-1]:
        targets = data.draw(st.lists(st.integers(1, prefix[-1]), min_size=1, max_size=4), label="targets")
        results = []
        for target in sorted(targets):
            due = calendar.add_minutes(start, target)
            assert due == instant_after_nth(flags, start, target)
            assert calendar.seconds_between(start, due) == target * 60
            assert due.tzinfo is UTC
            results.append(due)
        assert results == sorted(results)  # monotonic in the target


@st.composite
def pause_lists(draw: st.DrawFn, start: datetime, span_minutes: int) -> list[Pause]:
    """Closed pauses anywhere around the span (even overlapping, or before the start), maybe one open one last."""
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        begin = start + draw(st.integers(-12 * 60, span_minutes)) * MINUTE
        pauses.append(Pause(begin, begin + draw(st.integers(0, 2 * DAY_MINUTES)) * MINUTE))
    pauses.sort(key=lambda pause: pause.started_at)
    if draw(st.booleans()):
        pauses.append(Pause(start + draw(st.integers(-12 * 60, span_minutes + 12 * 60)) * MINUTE, None))
    return pauses


@pytest.mark.parametrize("zone", ZONES)
@PER_ZONE_SETTINGS
@given(data=st.data())
def test_clock_with_pauses_matches_reference(zone: str, data: st.DataObject) -> None:
    spec, start, span_minutes = data.draw(scenarios(zone), label="scenario")
    calendar = spec.build()
    pauses = data.draw(pause_lists(start, span_minutes), label="pauses")

    def paused(instant: datetime) -> bool:
        return any(
            pause.started_at <= instant and (pause.ended_at is None or instant < pause.ended_at) for pause in pauses
        )

    business = reference_business_minutes(spec, start, span_minutes)
    running = [flag and not paused(start + index * MINUTE) for index, flag in enumerate(business)]
    prefix = prefix_counts(running)

    assert clock_used_minutes(calendar, start, pauses, start + span_minutes * MINUTE) == prefix[-1]
    for minutes in data.draw(st.lists(st.integers(0, span_minutes), max_size=4), label="untils"):
        assert clock_used_minutes(calendar, start, pauses, start + minutes * MINUTE) == prefix[minutes]

    target = data.draw(st.integers(0, prefix[-1]), label="target")
    expected = start if target == 0 else instant_after_nth(running, start, target)
    assert clock_due_at(calendar, start, pauses, target) == expected

    open_pause = pauses[-1] if pauses and pauses[-1].ended_at is None else None
    if open_pause is not None and open_pause.started_at <= start + span_minutes * MINUTE:
        # Every running minute before the open pause was counted, so one more can never be reached.
        assert clock_due_at(calendar, start, pauses, prefix[-1] + 1) is None


@PROPERTY_SETTINGS
@given(data=st.data())
def test_continuous_time_consistency(data: st.DataObject) -> None:
    """Off whole minutes (microsecond instants, fractional targets) the operations agree with each other."""
    zone = data.draw(st.sampled_from(ZONES), label="zone")
    anchor = data.draw(anchors(zone), label="anchor")
    a, b, c = sorted(
        anchor + data.draw(st.integers(-3 * 86_400 * 10**6, 6 * 86_400 * 10**6), label="offset us") * MICROSECOND
        for _ in range(3)
    )
    spec = data.draw(calendar_specs(zone, anchor.date(), 7), label="calendar")
    calendar = spec.build()

    # Additive over adjacent intervals, in exact microseconds.
    assert isclose(
        calendar.seconds_between(a, c), calendar.seconds_between(a, b) + calendar.seconds_between(b, c), abs_tol=1e-6
    )
    # An instant is business time iff the microsecond starting at it counts.
    assert calendar.is_business(b) == (calendar.seconds_between(b, b + MICROSECOND) > 0)

    minutes = data.draw(st.floats(min_value=0, max_value=3 * DAY_MINUTES, allow_nan=False), label="minutes")
    if minutes * 60 * 10**6 >= 0.5 and not spec.has_hours():
        with pytest.raises(CalendarError):
            calendar.add_minutes(a, minutes)
        return
    due = calendar.add_minutes(a, minutes)
    assert due >= a
    assert isclose(calendar.seconds_between(a, due), minutes * 60, abs_tol=1e-6)
    if due > a:
        # The earliest such instant: the microsecond just before it is business time, so stopping
        # earlier would fall short.
        assert calendar.is_business(due - MICROSECOND)
