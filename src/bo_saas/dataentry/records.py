"""A batch's records: listed with their problems, and keyed or corrected by provider staff.

A save is judged with ``fields.check_values``, the rules the import used: if
any field fails, nothing is saved and the answer lists each field's problem
(422); the record as stored stays as it was. A save that passes clears the
record's problems and accepts it, and moves its batch from ready to in
progress.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.errors import InvalidRecordValues, RecordNotFound
from bo_saas.dataentry.fields import check_values
from bo_saas.dataentry.models import Batch, BatchStatus, Chunk, Record, RecordSchema, RecordStatus
from bo_saas.dataentry.record_schemas import definition_of
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import ConflictError
from bo_saas.lib.repository import TenantRepository
from bo_saas.work.models import WorkItem, WorkState

OPEN_FOR_KEYING = (BatchStatus.READY, BatchStatus.IN_PROGRESS)


class Records(TenantRepository[Record]):
    model = Record
    not_found = RecordNotFound
    not_found_message = "No such record"


async def save_record(session: AsyncSession, record: Record, sent: dict[str, Any], *, by: UUID | None) -> Record:
    """Merge ``sent`` into the record's values, judge them all, and store them accepted; 422 if any fails."""
    batch = await session.get(Batch, (record.tenant_id, record.batch_id), with_for_update=True)
    if batch.status not in OPEN_FOR_KEYING:
        raise ConflictError(f"The batch is {batch.status.value}; its records cannot be changed now")
    if await _chunk_done(session, record):
        raise ConflictError("The record's chunk is done; reopen its work item to change it")
    schema = await session.get(RecordSchema, (record.tenant_id, batch.schema_id))
    fields = definition_of(schema).fields
    known = {field.name for field in fields}
    problems = {name: "is not a field of this schema" for name in sent if name not in known}
    values, field_problems = check_values(fields, {**record.values, **sent})
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
    record.values = values
    record.problems = {}
    record.status = RecordStatus.ACCEPTED
    record.updated_by = by
    record.updated_at = utc_now()
    if batch.status is BatchStatus.READY:
        batch.status = BatchStatus.IN_PROGRESS
        batch.updated_at = utc_now()
    await session.flush()
    return record


async def _row_with_value(session: AsyncSession, record: Record, name: str, value: Any) -> int | None:
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
