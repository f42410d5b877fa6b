"""Request forms: a service type's fields, and checking a request's payload against them.

A form is a list of fields, the same in the built-in catalog and in a tenant
manifest's custom service types, so the portal can draw any form from it:

    {"name": "location", "label": "Store", "type": "choice", "required": true, "choices": ["north", "south"]}

Types: ``string`` (one line, at most 500 characters), ``text`` (at most 20,000),
``integer``, ``number``, ``boolean``, ``date`` (YYYY-MM-DD), ``email``, ``choice``.
``integer``/``number`` may carry ``min``/``max``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

FIELD_TYPES = ("string", "text", "integer", "number", "boolean", "date", "email", "choice")
FIELD_KEYS = {"name", "label", "type", "required", "choices", "min", "max", "help"}
MAX_FIELDS = 50
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MAX_LENGTH = {"string": 500, "text": 20_000}


class FormError(ValueError):
    """Every problem found, one readable line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def form_problems(fields: Any) -> list[str]:
    """What is wrong with a form definition (empty when it is valid)."""
    if not isinstance(fields, list):
        return ["fields must be a list of field definitions"]
    if len(fields) > MAX_FIELDS:
        return [f"a form has at most {MAX_FIELDS} fields"]
    problems: list[str] = []
    seen: set[str] = set()
    for index, field in enumerate(fields):
        where = f"fields[{index}]"
        if not isinstance(field, dict):
            problems.append(f"{where}: must be a table with name and type")
            continue
        unknown = sorted(set(field) - FIELD_KEYS)
        if unknown:
            problems.append(f"{where}: unknown keys {', '.join(unknown)} (allowed: {', '.join(sorted(FIELD_KEYS))})")
        name = field.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            problems.append(f"{where}.name: must be lower_snake_case, starting with a letter, at most 40 characters")
        elif name in seen:
            problems.append(f"{where}.name: {name!r} is defined twice")
        else:
            seen.add(name)
        kind = field.get("type")
        if kind not in FIELD_TYPES:
            problems.append(f"{where}.type: must be one of {', '.join(FIELD_TYPES)}")
        if not isinstance(field.get("required", False), bool):
            problems.append(f"{where}.required: must be true or false")
        choices = field.get("choices")
        if kind == "choice":
            if not (isinstance(choices, list) and choices and all(isinstance(c, str) and c for c in choices)):
                problems.append(f"{where}.choices: a choice field needs a non-empty list of strings")
            elif len(set(choices)) != len(choices):
                problems.append(f"{where}.choices: lists a choice twice")
        elif choices is not None:
            problems.append(f"{where}.choices: only a choice field has choices")
        for bound in ("min", "max"):
            if bound in field and (kind not in ("integer", "number") or not _is_number(field[bound])):
                problems.append(f"{where}.{bound}: only integer and number fields have a numeric {bound}")
    return problems


def clean_payload(fields: list[dict[str, Any]], payload: Any) -> dict[str, Any]:
    """The payload checked against the form: unknown fields, missing required ones, wrong types all refused."""
    if not isinstance(payload, dict):
        raise FormError(["payload must be an object of field values"])
    problems: list[str] = []
    by_name = {field["name"]: field for field in fields}
    for name in sorted(set(payload) - set(by_name)):
        known = ", ".join(by_name) or "none"
        problems.append(f"payload.{name}: not a field of this service's form (fields: {known})")
    cleaned: dict[str, Any] = {}
    for name, field in by_name.items():
        value = payload.get(name)
        if value is None or value == "":
            if field.get("required"):
                problems.append(f"payload.{name}: {field.get('label') or name} is required")
            continue
        problem = _value_problem(field, value)
        if problem:
            problems.append(f"payload.{name}: {problem}")
        else:
            cleaned[name] = value.strip() if isinstance(value, str) else value
    if problems:
        raise FormError(problems)
    return cleaned


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _value_problem(field: dict[str, Any], value: Any) -> str | None:
    kind = field["type"]
    if kind in ("string", "text", "email", "date", "choice") and not isinstance(value, str):
        return "must be text"
    if kind in _MAX_LENGTH and len(value) > _MAX_LENGTH[kind]:
        return f"must be at most {_MAX_LENGTH[kind]} characters"
    if kind == "string" and "\n" in value:
        return "must be one line"
    if kind == "email" and not _EMAIL.match(value):
        return "must be an email address"
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return "must be a date as YYYY-MM-DD"
    if kind == "choice" and value not in field["choices"]:
        return f"must be one of {', '.join(field['choices'])}"
    if kind == "boolean" and not isinstance(value, bool):
        return "must be true or false"
    if kind == "integer" and not (isinstance(value, int) and not isinstance(value, bool)):
        return "must be a whole number"
    if kind == "number" and not _is_number(value):
        return "must be a number"
    if kind in ("integer", "number"):
        if "min" in field and value < field["min"]:
            return f"must be at least {field['min']}"
        if "max" in field and value > field["max"]:
            return f"must be at most {field['max']}"
    return None
