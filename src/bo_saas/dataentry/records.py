"""A batch's records: listed with their problems, and keyed or corrected by provider staff.

A save is judged with the schema version's ``fields.FieldChecks``, the rules
the import used: if any field fails, nothing is saved and the answer lists
each field's problem (422); the record as stored stays as it was. On a single-keyed schema a save
that passes clears the record's problems and accepts it; on a double-keyed one
it is the caller's blind pass (``keying``). Either moves the batch from ready
to in progress.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.documents import add_documents
from bo_saas.dataentry.errors import RecordNotFound
from bo_saas.dataentry.keying import key_pass, records_out
from bo_saas.dataentry.models import Keying, Record
from bo_saas.dataentry.record_changes import accept, fields_of, judge, open_for_change
from bo_saas.dataentry.schemas import RecordOut
from bo_saas.lib.repository import TenantRepository


class Records(TenantRepository[Record]):
    model = Record
    not_found = RecordNotFound
    not_found_message = "No such record"


async def save_record(session: AsyncSession, record: Record, sent: dict[str, Any], *, by: UUID) -> Keying | None:
    """Merge ``sent`` into the record and accept it, or store it as the caller's pass (returned); 422 if any fails."""
    batch, schema = await open_for_change(session, record)
    if schema.double_key:
        return await key_pass(session, record, batch, schema, sent, by=by)
    values = await judge(session, record, fields_of(schema), {**record.values, **sent}, sent)
    accept(record, batch, values, by=by)
    await session.flush()
    return None


async def records_seen_by(
    session: AsyncSession, records: Sequence[Record], caller_id: UUID | None, *, passes: bool = True
) -> list[RecordOut]:
    """Records as the caller sees them (``keying.records_out``), each with the document it is keyed from.

    ``passes=False``: the records are single-keyed, so there are no blind passes to read.
    """
    outs = await records_out(session, records, caller_id, passes=passes)
    await add_documents(session, records, outs)
    return outs
