"""``/api/v1/books/documents``: bills, receipts and sales invoices sent to be booked, each on its own work item.

The tenant's people (and its API clients) send documents as multipart
(``kind``, ``file``, ``note``): 201 with the new document, or 200 with the one
already sent when the same file comes again. Everyone on the tenant and the
staff serving it list and read them and fetch the file; a bookkeeper books one
(``POST /{id}/book`` with the entry's date and lines), which posts the entry
linked to it. Another tenant's document answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.bookkeeping import documents
from bo_saas.bookkeeping.access import one_tenant, open_book, require_keeper, tenant_today
from bo_saas.bookkeeping.document_models import BookDocument, DocumentKind
from bo_saas.bookkeeping.documents import Documents, bookings
from bo_saas.bookkeeping.documents_schemas import NOTE, BookDocumentOut, DocumentBookingIn, DocumentKindName
from bo_saas.bookkeeping.entries import LineInput
from bo_saas.bookkeeping.errors import InvalidBookkeepingRequest
from bo_saas.bookkeeping.posting import entry_number
from bo_saas.bookkeeping.views import entries_out
from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_staff
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.storage import storage_for
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write
from bo_saas.work.attachments_controller import content_disposition

FORM_OVERHEAD_BYTES = 64 * 1024


@dataclass
class DocumentUpload:
    kind: DocumentKindName  # bill, receipt or sales_invoice
    file: UploadFile  # PDF, PNG, JPEG or WebP
    note: str = ""  # anything the bookkeeper should know


async def documents_out(db: AsyncSession, rows: list[BookDocument]) -> list[BookDocumentOut]:
    """The documents' bodies with their booking and entry, in a few queries for the whole page."""
    booked = await bookings(db, rows)
    entries = [booking.entry for booking in booked.values() if booking.entry is not None]
    entry_bodies = {body.id: body for body in await entries_out(db, entries)}
    return [
        BookDocumentOut(
            id=row.id, work_item_id=row.work_item_id, kind=row.kind, filename=row.filename,
            content_type=row.content_type, pages=row.pages, size_bytes=row.size_bytes, note=row.note,
            status=booked[row.id].status,
            entry=entry_bodies.get(booked[row.id].entry.id) if booked[row.id].entry is not None else None,
            uploaded_at=row.created_at, booked_at=row.booked_at,
        )
        for row in rows
    ]  # fmt: skip


async def document_out(db: AsyncSession, row: BookDocument) -> BookDocumentOut:
    return (await documents_out(db, [row]))[0]


class DocumentController(Controller):
    path = "/api/v1/books/documents"
    tags = ["books"]

    @get("/", summary="List the documents sent to be booked, newest first")
    async def list_documents(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        page: PageRequest,
        kind: Annotated[DocumentKindName | None, QueryParameter(description="only documents of this kind")] = None,
        work_item_id: Annotated[UUID | None, QueryParameter(description="the document of this work item")] = None,
    ) -> OffsetPagination[BookDocumentOut]:
        tenant_id = one_tenant(tenant_scope)
        filters = [BookDocument.tenant_id == tenant_id]
        if kind is not None:
            filters.append(BookDocument.kind == kind)
        if work_item_id is not None:
            filters.append(BookDocument.work_item_id == work_item_id)
        return await list_page(
            db, Documents().select(), page, filters=filters,
            order_by=(BookDocument.created_at.desc(), BookDocument.id), into=lambda rows: documents_out(db, rows),
        )  # fmt: skip

    @post(
        "/",
        summary="Send a bill, receipt or sales invoice (PDF or image) to be booked; it becomes a work item",
        description="multipart/form-data with `kind` (bill, receipt, sales_invoice), `file` and an optional "
        "`note`. 201 with the new document and its work item; 200 with the earlier document when the same file "
        "was sent before. Refused: not a PDF/PNG/JPEG/WebP, a name that disagrees with the content, a damaged "
        "or password-protected PDF (422), too large (413).",
        request_max_body_size=50 * 1024 * 1024 + FORM_OVERHEAD_BYTES,
        status_code=HTTP_201_CREATED,
    )
    async def send_document(
        self,
        request: Request,
        db: AsyncSession,
        tenant_scope: TenantScope,
        data: Annotated[DocumentUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[BookDocumentOut]:
        caller: Caller = request.user
        tenant = await tenant_for_write(db, caller, tenant_scope)
        settings = request.app.state.settings
        note = (data.note or "").strip()
        if len(note) > NOTE:
            raise InvalidBookkeepingRequest(f"A note has at most {NOTE} characters", extra={"field": "note"})
        document, made = await documents.take_in_document(
            db, storage_for(settings), caller, tenant, kind=DocumentKind(data.kind),
            filename=data.file.filename or "", data=await data.file.read(), note=note, today=tenant_today(tenant),
            max_bytes=settings.attachment_max_bytes,
        )  # fmt: skip
        if made:
            record_event(
                db, request, tenant_id=tenant.id, action="book_document.received", subject_type="book_document",
                subject_id=str(document.id), changes={"kind": document.kind, "filename": document.filename},
            )  # fmt: skip
        return Response(await document_out(db, document), status_code=HTTP_201_CREATED if made else HTTP_200_OK)

    @get("/{document_id:uuid}", summary="One document, with its booking")
    async def get_document(self, request: Request, db: AsyncSession, document_id: UUID) -> BookDocumentOut:
        return await document_out(db, await Documents(request.user).get(db, document_id))

    # No media_type here: a handler's media_type would override the document's own type on the Stream.
    @get("/{document_id:uuid}/file", summary="A document's bytes: shown inline, or saved with ?download=true")
    async def get_file(
        self,
        request: Request,
        db: AsyncSession,
        document_id: UUID,
        download: Annotated[bool, QueryParameter(description="true: offer to save the file")] = False,
    ) -> Stream:
        document = await Documents(request.user).get(db, document_id)
        chunks = await storage_for(request.app.state.settings).open(document.storage_key)
        disposition = content_disposition(document.filename)
        return Stream(
            chunks,
            media_type=document.content_type,
            headers={
                "Content-Disposition": disposition if download else "inline" + disposition.removeprefix("attachment"),
                "Content-Length": str(document.size_bytes),
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )

    @post("/{document_id:uuid}/book", summary="Book a document: its journal entry, posted and linked (bookkeepers)",
          guards=[requires_staff], status_code=201)  # fmt: skip
    async def book_document(
        self, request: Request, db: AsyncSession, document_id: UUID, data: DocumentBookingIn
    ) -> BookDocumentOut:
        document = await Documents(request.user).get(db, document_id, for_update=True)
        await require_keeper(db, request.user, document.tenant_id)
        book = await open_book(db, document.tenant_id)
        lines = [
            LineInput(
                account=line.account, debit=line.debit, credit=line.credit, description=line.description,
                currency=line.currency, foreign_amount=line.foreign_amount,
                rate=Decimal(line.rate) if line.rate is not None else None,
            )
            for line in data.lines
        ]  # fmt: skip
        entry = await documents.book(
            db, book, document, entry_date=data.date, memo=data.memo, lines=lines,
            maker_id=request.user.actor_id, now=utc_now(),
        )  # fmt: skip
        record_event(
            db, request, tenant_id=document.tenant_id, action="book_document.booked", subject_type="book_document",
            subject_id=str(document.id),
            changes={"entry_id": str(entry.id), "number": entry_number(entry), "status": entry.status.value},
        )  # fmt: skip
        return await document_out(db, document)
