"""What every change to a record's values goes through: the batch open for it, and the same rules as the import.

A single-keyed save (``records``), a keying pass and an adjudication
(``keying``) all ask ``open_for_change`` (the batch takes changes, the record's
chunk is not done) and ``judge`` (the version's compiled ``fields.FieldChecks``
plus the batch's unique fields), so a value is accepted the same way whoever
sends it. ``record_saves``, the single-keyed save's fast path, makes the same
checks in its own statements and judges with the same ``judge``.

Saves of different records of one batch run side by side: each holds its
chunk's work item FOR SHARE (the item cannot close, so neither can the
batch), not the batch row; only the first saves (which move the batch from
ready to in progress) take the batch row, for update.
Two saves of one unique value are serialised instead by a transaction-scoped
advisory lock on (batch, field, value), taken by the lookup itself (migration
0017): the second looks for the value only after the first has committed or
rolled back, so at most one of them succeeds.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.compiled_schemas import compiled
from bo_saas.dataentry.errors import InvalidRecordValues
from bo_saas.dataentry.fields import FieldChecks
from bo_saas.dataentry.models import Batch, BatchStatus, Chunk, Record, RecordSchema, RecordStatus
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import ConflictError
from bo_saas.work.models import WorkItem, WorkState
from bo_saas.work.states import CLOSED_STATES

OPEN_FOR_KEYING = (BatchStatus.READY, BatchStatus.IN_PROGRESS)


async def open_for_change(session: AsyncSession, record: Record) -> tuple[Batch, RecordSchema]:
    """The record's batch and schema version, held open for the change; 409 when its values cannot change now."""
    key = (record.tenant_id, record.batch_id)
    batch, schema = (
        await session.execute(
            select(Batch, RecordSchema)
            .join(RecordSchema, (RecordSchema.tenant_id == Batch.tenant_id) & (RecordSchema.id == Batch.schema_id))
            .where(Batch.tenant_id == key[0], Batch.id == key[1])
        )
    ).one()
    state = await _chunk_state(session, record)
    if state is WorkState.DONE:
        raise ConflictError("The record's chunk is done; reopen its work item to change it")
    if batch.status is BatchStatus.READY or state in CLOSED_STATES:
        # The first saves move the batch out of ``ready``: they take it for update (a share lock never
        # upgrades; two saves upgrading would deadlock). A rejected or cancelled chunk no longer holds the
        # batch open, so its records' saves hold the batch itself.
        lock = True if batch.status is BatchStatus.READY else {"read": True}
        batch = await session.get(Batch, key, with_for_update=lock, populate_existing=True)
    if batch.status not in OPEN_FOR_KEYING:
        raise ConflictError(f"The batch is {batch.status.value}; its records cannot be changed now")
    return batch, schema


def fields_of(schema: RecordSchema) -> FieldChecks:
    """The version's compiled field checks (kept per process: a version never changes)."""
    return compiled(schema).checks


async def judge(session: AsyncSession, record: Record, checks: FieldChecks, raw: dict[str, Any], sent: dict) -> dict:
    """The clean values of ``raw`` (every field); 422 naming each field's problem and each unknown name sent.

    ``record`` needs only its key, ``batch_id``, ``values`` and ``problems`` (the ORM row or a row read raw).
    """
    known = {field.name for field in checks.fields}
    problems = {name: "is not a field of this schema" for name in sent if name not in known}
    values, field_problems = checks.check(raw)
    problems |= field_problems
    for field in checks.fields:
        if field.unique and field.name not in problems and values[field.name] is not None:
            if _kept_as_judged(record, field.name, values[field.name]):
                continue
            row = await _row_with_value(session, record, field.name, values[field.name])
            if row is not None:
                problems[field.name] = f"has the same value as row {row}"
    if problems:
        raise InvalidRecordValues(
            "Some values are not valid: " + "; ".join(f"{name} {problem}" for name, problem in problems.items()),
            extra={"problems": problems},
        )
    return values


def _kept_as_judged(record: Record, name: str, value: Any) -> bool:
    """The record keeps a unique value it already holds without a problem: no other record can hold it.

    It was the first in the file, or a save found it free under the value's lock; a later duplicate of it
    carries the problem itself, and is the record that must change.
    """
    return name not in record.problems and record.values.get(name) == value


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
    """Another record of the batch holding ``value`` (as accepted or as imported), by row.

    ``bo_data_entry_value_holder`` (migration 0017) first locks the value to the end of the transaction, so a
    concurrent save of it waits and then sees this one; then it looks through the GIN index on ``values``,
    within the caller's tenant scope (under RLS the runtime role could only scan the batch).
    """
    holder = func.bo_data_entry_value_holder(record.tenant_id, record.batch_id, record.id, name, literal(value, JSONB))
    return await session.scalar(select(holder))


async def _chunk_state(session: AsyncSession, record: Record) -> WorkState | None:
    """The state of the record's chunk's item, which stays so (FOR SHARE) until the change commits.

    A done chunk has earned its usage on the values it had: they change only after its item is reopened.
    While the item is open the batch cannot finish either (it waits for every chunk), so the change needs
    no lock on the batch row, which every save of the batch would queue on.
    """
    # The chunk by its unique number, then its item by its key: unique lookups no planner gets wrong. A join
    # planned before a new batch's chunks were counted walked every chunk of the tenant.
    item_id = (
        select(Chunk.work_item_id)
        .where(
            Chunk.tenant_id == record.tenant_id,
            Chunk.batch_id == record.batch_id,
            Chunk.number == record.chunk_number,
        )
        .scalar_subquery()
    )
    return await session.scalar(
        select(WorkItem.state)
        .where(WorkItem.tenant_id == record.tenant_id, WorkItem.id == item_id)
        .with_for_update(read=True)
    )
