"""Batches: a client's file taken in (checked, stored, its import queued), and batches as lists and details show them.

Taking a file in does only what can answer at once: the file is what its name
says, its header fits the schema, it has rows. The rows themselves are read
in the background (``importing``), so a large file never holds the request.
The same bytes sent again for the same schema are the same batch: the answer
is the existing batch (200), not a second import.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import datetime
from uuid import UUID, uuid4

import anyio
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.columns import match_columns
from bo_saas.dataentry.errors import BatchNotFound, InvalidDataEntryRequest, UnreadableFile
from bo_saas.dataentry.models import Batch, BatchStatus, Chunk, Record, RecordStatus
from bo_saas.dataentry.reading import Table, check_content, file_format, read_table
from bo_saas.dataentry.record_schemas import current_schema, definition_of
from bo_saas.dataentry.schemas import BatchCounts, BatchDetailOut
from bo_saas.dataentry.tasks import import_batch_file
from bo_saas.lib.listing import to_struct
from bo_saas.lib.outbox import enqueue
from bo_saas.lib.repository import TenantRepository
from bo_saas.lib.storage import FileStorage, new_storage_key
from bo_saas.work.attachments import clean_filename
from bo_saas.work.models import WorkItem, WorkState


class Batches(TenantRepository[Batch]):
    model = Batch
    not_found = BatchNotFound
    not_found_message = "No such batch"


def _opening(data: bytes, fmt: str) -> tuple[Table, list | None]:
    """The file's table and its first row (None: a header alone)."""
    table = read_table(data, fmt)
    return table, next(table.rows, None)


async def take_in_file(
    session: AsyncSession,
    storage: FileStorage,
    tenant_id: UUID,
    *,
    schema_code: str,
    filename: str,
    data: bytes,
    by: UUID | None,
) -> tuple[Batch, bool]:
    """The batch for this file: (an existing one, False) or (a new one whose import is queued, True)."""
    filename = clean_filename(filename)  # shown in lists: no folders, no control or direction characters
    fmt = file_format(filename)
    check_content(data, fmt, filename)
    schema = await current_schema(session, tenant_id, schema_code.strip())
    if schema is None:
        raise InvalidDataEntryRequest(
            f"There is no record schema with the code {schema_code!r}", extra={"field": "schema"}
        )
    sha256 = hashlib.sha256(data).hexdigest()
    existing = await session.scalar(
        select(Batch).where(Batch.tenant_id == tenant_id, Batch.schema_code == schema.code, Batch.sha256 == sha256)
    )
    if existing is not None:
        return existing, False
    # Reading the header parses the file (an XLSX whole): off the event loop.
    table, first_row = await anyio.to_thread.run_sync(_opening, data, fmt)
    columns = match_columns(table.header, definition_of(schema).fields)
    if first_row is None:
        raise UnreadableFile("The file has a header but no rows")
    key = new_storage_key(tenant_id)
    await storage.save(key, data)
    batch = Batch(
        id=uuid4(),
        tenant_id=tenant_id,
        schema_id=schema.id,
        schema_code=schema.code,
        status=BatchStatus.IMPORTING,
        filename=filename,
        file_format=fmt,
        storage_key=key,
        sha256=sha256,
        size_bytes=len(data),
        encoding=table.encoding,
        delimiter=table.delimiter,
        columns=columns,
        rows_imported=0,
        created_by=by,
    )
    try:
        async with session.begin_nested():
            session.add(batch)
    except IntegrityError:
        # The same file sent twice at once: the other request's batch is the answer.
        await storage.delete(key)  # storage keeps no file without its batch
        existing = await session.scalar(
            select(Batch).where(Batch.tenant_id == tenant_id, Batch.schema_code == schema.code, Batch.sha256 == sha256)
        )
        if existing is None:
            raise
        return existing, False
    except BaseException:
        await storage.delete(key)
        raise
    await enqueue(session, import_batch_file, tenant_id=str(tenant_id), batch_id=str(batch.id))
    return batch, True


async def batch_counts(session: AsyncSession, batch: Batch) -> BatchCounts:
    records = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(Record.status == RecordStatus.ACCEPTED),
                func.count().filter(Record.problems != {}),
            ).where(Record.tenant_id == batch.tenant_id, Record.batch_id == batch.id)
        )
    ).one()
    chunks = (
        await session.execute(
            select(func.count(), func.coalesce(func.sum(case((WorkItem.state == WorkState.DONE, 1), else_=0)), 0))
            .select_from(Chunk)
            .join(WorkItem, (WorkItem.tenant_id == Chunk.tenant_id) & (WorkItem.id == Chunk.work_item_id))
            .where(Chunk.tenant_id == batch.tenant_id, Chunk.batch_id == batch.id)
        )
    ).one()
    return BatchCounts(
        records=records[0], accepted=records[1], with_problems=records[2], chunks=chunks[0], chunks_done=chunks[1]
    )


# While a batch imports, its records change only in the import's block transactions, and each of those also
# moves the batch row's ``updated_at``: its counts are a function of that row version. A client watching the
# progress (the portal looks every 2 s, the bench 20 times a second) then costs one count of up to 100,000
# records per block, not one per look. Kept per process, by tenant, batch and row version (a caller reaches
# an entry only through a batch it can see), for importing batches only.
_IMPORTING_COUNTS: OrderedDict[tuple[UUID, UUID, datetime], BatchCounts] = OrderedDict()
IMPORTING_COUNTS_KEPT = 256


async def batch_detail(session: AsyncSession, batch: Batch) -> BatchDetailOut:
    if batch.status is not BatchStatus.IMPORTING:
        return to_struct(batch, BatchDetailOut, counts=await batch_counts(session, batch))
    key = (batch.tenant_id, batch.id, batch.updated_at)
    counts = _IMPORTING_COUNTS.get(key)
    if counts is None:
        counts = _IMPORTING_COUNTS[key] = await batch_counts(session, batch)
        while len(_IMPORTING_COUNTS) > IMPORTING_COUNTS_KEPT:
            _IMPORTING_COUNTS.popitem(last=False)
    return to_struct(batch, BatchDetailOut, counts=counts)
