"""A single-keyed record's save in a few plain statements: the desk's hottest write.

The same rules and outcome as ``records.save_record`` (``record_changes``:
the batch open for the change, the same field checks, unique values looked up
under their lock), without loading ORM objects: one statement reads and locks
the record (FOR UPDATE), its batch's status and schema version, and its
chunk's work item (FOR SHARE, taken after the record as before), with the
document it is keyed from; the schema version's compiled rules come from
``compiled_schemas``; one UPDATE stores the accepted values. The audit event
is written as for every change (``record_event``).

What the fast path does not cover it hands back (``None``) to the ORM path,
which answers exactly as before: a record not found (404) or whose batch has
no chunks yet (409, importing), and double-keyed schemas (``keying``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.dataentry.compiled_schemas import compiled_by_id
from bo_saas.dataentry.models import BatchStatus, RecordStatus
from bo_saas.dataentry.record_changes import OPEN_FOR_KEYING, judge
from bo_saas.dataentry.schemas import RecordDocumentOut, RecordOut
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import driver_connection
from bo_saas.lib.errors import ConflictError
from bo_saas.work.models import WorkState
from bo_saas.work.states import CLOSED_STATES

# Row locks are taken in the order the tables are named in FOR ...: the record, then the chunk's item.
_OPEN = """
    SELECT r.tenant_id, r.batch_id, r.row_number, r.chunk_number, r.values, r.problems, r.page,
           b.status AS batch_status, b.schema_id, w.state AS chunk_state,
           d.id AS document_id, d.content_type, d.pages, d.filename
    FROM data_entry_records r
    JOIN data_entry_batches b ON b.tenant_id = r.tenant_id AND b.id = r.batch_id
    JOIN data_entry_chunks c ON c.tenant_id = r.tenant_id AND c.batch_id = r.batch_id AND c.number = r.chunk_number
    JOIN work_items w ON w.tenant_id = c.tenant_id AND w.id = c.work_item_id
    LEFT JOIN data_entry_documents d ON d.tenant_id = r.tenant_id AND d.id = r.document_id
    WHERE r.id = $1
    FOR UPDATE OF r FOR SHARE OF w
"""
# The first saves move the batch out of ``ready``: they take it for update (a share lock never upgrades; two
# saves upgrading would deadlock). A rejected or cancelled chunk no longer holds the batch open, so its
# records' saves hold the batch itself.
_HOLD_BATCH = "SELECT status FROM data_entry_batches WHERE tenant_id = $1 AND id = $2 FOR {}"
_ACCEPT = """
    UPDATE data_entry_records SET values = $3, problems = '{}'::jsonb, status = 'accepted', updated_by = $4,
                                  updated_at = $5
    WHERE tenant_id = $1 AND id = $2
"""
_IN_PROGRESS = "UPDATE data_entry_batches SET status = 'in_progress', updated_at = $3 WHERE tenant_id = $1 AND id = $2"


@dataclass(frozen=True, slots=True)
class _Row:
    """What ``record_changes.judge`` reads of a record."""

    tenant_id: UUID
    id: UUID
    batch_id: UUID
    values: dict[str, Any]
    problems: dict[str, str]


async def save_single_keyed(
    session: AsyncSession, request: Request, record_id: UUID, sent: dict[str, Any], *, by: UUID
) -> RecordOut | None:
    """Accept the record with ``sent`` merged in, audited, as the caller sees it; None: the ORM path decides."""
    connection = await driver_connection(session)
    found = await connection.fetchrow(_OPEN, record_id)
    if found is None:
        return None
    tenant_id, batch_id = found["tenant_id"], found["batch_id"]
    schema = await compiled_by_id(connection, tenant_id, found["schema_id"])
    if schema is None or schema.double_key:
        return None
    state = WorkState(found["chunk_state"])
    if state is WorkState.DONE:
        raise ConflictError("The record's chunk is done; reopen its work item to change it")
    status = BatchStatus(found["batch_status"])
    if status is BatchStatus.READY or state in CLOSED_STATES:
        hold = _HOLD_BATCH.format("UPDATE" if status is BatchStatus.READY else "SHARE")
        status = BatchStatus(await connection.fetchval(hold, tenant_id, batch_id))
    if status not in OPEN_FOR_KEYING:
        raise ConflictError(f"The batch is {status.value}; its records cannot be changed now")
    before = found["values"]
    row = _Row(tenant_id, record_id, batch_id, before, found["problems"])
    values = await judge(session, row, schema.checks, {**before, **sent}, sent)
    now = utc_now()
    await connection.execute(_ACCEPT, tenant_id, record_id, json.dumps(values), by, now)
    if status is BatchStatus.READY:
        await connection.execute(_IN_PROGRESS, tenant_id, batch_id, now)
    changed = {name: {"old": before.get(name), "new": value} for name, value in values.items()
               if before.get(name) != value}  # fmt: skip
    record_event(
        session, request, tenant_id=tenant_id, action="data_entry_record.saved", subject_type="data_entry_record",
        subject_id=str(record_id), changes={"row": found["row_number"], "values": changed},
    )  # fmt: skip
    document = None
    if found["document_id"] is not None:
        document = RecordDocumentOut(
            id=found["document_id"], content_type=found["content_type"], page=found["page"], pages=found["pages"],
            filename=found["filename"],
        )  # fmt: skip
    return RecordOut(
        id=record_id, tenant_id=tenant_id, batch_id=batch_id, chunk_number=found["chunk_number"],
        row_number=found["row_number"], status=RecordStatus.ACCEPTED.value, values=values, problems={},
        updated_at=now, document=document,
    )  # fmt: skip
