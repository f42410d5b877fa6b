"""Each record schema version's rules, compiled once per process: a saved version never changes.

A change to a schema is a new version with a new id (``record_schemas``), so a
version's fields are the same for as long as it exists, and what a save or an
import needs from them (the compiled ``FieldChecks``, ``double_key``, the
chunk size) can be kept. Saves read it here instead of loading and parsing the
definition every time.

Kept by ``(tenant_id, schema id)``, and only ever filled from a row the caller's
transaction could read under its tenant's policy: a caller finds a version
here only by the key of a record or batch it can see, so the cache shows no
tenant anything RLS would hide. Bounded, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from bo_saas.dataentry.definitions import FieldDefinition
from bo_saas.dataentry.fields import FieldChecks
from bo_saas.dataentry.models import RecordSchema

VERSIONS_KEPT = 512
_READ = "SELECT double_key, chunk_size, fields FROM data_entry_schemas WHERE tenant_id = $1 AND id = $2"


@dataclass(frozen=True, slots=True)
class CompiledSchema:
    tenant_id: UUID
    id: UUID
    double_key: bool
    chunk_size: int
    checks: FieldChecks


_kept: OrderedDict[tuple[UUID, UUID], CompiledSchema] = OrderedDict()
_lock = threading.Lock()  # the import judges rows on a worker thread


def compiled(schema: RecordSchema) -> CompiledSchema:
    """The compiled form of a version loaded through the ORM."""
    return _found((schema.tenant_id, schema.id)) or _keep(
        schema.tenant_id, schema.id, schema.double_key, schema.chunk_size, schema.fields
    )


async def compiled_by_id(connection: asyncpg.Connection, tenant_id: UUID, schema_id: UUID) -> CompiledSchema | None:
    """The compiled version ``schema_id`` of ``tenant_id``, read (under the transaction's scope) when not kept."""
    kept = _found((tenant_id, schema_id))
    if kept is not None:
        return kept
    row = await connection.fetchrow(_READ, tenant_id, schema_id)
    if row is None:
        return None
    return _keep(tenant_id, schema_id, row["double_key"], row["chunk_size"], row["fields"])


def forget_all() -> None:
    """Empty the cache (tests)."""
    with _lock:
        _kept.clear()


def _found(key: tuple[UUID, UUID]) -> CompiledSchema | None:
    with _lock:
        schema = _kept.get(key)
        if schema is not None:
            _kept.move_to_end(key)
        return schema


def _keep(
    tenant_id: UUID, schema_id: UUID, double_key: bool, chunk_size: int, fields: list[dict[str, Any]]
) -> CompiledSchema:
    # Stored versions were checked when saved: each field only needs reading back.
    checks = FieldChecks([FieldDefinition.model_validate(field) for field in fields])
    schema = CompiledSchema(tenant_id, schema_id, double_key, chunk_size, checks)
    with _lock:
        _kept[(tenant_id, schema_id)] = schema
        while len(_kept) > VERSIONS_KEPT:
            _kept.popitem(last=False)
    return schema
