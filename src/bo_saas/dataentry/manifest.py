"""The Data entry desk's manifest section: ``[[data_entry.schemas]]`` with ``[[data_entry.schemas.fields]]``.

Left alone when the file has no ``[data_entry]``. A schema in the file is
saved through ``record_schemas.save_schema``: the same definition again changes
nothing, a different one makes the next version (batches keep theirs). A
schema not in the file is kept, since batches and their records point at its
versions; client admins may have added it through the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator

from bo_saas.dataentry.definitions import DEFAULT_CHUNK_SIZE, SchemaDefinition
from bo_saas.dataentry.models import RecordSchema
from bo_saas.dataentry.record_schemas import current_versions, save_schema
from bo_saas.tenancy.manifest import TenantSection
from bo_saas.tenancy.manifest_fields import ManifestModel, no_repeats
from bo_saas.tenancy.manifest_sections import ApplyContext, CheckContext, ExportContext, ManifestSection, Problem

SERVICE_TYPE = "data_entry"


def _schemas_once(schemas: list[SchemaDefinition]) -> tuple[SchemaDefinition, ...]:
    no_repeats(schemas, lambda schema: schema.code, "data_entry.schemas", at=("code",))
    return tuple(schemas)


class DataEntryTable(ManifestModel):
    schemas: Annotated[list[SchemaDefinition], AfterValidator(_schemas_once)] = ()


class DataEntrySection(ManifestModel):
    data_entry: DataEntryTable = DataEntryTable()


def _check(context: CheckContext) -> Iterable[Problem]:
    section: DataEntrySection | None = context.manifest.get("data_entry")
    tenant: TenantSection | None = context.manifest.get("tenant")
    if section is None or tenant is None:
        return
    if section.data_entry.schemas and SERVICE_TYPE not in tenant.services:
        yield Problem(("data_entry", "schemas"), 'record schemas need the "data_entry" service in services')


async def _apply(context: ApplyContext, section: DataEntrySection) -> list[str]:
    phrases = []
    for definition in section.data_entry.schemas:
        schema, made = await save_schema(context.session, context.tenant_id, definition, by=None)
        if not made:
            context.unchanged.append(f"data entry schema {schema.code} unchanged")
            continue
        verb = "created" if schema.version == 1 else "changed"
        phrases.append(f"{verb} data entry schema {schema.code} (version {schema.version})")
        context.record(
            f"data_entry_schema.{'created' if schema.version == 1 else 'versioned'}",
            "data_entry_schema",
            str(schema.id),
            {"code": schema.code, "version": schema.version},
        )
    return phrases


def exported(schema: RecordSchema) -> dict[str, Any]:
    """A stored version as a manifest table, defaults left out as people write them."""
    table: dict[str, Any] = {"code": schema.code, "name": schema.name}
    if schema.double_key:
        table["double_key"] = True
    if schema.chunk_size != DEFAULT_CHUNK_SIZE:
        table["chunk_size"] = schema.chunk_size
    table["fields"] = schema.fields
    return table


async def _export(context: ExportContext) -> dict[str, Any] | None:
    rows = await context.session.scalars(
        current_versions().where(RecordSchema.tenant_id == context.tenant_id).order_by(RecordSchema.code)
    )
    schemas = [exported(row) for row in rows]
    return {"data_entry": {"schemas": schemas}} if schemas else None


DATA_ENTRY_SECTION = ManifestSection(
    name="data_entry",
    model=DataEntrySection,
    apply=_apply,
    export=_export,
    order=54,  # after the tenant's services and work's sections, beside support's
    authoritative=False,  # a file without [data_entry] leaves schemas made through the API alone
    check=_check,
)
