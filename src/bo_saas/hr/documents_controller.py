"""``/api/v1/hr/documents``: employees' documents with expiry dates (national id, visa, work permit, contract).

Everyone in the tenant's scope lists them (kind and expiry are no personal
data); the tenant's client admin and hr staff add, change and delete them and
attach a file, which only they download (audited as ``hr.personal_data_read``).
Another tenant's document answers 404.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.hr.access import may_see_personal, require_keeper
from bo_saas.hr.case_errors import DocumentNotFound, InvalidDocument
from bo_saas.hr.case_models import EmployeeDocument
from bo_saas.hr.case_schemas import DocumentIn, DocumentKindName, DocumentOut, DocumentUpdate
from bo_saas.hr.documents import MAX_FILE_BYTES, Documents, new_document, store_file, view
from bo_saas.hr.employees import Employees
from bo_saas.hr.errors import NotAnHrKeeper
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.storage import storage_for
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.work.attachments_controller import content_disposition

FORM_OVERHEAD_BYTES = 64 * 1024


def _audit(db: AsyncSession, request: Request, document: EmployeeDocument, action: str, changes: dict) -> None:
    record_event(
        db, request, tenant_id=document.tenant_id, action=action, subject_type="hr_document",
        subject_id=str(document.id), changes={"kind": document.kind, "employee_id": str(document.employee_id),
                                              **changes},
    )  # fmt: skip


async def _writable(db: AsyncSession, request: Request, document_id: UUID) -> EmployeeDocument:
    document = await Documents().get(db, document_id, for_update=True)
    await require_keeper(db, request.user, TenantScope.of(document.tenant_id))
    return document


class DocumentController(Controller):
    path = "/api/v1/hr/documents"
    tags = ["hr"]

    @get("/", summary="List employee documents, soonest expiry first")
    async def list_documents(
        self,
        db: AsyncSession,
        page: PageRequest,
        employee_id: Annotated[UUID | None, QueryParameter(description="only this employee's documents")] = None,
        kind: Annotated[DocumentKindName | None, QueryParameter(description="only documents of this kind")] = None,
    ) -> OffsetPagination[DocumentOut]:
        return await list_page(
            db,
            Documents().select(),
            page,
            filters=[
                EmployeeDocument.employee_id == employee_id if employee_id else True,
                EmployeeDocument.kind == kind if kind else True,
            ],
            order_by=(EmployeeDocument.expires_on.asc().nulls_last(), EmployeeDocument.id),
            into=lambda rows: [view(row) for row in rows],
        )

    @post("/", summary="Record an employee's document (the tenant's admin or hr staff)")
    async def create_document(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: DocumentIn
    ) -> DocumentOut:
        tenant = await require_keeper(db, request.user, tenant_scope)
        employee = await Employees().get(db, data.employee_id)
        document = new_document(tenant.id, employee.id, kind=data.kind, title=data.title, expires_on=data.expires_on)
        db.add(document)
        await db.flush()
        _audit(db, request, document, "hr.document_created", {"expires_on": str(data.expires_on)})
        return view(document)

    @get("/{document_id:uuid}", summary="One document")
    async def get_document(self, db: AsyncSession, document_id: UUID) -> DocumentOut:
        return view(await Documents().get(db, document_id))

    @patch("/{document_id:uuid}", summary="Change a document (a renewal: a new expires_on is reminded again)")
    async def update_document(
        self, request: Request, db: AsyncSession, document_id: UUID, data: DocumentUpdate
    ) -> DocumentOut:
        document = await _writable(db, request, document_id)
        changes = {}
        for name in ("kind", "title", "expires_on"):
            value = getattr(data, name)
            if value is not None and getattr(document, name) != value:
                changes[name] = {"old": str(getattr(document, name)), "new": str(value)}
                setattr(document, name, value)
        if changes:
            await db.flush()
            _audit(db, request, document, "hr.document_updated", changes)
        return view(document)

    @delete("/{document_id:uuid}", summary="Delete a document and its file")
    async def delete_document(self, request: Request, db: AsyncSession, document_id: UUID) -> None:
        document = await _writable(db, request, document_id)
        key = document.file_key
        await db.delete(document)
        _audit(db, request, document, "hr.document_deleted", {})
        await db.flush()
        if key is not None:
            await storage_for(request.app.state.settings).delete(key)

    @put(
        "/{document_id:uuid}/file",
        summary="Attach the document's file (PDF or image), replacing any earlier one",
        description="multipart/form-data with `file`.",
        request_max_body_size=MAX_FILE_BYTES + FORM_OVERHEAD_BYTES,
        status_code=HTTP_200_OK,
    )
    async def put_file(
        self,
        request: Request,
        db: AsyncSession,
        document_id: UUID,
        data: Annotated[dict[str, UploadFile], Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> DocumentOut:
        document = await _writable(db, request, document_id)
        upload = data.get("file")
        if not isinstance(upload, UploadFile):
            message = "Send the file as a multipart field named file"
            raise InvalidDocument(message, extra={"problems": {"file": message}})
        storage = storage_for(request.app.state.settings)
        replaced = await store_file(
            db, storage, document, upload.filename or "", upload.content_type or "", await upload.read()
        )
        _audit(db, request, document, "hr.document_file_attached", {"file_name": document.file_name})
        if replaced is not None:
            await storage.delete(replaced)
        return view(document)

    # No media_type here: the file's own type goes on the Stream.
    @get("/{document_id:uuid}/file", summary="Download the document's file (who may see personal data; audited)")
    async def get_file(self, request: Request, db: AsyncSession, document_id: UUID) -> Stream:
        document = await Documents().get(db, document_id)
        if not await may_see_personal(db, request.user):
            raise NotAnHrKeeper("Only the tenant's client admin or provider staff with the hr skill see documents")
        if document.file_key is None:
            raise DocumentNotFound("This document has no file")
        chunks = await storage_for(request.app.state.settings).open(document.file_key)
        record_event(
            db, request, tenant_id=document.tenant_id, action="hr.personal_data_read", subject_type="hr_document",
            subject_id=str(document.id), changes={"employee_ids": [str(document.employee_id)], "fields": ["file"]},
        )  # fmt: skip
        return Stream(
            chunks,
            media_type=document.content_type,
            headers={
                "Content-Disposition": content_disposition(document.file_name or "document"),
                "Content-Length": str(document.file_size or 0),
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )
