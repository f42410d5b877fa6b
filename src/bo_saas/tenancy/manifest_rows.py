"""Making a tenant's rows equal a manifest section, row for row, and saying what changed.

Sections that own a set of tenant-owned rows (custom service types, SLA
targets, QA sampling rates) all apply the same way: insert what is new, update
what differs, delete what the file no longer lists, one report phrase per row
and one audit event per kind of change. Each row is handled as a dict of its
columns (``tenant_id`` aside), the same shape whether it came from the file or
the database, so comparing is comparing data: a stored form's JSON key order
never counts as a change, and applying the same file twice writes nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.tenancy.manifest_sections import ApplyContext


def shown(value: Any) -> str:
    """A value in a report line: strings quoted, lists bracketed, nothing as "(none)"."""
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(shown(item) for item in value) + "]"
    if value is None:
        return "(none)"
    return str(value)


def jsonable(value: Any) -> Any:
    """A value as the audit trail's JSON keeps it."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {key: jsonable(item) for key, item in value.items()}
    return value


def change(old: Any, new: Any) -> dict[str, Any]:
    return {"old": jsonable(old), "new": jsonable(new)}


@dataclass(frozen=True)
class RowSet:
    """How one tenant-owned table is compared, reported and audited."""

    name: str  # the key of the rows in audit events and the events' prefix ("sla_targets.created")
    noun: str  # how the report names one row ("sla target")
    model: type[Any]
    stored: Callable[[Any], dict[str, Any]]  # a row's columns, normalised like the manifest's
    label: Callable[[Mapping[str, Any]], str]  # what identifies a row in the report
    show: Callable[[Mapping[str, Any]], str | None]  # a row's values in the report, if short enough
    difference: Callable[[Mapping[str, Any], Mapping[str, Any]], str]


async def stored_rows(session: AsyncSession, rows: RowSet, tenant_id: UUID) -> list[dict[str, Any]]:
    """The tenant's rows, each as ``rows.stored`` gives it."""
    found = await session.scalars(select(rows.model).where(rows.model.tenant_id == tenant_id))
    return [rows.stored(row) for row in found]


async def sync_rows(context: ApplyContext, rows: RowSet, wanted: Sequence[Mapping[str, Any]]) -> list[str]:
    """Make the tenant's rows equal ``wanted``: insert new, update changed, delete unlisted."""
    model = rows.model
    existing = (await context.session.scalars(select(model).where(model.tenant_id == context.tenant_id))).all()
    current = {rows.label(rows.stored(row)): row for row in existing}
    created: dict[str, Any] = {}
    updated: dict[str, Any] = {}
    phrases = []
    for values in wanted:
        label = rows.label(values)
        row = current.pop(label, None)
        if row is None:
            context.session.add(model(tenant_id=context.tenant_id, **values))
            created[label] = values
            values_shown = rows.show(values)
            phrases.append(f"created {rows.noun} {label}" + (f": {values_shown}" if values_shown else ""))
            continue
        old = rows.stored(row)
        if old == values:
            continue
        updated[label] = {column: change(old[column], new) for column, new in values.items() if old[column] != new}
        for column in updated[label]:
            setattr(row, column, values[column])
        phrases.append(f"changed {rows.noun} {label}: {rows.difference(old, values)}")
    removed = {}
    for label, row in sorted(current.items()):
        removed[label] = rows.stored(row)
        await context.session.delete(row)
        phrases.append(f"removed {rows.noun} {label}")
    for kind, rows_changed in (("created", created), ("updated", updated), ("removed", removed)):
        if rows_changed:
            context.record(
                f"{rows.name}.{kind}", rows.name, str(context.tenant_id), {rows.name: jsonable(rows_changed)}
            )
    return phrases
