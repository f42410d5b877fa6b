"""Employee documents: a national id, visa, work permit or contract with its expiry date and an optional file.

The expiry drives the compliance reminders (``hr.compliance``). The file is a
copy of the document (a scan, the signed contract): it holds personal data, so
only the callers who may see personal data download it, and each download is
audited like any other personal data read.
"""

from __future__ import annotations

from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.hr.case_errors import DocumentNotFound, InvalidDocument
from bo_saas.hr.case_models import EmployeeDocument
from bo_saas.hr.case_schemas import DocumentOut
from bo_saas.lib.repository import TenantRepository
from bo_saas.lib.storage import LocalFileStorage, new_storage_key

MAX_FILE_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/webp")


class Documents(TenantRepository[EmployeeDocument]):
    model = EmployeeDocument
    not_found = DocumentNotFound
    not_found_message = "No such document"


def view(document: EmployeeDocument) -> DocumentOut:
    return DocumentOut(
        id=document.id, employee_id=document.employee_id, kind=document.kind, title=document.title,
        expires_on=document.expires_on, file_name=document.file_name, has_file=document.file_key is not None,
    )  # fmt: skip


def new_document(tenant_id: UUID, employee_id: UUID, **fields: object) -> EmployeeDocument:
    return EmployeeDocument(id=uuid4(), tenant_id=tenant_id, employee_id=employee_id, **fields)


async def store_file(
    session: AsyncSession,
    storage: LocalFileStorage,
    document: EmployeeDocument,
    filename: str,
    content_type: str,
    content: bytes,
) -> str | None:
    """Keep ``content`` as the document's file; the key of the file it replaced (to delete after commit), if any."""
    if not content:
        raise InvalidDocument("The file is empty", extra={"problems": {"file": "empty"}})
    if len(content) > MAX_FILE_BYTES:
        message = f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"
        raise InvalidDocument(message, extra={"problems": {"file": message}})
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type not in ALLOWED_TYPES:
        message = f"A document file is a PDF or an image ({', '.join(ALLOWED_TYPES)}), not {media_type or 'unknown'}"
        raise InvalidDocument(message, extra={"problems": {"file": message}})
    key = new_storage_key(document.tenant_id)
    await storage.save(key, content)
    replaced = document.file_key
    document.file_key, document.file_name = key, (filename or "document")[:255]
    document.content_type, document.file_size = media_type, len(content)
    await session.flush()
    return replaced
