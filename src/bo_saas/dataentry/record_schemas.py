"""Record schemas: a tenant's versions, the current one per code, and saving a change as a new version.

A batch pins the version it was made with, so a schema is never changed in
place: saving a definition that differs from the current version adds the next
version; saving the same definition again changes nothing. The manifest and
the API both save through ``save_schema``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.definitions import FieldDefinition, SchemaDefinition
from bo_saas.dataentry.errors import InvalidSchema, SchemaConflict, SchemaNotFound
from bo_saas.dataentry.models import RecordSchema
from bo_saas.lib.repository import TenantRepository


class RecordSchemas(TenantRepository[RecordSchema]):
    model = RecordSchema
    not_found = SchemaNotFound
    not_found_message = "No such record schema"


def definition_of(schema: RecordSchema) -> SchemaDefinition:
    """A stored version as its definition (stored versions were checked when saved)."""
    return SchemaDefinition(
        code=schema.code,
        name=schema.name,
        double_key=schema.double_key,
        chunk_size=schema.chunk_size,
        fields=[FieldDefinition.model_validate(field) for field in schema.fields],
    )


def parse_definition(data: dict[str, Any]) -> SchemaDefinition:
    """A request body as a definition; 422 listing every problem with its path ("fields[2].country")."""
    try:
        return SchemaDefinition.model_validate(data)
    except ValidationError as exc:
        problems = [{"path": _path(error["loc"]), "problem": error["msg"]} for error in exc.errors()]
        raise InvalidSchema("The record schema has problems", extra={"problems": problems}) from None


def _path(location: tuple[Any, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _same(schema: RecordSchema, definition: SchemaDefinition) -> bool:
    return (
        schema.name == definition.name
        and schema.double_key == definition.double_key
        and schema.chunk_size == definition.chunk_size
        and schema.fields == definition.stored_fields()
    )


def current_versions():
    """Each code's newest version: what lists show and new batches use."""
    newest = (
        select(RecordSchema.tenant_id, RecordSchema.code, func.max(RecordSchema.version).label("version"))
        .group_by(RecordSchema.tenant_id, RecordSchema.code)
        .subquery()
    )
    return select(RecordSchema).join(
        newest,
        (RecordSchema.tenant_id == newest.c.tenant_id)
        & (RecordSchema.code == newest.c.code)
        & (RecordSchema.version == newest.c.version),
    )


async def current_schema(session: AsyncSession, tenant_id: UUID, code: str) -> RecordSchema | None:
    return await session.scalar(
        select(RecordSchema)
        .where(RecordSchema.tenant_id == tenant_id, RecordSchema.code == code)
        .order_by(RecordSchema.version.desc())
        .limit(1)
    )


async def save_schema(
    session: AsyncSession, tenant_id: UUID, definition: SchemaDefinition, *, by: UUID | None
) -> tuple[RecordSchema, bool]:
    """The version matching ``definition``: the current one if equal, else a new one; (version, made)."""
    current = await current_schema(session, tenant_id, definition.code)
    if current is not None and _same(current, definition):
        return current, False
    schema = RecordSchema(
        id=uuid4(),
        tenant_id=tenant_id,
        code=definition.code,
        version=(current.version + 1) if current else 1,
        name=definition.name,
        double_key=definition.double_key,
        chunk_size=definition.chunk_size,
        fields=definition.stored_fields(),
        created_by=by,
    )
    try:
        async with session.begin_nested():
            session.add(schema)
    except IntegrityError:
        raise SchemaConflict(
            f"The record schema {definition.code!r} was changed at the same moment; send the change again"
        ) from None
    return schema, True
