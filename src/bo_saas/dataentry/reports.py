"""A batch's report: what came in, what was rejected on import and why, where its records are, quality, turnaround.

Quality depends on how the schema is keyed. Double keyed: accuracy (fields
keyed that differ from the accepted value) and the passes' agreement, per
field, with no agent named (the client reads this). Single keyed: QA sampling,
as for any work item: how many of the batch's chunks QA reviewed and sent back.

Rejected rows are the rows the import found problems in (``import_problems``),
whether or not an agent has corrected them since; the first
``REJECTED_ROWS_SHOWN`` are listed, all are counted, per field too.
"""

from __future__ import annotations

from sqlalchemy import distinct, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.accuracy import agents_accuracy, batches_agreement, complement, fields_agreement, ratio
from bo_saas.dataentry.models import Batch, Chunk, Record, RecordSchema, RecordStatus
from bo_saas.dataentry.schemas import BatchAccuracy, BatchReportOut, RejectedRow
from bo_saas.work.models import WorkItemTransition, WorkState

REJECTED_ROWS_SHOWN = 1_000


async def batch_report(session: AsyncSession, batch: Batch) -> BatchReportOut:
    mine = (Record.tenant_id == batch.tenant_id, Record.batch_id == batch.id)
    statuses = await session.execute(select(Record.status, func.count()).where(*mine).group_by(Record.status))
    by_status = dict(statuses.all())
    rejected = (*mine, Record.import_problems != {})
    rows_rejected = await session.scalar(select(func.count()).where(*rejected))
    field = func.jsonb_object_keys(Record.import_problems).table_valued("value").render_derived(name="field")
    per_field = await session.execute(
        select(field.c.value, func.count()).select_from(Record).join(field, literal_column("true"))
        .where(*rejected).group_by(field.c.value).order_by(field.c.value)
    )  # fmt: skip
    shown = await session.execute(
        select(Record.row_number, Record.import_problems, Record.status)
        .where(*rejected).order_by(Record.row_number).limit(REJECTED_ROWS_SHOWN)
    )  # fmt: skip
    schema = await session.get(RecordSchema, (batch.tenant_id, batch.schema_id))
    completed = batch.completed_at
    return BatchReportOut(
        batch_id=batch.id,
        schema_code=batch.schema_code,
        filename=batch.filename,
        status=batch.status.value,
        records=sum(by_status.values()),
        accepted=by_status.get(RecordStatus.ACCEPTED, 0),
        pending=sum(count for status, count in by_status.items() if status is not RecordStatus.ACCEPTED),
        awaiting_second_key=by_status.get(RecordStatus.AWAITING_SECOND_KEY, 0),
        in_adjudication=by_status.get(RecordStatus.IN_ADJUDICATION, 0),
        rows_rejected=rows_rejected,
        problems_by_field=dict(per_field.all()),
        rejected_rows=[
            RejectedRow(row_number=number, problems=problems, status=status.value) for number, problems, status in shown
        ],
        accuracy=await _accuracy(session, batch, double_key=schema.double_key),
        created_at=batch.created_at,
        completed_at=completed,
        turnaround_seconds=int((completed - batch.created_at).total_seconds()) if completed else None,
    )


async def _accuracy(session: AsyncSession, batch: Batch, *, double_key: bool) -> BatchAccuracy:
    keyed = differing = 0
    for agent in await agents_accuracy(session, batch.id):
        keyed, differing = keyed + agent.fields_keyed, differing + agent.fields_differing
    (agreement,) = await batches_agreement(session, batch.id) or [None]
    reviewed, sent_back = await _qa(session, batch)
    return BatchAccuracy(
        method="double_key" if double_key else "qa_sampling",
        fields_keyed=keyed,
        fields_differing=differing,
        error_rate=ratio(differing, keyed),
        accuracy=complement(ratio(differing, keyed)),
        records_compared=agreement.records_compared if agreement else 0,
        fields_compared=agreement.fields_compared if agreement else 0,
        fields_agreed=agreement.fields_agreed if agreement else 0,
        agreement=agreement.agreement if agreement else None,
        fields=await fields_agreement(session, batch.id),
        chunks_reviewed=reviewed,
        chunks_sent_back=sent_back,
    )


async def _qa(session: AsyncSession, batch: Batch) -> tuple[int, int]:
    """The batch's chunks QA reviewed (decided on at least once), and those sent back for rework."""
    reviewed = WorkItemTransition.from_state == WorkState.IN_REVIEW
    row = (
        await session.execute(
            select(
                func.count(distinct(WorkItemTransition.work_item_id)),
                func.count(distinct(WorkItemTransition.work_item_id)).filter(
                    WorkItemTransition.to_state == WorkState.IN_PROGRESS
                ),
            )
            .select_from(Chunk)
            .join(
                WorkItemTransition,
                (WorkItemTransition.tenant_id == Chunk.tenant_id)
                & (WorkItemTransition.work_item_id == Chunk.work_item_id),
            )
            .where(Chunk.tenant_id == batch.tenant_id, Chunk.batch_id == batch.id, reviewed)
        )
    ).one()
    return row[0], row[1]
