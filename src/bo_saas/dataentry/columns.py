"""Which file column fills which field: the header matched by field name or label, every mismatch at once.

A header cell matches a field when it reads as the field's name or its label
with case, spaces and underscores not counting ("Full name", "full_name" and
"FULLNAME" are one). Columns with an empty header are left unused. What does
not fit (columns no field has, required fields no column fills, two columns
for one field) is refused together in one 422, so the client fixes the file
once.
"""

from __future__ import annotations

from bo_saas.dataentry.definitions import FieldDefinition, header_key
from bo_saas.dataentry.errors import ColumnsDoNotMatch


def match_columns(header: list[str], fields: tuple[FieldDefinition, ...]) -> list[str | None]:
    """Per column, the name of the field it fills (None: unused); 422 listing every mismatch."""
    by_key: dict[str, FieldDefinition] = {}
    for field in fields:
        by_key[header_key(field.name)] = field
        by_key[header_key(field.shown_label)] = field
    columns: list[str | None] = []
    unknown: list[str] = []
    filled: dict[str, str] = {}
    repeated: list[str] = []
    for cell in header:
        cell = cell.strip()
        if not cell:
            columns.append(None)
            continue
        field = by_key.get(header_key(cell))
        if field is None:
            unknown.append(cell)
            columns.append(None)
        elif field.name in filled:
            repeated.append(f"{cell!r} and {filled[field.name]!r} both fill {field.name}")
            columns.append(None)
        else:
            filled[field.name] = cell
            columns.append(field.name)
    missing = [field.shown_label for field in fields if field.required and field.name not in filled]
    if unknown or missing or repeated:
        parts = []
        if unknown:
            parts.append(f"columns the schema does not have: {', '.join(unknown)}")
        if missing:
            parts.append(f"required columns missing: {', '.join(missing)}")
        if repeated:
            parts.append("; ".join(repeated))
        raise ColumnsDoNotMatch(
            "The file's header does not match the schema: " + "; ".join(parts),
            extra={
                "unknown_columns": unknown,
                "missing_columns": missing,
                "repeated_columns": repeated,
                "expected": [{"name": f.name, "label": f.shown_label, "required": f.required} for f in fields],
            },
        )
    return columns
