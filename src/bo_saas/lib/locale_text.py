"""Money and dates written for a reader in English or Arabic (Babel, from the Unicode CLDR).

Documents (invoices, payslips, reports) show amounts the way the reader's
locale writes them: "$1,234.50" in English, "‏1,234.50 US$" in Arabic (Babel
adds the right-to-left mark the Arabic pattern needs). Amounts arrive as integer
minor units with their currency; the exponent is the caller's when it keeps one
(billing's ISO 4217 list), else CLDR's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, get_currency_precision

Language = Literal["en", "ar"]


def money(minor: int, currency: str, language: Language, *, exponent: int | None = None) -> str:
    cldr_digits = get_currency_precision(currency)
    digits = cldr_digits if exponent is None else exponent
    amount = Decimal(minor).scaleb(-digits)
    if digits == cldr_digits:
        return format_currency(amount, currency, locale=language)
    # The caller's list and CLDR disagree on the minor unit (IQD: ISO 3, CLDR 0): keep every digit we bill.
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return f"{format_decimal(amount, format=pattern, locale=language)} {currency}"


def figure(value: int | Decimal, language: Language) -> str:
    """A count or a rate as the locale writes numbers (grouping, decimal sign)."""
    return format_decimal(value, locale=language)


def long_date(day: date, language: Language) -> str:
    return format_date(day, "long", locale=language)
