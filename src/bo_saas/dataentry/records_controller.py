"""``/api/v1/data-entry/records/{id}``: one record, and provider staff keying or correcting its values.

A save with any invalid value answers 422 with each field's problem and
changes nothing. Another tenant's record answers 404.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, get, put
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.dataentry.records import Records, save_record
from bo_saas.dataentry.schemas import RecordIn, RecordOut
from bo_saas.lib.caller import Caller
from bo_saas.lib.guards import requires_staff
from bo_saas.lib.listing import to_struct
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write


class RecordController(Controller):
    path = "/api/v1/data-entry/records"
    tags = ["data-entry"]

    @get("/{record_id:uuid}", summary="One record, with its problems")
    async def get_record(self, request: Request, db: AsyncSession, record_id: UUID) -> RecordOut:
        return to_struct(await Records(request.user).get(db, record_id), RecordOut)

    @put("/{record_id:uuid}", summary="Key or correct a record's values (provider staff)", guards=[requires_staff])
    async def save(self, request: Request, db: AsyncSession, record_id: UUID, data: RecordIn) -> RecordOut:
        caller: Caller = request.user
        record = await Records(caller).get(db, record_id, for_update=True)
        await tenant_for_write(db, caller, TenantScope.of(record.tenant_id))
        before = dict(record.values)
        await save_record(db, record, data.values, by=caller.account_id)
        changed = {name: {"old": before.get(name), "new": value} for name, value in record.values.items()
                   if before.get(name) != value}  # fmt: skip
        record_event(
            db, request, tenant_id=record.tenant_id, action="data_entry_record.saved", subject_type="data_entry_record",
            subject_id=str(record.id), changes={"row": record.row_number, "values": changed},
        )  # fmt: skip
        return to_struct(record, RecordOut)
