"""Money and dates written for English and Arabic readers, from integer minor units."""

from __future__ import annotations

from datetime import date

from bo_saas.lib.locale_text import long_date, money


def test_minor_units_become_the_currencys_major_units_in_each_language() -> None:
    assert money(123450, "USD", "en") == "$1,234.50"
    assert "1,234.50" in money(123450, "USD", "ar") and "US$" in money(123450, "USD", "ar")


def test_currencies_with_three_or_no_minor_digits_keep_every_digit() -> None:
    assert money(1234567, "KWD", "en") == "KWD1,234.567"
    assert money(5000, "JPY", "en") == "¥5,000"


def test_a_minor_unit_the_caller_knows_better_than_cldr_is_respected() -> None:
    # ISO 4217 gives the Iraqi dinar three digits; CLDR shows none. Billing's list is the one we bill by.
    assert money(12345, "IQD", "en", exponent=3) == "12.345 IQD"


def test_dates_are_written_in_the_readers_language() -> None:
    assert long_date(date(2026, 11, 30), "en") == "November 30, 2026"
    assert "نوفمبر" in long_date(date(2026, 11, 30), "ar")
