"""A batch's file read into records in the background: in blocks, each committed, resumable, then chunked.

Rows are validated with the schema's ``fields.FieldChecks`` (compiled once
per import) and stored a block at a time, each block in its own transaction
with the batch's progress (``rows_imported``), so a client watching the batch
sees it move and a crash loses at most the block in flight. The records table
refuses RLS-scoped COPY, so a block is COPYed into a temporary table (no
policy; dropped at commit) and moved across with one ``INSERT ... SELECT ...
ON CONFLICT DO NOTHING`` under the tenant's policy, which also fills in what
every row of the block shares and the new ids (the COPY carries five columns a
row): a block stored before a crash is skipped when the import runs again, and
the unique ``(tenant_id, batch_id, row_number)`` makes a row stored twice
impossible even if two runs overlap.

Rows that fail their fields are stored with their problems and wait for an
agent; nothing is dropped. When every row is in, one transaction splits the
batch into chunks of at most ``chunk_size`` records, each a work item of the
``data_entry`` service, and marks it ready; it runs only while the batch is
still importing, so it happens once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any
from uuid import UUID, uuid4

import msgspec
import structlog
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.dataentry.errors import FileTooLarge, UnreadableFile
from bo_saas.dataentry.fields import FieldChecks
from bo_saas.dataentry.models import Batch, BatchStatus, Chunk, Record, RecordSchema, RecordStatus
from bo_saas.dataentry.reading import read_table
from bo_saas.dataentry.record_schemas import definition_of
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import driver_connection, scoped_session
from bo_saas.lib.storage import FileStorage, StoredFileMissing
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.calendars import tenant_with_business_time
from bo_saas.work import bulk_items
from bo_saas.work.bulk_items import NewItem
from bo_saas.work.models import Priority

log = structlog.get_logger(__name__)

SERVICE_TYPE = "data_entry"
BLOCK_ROWS = 5_000
_INCOMING = "data_entry_records_incoming"
# What differs from row to row; the rest (tenant, batch, a new id, the time) the INSERT below fills in.
_COPIED = ("row_number", "chunk_number", "status", "values", "problems")
_MAKE_INCOMING = f"""
    CREATE TEMP TABLE {_INCOMING} (row_number integer, chunk_number integer, status data_entry_record_status,
                                   values jsonb, problems jsonb) ON COMMIT DROP
"""
# $1 tenant, $2 batch, $3 the block's time.
_MOVE_INCOMING = f"""
    INSERT INTO data_entry_records (tenant_id, id, batch_id, row_number, chunk_number, status, values, problems,
                                    import_problems, updated_at)
    SELECT $1::uuid, gen_random_uuid(), $2::uuid, row_number, chunk_number, status, values, problems, problems,
           $3::timestamptz
    FROM {_INCOMING}
    ON CONFLICT (tenant_id, batch_id, row_number) DO NOTHING
"""
_NO_PROBLEMS = "{}"
_encode = msgspec.json.Encoder().encode


async def import_batch(
    sessions: async_sessionmaker[AsyncSession], storage: FileStorage, tenant_id: UUID, batch_id: UUID
) -> None:
    """Read the batch's file into records and chunk it; safe to run again at any point (it resumes)."""
    scope = TenantScope.of(tenant_id)
    async with scoped_session(sessions, scope) as session:
        batch = await session.get(Batch, (tenant_id, batch_id))
        if batch is None or batch.status is not BatchStatus.IMPORTING:
            return  # gone, or imported already: a repeated message does nothing
        schema = await session.get(RecordSchema, (tenant_id, batch.schema_id))
        stored = await session.scalar(
            select(func.coalesce(func.max(Record.row_number), 0)).where(
                Record.tenant_id == tenant_id, Record.batch_id == batch_id
            )
        )
        unique_seen = await _unique_values_stored(session, batch, schema)
    checks = FieldChecks(definition_of(schema).fields)
    try:
        data = b"".join([chunk async for chunk in await storage.open(batch.storage_key)])
        # Parsing and judging rows is CPU work: in a thread, so the worker's event loop serves other jobs.
        rows_total = await asyncio.to_thread(_count_rows, data, batch.file_format)
        rows = islice(enumerate(read_table(data, batch.file_format).rows, start=1), stored, None)

        def judge_next_block() -> asyncio.Future[Block]:
            return asyncio.ensure_future(asyncio.to_thread(_next_records, rows, batch, schema, checks, unique_seen))

        # The next block is judged (Python) while this one is stored (PostgreSQL): the two overlap.
        judging = judge_next_block()
        try:
            while records := await judging:
                judging = judge_next_block()
                async with scoped_session(sessions, scope) as session:
                    await _store(session, records)
                    await session.execute(
                        update(Batch)
                        # An overlapping run that is behind never moves a finished batch's progress back.
                        .where(
                            Batch.tenant_id == tenant_id, Batch.id == batch_id, Batch.status == BatchStatus.IMPORTING
                        )
                        .values(rows_total=rows_total, rows_imported=records.last_row, updated_at=utc_now())
                    )
        finally:
            judging.cancel()  # a failed store leaves the block being judged unused
    except (UnreadableFile, FileTooLarge) as refused:
        await _fail(sessions, scope, batch_id, refused.message)
        return
    except StoredFileMissing:
        await _fail(sessions, scope, batch_id, "The batch's file is no longer stored; send it again")
        return
    async with scoped_session(sessions, scope) as session:
        await _split_into_chunks(session, tenant_id, batch_id, rows_total)


def _count_rows(data: bytes, fmt: str) -> int:
    return sum(1 for _ in read_table(data, fmt).rows)


@dataclass(frozen=True, slots=True)
class Block:
    """A block of judged rows of one batch, as COPYed (``_COPIED``); empty (false) when the file is done."""

    tenant_id: UUID
    batch_id: UUID
    rows: list[tuple]

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def last_row(self) -> int:
        return self.rows[-1][0]


def _next_records(
    rows: Iterator[tuple[int, list[Any]]],
    batch: Batch,
    schema: RecordSchema,
    checks: FieldChecks,
    unique_seen: dict[str, dict],
) -> Block:
    """The next block's records, judged (empty when the file is done)."""
    columns, size = batch.columns, schema.chunk_size
    # People key a double-keyed schema's records; a single-keyed record that passed is accepted as sent.
    clean = (RecordStatus.PENDING if schema.double_key else RecordStatus.ACCEPTED).value
    block = islice(rows, BLOCK_ROWS)
    judged = [_record(checks, columns, size, clean, number, row, unique_seen) for number, row in block]
    return Block(batch.tenant_id, batch.id, judged)


def _unique_key(value: Any) -> tuple[type, Any]:
    """How a unique field's values are told apart: by JSON type and value (1, "1" and true are three)."""
    return value.__class__, value


async def _unique_values_stored(session: AsyncSession, batch: Batch, schema: RecordSchema) -> dict[str, dict]:
    """For fields that are unique within the batch: value -> row, from rows an earlier run stored."""
    seen: dict[str, dict] = {field["name"]: {} for field in schema.fields if field.get("unique")}
    if not seen:
        return seen
    rows = await session.execute(
        select(Record.row_number, Record.values).where(Record.tenant_id == batch.tenant_id, Record.batch_id == batch.id)
    )
    for number, values in rows:
        for name, by_value in seen.items():
            if values.get(name) is not None:
                by_value.setdefault(_unique_key(values[name]), number)
    return seen


def _record(
    checks: FieldChecks,
    columns: list[str | None],
    chunk_size: int,
    clean_status: str,
    number: int,
    row: list[Any],
    unique_seen: dict[str, dict],
) -> tuple:
    values, problems = checks.check_row(row, columns)
    for name, by_value in unique_seen.items():
        if values.get(name) is None or name in problems:
            continue
        first = by_value.setdefault(_unique_key(values[name]), number)
        if first != number:
            problems[name] = f"has the same value as row {first}"
    if problems:
        status, problems_json = RecordStatus.PENDING.value, _encode(problems).decode()
    else:
        status, problems_json = clean_status, _NO_PROBLEMS
    return number, (number - 1) // chunk_size + 1, status, _encode(values).decode(), problems_json


async def _store(session: AsyncSession, records: Block) -> None:
    connection = await driver_connection(session)
    await connection.execute(_MAKE_INCOMING)
    await connection.copy_records_to_table(_INCOMING, records=records.rows, columns=_COPIED)
    await connection.execute(_MOVE_INCOMING, records.tenant_id, records.batch_id, utc_now())


async def give_up(sessions: async_sessionmaker[AsyncSession], tenant_id: UUID, batch_id: UUID, attempts: int) -> None:
    """The import failed on every attempt (an error that is not the file's): say so on the batch, not ``importing``.

    The rows stored so far stay; the client sees a reason and can send the file again.
    """
    reason = f"The import stopped after {attempts} attempts; send the file again, or ask the provider if it recurs"
    await _fail(sessions, TenantScope.of(tenant_id), batch_id, reason)


async def _fail(sessions, scope: TenantScope, batch_id: UUID, reason: str) -> None:
    async with scoped_session(sessions, scope) as session:
        await session.execute(
            update(Batch)
            .where(Batch.id == batch_id, Batch.status == BatchStatus.IMPORTING)
            .values(status=BatchStatus.FAILED, error=reason, updated_at=utc_now())
        )
    log.info("data_entry.import_failed", batch_id=str(batch_id), reason=reason)


async def _split_into_chunks(session: AsyncSession, tenant_id: UUID, batch_id: UUID, rows_total: int) -> None:
    batch = await session.get(Batch, (tenant_id, batch_id), with_for_update=True)
    if batch is None or batch.status is not BatchStatus.IMPORTING:
        return  # another run finished first
    schema = await session.get(RecordSchema, (tenant_id, batch.schema_id))
    tenant = await tenant_with_business_time(session, tenant_id)
    size = schema.chunk_size
    count = (rows_total + size - 1) // size
    bounds = [((number - 1) * size + 1, min(number * size, rows_total)) for number in range(1, count + 1)]
    item_ids = await bulk_items.create_items(
        session,
        tenant,
        service_type=SERVICE_TYPE,
        priority=Priority.NORMAL,
        new=[
            NewItem(
                title=f"{schema.name}: rows {first}-{last} of {batch.filename}"[:300],
                payload={
                    "source": f"Batch {batch.filename}, chunk {number} of {count}",
                    "record_count": last - first + 1,
                },
            )
            for number, (first, last) in enumerate(bounds, start=1)
        ],
    )
    if item_ids:
        await session.execute(
            insert(Chunk),
            [
                {
                    "id": uuid4(),
                    "tenant_id": tenant_id,
                    "work_item_id": item_id,
                    "batch_id": batch_id,
                    "number": number,
                    "first_row": first,
                    "last_row": last,
                }
                for number, (item_id, (first, last)) in enumerate(zip(item_ids, bounds, strict=True), start=1)
            ],
        )
    batch.status = BatchStatus.READY
    batch.rows_total = rows_total
    batch.rows_imported = rows_total
    batch.updated_at = utc_now()
