"""What a record schema says, checked once: the same definition for the manifest and for the API.

A schema is a code, a name, whether it is double keyed, how many records go in
one chunk, and its fields. Each field's settings are checked against its type
here (a choice needs choices, a tax id needs a country with a check, min and
max must be values of the type), so a schema that is saved can always be
applied to a value. Definitions are pydantic models on the manifest's base
(unknown keys refused, nothing coerced), so a manifest and a request body are
reported the same way.
"""

from __future__ import annotations

import enum
import re
import re._constants as _regex_constants  # the parser re itself uses: to refuse slow patterns
import re._parser as _regex_parser
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, model_validator

from bo_saas.dataentry.identifiers import identifier_check
from bo_saas.lib import limits
from bo_saas.tenancy.manifest_fields import Count, ManifestModel, OneOf, Text, fail, no_repeats, problem, show

FIELD_NAME = 63
LABEL = 200
HELP = 500
PATTERN = 500
MAX_FIELDS = 200
MAX_CHOICES = 500
MAX_CHUNK_SIZE = 1000
DEFAULT_CHUNK_SIZE = 50
_NAME_SHAPE = re.compile(r"[a-z][a-z0-9_]*")


class FieldType(enum.StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    EMAIL = "email"
    PHONE = "phone"
    IBAN = "iban"
    TAX_ID = "tax_id"
    NATIONAL_ID = "national_id"


RANGED = {FieldType.INTEGER, FieldType.DECIMAL, FieldType.DATE}
# Types whose stored value is free text, where a pattern and a length mean something.
TEXTUAL = {FieldType.TEXT, FieldType.TAX_ID, FieldType.NATIONAL_ID, FieldType.PHONE, FieldType.EMAIL}
COUNTRY_NEEDED = {FieldType.TAX_ID, FieldType.NATIONAL_ID}
COUNTRY_ALLOWED = COUNTRY_NEEDED | {FieldType.PHONE, FieldType.IBAN}


def _field_name(value: str) -> str:
    if not _NAME_SHAPE.fullmatch(value):
        raise problem(f"{show(value)} must be lower-case letters, digits and _ (starting with a letter)")
    return value


def _pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise problem(f"{show(value)} is not a regular expression ({exc})") from None
    # A repetition inside a repetition ("(a+)+") can take exponential time on a value that almost
    # matches; Python's re has no timeout, and these patterns run in the worker on every row.
    if _nested_repeat(_regex_parser.parse(value)):
        raise problem(f"{show(value)} repeats a repetition (like (a+)+), which can take forever to match")
    return value


_REPEATS = {_regex_constants.MAX_REPEAT, _regex_constants.MIN_REPEAT}


def _nested_repeat(items, inside: bool = False) -> bool:
    for op, argument in items:
        if op in _REPEATS:
            low, high, sub = argument
            repeats = high is _regex_constants.MAXREPEAT or high > 1
            if repeats and inside:
                return True
            if _nested_repeat(sub, inside or repeats):
                return True
        elif op is _regex_constants.SUBPATTERN and _nested_repeat(argument[-1], inside):
            return True
        elif op is _regex_constants.BRANCH and any(_nested_repeat(branch, inside) for branch in argument[1]):
            return True
    return False


def range_value(kind: FieldType, value: Any) -> int | Decimal | date:
    """A ``min``/``max`` as a value of the field's type; ``ValueError`` when it is not one."""
    if isinstance(value, bool):
        raise ValueError("is a boolean")
    if kind is FieldType.INTEGER and isinstance(value, int):
        return value
    if kind is FieldType.DECIMAL and isinstance(value, int | float | str):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError("is not a number") from None
        if not number.is_finite():
            raise ValueError("is not a finite number")
        return number
    if kind is FieldType.DATE:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
    raise ValueError(f"must be {'an integer' if kind is FieldType.INTEGER else 'a ' + kind.value}")


class FieldDefinition(ManifestModel):
    name: Annotated[Text(FIELD_NAME), AfterValidator(_field_name)]
    label: Text(LABEL) | None = None  # shown to people; the name when absent
    type: OneOf("a field type", FieldType)
    required: bool = False
    pattern: Annotated[Text(PATTERN), AfterValidator(_pattern)] | None = None  # matched against the whole value
    min: int | float | str | date | None = None
    max: int | float | str | date | None = None
    length: Count(1, 10_000) | None = None  # at most this many characters
    choices: list[Text(LABEL)] | None = None
    country: Annotated[str, AfterValidator(lambda value: value.strip().upper())] | None = None
    unique: bool = False  # no two records of one batch share a value
    help: Annotated[str, AfterValidator(lambda value: value.strip()[:HELP])] = ""

    @property
    def shown_label(self) -> str:
        return self.label or self.name

    @model_validator(mode="after")
    def _settings_fit_the_type(self) -> FieldDefinition:
        kind = FieldType(self.type)
        problems = []
        for bound in ("min", "max"):
            value = getattr(self, bound)
            if value is None:
                continue
            if kind not in RANGED:
                problems.append(((bound,), f"only integer, decimal and date fields have a {bound}"))
                continue
            try:
                range_value(kind, value)
            except ValueError as exc:
                problems.append(((bound,), f"{show(value)} {exc}"))
        if kind in RANGED and self.min is not None and self.max is not None and not problems:
            if range_value(kind, self.min) > range_value(kind, self.max):
                problems.append((("max",), "must not be less than min"))
        if (self.pattern is not None or self.length is not None) and kind not in TEXTUAL:
            where = "pattern" if self.pattern else "length"
            problems.append(((where,), f"a {kind.value} field has no pattern or length"))
        if kind is FieldType.CHOICE:
            if not self.choices:
                problems.append((("choices",), "a choice field needs choices"))
            elif len(self.choices) > MAX_CHOICES:
                problems.append((("choices",), f"at most {MAX_CHOICES} choices"))
            elif len({choice.casefold() for choice in self.choices}) != len(self.choices):
                problems.append((("choices",), "a choice is listed twice"))
        elif self.choices is not None:
            problems.append((("choices",), "only choice fields have choices"))
        if self.country is not None and kind not in COUNTRY_ALLOWED:
            problems.append((("country",), "only phone, iban, tax_id and national_id fields have a country"))
        elif kind in COUNTRY_NEEDED:
            if self.country is None:
                problems.append((("country",), f"a {kind.value} field needs a country (ISO 3166 code, e.g. SA)"))
            elif identifier_check(kind.value, self.country) is None:
                problems.append((("country",), f"there is no {kind.value} check for {show(self.country)}"))
        elif self.country is not None and not re.fullmatch(r"[A-Z]{2}", self.country):
            problems.append((("country",), f"{show(self.country)} is not an ISO 3166 country code"))
        fail(problems, self)
        return self


def _fields_once(fields: list[FieldDefinition]) -> tuple[FieldDefinition, ...]:
    if not fields:
        raise problem("a schema needs at least one field")
    if len(fields) > MAX_FIELDS:
        raise problem(f"at most {MAX_FIELDS} fields")
    no_repeats(fields, lambda field: field.name, "fields", at=("name",))
    # Headers match names and labels alike, so no label may read as another field's name or label.
    no_repeats(fields, lambda field: header_key(field.shown_label), "fields", at=("label",))
    return tuple(fields)


def header_key(text: str) -> str:
    """How a header cell and a field's name or label are compared: case, spaces and _ do not count."""
    return re.sub(r"[\s_]+", "", text).casefold()


class SchemaDefinition(ManifestModel):
    code: Annotated[Text(limits.CODE), AfterValidator(_field_name)]
    name: Text(limits.NAME)
    double_key: bool = False
    chunk_size: Count(1, MAX_CHUNK_SIZE) = DEFAULT_CHUNK_SIZE
    fields: Annotated[list[FieldDefinition], AfterValidator(_fields_once)]

    def stored_fields(self) -> list[dict[str, Any]]:
        """The fields as JSON for the database: defaults left out, dates as ISO strings."""
        return [field.model_dump(mode="json", exclude_defaults=True) for field in self.fields]
