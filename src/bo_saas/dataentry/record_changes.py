"""What every change to a record's values goes through: the batch open for it, and the same rules as the import.

A single-keyed save (``records``), a keying pass and an adjudication
(``keying``) all ask ``open_for_change`` (the batch takes changes, the record's
chunk is not done) and ``judge`` (``fields.check_values`` plus the batch's
unique fields), so a value is accepted the same way whoever sends it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.definitions import FieldDefinition
from bo_saas.dataentry.errors import InvalidRecordValues
from bo_saas.dataentry.fields import check_values
from bo_saas.dataentry.models import Batch, BatchStatus, Chunk, Record, RecordSchema, RecordStatus
from bo_saas.dataentry.record_schemas import definition_of
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import ConflictError
from bo_saas.work.models import WorkItem, WorkState

OPEN_FOR_KEYING = (BatchStatus.READY, BatchStatus.IN_PROGRESS)


async def open_for_change(session: AsyncSession, record: Record) -> tuple[Batch, RecordSchema]:
    """The record's batch (locked) and schema version; 409 when its values cannot change now."""
    batch = await session.get(Batch, (record.tenant_id, record.batch_id), with_for_update=True)
    if batch.status not in OPEN_FOR_KEYING:
        raise ConflictError(f"The batch is {batch.status.value}; its records cannot be changed now")
    if await _chunk_done(session, record):
        raise ConflictError("The record's chunk is done; reopen its work item to change it")
    return batch, await session.get(RecordSchema, (record.tenant_id, batch.schema_id))


def fields_of(schema: RecordSchema) -> tuple[FieldDefinition, ...]:
    return definition_of(schema).fields


async def judge(
    session: AsyncSession, record: Record, fields: tuple[FieldDefinition, ...], raw: dict[str, Any], sent: dict
) -> dict[str, Any]:
    """The clean values of ``raw`` (every field); 422 naming each field's problem and each unknown name sent."""
    known = {field.name for field in fields}
    problems = {name: "is not a field of this schema" for name in sent if name not in known}
    values, field_problems = check_values(fields, raw)
    problems |= field_problems
    for field in fields:
        if field.unique and field.name not in problems and values[field.name] is not None:
            row = await _row_with_value(session, record, field.name, values[field.name])
            if row is not None:
                problems[field.name] = f"has the same value as row {row}"
    if problems:
        raise InvalidRecordValues(
            "Some values are not valid: " + "; ".join(f"{name} {problem}" for name, problem in problems.items()),
            extra={"problems": problems},
        )
    return values


def accept(record: Record, batch: Batch, values: dict[str, Any], *, by: UUID | None) -> None:
    """The record's values become the ones the client gets; its batch is in progress from the first one."""
    now = utc_now()
    record.values = values
    record.problems = {}
    record.status = RecordStatus.ACCEPTED
    record.updated_by = by
    record.updated_at = now
    worked_on(batch)


def worked_on(batch: Batch) -> None:
    if batch.status is BatchStatus.READY:
        batch.status = BatchStatus.IN_PROGRESS
        batch.updated_at = utc_now()


async def _row_with_value(session: AsyncSession, record: Record, name: str, value: Any) -> int | None:
    """Another record of the batch holding ``value`` (as accepted or as imported), by row."""
    return await session.scalar(
        select(Record.row_number)
        .where(
            Record.tenant_id == record.tenant_id,
            Record.batch_id == record.batch_id,
            Record.id != record.id,
            Record.values.contains({name: value}),
        )
        .order_by(Record.row_number)
        .limit(1)
    )


async def _chunk_done(session: AsyncSession, record: Record) -> bool:
    """A done chunk has earned its usage on the values it had: they change only after its item is reopened."""
    state = await session.scalar(
        select(WorkItem.state)
        .join(Chunk, (Chunk.tenant_id == WorkItem.tenant_id) & (Chunk.work_item_id == WorkItem.id))
        .where(
            Chunk.tenant_id == record.tenant_id,
            Chunk.batch_id == record.batch_id,
            Chunk.number == record.chunk_number,
        )
    )
    return state is WorkState.DONE
