"""The vocabulary every domain's manifest section is written in: pydantic types that speak the manifest's words.

pydantic does the validating; these pieces only make its answers read like a
review comment ("must be from 0 to 100 percent, not 101") and keep the rules
the sections share in one place: a base model that refuses unknown keys and
never coerces ("15" is not 15 in a reviewed file), text that may not be blank,
a value from a fixed list, a bounded count, and "listed twice".

A validator that finds several problems at once raises them together with
``fail``, each with its own location, so one pass reports all of them.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

T = TypeVar("T")
Location = tuple[str | int, ...]

# The error type of every reason written here; the reader shows its ``reason`` as it is.
PROBLEM = "manifest_problem"


class ManifestModel(BaseModel):
    """A table of a manifest: unknown keys are mistakes, values are taken as written, never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def show(value: Any) -> str:
    """A value as it would be written in the manifest, for messages."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, default=str)


NOUNS = {str: "a string", int: "an integer", float: "a number", bool: "a boolean", date: "a date"}


def kind_of(value: Any) -> str:
    """What a value is, in TOML's words ("an integer"), for "must be X, not Y"."""
    if isinstance(value, bool):  # before int: a bool is an int to Python
        return "a boolean"
    for python_type, noun in NOUNS.items():
        if isinstance(value, python_type):
            return noun
    return {list: "a list", dict: "a table"}.get(type(value), "a date or time")


def problem(reason: str) -> PydanticCustomError:
    """A reason pydantic reports at the value being validated; raise it from a validator."""
    return PydanticCustomError(PROBLEM, "{reason}", {"reason": reason})


def fail(problems: Iterable[tuple[Location, str]], value: Any = None) -> None:
    """Raise every (location below the value, reason) at once; pydantic prefixes where the value is."""
    details = [InitErrorDetails(type=problem(reason), loc=loc, input=value) for loc, reason in problems]
    if details:
        raise ValidationError.from_exception_data("manifest", details)


def _text(max_length: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip()
        if not value:
            raise problem("must not be empty")
        if len(value) > max_length:
            raise problem(f"must be at most {max_length} characters")
        return value

    return check


def Text(max_length: int) -> Any:  # noqa: N802 - used as a type
    """A string, stripped, not blank, at most ``max_length`` characters."""
    return Annotated[str, AfterValidator(_text(max_length))]


def OneOf(noun: str, choices: Sequence[str] | type[enum.Enum]) -> Any:  # noqa: N802 - used as a type
    """A string from ``choices`` (an enum's values give its member); ``noun`` names what it is ("a priority")."""
    values = [member.value for member in choices] if isinstance(choices, type) else list(choices)

    def check(value: str) -> Any:
        if value not in values:
            raise problem(f"{show(value)} is not {noun} (one of {', '.join(values)})")
        return choices(value) if isinstance(choices, type) else value

    return Annotated[str, AfterValidator(check)]


def Count(low: int, high: int, unit: str = "") -> Any:  # noqa: N802 - used as a type
    """An integer from ``low`` to ``high``; ``unit`` follows the bound in the message (" percent")."""

    def check(value: int) -> int:
        if not low <= value <= high:
            raise problem(f"must be from {low} to {high}{unit}, not {value}")
        return value

    return Annotated[int, AfterValidator(check)]


def _local_date(value: Any) -> date:
    # TOML writes a date bare (2026-12-02); people also quote it. Either is one local day.
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise problem(f'{show(value)} is not a date written YYYY-MM-DD (e.g. "2026-12-02")')


LocalDate = Annotated[date, BeforeValidator(_local_date)]


def no_repeats(
    items: Sequence[T],
    key: Callable[[T], Hashable | None],
    where: str,
    *,
    at: Location = (),
    label: Callable[[Any], str] = show,
) -> None:
    """Fail every item whose key an earlier item already has: "<key> is already listed as <where>[i]".

    ``at`` is the location inside the item to blame (``("email",)``); a None key is not compared.
    """
    seen: dict[Hashable, int] = {}
    problems = []
    for index, item in enumerate(items):
        value = key(item)
        if value is None:
            continue
        if value in seen:
            problems.append(((index, *at), f"{label(value)} is already listed as {where}[{seen[value]}]"))
        else:
            seen[value] = index
    fail(problems, items)
