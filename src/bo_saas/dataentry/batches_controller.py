"""``/api/v1/data-entry/batches``: a client sends a CSV or XLSX of rows, or documents to key; the tenant follows it.

``POST`` answers 201 with the new batch (a rows file's import runs in the
background: watch ``status`` and ``rows_imported``; documents are ready at
once), or 200 with the existing batch when the same file or documents were
already sent for the same schema. Another tenant's batch answers 404.
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
from bo_saas.dataentry.documents import SentDocument, Split, take_in_documents
from bo_saas.dataentry.errors import FileTooLarge, InvalidDataEntryRequest
from bo_saas.dataentry.models import Batch, BatchStatus, Record, RecordStatus
from bo_saas.dataentry.records import Records, records_seen_by
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
    file: UploadFile | None = None  # CSV (.csv, .tsv, .txt) or XLSX; or else documents
    documents: list[UploadFile] | None = None  # PDF, PNG, JPEG or WebP files, to key from
    split: Split = Split.DOCUMENT  # documents: one record per document, or per PDF page


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
        summary="Send a file of rows (CSV or XLSX), or documents to key (PDF, PNG, JPEG, WebP), for a record schema",
        description="multipart/form-data with `schema` and either `file` (rows) or one or more `documents`; "
        "`split` is `document` (one record per document, the default) or `page` (one per PDF page). Refused: "
        "a file that is not what its name says, a damaged or password-protected PDF (422, each file listed in "
        "`extra.files`), too large (413).",
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
        settings = request.app.state.settings
        if (data.file is None) == (not data.documents):
            raise InvalidDataEntryRequest("Send either a file of rows or documents, not both and not neither")
        if data.file is not None:
            content = await data.file.read()
            if len(content) > MAX_FILE_BYTES:
                raise FileTooLarge(f"The file is over {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it into several")
            batch, made = await take_in_file(
                db,
                storage_for(settings),
                tenant.id,
                schema_code=data.schema,
                filename=data.file.filename or "",
                data=content,
                by=caller.account_id,
            )
        else:
            sent = [SentDocument(upload.filename or "", await upload.read()) for upload in data.documents]
            batch, made = await take_in_documents(
                db,
                storage_for(settings),
                tenant.id,
                schema_code=data.schema,
                split=data.split,
                documents=sent,
                max_document_bytes=settings.attachment_max_bytes,
                max_total_bytes=MAX_FILE_BYTES,
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
            into=lambda rows: records_seen_by(db, rows, caller.account_id),
        )
