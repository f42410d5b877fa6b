"""Writing an exported manifest as TOML, laid out the way people write them by hand.

Sections export plain values; this decides the layout. Top-level values come
first (TOML needs them before any table), then each table in section order: a
table as ``[name]``, a list of tables as ``[[name]]`` entries (a blank line
before each, except inside another ``[[...]]`` entry, where they read as one
block), lists of values and tables inside a table on one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import tomli_w

HEADER = "# Exported by `bo-saas tenants export`; passwords are never exported."
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def render(parts: Iterable[Mapping[str, Any]]) -> str:
    """One manifest from the sections' exported keys, in section order."""
    parts = list(parts)
    lines = [HEADER]
    for part in parts:
        lines += [_line(key, value) for key, value in part.items() if not _is_table(value) and value is not None]
    for part in parts:
        for key, value in part.items():
            if isinstance(value, Mapping):
                lines += ["", f"[{key}]", *_body(key, value, in_entry=False)]
            elif _is_table(value):
                for entry in value:
                    lines += ["", f"[[{key}]]", *_body(key, entry, in_entry=True)]
    return "\n".join(lines) + "\n"


def _is_table(value: Any) -> bool:
    """A table at its own header: a table at the top level, or a non-empty list of tables."""
    return isinstance(value, Mapping) or (
        isinstance(value, list) and bool(value) and all(isinstance(item, Mapping) for item in value)
    )


def _body(path: str, table: Mapping[str, Any], *, in_entry: bool) -> list[str]:
    lists_of_tables = {key: value for key, value in table.items() if isinstance(value, list) and _is_table(value)}
    lines = [_line(key, value) for key, value in table.items() if key not in lists_of_tables and value is not None]
    for key, entries in lists_of_tables.items():
        for entry in entries:
            lines += [*([] if in_entry else [""]), f"[[{path}.{key}]]", *_body(f"{path}.{key}", entry, in_entry=True)]
    return lines


def _value(value: Any) -> str:
    # The layout (one-line lists and inline tables) is ours; tomli-w knows TOML's escaping rules and
    # number formats for the single values.
    if isinstance(value, Mapping):
        pairs = (f"{key if _BARE_KEY.match(key) else _value(key)} = {_value(v)}" for key, v in value.items())
        return "{ " + ", ".join(pairs) + " }"
    if isinstance(value, (list, tuple)):
        return f"[{', '.join(_value(item) for item in value)}]"
    return tomli_w.dumps({"v": value}).removeprefix("v = ").rstrip("\n")


def _line(key: str, value: Any) -> str:
    return f"{key} = {_value(value)}"
