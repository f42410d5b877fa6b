"""The acknowledgement tells the customer the tenant's hours and, out of hours, when the team is back."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bo_saas.lib.bidi import isolated_ltr as ltr
from bo_saas.lib.business_time import BusinessTime
from bo_saas.support.acknowledgements import acknowledgement_text
from bo_saas.support.models import SupportChannel, SupportContact, Ticket

# Sunday–Thursday with a lunch break, in Riyadh (UTC+3, no DST). 2026-12-06 is a Sunday.
SPLIT_SHIFT = {day: ["09:00-13:00", "14:00-18:00"] for day in ("sun", "mon", "tue", "wed", "thu")}
RIYADH_HOURS_EN = "Our hours are Sunday–Thursday 09:00–13:00 and 14:00–18:00 (Asia/Riyadh time)."
RIYADH_HOURS_AR = f"ساعات عملنا: الأحد–الخميس {ltr('09:00–13:00')} و{ltr('14:00–18:00')} (بتوقيت {ltr('Asia/Riyadh')})."


def _text(business_time: BusinessTime, now: datetime) -> str:
    channel = SupportChannel(from_name="Acme Support", signature="The Acme team")
    return acknowledgement_text(channel, SupportContact(name="Layla"), Ticket(reference="T-000007"), business_time, now)


def _riyadh(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour - 3, minute, tzinfo=UTC)


def test_a_split_shift_week_is_stated_once_in_english_and_arabic_and_nothing_is_closed_in_hours() -> None:
    text = _text(BusinessTime("Asia/Riyadh", SPLIT_SHIFT), _riyadh(2026, 12, 7, 10))  # Monday 10:00

    assert RIYADH_HOURS_EN in text and RIYADH_HOURS_AR in text
    assert "closed" not in text and "خارج ساعات العمل" not in text
    assert "T-000007" in text and text.endswith("The Acme team")


def test_a_message_on_the_weekend_says_the_team_is_back_on_sunday_morning() -> None:
    text = _text(BusinessTime("Asia/Riyadh", SPLIT_SHIFT), _riyadh(2026, 12, 11, 10))  # Friday 10:00

    assert "We are closed now and will be back on Sunday at 09:00." in text
    assert f"نحن خارج ساعات العمل الآن وسنعود يوم الأحد الساعة {ltr('09:00')}." in text
    assert RIYADH_HOURS_EN in text


def test_a_message_in_the_lunch_break_says_the_team_is_back_today_after_it() -> None:
    text = _text(BusinessTime("Asia/Riyadh", SPLIT_SHIFT), _riyadh(2026, 12, 7, 13, 30))

    assert "We are closed now and will be back today at 14:00." in text
    assert f"وسنعود اليوم الساعة {ltr('14:00')}." in text


def test_on_a_holiday_the_team_is_back_on_the_next_working_day_not_today() -> None:
    calendar = BusinessTime("Asia/Riyadh", SPLIT_SHIFT, holidays=frozenset({date(2026, 12, 6)}))

    text = _text(calendar, _riyadh(2026, 12, 6, 10))  # Sunday 10:00, within the weekly hours

    assert "We are closed now and will be back on Monday at 09:00." in text
    assert f"وسنعود يوم الاثنين الساعة {ltr('09:00')}." in text


def test_a_return_a_week_or_more_away_names_the_date_as_well_as_the_day() -> None:
    holiday_week = frozenset(date(2026, 12, day) for day in range(6, 11))  # Sunday to Thursday
    calendar = BusinessTime("Asia/Riyadh", SPLIT_SHIFT, holidays=holiday_week)

    text = _text(calendar, _riyadh(2026, 12, 6, 10))

    assert "will be back on Sunday 2026-12-13 at 09:00." in text
    assert f"يوم الأحد {ltr('2026-12-13')} الساعة {ltr('09:00')}." in text


def test_days_with_different_hours_are_grouped_by_run_and_the_week_reads_from_after_the_weekend() -> None:
    hours = {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"], "thu": ["09:00-12:00"]}
    text = _text(BusinessTime("Europe/London", hours), datetime(2026, 12, 7, 10, tzinfo=UTC))

    assert "Our hours are Monday–Wednesday 09:00–17:00; Thursday 09:00–12:00 (Europe/London time)." in text


def test_the_same_hours_every_day_read_as_every_day() -> None:
    calendar = BusinessTime("UTC", {day: ["08:00-20:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})

    text = _text(calendar, datetime(2026, 12, 7, 10, tzinfo=UTC))

    assert "Our hours are every day 08:00–20:00 (UTC time)." in text
    assert f"ساعات عملنا: يومياً {ltr('08:00–20:00')} (بتوقيت {ltr('UTC')})." in text


def test_a_tenant_working_round_the_clock_is_told_nothing_about_hours() -> None:
    text = _text(BusinessTime("Asia/Riyadh"), _riyadh(2026, 12, 11, 3))  # Friday 03:00

    assert "hours" not in text and "closed" not in text
    assert "ساعات" not in text and "خارج" not in text
    assert "T-000007" in text


def test_latin_spans_in_the_arabic_text_are_isolated_left_to_right() -> None:
    # A time span in a right-to-left paragraph would otherwise show reversed ("18:00–14:00").
    text = _text(BusinessTime("Asia/Riyadh", SPLIT_SHIFT), _riyadh(2026, 12, 7, 10))
    arabic = text.split("\n\n")[2]

    assert arabic.count("\u2066") == arabic.count("\u2069") == 4  # the reference, two spans, the zone
    assert "\u2066T-000007\u2069" in arabic and "\u206614:00–18:00\u2069" in arabic
