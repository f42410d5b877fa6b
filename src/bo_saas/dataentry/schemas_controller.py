"""``/api/v1/data-entry/schemas``: a tenant's record schemas; client admins (and provider admins) change them.

Saving a changed definition makes the schema's next version (batches keep the
version they were made with); the list shows each code's current version.
Another tenant's schema answers 404.
"""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post, put
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.dataentry.errors import InvalidDataEntryRequest, SchemaConflict
from bo_saas.dataentry.models import RecordSchema
from bo_saas.dataentry.record_schemas import (
    RecordSchemas,
    current_schema,
    current_versions,
    parse_definition,
    save_schema,
)
from bo_saas.dataentry.schemas import SchemaIn, SchemaOut
from bo_saas.lib.caller import Caller
from bo_saas.lib.guards import requires_admin
from bo_saas.lib.listing import list_page, to_struct
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write


def _audit(db: AsyncSession, request: Request, schema: RecordSchema, action: str) -> None:
    record_event(
        db, request, tenant_id=schema.tenant_id, action=action, subject_type="data_entry_schema",
        subject_id=str(schema.id), changes={"code": schema.code, "version": schema.version},
    )  # fmt: skip


class SchemaController(Controller):
    path = "/api/v1/data-entry/schemas"
    tags = ["data-entry"]

    @get("/", summary="List record schemas (each code's current version)")
    async def list_schemas(self, db: AsyncSession, page: PageRequest) -> OffsetPagination[SchemaOut]:
        return await list_page(
            db, current_versions(), page, order_by=(RecordSchema.code, RecordSchema.tenant_id), into=SchemaOut
        )

    @post("/", summary="Add a record schema (version 1)", guards=[requires_admin])
    async def create_schema(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: SchemaIn
    ) -> SchemaOut:
        caller: Caller = request.user
        tenant = await tenant_for_write(db, caller, tenant_scope)
        definition = parse_definition(msgspec.to_builtins(data))
        if await current_schema(db, tenant.id, definition.code) is not None:
            raise SchemaConflict(
                f"A record schema with the code {definition.code!r} exists; change it with PUT", extra={"field": "code"}
            )
        schema, _ = await save_schema(db, tenant.id, definition, by=caller.account_id)
        _audit(db, request, schema, "data_entry_schema.created")
        return to_struct(schema, SchemaOut)

    @get("/{schema_id:uuid}", summary="One version of a record schema")
    async def get_schema(self, request: Request, db: AsyncSession, schema_id: UUID) -> SchemaOut:
        return to_struct(await RecordSchemas(request.user).get(db, schema_id), SchemaOut)

    @put(
        "/{schema_id:uuid}",
        summary="Change a record schema: a new version when the definition differs",
        guards=[requires_admin],
    )
    async def update_schema(self, request: Request, db: AsyncSession, schema_id: UUID, data: SchemaIn) -> SchemaOut:
        caller: Caller = request.user
        schema = await RecordSchemas(caller).get(db, schema_id)
        await tenant_for_write(db, caller, TenantScope.of(schema.tenant_id))
        definition = parse_definition(msgspec.to_builtins(data))
        if definition.code != schema.code:
            raise InvalidDataEntryRequest("A schema's code cannot change; add a new schema instead")
        saved, made = await save_schema(db, schema.tenant_id, definition, by=caller.account_id)
        if made:
            _audit(db, request, saved, "data_entry_schema.versioned")
        return to_struct(saved, SchemaOut)
