"""Blind double keying: two people key a record apart, agreement accepts it, a third person settles disagreement.

A schema with ``double_key`` has every record keyed twice, by two different
people (the table refuses one person keying both passes), each starting from
the imported row and never shown the other's values. While a keyer waits for
the other pass they may key theirs again. When the second pass comes in the
two are compared field by field: all alike, the record is accepted with them;
any field different, the record goes to adjudication, where a third member of
staff (never one of its keyers) sees both values of each disagreeing field and
sends the value to accept for each. Both passes stay, so accuracy can compare
each with what was accepted (``accuracy``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.errors import InvalidRecordValues
from bo_saas.dataentry.models import Batch, Keying, Record, RecordSchema, RecordStatus
from bo_saas.dataentry.record_changes import accept, fields_of, judge, open_for_change, worked_on
from bo_saas.dataentry.schemas import AdjudicationOut, Disagreement, RecordOut
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import ConflictError, ForbiddenError
from bo_saas.lib.listing import to_struct


class KeyerCannotAdjudicate(ForbiddenError):
    """403: one of the record's keyers asked to settle it; a third person must."""


async def passes_of(session: AsyncSession, record: Record, *, for_update: bool = False) -> list[Keying]:
    statement = (
        select(Keying)
        .where(Keying.tenant_id == record.tenant_id, Keying.record_id == record.id)
        .order_by(Keying.pass_number)
    )
    return list(await session.scalars(statement.with_for_update() if for_update else statement))


def disagreeing(first: dict[str, Any], second: dict[str, Any]) -> list[str]:
    """The fields the two passes keyed differently, in the first pass's (the schema's) order."""
    return [name for name in first if first.get(name) != second.get(name)]


async def key_pass(
    session: AsyncSession, record: Record, batch: Batch, schema: RecordSchema, sent: dict[str, Any], *, by: UUID
) -> Keying:
    """Store the caller's pass (their first, or again while the other is not in); compare once both are in."""
    if record.status is RecordStatus.ACCEPTED:
        raise ConflictError("The record is accepted already: its two passes agreed, or it was adjudicated")
    if record.status is RecordStatus.IN_ADJUDICATION:
        raise ConflictError("Both passes of this record are in and disagree; it waits for adjudication")
    passes = await passes_of(session, record, for_update=True)
    mine = next((keying for keying in passes if keying.keyer_id == by), None)
    fields = fields_of(schema)
    # A keyer builds on their own pass, or on the imported row: never on the other keyer's values.
    values = await judge(session, record, fields, {**(mine.values if mine else record.values), **sent}, sent)
    now = utc_now()
    if mine is None:
        mine = Keying(
            id=uuid4(), tenant_id=record.tenant_id, record_id=record.id, pass_number=len(passes) + 1, keyer_id=by,
            values=values, keyed_at=now,
        )  # fmt: skip
        session.add(mine)
        passes.append(mine)
    else:
        mine.values, mine.keyed_at = values, now
    record.updated_at = now
    if len(passes) == 1:
        record.status = RecordStatus.AWAITING_SECOND_KEY
        worked_on(batch)
    elif disagreeing(passes[0].values, passes[1].values):
        record.status = RecordStatus.IN_ADJUDICATION
        worked_on(batch)
    else:
        accept(record, batch, values, by=None)  # the two passes decided it, not one person
    await session.flush()
    return mine


async def _settling(session: AsyncSession, record: Record, by: UUID, *, for_update: bool = False) -> list[Keying]:
    """The record's two passes, when ``by`` may settle it: 409 unless it waits for that, 403 for its keyers."""
    if record.status is not RecordStatus.IN_ADJUDICATION:
        raise ConflictError(
            f"The record is not waiting for adjudication (it is {record.status.value.replace('_', ' ')})"
        )
    passes = await passes_of(session, record, for_update=for_update)
    if any(keying.keyer_id == by for keying in passes):
        raise KeyerCannotAdjudicate("You keyed this record; a third member of staff adjudicates it")
    return passes


async def adjudication(session: AsyncSession, record: Record, *, by: UUID) -> AdjudicationOut:
    """What the adjudicator decides on: both passes' values of each disagreeing field, and the agreed ones."""
    first, second = await _settling(session, record, by)
    differing = disagreeing(first.values, second.values)
    return AdjudicationOut(
        record_id=record.id,
        batch_id=record.batch_id,
        row_number=record.row_number,
        imported=record.values,
        agreed={name: value for name, value in first.values.items() if name not in differing},
        disagreements=[
            Disagreement(field=name, first=first.values.get(name), second=second.values.get(name)) for name in differing
        ],
    )


async def adjudicate(session: AsyncSession, record: Record, chosen: dict[str, Any], *, by: UUID) -> list[str]:
    """Accept the record with the agreed values and ``chosen`` for each disagreeing field; the fields settled."""
    batch, schema = await open_for_change(session, record)
    first, second = await _settling(session, record, by, for_update=True)
    differing = disagreeing(first.values, second.values)
    problems = {name: "needs a value: the two passes disagree on it" for name in differing if name not in chosen}
    problems |= {
        name: "was keyed alike in both passes; only disagreeing fields are adjudicated"
        for name in chosen
        if name in first.values and name not in differing
    }
    if problems:
        raise InvalidRecordValues(
            "Send a value for each disagreeing field, and only for those: "
            + "; ".join(f"{name} {problem}" for name, problem in problems.items()),
            extra={"problems": problems},
        )
    values = await judge(session, record, fields_of(schema), {**first.values, **chosen}, chosen)
    accept(record, batch, values, by=by)
    await session.flush()
    return differing


async def records_out(
    session: AsyncSession, records: Sequence[Record], caller_id: UUID | None, *, passes: bool = True
) -> list[RecordOut]:
    """Records as ``caller_id`` sees them: how many passes are in, and their own pass (never the other's).

    ``passes=False`` when the caller knows the records are single-keyed: there is nothing to read.
    """
    if not records:
        return []
    ids = [record.id for record in records]
    tenant_ids = {record.tenant_id for record in records}
    # Every pass of these records (two at most each) in one query: counted, and the caller's own kept.
    keyed = (
        await session.execute(
            select(Keying.record_id, Keying.keyer_id, Keying.values).where(
                Keying.tenant_id.in_(tenant_ids), Keying.record_id.in_(ids)
            )
        )
        if passes
        else ()
    )
    passes: Counter[UUID] = Counter()
    own: dict[UUID, dict] = {}
    for record_id, keyer_id, values in keyed:
        passes[record_id] += 1
        if caller_id is not None and keyer_id == caller_id:
            own[record_id] = values
    # ``document`` is filled by the routes (documents.add_documents): a record row holds only its id.
    return [
        to_struct(record, RecordOut, passes_keyed=passes.get(record.id, 0), my_values=own.get(record.id), document=None)
        for record in records
    ]
