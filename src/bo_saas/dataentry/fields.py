"""One value against one field: the clean value to store, or the problem to show. The only place values are judged.

Import, keying and an agent's corrections all call ``check_value``, so a value
the server accepts is accepted the same way everywhere. Values arrive as
written in a CSV (text), as read from an XLSX (numbers, dates, booleans) or as
sent in JSON; what comes out is JSON-ready: text, integers, booleans, decimals
as exact strings ("12.50"), dates as "YYYY-MM-DD", phone numbers in E.164,
identifiers in their compact form. Problems are short sentences a client or an
agent can act on ("is not a valid IBAN: the checksum does not match").

A schema version's fields are compiled once (``FieldChecks``): each field's
type, bounds, pattern and choices are worked out when the checks are made,
not again for every cell of a 100,000-row file or every save.

Two rules worth knowing: a decimal written with a comma and no point
("12,5", as semicolon-separated files from much of Europe write it) reads the
comma as the decimal point; digits in other scripts (Arabic-Indic "١٢٣") are
read as digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError
from stdnum import iban
from stdnum.exceptions import ValidationError

from bo_saas.dataentry.definitions import FieldDefinition, FieldType, range_value
from bo_saas.dataentry.emails import normalized_email
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


# A field's judge: raw -> (the clean value, None) or (the raw value kept, the problem).
Check = Callable[[Any], tuple[Any, str | None]]


def check_value(field: FieldDefinition, raw: Any) -> Checked:
    """Judge ``raw`` against ``field``; the clean value, or the raw value kept with its problem."""
    return Checked(*field_check(field)(raw))


def check_values(fields: Sequence[FieldDefinition], raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Every field of a record: (values, problems by field name). A field missing from ``raw`` is empty."""
    return FieldChecks(fields).check(raw)


class FieldChecks:
    """A schema version's fields, each compiled to its judge once; judging a record then costs no setup."""

    __slots__ = ("_checks", "fields")

    def __init__(self, fields: Sequence[FieldDefinition]) -> None:
        self.fields = tuple(fields)
        self._checks = tuple((field.name, field_check(field)) for field in self.fields)

    def check(self, raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """(values, problems by field name) of a record's raw values by field name."""
        values, problems = {}, {}
        for name, check in self._checks:
            value, problem = check(raw.get(name))
            values[name] = value
            if problem is not None:
                problems[name] = problem
        return values, problems

    def check_row(self, row: Sequence[Any], columns: Sequence[str | None]) -> tuple[dict[str, Any], dict[str, str]]:
        """The same for a file row: ``columns`` names the field each cell fills (None: unused; a short row's
        missing cells are empty)."""
        return self.check({name: cell for name, cell in zip(columns, row, strict=False) if name is not None})


def field_check(field: FieldDefinition) -> Check:
    """``field``'s judge, with its type, bounds, pattern and choices worked out now rather than per value."""
    kind = FieldType(field.type)
    clean = _CLEANERS[kind](field)
    rules = _rules(field, kind)
    missing = "is required" if field.required else None

    def check(raw: Any) -> tuple[Any, str | None]:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None, missing
        try:
            value = clean(raw)
            for rule in rules:
                rule(value)
        except _Refused as refused:
            return _kept(raw), str(refused)
        return value, None

    return check


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


_WHOLE = re.compile(r"[+-]?\d{1,30}")  # \d also matches other scripts' digits
_NUMBER = re.compile(r"[+-]?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})")


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise _Refused("is not a whole number")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise _Refused(f"{raw} is not a whole number")
    text = _text_of(raw).replace(" ", "")
    if not _WHOLE.fullmatch(text):
        raise _Refused(f"{text!r} is not a whole number")
    return int(text)


def _decimal_number(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise _Refused("is not a number")
    if isinstance(raw, int | float):
        number = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    else:
        text = _text_of(raw).replace(" ", "")
        if "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")
        if not _NUMBER.fullmatch(text):
            raise _Refused(f"{text!r} is not a number")
        try:
            number = Decimal(text.translate(_ASCII_DIGITS))
        except InvalidOperation:
            raise _Refused(f"{text!r} is not a number") from None
    if not number.is_finite():
        raise _Refused("is not a finite number")
    return number


def _decimal(raw: Any) -> str:
    # As written ("12.50" keeps its two places): a decimal's scale is often part of its meaning.
    text = format(_decimal_number(raw), "f")
    return text.removeprefix("-") if text.strip("-0.") == "" else text


_ASCII_DIGITS = {ord(c): str(unicodedata.digit(c)) for c in "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"}


def _date(raw: Any) -> str:
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


def _boolean(raw: Any) -> bool:
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


def _choice(field: FieldDefinition) -> Callable[[Any], str]:
    by_folded: dict[str, str] = {}
    for choice in field.choices or ():
        by_folded.setdefault(choice.casefold(), choice)  # the first listed wins, as a search in order would
    listed = ", ".join(field.choices or ())

    def clean(raw: Any) -> str:
        text = _text_of(raw)
        choice = by_folded.get(text.casefold())
        if choice is None:
            raise _Refused(f"{text!r} is not one of {listed}")
        return choice

    return clean


def _email(raw: Any) -> str:
    text = _text_of(raw)
    try:
        return normalized_email(text)
    except EmailNotValidError as exc:
        raise _Refused(f"{text!r} is not an email address ({exc})") from None


def _phone(field: FieldDefinition) -> Callable[[Any], str]:
    def clean(raw: Any) -> str:
        text = _text_of(raw)
        try:
            number = phonenumbers.parse(text, field.country)
        except phonenumbers.NumberParseException:
            where = f" (or a {field.country} number)" if field.country else ""
            raise _Refused(f"{text!r} is not a phone number: write it with its country code{where}") from None
        if not phonenumbers.is_valid_number(number):
            raise _Refused(f"{text!r} is not a valid phone number")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    return clean


def _iban(field: FieldDefinition) -> Callable[[Any], str]:
    def clean(raw: Any) -> str:
        text = _text_of(raw)
        try:
            number = iban.compact(iban.validate(text))
        except ValidationError as exc:
            raise _Refused(f"{text!r} is not a valid IBAN: {exc}") from None
        if field.country and not number.startswith(field.country):
            raise _Refused(f"{text!r} is not a {field.country} IBAN")
        return number

    return clean


def _identifier(field: FieldDefinition) -> Callable[[Any], str]:
    check = identifier_check(field.type, field.country or "")
    noun = "tax id" if field.type == FieldType.TAX_ID else "national id"

    def clean(raw: Any) -> str:
        text = _text_of(raw).translate(_ASCII_DIGITS)
        if check is None:  # refused when the schema was saved; a stored schema always has one
            raise _Refused(f"no {field.type} check for {field.country}")
        try:
            return check.clean(text)
        except ValueError as exc:
            raise _Refused(f"{text!r} is not a valid {field.country} {noun}: {exc}") from None

    return clean


def _plain(clean: Callable[[Any], Any]) -> Callable[[FieldDefinition], Callable[[Any], Any]]:
    return lambda field: clean


# Per type, what makes the field's cleaner: raw -> the clean value, or _Refused with the problem.
_CLEANERS: dict[FieldType, Callable[[FieldDefinition], Callable[[Any], Any]]] = {
    FieldType.TEXT: _plain(_text_of),
    FieldType.INTEGER: _plain(_integer),
    FieldType.DECIMAL: _plain(_decimal),
    FieldType.DATE: _plain(_date),
    FieldType.BOOLEAN: _plain(_boolean),
    FieldType.CHOICE: _choice,
    FieldType.EMAIL: _plain(_email),
    FieldType.PHONE: _phone,
    FieldType.IBAN: _iban,
    FieldType.TAX_ID: _identifier,
    FieldType.NATIONAL_ID: _identifier,
}
_COMPARABLE = {FieldType.INTEGER: lambda value: value, FieldType.DECIMAL: Decimal, FieldType.DATE: date.fromisoformat}


def _rules(field: FieldDefinition, kind: FieldType) -> tuple[Callable[[Any], None], ...]:
    """The field's further rules on a clean value, in order: its bounds, then its length, then its pattern."""
    rules = []
    if field.min is not None or field.max is not None:
        comparable = _COMPARABLE[kind]
        low = range_value(kind, field.min) if field.min is not None else None
        high = range_value(kind, field.max) if field.max is not None else None

        def bounds(value: Any) -> None:
            number = comparable(value)
            if low is not None and number < low:
                raise _Refused(f"must be at least {field.min}")
            if high is not None and number > high:
                raise _Refused(f"must be at most {field.max}")

        rules.append(bounds)
    if field.length is not None:
        most = field.length

        def length(value: Any) -> None:
            if isinstance(value, str) and len(value) > most:
                raise _Refused(f"must be at most {most} characters")

        rules.append(length)
    if field.pattern is not None:
        pattern = re.compile(field.pattern)

        def form(value: Any) -> None:
            if isinstance(value, str) and not pattern.fullmatch(value):
                raise _Refused(f"{value!r} does not have the expected form")

        rules.append(form)
    return tuple(rules)
