"""The desk seam for data entry: a chunk's work item is complete when every record in it is accepted.

``work`` asks through the ``Desk`` declared in ``domain.py``: what is left
before the item may go to review or done (records not accepted yet), how much
usage it earns when done (one ``data_entry.records`` unit per accepted record,
recorded by ``work`` through the usage seam, once per item), and what the desk
does then: the batch is done when none of its chunks is open any more, whether
the last one was done or was rejected or cancelled (a batch never hangs on a
chunk nobody will work). A batch becoming done announces
``data_entry.batch_completed`` to the tenant's webhooks, in the same
transaction (the outbox sends it only if that commits).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.models import Batch, BatchStatus, Chunk, Record, RecordStatus
from bo_saas.notify import webhooks
from bo_saas.work.models import WorkItem
from bo_saas.work.states import CLOSED_STATES

BATCH_COMPLETED = "data_entry.batch_completed"


async def _chunk_of(session: AsyncSession, item: WorkItem) -> Chunk | None:
    return await session.scalar(select(Chunk).where(Chunk.tenant_id == item.tenant_id, Chunk.work_item_id == item.id))


async def _count(session: AsyncSession, chunk: Chunk, *conditions) -> int:
    return await session.scalar(
        select(func.count()).where(
            Record.tenant_id == chunk.tenant_id,
            Record.batch_id == chunk.batch_id,
            Record.chunk_number == chunk.number,
            *conditions,
        )
    )


async def records_accepted(session: AsyncSession, item: WorkItem) -> int:
    """Units earned: the chunk's accepted records (an item asked for through the portal form earns none)."""
    chunk = await _chunk_of(session, item)
    return 0 if chunk is None else await _count(session, chunk, Record.status == RecordStatus.ACCEPTED)


async def records_remaining(session: AsyncSession, item: WorkItem) -> str | None:
    chunk = await _chunk_of(session, item)
    if chunk is None:
        return None  # no chunk behind it: the item is worked as any other
    pending = await _count(session, chunk, Record.status != RecordStatus.ACCEPTED)
    if not pending:
        return None
    return f"{pending} record{'s' if pending != 1 else ''} not accepted yet"


async def chunk_closed(session: AsyncSession, item: WorkItem, now: datetime) -> None:
    """The chunk's item is done, rejected or cancelled: the batch is done once no chunk is open; idempotent."""
    chunk = await _chunk_of(session, item)
    if chunk is None:
        return
    open_chunks = await session.scalar(
        select(func.count())
        .select_from(Chunk)
        .join(WorkItem, (WorkItem.tenant_id == Chunk.tenant_id) & (WorkItem.id == Chunk.work_item_id))
        .where(
            Chunk.tenant_id == chunk.tenant_id,
            Chunk.batch_id == chunk.batch_id,
            WorkItem.id != item.id,
            WorkItem.state.not_in(CLOSED_STATES),
        )
    )
    if open_chunks:
        return
    completed = await session.scalar(
        update(Batch)
        .where(
            Batch.tenant_id == chunk.tenant_id,
            Batch.id == chunk.batch_id,
            Batch.status.in_((BatchStatus.READY, BatchStatus.IN_PROGRESS)),
        )
        .values(status=BatchStatus.DONE, completed_at=now, updated_at=now)
        .returning(Batch.id)
        .execution_options(synchronize_session=False)
    )
    if completed is not None:  # only the change that made it done announces it
        await _announce(session, chunk, now)


async def _announce(session: AsyncSession, chunk: Chunk, now: datetime) -> None:
    batch = await session.get(Batch, (chunk.tenant_id, chunk.batch_id), populate_existing=True)
    records, accepted = (
        await session.execute(
            select(func.count(), func.count().filter(Record.status == RecordStatus.ACCEPTED)).where(
                Record.tenant_id == batch.tenant_id, Record.batch_id == batch.id
            )
        )
    ).one()
    await webhooks.publish_event(
        session,
        batch.tenant_id,
        BATCH_COMPLETED,
        {
            "batch_id": str(batch.id),
            "schema": batch.schema_code,
            "filename": batch.filename,
            "status": batch.status.value,
            "records": records,
            "accepted": accepted,
            "created_at": batch.created_at,
            "completed_at": now,
            "report": f"/api/v1/data-entry/batches/{batch.id}/report",
            "export": f"/api/v1/data-entry/batches/{batch.id}/export",
        },
    )
