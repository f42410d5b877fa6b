"""``/api/v1/data-entry/batches``: a client sends a CSV or XLSX of rows; everyone on the tenant follows its import.

``POST`` answers 201 with the new batch (its import runs in the background:
watch ``status`` and ``rows_imported``), or 200 with the existing batch when
the same file was already sent for the same schema. Another tenant's batch
answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.dataentry.batches import Batches, batch_detail, take_in_file
from bo_saas.dataentry.errors import FileTooLarge
from bo_saas.dataentry.keying import records_out
from bo_saas.dataentry.models import Batch, BatchStatus, Record, RecordStatus
from bo_saas.dataentry.records import Records
from bo_saas.dataentry.schemas import BatchDetailOut, BatchOut, RecordOut
from bo_saas.lib.caller import Caller
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.storage import storage_for
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write

MAX_FILE_BYTES = 50 * 1024 * 1024
FORM_OVERHEAD_BYTES = 64 * 1024


@dataclass
class BatchUpload:
    schema: str  # the record schema's code
    file: UploadFile  # CSV (.csv, .tsv, .txt) or XLSX


class BatchController(Controller):
    path = "/api/v1/data-entry/batches"
    tags = ["data-entry"]

    @get("/", summary="List batches, newest first")
    async def list_batches(
        self,
        db: AsyncSession,
        page: PageRequest,
        status: Annotated[BatchStatus | None, QueryParameter(description="only batches in this status")] = None,
    ) -> OffsetPagination[BatchOut]:
        return await list_page(
            db,
            Batches().select(),
            page,
            filters=[Batch.status == status if status else True],
            order_by=(Batch.created_at.desc(), Batch.id),
            into=BatchOut,
        )

    @post(
        "/",
        summary="Send a file of rows (CSV or XLSX) for a record schema",
        request_max_body_size=MAX_FILE_BYTES + FORM_OVERHEAD_BYTES,
        status_code=HTTP_201_CREATED,
    )
    async def create_batch(
        self,
        request: Request,
        db: AsyncSession,
        tenant_scope: TenantScope,
        data: Annotated[BatchUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[BatchDetailOut]:
        caller: Caller = request.user
        tenant = await tenant_for_write(db, caller, tenant_scope)
        content = await data.file.read()
        if len(content) > MAX_FILE_BYTES:
            raise FileTooLarge(f"The file is over {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it into several")
        batch, made = await take_in_file(
            db,
            storage_for(request.app.state.settings),
            tenant.id,
            schema_code=data.schema,
            filename=data.file.filename or "",
            data=content,
            by=caller.account_id,
        )
        if made:
            record_event(
                db, request, tenant_id=tenant.id, action="data_entry_batch.created", subject_type="data_entry_batch",
                subject_id=str(batch.id), changes={"schema": batch.schema_code, "filename": batch.filename},
            )  # fmt: skip
        detail = await batch_detail(db, batch)
        return Response(detail, status_code=HTTP_201_CREATED if made else HTTP_200_OK)

    @get("/{batch_id:uuid}", summary="One batch, with its progress and counts")
    async def get_batch(self, request: Request, db: AsyncSession, batch_id: UUID) -> BatchDetailOut:
        return await batch_detail(db, await Batches(request.user).get(db, batch_id))

    @get("/{batch_id:uuid}/records", summary="A batch's records in row order, with their problems")
    async def list_records(
        self,
        request: Request,
        db: AsyncSession,
        page: PageRequest,
        batch_id: UUID,
        with_problems: Annotated[
            bool | None, QueryParameter(description="true: only records with problems; false: only those without")
        ] = None,
        status: Annotated[RecordStatus | None, QueryParameter(description="only records in this status")] = None,
    ) -> OffsetPagination[RecordOut]:
        caller: Caller = request.user
        batch = await Batches(caller).get(db, batch_id)
        filters = [Record.tenant_id == batch.tenant_id, Record.batch_id == batch.id]
        if with_problems is not None:
            filters.append(Record.problems != {} if with_problems else Record.problems == {})
        if status is not None:
            filters.append(Record.status == status)
        return await list_page(
            db,
            Records().select(),
            page,
            filters=filters,
            order_by=(Record.row_number,),
            into=lambda rows: records_out(db, rows, caller.account_id),
        )
