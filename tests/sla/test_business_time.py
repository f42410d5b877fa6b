"""Worked examples of SLA business-time arithmetic, each with the sum spelled out so a reader can check it.

These pin down the meaning of the calendar (split shifts, holidays, DST gaps and overlaps, "24:00", 24x7,
pauses) in cases a person can verify by hand; the property tests cover the rest against a brute-force
reference.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bo_saas.lib.business_time import (
    BusinessTime,
    CalendarError,
    Pause,
    clock_due_at,
    clock_used_minutes,
)

RIYADH = ZoneInfo("Asia/Riyadh")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
SANTIAGO = ZoneInfo("America/Santiago")

SPLIT_SHIFT = ["09:00-13:00", "14:00-18:00"]


def riyadh_calendar(**extra: object) -> BusinessTime:
    """Sun-Thu 09:00-13:00 + 14:00-18:00 in Riyadh (UTC+3 all year), the design document's example tenant."""
    return BusinessTime(
        timezone="Asia/Riyadh",
        weekly_hours={day: SPLIT_SHIFT for day in ("sun", "mon", "tue", "wed", "thu")},
        **extra,
    )


def riyadh(*args: int) -> datetime:
    return datetime(*args, tzinfo=RIYADH)


# --- split shifts, weekends, holidays ------------------------------------------------------------------


def test_thursday_evening_item_is_due_sunday_morning() -> None:
    # Thu 2026-01-15 17:30 + 60 min: 30 min until 18:00 Thu; Fri and Sat are closed;
    # the other 30 min run 09:00-09:30 Sun 2026-01-18.
    due = riyadh_calendar().add_minutes(riyadh(2026, 1, 15, 17, 30), 60)
    assert due == riyadh(2026, 1, 18, 9, 30)


def test_result_is_utc() -> None:
    due = riyadh_calendar().add_minutes(riyadh(2026, 1, 15, 17, 30), 60)
    assert due.tzinfo is UTC
    # 09:30 in Riyadh (UTC+3) is 06:30 UTC.
    assert (due.hour, due.minute) == (6, 30)


def test_lunch_break_is_skipped() -> None:
    # Mon 2026-01-12 12:30 + 60 min: 30 min until 13:00, lunch 13:00-14:00 does not count, 30 min to 14:30.
    calendar = riyadh_calendar()
    assert calendar.add_minutes(riyadh(2026, 1, 12, 12, 30), 60) == riyadh(2026, 1, 12, 14, 30)
    # And the other way round: 12:30 to 14:30 holds 60 business minutes, not 120.
    assert calendar.minutes_between(riyadh(2026, 1, 12, 12, 30), riyadh(2026, 1, 12, 14, 30)) == 60


def test_target_reached_at_closing_time_is_due_at_closing_time() -> None:
    # Thu 17:00 + 60 min = Thu 18:00 exactly: the earliest instant with 60 minutes used, not Sunday 09:00.
    assert riyadh_calendar().add_minutes(riyadh(2026, 1, 15, 17, 0), 60) == riyadh(2026, 1, 15, 18, 0)


def test_start_outside_hours_begins_counting_at_next_opening() -> None:
    # Fri 2026-01-16 10:00 (weekend) + 30 min: nothing counts until Sun 09:00, so due Sun 09:30.
    assert riyadh_calendar().add_minutes(riyadh(2026, 1, 16, 10, 0), 30) == riyadh(2026, 1, 18, 9, 30)


def test_zero_minutes_is_the_start_itself_even_outside_hours() -> None:
    friday_night = riyadh(2026, 1, 16, 23, 0)
    assert riyadh_calendar().add_minutes(friday_night, 0) == friday_night


def test_whole_business_week_is_forty_hours() -> None:
    # Sun 2026-01-11 00:00 to Sun 2026-01-18 00:00: 5 days x (4 h + 4 h) = 40 h = 2400 min.
    assert riyadh_calendar().minutes_between(riyadh(2026, 1, 11), riyadh(2026, 1, 18)) == 2400


def test_explicit_holiday_is_skipped() -> None:
    # Tue 2026-12-01 17:00 + 120 min: 60 min until 18:00 Tue; Wed 2026-12-02 is a holiday;
    # the other 60 min run 09:00-10:00 Thu 2026-12-03.
    calendar = riyadh_calendar(holidays=frozenset({date(2026, 12, 2)}))
    assert calendar.add_minutes(riyadh(2026, 12, 1, 17, 0), 120) == riyadh(2026, 12, 3, 10, 0)
    assert not calendar.is_business(riyadh(2026, 12, 2, 10, 0))


def test_country_holiday_is_skipped() -> None:
    # Saudi National Day, Wed 2026-09-23, comes from the holidays package for "SA".
    # Tue 2026-09-22 17:00 + 120 min: 60 min Tue, Wed skipped, 60 min Thu 09:00-10:00.
    calendar = riyadh_calendar(holiday_country="SA")
    assert calendar.add_minutes(riyadh(2026, 9, 22, 17, 0), 120) == riyadh(2026, 9, 24, 10, 0)
    # Without the country the same item is due Wed 10:00.
    assert riyadh_calendar().add_minutes(riyadh(2026, 9, 22, 17, 0), 120) == riyadh(2026, 9, 23, 10, 0)


def test_is_business_examples() -> None:
    calendar = riyadh_calendar()
    assert calendar.is_business(riyadh(2026, 1, 12, 9, 0))  # opening instant is inside [09:00, 13:00)
    assert not calendar.is_business(riyadh(2026, 1, 12, 13, 0))  # closing instant is outside
    assert not calendar.is_business(riyadh(2026, 1, 12, 13, 30))  # lunch
    assert not calendar.is_business(riyadh(2026, 1, 16, 10, 0))  # Friday
    # The same instant given in another zone: 06:00 UTC is 09:00 in Riyadh.
    assert calendar.is_business(datetime(2026, 1, 12, 6, 0, tzinfo=UTC))


def test_time_is_continuous_to_the_microsecond() -> None:
    calendar = riyadh_calendar()
    # 12:59:59.999500 to 14:00:00.000250: 500 us before lunch + 250 us after it.
    start = riyadh(2026, 1, 12, 12, 59, 59, 999_500)
    end = riyadh(2026, 1, 12, 14, 0, 0, 250)
    assert calendar.seconds_between(start, end) == pytest.approx(0.00075, abs=1e-9)
    # 1.5 minutes from 12:59 = 60 s before lunch + 30 s after: 14:00:30.
    assert calendar.add_minutes(riyadh(2026, 1, 12, 12, 59), 1.5) == riyadh(2026, 1, 12, 14, 0, 30)


def test_end_before_start_counts_nothing() -> None:
    calendar = riyadh_calendar()
    assert calendar.seconds_between(riyadh(2026, 1, 12, 12), riyadh(2026, 1, 12, 10)) == 0


# --- daylight saving time ------------------------------------------------------------------------------


def test_spring_forward_gap_has_no_instants() -> None:
    # New York, Sun 2026-03-08: clocks jump from 02:00 EST to 03:00 EDT. A 01:00-04:00 period holds only
    # 01:00-02:00 EST and 03:00-04:00 EDT: 2 real hours, not 3.
    calendar = BusinessTime("America/New_York", {"sun": ["01:00-04:00"]})
    assert calendar.minutes_between(datetime(2026, 3, 8, tzinfo=NEW_YORK), datetime(2026, 3, 9, tzinfo=NEW_YORK)) == 120
    # 01:00 EST (06:00 UTC) + 90 min: 60 min to the jump (07:00 UTC = 03:00 EDT), 30 more: 03:30 EDT = 07:30 UTC.
    due = calendar.add_minutes(datetime(2026, 3, 8, 1, 0, tzinfo=NEW_YORK), 90)
    assert due == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert due.astimezone(NEW_YORK).hour == 3


def test_fall_back_overlap_counts_the_repeated_hour_twice() -> None:
    # New York, Sun 2026-11-01: clocks go back from 02:00 EDT to 01:00 EST, so 01:00-02:00 happens twice.
    # A 00:00-03:00 period runs from 00:00 EDT (04:00 UTC) to 03:00 EST (08:00 UTC): 4 real hours.
    calendar = BusinessTime("America/New_York", {"sun": ["00:00-03:00"]})
    day_start, next_day = datetime(2026, 11, 1, tzinfo=NEW_YORK), datetime(2026, 11, 2, tzinfo=NEW_YORK)
    assert calendar.minutes_between(day_start, next_day) == 240
    # 00:00 EDT + 150 min = 06:30 UTC, which is the second 01:30 of the night (EST).
    due = calendar.add_minutes(day_start, 150)
    assert due == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert due.astimezone(NEW_YORK).utcoffset() == timedelta(hours=-5)
    # Both real 01:30s are business time.
    assert calendar.is_business(datetime(2026, 11, 1, 5, 30, tzinfo=UTC))  # 01:30 EDT
    assert calendar.is_business(datetime(2026, 11, 1, 6, 30, tzinfo=UTC))  # 01:30 EST


def test_period_inside_the_repeated_hour_counts_both_occurrences() -> None:
    # 01:15-01:45 on the fall-back night happens once in EDT and once in EST: 2 x 30 min.
    calendar = BusinessTime("America/New_York", {"sun": ["01:15-01:45"]})
    assert (
        calendar.minutes_between(datetime(2026, 11, 1, tzinfo=NEW_YORK), datetime(2026, 11, 2, tzinfo=NEW_YORK)) == 60
    )


def test_half_hour_dst_in_lord_howe() -> None:
    # Lord Howe Island goes back 30 minutes: Sun 2026-04-05 02:00 (+11:00) becomes 01:30 (+10:30).
    # A 00:00-03:00 period therefore holds 3 h + 30 min.
    calendar = BusinessTime("Australia/Lord_Howe", {"sun": ["00:00-03:00"]})
    start, end = datetime(2026, 4, 5, tzinfo=LORD_HOWE), datetime(2026, 4, 6, tzinfo=LORD_HOWE)
    assert calendar.minutes_between(start, end) == 210


def test_santiago_midnight_that_never_happens() -> None:
    # Santiago, Sun 2026-09-06: local time jumps from 00:00 (-04:00) to 01:00 (-03:00), so the day starts
    # at 01:00. A 00:00-02:00 period holds only 01:00-02:00: 60 minutes.
    calendar = BusinessTime("America/Santiago", {"sun": ["00:00-02:00"]})
    start, end = datetime(2026, 9, 5, 12, tzinfo=SANTIAGO), datetime(2026, 9, 7, tzinfo=SANTIAGO)
    assert calendar.minutes_between(start, end) == 60


def test_dst_change_does_not_shift_ordinary_office_hours() -> None:
    # Mon-Fri 09:00-17:00 in New York across the spring change: Fri 2026-03-06 16:00 + 120 min is
    # 60 min Fri, then Mon 2026-03-09 09:00-10:00 local (now EDT), i.e. 14:00 UTC rather than 15:00.
    weekdays = {day: ["09:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    calendar = BusinessTime("America/New_York", weekdays)
    due = calendar.add_minutes(datetime(2026, 3, 6, 16, tzinfo=NEW_YORK), 120)
    assert due == datetime(2026, 3, 9, 10, tzinfo=NEW_YORK)
    assert due == datetime(2026, 3, 9, 14, tzinfo=UTC)


# --- "24:00" and round the clock -----------------------------------------------------------------------


def test_period_may_end_at_2400() -> None:
    # Sat 20:00-24:00 and Sun 00:00-02:00 form one overnight shift.
    # Sat 2026-01-17 23:00 + 120 min: 60 min to midnight, 60 min Sunday: Sun 01:00.
    calendar = BusinessTime("Asia/Riyadh", {"sat": ["20:00-24:00"], "sun": ["00:00-02:00"]})
    assert calendar.add_minutes(riyadh(2026, 1, 17, 23, 0), 120) == riyadh(2026, 1, 18, 1, 0)
    assert calendar.is_business(riyadh(2026, 1, 17, 23, 59, 59, 999_999))


def test_round_the_clock_is_real_time() -> None:
    calendar = BusinessTime.round_the_clock()
    start = datetime(2026, 3, 8, 1, 0, tzinfo=NEW_YORK)
    # 24x7: 90 business minutes are 90 real minutes, whatever the zones and DST. (Adding the timedelta in
    # UTC matters: Python adds it to an aware New York datetime as wall-clock time, landing in the gap.)
    assert calendar.add_minutes(start, 90) == start.astimezone(UTC) + timedelta(minutes=90)
    # Two local days from 01:00 on the spring-forward Sunday are only 47 real hours: 2820 minutes.
    assert calendar.minutes_between(start, start + timedelta(days=2)) == 47 * 60
    assert calendar.is_business(datetime(2026, 1, 16, 3, tzinfo=RIYADH))


def test_round_the_clock_refuses_holidays() -> None:
    # weekly_hours=None means 24x7 with no holidays at all; giving holidays is a mistake, not ignored.
    with pytest.raises(CalendarError, match="round-the-clock"):
        BusinessTime("UTC", None, holidays=frozenset({date(2026, 12, 25)}))
    with pytest.raises(CalendarError, match="round-the-clock"):
        BusinessTime("UTC", None, holiday_country="GB")


def test_seven_full_days_with_a_holiday() -> None:
    # For 24x7 with holidays, give every day as 00:00-24:00: 2026-12-25 (UTC) then holds no business time.
    every_day = {day: ["00:00-24:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    calendar = BusinessTime("UTC", every_day, holidays=frozenset({date(2026, 12, 25)}))
    # 24 Dec 12:00 + 24 h: 12 h on the 24th, the 25th skipped, 12 h on the 26th: 26 Dec 12:00.
    start = datetime(2026, 12, 24, 12, tzinfo=UTC)
    assert calendar.add_minutes(start, 24 * 60) == datetime(2026, 12, 26, 12, tzinfo=UTC)


# --- pauses ---------------------------------------------------------------------------------------------


def test_pause_spanning_a_weekend() -> None:
    # Started Wed 2026-01-14 16:00, paused Thu 10:00 until Sun 2026-01-18 11:00, target 480 min (8 h).
    # Running: Wed 16:00-18:00 = 120, Thu 09:00-10:00 = 60 (180 so far); paused through the weekend and
    # Sun 09:00-11:00; then Sun 11:00-13:00 = 120 (300), 14:00-17:00 = 180 (480): due Sun 17:00.
    calendar = riyadh_calendar()
    pauses = [Pause(riyadh(2026, 1, 15, 10, 0), riyadh(2026, 1, 18, 11, 0))]
    started = riyadh(2026, 1, 14, 16, 0)
    assert clock_due_at(calendar, started, pauses, 480) == riyadh(2026, 1, 18, 17, 0)
    # Used by Sun 12:00: 180 before the pause + Sun 11:00-12:00 = 240.
    assert clock_used_minutes(calendar, started, pauses, riyadh(2026, 1, 18, 12, 0)) == 240


def test_open_pause_means_no_due_time() -> None:
    # Same clock, paused Thu 10:00 and not resumed: 180 min used, so a 480 min target has no due time yet.
    calendar = riyadh_calendar()
    started = riyadh(2026, 1, 14, 16, 0)
    pauses = [Pause(riyadh(2026, 1, 15, 10, 0), None)]
    assert clock_due_at(calendar, started, pauses, 480) is None
    assert clock_used_minutes(calendar, started, pauses, riyadh(2026, 1, 25, 12, 0)) == 180
    # A 120 min target was reached before the pause: Wed 18:00.
    assert clock_due_at(calendar, started, pauses, 120) == riyadh(2026, 1, 14, 18, 0)
    # A 180 min target is reached exactly as the pause begins: Thu 10:00.
    assert clock_due_at(calendar, started, pauses, 180) == riyadh(2026, 1, 15, 10, 0)


def test_closed_then_open_pause() -> None:
    # Started Mon 2026-01-12 09:00; paused 10:00-11:00; open pause from 12:00.
    # Running: 09:00-10:00 (60) + 11:00-12:00 (60) = 120, then stopped.
    calendar = riyadh_calendar()
    pauses = [Pause(riyadh(2026, 1, 12, 10), riyadh(2026, 1, 12, 11)), Pause(riyadh(2026, 1, 12, 12), None)]
    started = riyadh(2026, 1, 12, 9)
    assert clock_due_at(calendar, started, pauses, 90) == riyadh(2026, 1, 12, 11, 30)
    assert clock_due_at(calendar, started, pauses, 121) is None
    assert clock_used_minutes(calendar, started, pauses, riyadh(2026, 1, 13, 9)) == 120


def test_pause_outside_business_hours_changes_nothing() -> None:
    # A pause over Friday (closed anyway) leaves the due time where it was.
    calendar = riyadh_calendar()
    started = riyadh(2026, 1, 15, 17, 30)
    friday = [Pause(riyadh(2026, 1, 16, 8), riyadh(2026, 1, 16, 20))]
    assert clock_due_at(calendar, started, friday, 60) == clock_due_at(calendar, started, [], 60)


def test_pause_before_start_is_clipped() -> None:
    # Paused from Sun 08:00 to Mon 10:00, clock started Mon 09:00: only 09:00-10:00 Mon is paused.
    # Mon 2026-01-12 09:00 + 60 running minutes = 11:00.
    calendar = riyadh_calendar()
    pauses = [Pause(riyadh(2026, 1, 11, 8), riyadh(2026, 1, 12, 10))]
    assert clock_due_at(calendar, riyadh(2026, 1, 12, 9), pauses, 60) == riyadh(2026, 1, 12, 11)
    assert clock_used_minutes(calendar, riyadh(2026, 1, 12, 9), pauses, riyadh(2026, 1, 12, 12)) == 120


def test_zero_target_is_due_at_start() -> None:
    started = riyadh(2026, 1, 16, 10)
    assert clock_due_at(riyadh_calendar(), started, [Pause(started, None)], 0) == started


def test_pause_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Pause(riyadh(2026, 1, 12, 10), riyadh(2026, 1, 12, 9))


# --- bad definitions and inputs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekly_hours", "message"),
    [
        ({"mon": ["09:00-13:00", "12:00-18:00"]}, r"'09:00-13:00' and '12:00-18:00' overlap"),
        ({"mon": ["9-17"]}, r"not in the form 'HH:MM-HH:MM'"),
        ({"mon": ["09:00 to 17:00"]}, r"not in the form 'HH:MM-HH:MM'"),
        ({"mon": "09:00-17:00"}, r"must be a list"),
        ({"monday": ["09:00-17:00"]}, r"unknown weekday 'monday'.*mon, tue, wed, thu, fri, sat, sun"),
        ({"mon": ["17:00-09:00"]}, r"ends before it starts.*cannot cross midnight"),
        ({"mon": ["09:00-09:00"]}, r"empty"),
        ({"mon": ["09:00-24:30"]}, r"impossible time"),
        ({"mon": ["24:00-24:00"]}, r"impossible time"),
        ({"mon": ["09:60-10:00"]}, r"impossible time"),
        ({"mon": [900]}, r"not in the form"),
    ],
)
def test_bad_weekly_hours_are_rejected_with_a_reason(weekly_hours: dict, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        BusinessTime("Asia/Riyadh", weekly_hours)


def test_unsorted_periods_are_fine() -> None:
    calendar = BusinessTime("Asia/Riyadh", {"mon": ["14:00-18:00", "09:00-13:00"]})
    assert calendar.minutes_between(riyadh(2026, 1, 12), riyadh(2026, 1, 13)) == 480


def test_calendar_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        BusinessTime("Asia/Riyadh", {"mon": ["bad"]})


def test_unknown_country_is_rejected() -> None:
    with pytest.raises(CalendarError, match=r"unknown holiday country 'XX'.*'SA'"):
        riyadh_calendar(holiday_country="XX")


def test_unknown_time_zone_is_rejected() -> None:
    with pytest.raises(CalendarError, match=r"unknown time zone 'Mars/Olympus_Mons'"):
        BusinessTime("Mars/Olympus_Mons", {"mon": ["09:00-17:00"]})


def test_holiday_must_be_a_date_not_a_datetime() -> None:
    with pytest.raises(CalendarError, match="local dates"):
        riyadh_calendar(holidays=frozenset({datetime(2026, 12, 2, tzinfo=UTC)}))


def test_naive_datetimes_are_rejected() -> None:
    calendar = riyadh_calendar()
    naive = datetime(2026, 1, 12, 10, 0)
    aware = riyadh(2026, 1, 12, 10, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.is_business(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.seconds_between(naive, aware)
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.add_minutes(naive, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        Pause(naive, None)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock_used_minutes(calendar, naive, [], aware)


def test_negative_or_non_finite_minutes_are_rejected() -> None:
    calendar = riyadh_calendar()
    with pytest.raises(ValueError, match="negative"):
        calendar.add_minutes(riyadh(2026, 1, 12, 10), -1)
    with pytest.raises(ValueError, match="finite"):
        calendar.add_minutes(riyadh(2026, 1, 12, 10), float("inf"))


def test_calendar_without_hours_cannot_reach_a_target() -> None:
    calendar = BusinessTime("Asia/Riyadh", {})
    assert calendar.minutes_between(riyadh(2026, 1, 1), riyadh(2027, 1, 1)) == 0
    with pytest.raises(CalendarError, match="no business hours"):
        calendar.add_minutes(riyadh(2026, 1, 12, 10), 1)
    with pytest.raises(CalendarError):
        clock_due_at(calendar, riyadh(2026, 1, 12, 10), [], 1)


def test_calendar_whose_only_day_is_always_a_holiday_gives_up() -> None:
    # Open only on Mondays, and every Monday of the next 4 years is a holiday: no business time within
    # the 3-year horizon, so add_minutes raises instead of walking forever.
    first_monday = date(2026, 1, 12)
    mondays = frozenset(first_monday + timedelta(weeks=week) for week in range(4 * 53))
    calendar = BusinessTime("Asia/Riyadh", {"mon": ["09:00-17:00"]}, holidays=mondays)
    with pytest.raises(CalendarError, match="no business time"):
        calendar.add_minutes(riyadh(2026, 1, 11, 10), 1)


# --- value semantics and cost ---------------------------------------------------------------------------


def test_calendars_are_values() -> None:
    hours = {"mon": ["09:00-17:00"]}
    first = BusinessTime("Asia/Riyadh", hours, holidays=frozenset({date(2026, 12, 2)}))
    second = BusinessTime("Asia/Riyadh", {"mon": ("09:00-17:00",)}, holidays=frozenset({date(2026, 12, 2)}))
    assert first == second
    assert hash(first) == hash(second)
    # The calendar keeps its own copy: editing the caller's dict afterwards changes nothing.
    hours["mon"].append("18:00-19:00")
    assert first.minutes_between(riyadh(2026, 1, 12), riyadh(2026, 1, 13)) == 480


def test_long_targets_walk_by_day_not_by_minute() -> None:
    # 10 days of clock (14,400 min) on Mon-Fri 09:00-17:00 with US holidays is six calendar weeks.
    # Generous bound: ~0.1 ms per call is expected, 5 ms per call would mean minute stepping crept in.
    weekdays = {day: ["09:00-17:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    calendar = BusinessTime("America/New_York", weekdays, holiday_country="US")
    start = datetime(2026, 6, 1, 10, tzinfo=NEW_YORK)
    # 30 working days from Mon 1 June 10:00, skipping Juneteenth (19 June) and 3 July (4 July observed).
    assert calendar.add_minutes(start, 14_400) == datetime(2026, 7, 15, 10, tzinfo=NEW_YORK)
    began = time.perf_counter()
    for _ in range(100):
        calendar.add_minutes(start, 14_400)
    assert (time.perf_counter() - began) / 100 < 0.005
