"""``/api/v1/data-entry/records/{id}``: one record; provider staff key, correct or adjudicate its values.

A save with any invalid value answers 422 with each field's problem and
changes nothing. On a double-keyed schema ``PUT`` is the caller's blind pass:
no answer ever shows a keyer the other pass; ``GET .../adjudication`` shows
both passes where they differ, to staff who keyed neither, and ``POST
.../adjudicate`` settles them. Another tenant's record answers 404.

``GET`` on the collection lists records across the batches the caller sees:
a work item's chunk (``work_item``: the keying workspace's link from the item
to its records) or those in a status (``status=in_adjudication``: what waits
for an adjudicator). Another tenant's work item lists nothing.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, post, put
from litestar.params import QueryParameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.dataentry.keying import adjudicate, adjudication
from bo_saas.dataentry.models import Chunk, Record, RecordStatus
from bo_saas.dataentry.record_saves import save_single_keyed
from bo_saas.dataentry.records import Records, records_seen_by, save_record
from bo_saas.dataentry.schemas import AdjudicationIn, AdjudicationOut, RecordIn, RecordOut
from bo_saas.lib.caller import Caller
from bo_saas.lib.guards import requires_staff
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import declare_staff_scope, log_tenant, tenant_for_write


class RecordController(Controller):
    path = "/api/v1/data-entry/records"
    tags = ["data-entry"]

    @get("/", summary="Records of a work item's chunk, or in a status, across the batches the caller sees")
    async def list_records(
        self,
        request: Request,
        db: AsyncSession,
        page: PageRequest,
        work_item: Annotated[UUID | None, QueryParameter(description="only this work item's chunk")] = None,
        status: Annotated[RecordStatus | None, QueryParameter(description="only records in this status")] = None,
    ) -> OffsetPagination[RecordOut]:
        caller: Caller = request.user
        filters = [Record.status == status if status else True]
        if work_item is not None:
            in_chunk = select(Chunk.id).where(
                Chunk.work_item_id == work_item,
                Chunk.tenant_id == Record.tenant_id,
                Chunk.batch_id == Record.batch_id,
                Chunk.number == Record.chunk_number,
            )
            filters.append(in_chunk.exists())
        return await list_page(
            db,
            Records(caller).select(),
            page,
            filters=filters,
            order_by=(Record.batch_id, Record.row_number),
            into=lambda rows: records_seen_by(db, rows, caller.account_id),
        )

    @get("/{record_id:uuid}", summary="One record, with its problems (and, to a keyer, their own pass)")
    async def get_record(self, request: Request, db: AsyncSession, record_id: UUID) -> RecordOut:
        caller: Caller = request.user
        record = await Records(caller).get(db, record_id)
        return (await records_seen_by(db, [record], caller.account_id))[0]

    @put("/{record_id:uuid}", summary="Key or correct a record's values (provider staff)", guards=[requires_staff])
    async def save(
        self, request: Request, db_session: AsyncSession, db_engine: AsyncEngine, record_id: UUID, data: RecordIn
    ) -> RecordOut:
        caller: Caller = request.user
        db = db_session
        # The desk's hottest write (bench/dataentry.py): the agent's scope is declared in the request's own
        # transaction, and a single-keyed save runs as a few plain statements (record_saves).
        await declare_staff_scope(request, db, db_engine)
        saved = await save_single_keyed(db, request, record_id, data.values, by=caller.account_id)
        if saved is not None:
            log_tenant(TenantScope.of(saved.tenant_id))
            return saved
        # Staff may write in a suspended tenant's records (tenant_for_write refuses only clients): the record,
        # found in the caller's scope, is all the check a save needs, and every save saves a round trip.
        record = await Records(caller).get(db, record_id, for_update=True)
        log_tenant(TenantScope.of(record.tenant_id))
        before = dict(record.values)
        keying = await save_record(db, record, data.values, by=caller.account_id)
        if keying is None:
            changed = {name: {"old": before.get(name), "new": value} for name, value in record.values.items()
                       if before.get(name) != value}  # fmt: skip
            action, changes = "data_entry_record.saved", {"row": record.row_number, "values": changed}
        else:  # a blind pass: the trail says who keyed which pass, not the values the other keyer must not see
            action = "data_entry_record.keyed"
            changes = {"row": record.row_number, "pass": keying.pass_number, "status": record.status.value}
        record_event(
            db, request, tenant_id=record.tenant_id, action=action, subject_type="data_entry_record",
            subject_id=str(record.id), changes=changes,
        )  # fmt: skip
        # A single-keyed record has no passes to count: its answer needs no read of them.
        return (await records_seen_by(db, [record], caller.account_id, passes=keying is not None))[0]

    @get(
        "/{record_id:uuid}/adjudication",
        summary="Both passes of a record in adjudication, where they differ (staff who keyed neither)",
        guards=[requires_staff],
    )
    async def get_adjudication(self, request: Request, db: AsyncSession, record_id: UUID) -> AdjudicationOut:
        caller: Caller = request.user
        record = await Records(caller).get(db, record_id)
        return await adjudication(db, record, by=caller.account_id)

    @post(
        "/{record_id:uuid}/adjudicate",
        summary="Accept a record in adjudication with a value for each disagreeing field (staff who keyed neither)",
        guards=[requires_staff],
        status_code=HTTP_200_OK,
    )
    async def adjudicate(self, request: Request, db: AsyncSession, record_id: UUID, data: AdjudicationIn) -> RecordOut:
        caller: Caller = request.user
        record = await Records(caller).get(db, record_id, for_update=True)
        await tenant_for_write(db, caller, TenantScope.of(record.tenant_id))
        settled = await adjudicate(db, record, data.values, by=caller.account_id)
        record_event(
            db, request, tenant_id=record.tenant_id, action="data_entry_record.adjudicated",
            subject_type="data_entry_record", subject_id=str(record.id),
            changes={"row": record.row_number, "values": {name: record.values[name] for name in settled}},
        )  # fmt: skip
        return (await records_seen_by(db, [record], caller.account_id))[0]
