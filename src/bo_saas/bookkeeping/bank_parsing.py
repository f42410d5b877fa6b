"""What every statement format reads into: lines with a signed amount in minor units and a dedupe key.

A format with the bank's own transaction id (OFX FITID, CAMT AcctSvcrRef or
NtryRef) keys each line by it. Otherwise the key is a hash of the line's
date, amount, reference and description plus its occurrence number within
the file, so two identical bookings on one day stay two lines, and the same
file imported again yields the same keys.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision, list_currencies

from bo_saas.bookkeeping.errors import BadStatement
from bo_saas.bookkeeping.models import DEDUPE_KEY, STATEMENT_REF, STATEMENT_TEXT

MAX_LINES = 50_000


@dataclass(frozen=True)
class ParsedLine:
    booked_on: date
    amount: int  # signed minor units; + is money in
    description: str = ""
    reference: str = ""
    counterparty: str = ""
    bank_id: str = ""  # the bank's own transaction id, when the format carries one


def known_currency(code: str) -> bool:
    return code in list_currencies()


def to_minor(amount: Decimal, currency: str, where: str) -> int:
    """Major units to minor units; more decimals than the currency has is a mistake, not something to round."""
    scaled = amount.scaleb(get_currency_precision(currency))
    if scaled != scaled.to_integral_value():
        raise BadStatement(f"{where}: {amount} has more decimals than {currency} allows")
    if abs(scaled) >= 2**62:
        raise BadStatement(f"{where}: {amount} is too large")
    return int(scaled)


def decimal_of(text: str, where: str, *, decimal_separator: str = ".") -> Decimal:
    """A bank's number as written: spaces, apostrophes and the other separator are thousands marks."""
    thousands = "," if decimal_separator == "." else "."
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("'", "").replace(thousands, "")
    cleaned = cleaned.replace(decimal_separator, ".")
    if cleaned.endswith("-"):  # some banks write the sign last
        cleaned = "-" + cleaned[:-1]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise BadStatement(f"{where}: {text!r} is not an amount") from None
    if not value.is_finite():
        raise BadStatement(f"{where}: {text!r} is not an amount")
    return value


def clip(text: str | None, size: int) -> str:
    """Bank text squeezed to one line and cut to the column's size: a long remittance text is not an error."""
    return " ".join((text or "").split())[:size]


def keyed(lines: list[ParsedLine]) -> list[tuple[ParsedLine, str]]:
    """Each line with its dedupe key (see the module's docstring)."""
    if not lines:
        raise BadStatement("The statement has no bookings")
    if len(lines) > MAX_LINES:
        raise BadStatement(f"The statement has {len(lines):,} bookings; at most {MAX_LINES:,} are read at once")
    seen: Counter[tuple] = Counter()
    result = []
    for line in lines:
        if line.bank_id:
            key = f"id:{line.bank_id}"[:DEDUPE_KEY]
        else:
            identity = (line.booked_on.isoformat(), line.amount, line.reference, line.description)
            seen[identity] += 1
            text = "\x1f".join(map(str, (*identity, seen[identity])))
            key = "hash:" + hashlib.sha256(text.encode()).hexdigest()
        result.append((line, key))
    return result


def text_fields(description: str | None, reference: str | None, counterparty: str | None) -> dict[str, str]:
    return {
        "description": clip(description, STATEMENT_TEXT),
        "reference": clip(reference, STATEMENT_REF),
        "counterparty": clip(counterparty, STATEMENT_REF),
    }
