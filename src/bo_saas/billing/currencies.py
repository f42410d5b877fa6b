"""The currencies plans may be priced in, each with its ISO 4217 minor-unit exponent.

Money is stored as integer minor units, so a currency is only usable once we
know how many digits its minor unit has: cents (2), none (JPY, 0) or fils (3).
A short list we can vouch for beats a large table nobody reads; add a currency
here (with its exponent from ISO 4217) when a plan needs it.
"""

from __future__ import annotations

EXPONENTS: dict[str, int] = {
    "AED": 2, "AUD": 2, "BHD": 3, "CAD": 2, "CHF": 2, "CNY": 2, "EGP": 2, "EUR": 2, "GBP": 2, "INR": 2,
    "IQD": 3, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "LYD": 3, "MAD": 2, "OMR": 3, "PKR": 2, "QAR": 2,
    "SAR": 2, "SEK": 2, "SGD": 2, "TND": 3, "TRY": 2, "USD": 2, "ZAR": 2,
}  # fmt: skip


def exponent(currency: str) -> int:
    """Digits of the currency's minor unit; KeyError for a currency plans may not use."""
    return EXPONENTS[currency]


def minor_per_major(currency: str) -> int:
    """How many minor units make one major unit (100 for USD, 1 for JPY, 1000 for KWD)."""
    return 10 ** exponent(currency)


def major_units(minor: int, currency: str) -> str:
    """Minor units written as a decimal string of major units (29900 USD -> "299.00")."""
    digits = exponent(currency)
    if digits == 0:
        return str(minor)
    sign = "-" if minor < 0 else ""
    whole, part = divmod(abs(minor), 10**digits)
    return f"{sign}{whole}.{part:0{digits}d}"
