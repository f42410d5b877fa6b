"""One value against one field: the clean value to store, or the problem to show. The only place values are judged.

Import, keying and an agent's corrections all call ``check_value``, so a value
the server accepts is accepted the same way everywhere. Values arrive as
written in a CSV (text), as read from an XLSX (numbers, dates, booleans) or as
sent in JSON; what comes out is JSON-ready: text, integers, booleans, decimals
as exact strings ("12.50"), dates as "YYYY-MM-DD", phone numbers in E.164,
identifiers in their compact form. Problems are short sentences a client or an
agent can act on ("is not a valid IBAN: the checksum does not match").

Two rules worth knowing: a decimal written with a comma and no point
("12,5", as semicolon-separated files from much of Europe write it) reads the
comma as the decimal point; digits in other scripts (Arabic-Indic "١٢٣") are
read as digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum import iban
from stdnum.exceptions import ValidationError

from bo_saas.dataentry.definitions import FieldDefinition, FieldType, range_value
from bo_saas.dataentry.identifiers import identifier_check

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "t", "نعم", "oui", "ja", "sí", "si"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "f", "لا", "non", "nein"})
MAX_VALUE_CHARS = 10_000  # no cell is stored longer, whatever the field says


@dataclass(frozen=True, slots=True)
class Checked:
    """A field's outcome: ``problem`` is None when ``value`` is the clean value (None for an empty optional)."""

    value: Any
    problem: str | None = None


class _Refused(ValueError):
    pass


def check_value(field: FieldDefinition, raw: Any) -> Checked:
    """Judge ``raw`` against ``field``; the clean value, or the raw value kept with its problem."""
    if _is_empty(raw):
        return Checked(None, "is required" if field.required else None)
    try:
        value = _CLEANERS[FieldType(field.type)](field, raw)
        _check_bounds(field, value)
    except _Refused as refused:
        return Checked(_kept(raw), str(refused))
    return Checked(value)


def check_values(fields: tuple[FieldDefinition, ...], raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Every field of a record: (values, problems by field name). A field missing from ``raw`` is empty."""
    values, problems = {}, {}
    for field in fields:
        checked = check_value(field, raw.get(field.name))
        values[field.name] = checked.value
        if checked.problem is not None:
            problems[field.name] = checked.problem
    return values, problems


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _kept(raw: Any) -> Any:
    """A refused value as stored for the agent to see and correct: JSON-ready, bounded."""
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, bool | int | str):
        return raw[:MAX_VALUE_CHARS] if isinstance(raw, str) else raw
    if isinstance(raw, float) and raw == raw and abs(raw) != float("inf"):
        return raw
    return str(raw)[:MAX_VALUE_CHARS]


def _text_of(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # an XLSX stores 12 typed in a text column as 12.0
    if isinstance(raw, datetime | date):
        raw = raw.isoformat()
    text = unicodedata.normalize("NFC", str(raw)).strip()
    if len(text) > MAX_VALUE_CHARS:
        raise _Refused(f"is longer than {MAX_VALUE_CHARS} characters")
    return text


def _text(field: FieldDefinition, raw: Any) -> str:
    return _text_of(raw)


def _integer(field: FieldDefinition, raw: Any) -> int:
    if isinstance(raw, bool):
        raise _Refused("is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise _Refused(f"{raw} is not a whole number")
    text = _text_of(raw).replace(" ", "")
    if not re.fullmatch(r"[+-]?\d{1,30}", text):  # \d also matches other scripts' digits
        raise _Refused(f"{text!r} is not a whole number")
    return int(text)


def _decimal_number(field: FieldDefinition, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise _Refused("is not a number")
    if isinstance(raw, int | float):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        text = _text_of(raw).replace(" ", "")
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        if not re.fullmatch(r"[+-]?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})", text):
            raise _Refused(f"{text!r} is not a number")
        try:
            number = Decimal(text.translate(_ASCII_DIGITS))
        except InvalidOperation:
            raise _Refused(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise _Refused("is not a finite number")
    return number


def _decimal(field: FieldDefinition, raw: Any) -> str:
    # As written ("12.50" keeps its two places): a decimal's scale is often part of its meaning.
    text = format(_decimal_number(field, raw), "f")
    return text.removeprefix("-") if text.strip("-0.") == "" else text


_ASCII_DIGITS = {ord(c): str(unicodedata.digit(c)) for c in "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"}


def _date(field: FieldDefinition, raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = _text_of(raw).translate(_ASCII_DIGITS)
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise _Refused(f"{text!r} is not a date written YYYY-MM-DD") from None


def _boolean(field: FieldDefinition, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    word = _text_of(raw).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _Refused(f"{word!r} is not yes or no")


def _choice(field: FieldDefinition, raw: Any) -> str:
    text = _text_of(raw)
    for choice in field.choices or ():
        if choice.casefold() == text.casefold():
            return choice
    raise _Refused(f"{text!r} is not one of {', '.join(field.choices or ())}")


def _email(field: FieldDefinition, raw: Any) -> str:
    text = _text_of(raw)
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise _Refused(f"{text!r} is not an email address ({exc})") from None
    return checked.normalized


def _phone(field: FieldDefinition, raw: Any) -> str:
    text = _text_of(raw)
    try:
        number = phonenumbers.parse(text, field.country)
    except phonenumbers.NumberParseException:
        where = f" (or a {field.country} number)" if field.country else ""
        raise _Refused(f"{text!r} is not a phone number: write it with its country code{where}") from None
    if not phonenumbers.is_valid_number(number):
        raise _Refused(f"{text!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _iban(field: FieldDefinition, raw: Any) -> str:
    text = _text_of(raw)
    try:
        number = iban.compact(iban.validate(text))
    except ValidationError as exc:
        raise _Refused(f"{text!r} is not a valid IBAN: {exc}") from None
    if field.country and not number.startswith(field.country):
        raise _Refused(f"{text!r} is not a {field.country} IBAN")
    return number


def _identifier(field: FieldDefinition, raw: Any) -> str:
    text = _text_of(raw).translate(_ASCII_DIGITS)
    check = identifier_check(field.type, field.country or "")
    if check is None:  # refused when the schema was saved; a stored schema always has one
        raise _Refused(f"no {field.type} check for {field.country}")
    try:
        return check.clean(text)
    except ValueError as exc:
        noun = "tax id" if field.type == FieldType.TAX_ID else "national id"
        raise _Refused(f"{text!r} is not a valid {field.country} {noun}: {exc}") from None


_CLEANERS = {
    FieldType.TEXT: _text,
    FieldType.INTEGER: _integer,
    FieldType.DECIMAL: _decimal,
    FieldType.DATE: _date,
    FieldType.BOOLEAN: _boolean,
    FieldType.CHOICE: _choice,
    FieldType.EMAIL: _email,
    FieldType.PHONE: _phone,
    FieldType.IBAN: _iban,
    FieldType.TAX_ID: _identifier,
    FieldType.NATIONAL_ID: _identifier,
}


def _check_bounds(field: FieldDefinition, value: Any) -> None:
    kind = FieldType(field.type)
    if field.min is not None or field.max is not None:
        comparable = {
            FieldType.INTEGER: lambda: value,
            FieldType.DECIMAL: lambda: Decimal(value),
            FieldType.DATE: lambda: date.fromisoformat(value),
        }[kind]()
        if field.min is not None and comparable < range_value(kind, field.min):
            raise _Refused(f"must be at least {field.min}")
        if field.max is not None and comparable > range_value(kind, field.max):
            raise _Refused(f"must be at most {field.max}")
    if isinstance(value, str):
        if field.length is not None and len(value) > field.length:
            raise _Refused(f"must be at most {field.length} characters")
        if field.pattern is not None and not re.fullmatch(field.pattern, value):
            raise _Refused(f"{value!r} does not have the expected form")
