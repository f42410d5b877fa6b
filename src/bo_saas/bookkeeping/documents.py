"""Documents to book: bills, receipts and sales invoices a client sends, each a work item the agent books.

A document's type is read from its first bytes (PDF, PNG, JPEG, WebP: what the
console's viewer shows) and the name must agree; a PDF must open (pypdf counts
its pages). Every document becomes one ``bookkeeping`` work item under the SLA,
in the same transaction that stores it; the bytes go to file storage first and
are deleted again if the rows cannot be written. The same file sent again is
the same document (200, nothing new), so a bill is never booked twice because
it was sent twice.

Booking makes the journal entry from the agent's lines and posts it (above the
book's threshold it waits for a second person, as any entry does), linked to
the document. A document is booked while its entry is posted and not reversed;
a reversed entry leaves the document to be booked again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid4

import anyio
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.document_models import BookDocument, DocumentKind
from bo_saas.bookkeeping.entries import LineInput, create_draft
from bo_saas.bookkeeping.errors import LedgerConflict
from bo_saas.bookkeeping.models import Book, EntryStatus, JournalEntry
from bo_saas.bookkeeping.posting import post
from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import DomainError, NotFoundError, UnprocessableError
from bo_saas.lib.repository import TenantRepository
from bo_saas.lib.storage import FileStorage, new_storage_key
from bo_saas.tenancy.models import Tenant
from bo_saas.work import items
from bo_saas.work.attachments import clean_filename, readable_size
from bo_saas.work.models import Priority, WorkItem, WorkState
from bo_saas.work.viewable_files import NotViewable, ViewableFile, check_viewable

SERVICE_TYPE = "bookkeeping"
BOOK_TASK = "book_documents"  # the service form's task for a document to book
# A document whose item was rejected or cancelled is not to be booked (a done one may be, after a reversal).
WITHDRAWN = frozenset({WorkState.REJECTED, WorkState.CANCELLED})
KIND_NAMES = {DocumentKind.BILL: "Bill", DocumentKind.RECEIPT: "Receipt", DocumentKind.SALES_INVOICE: "Sales invoice"}


class DocumentNotFound(NotFoundError):
    pass


class UnreadableDocument(UnprocessableError):
    """422: the file is not a PDF or image the viewer shows, is named as something else, or cannot be opened."""


class DocumentTooLarge(DomainError):
    status_code = 413


class Documents(TenantRepository[BookDocument]):
    model = BookDocument
    not_found = DocumentNotFound
    not_found_message = "No such document"


def check_file(filename: str, data: bytes, max_bytes: int) -> ViewableFile:
    """The file with its real type and pages; 413 or 422 saying what is wrong with it."""
    if len(data) > max_bytes:
        raise DocumentTooLarge(f"The document is larger than the {readable_size(max_bytes)} limit")
    try:
        return check_viewable(filename, data)
    except NotViewable as problem:
        raise UnreadableDocument(f"The file {problem}") from None


def period_of(day: date) -> str:
    return f"{day:%Y-%m}"


async def take_in_document(
    session: AsyncSession,
    storage: FileStorage,
    caller: Caller,
    tenant: Tenant,
    *,
    kind: DocumentKind,
    filename: str,
    data: bytes,
    note: str,
    today: date,
    max_bytes: int,
) -> tuple[BookDocument, bool]:
    """(the existing document, False) when this file was sent before; else (a new one on a new work item, True)."""
    filename = clean_filename(filename)
    checked = await anyio.to_thread.run_sync(check_file, filename, data, max_bytes)  # pypdf parses: off the loop
    same = select(BookDocument).where(BookDocument.tenant_id == tenant.id, BookDocument.sha256 == checked.sha256)
    if (existing := await session.scalar(same)) is not None:
        return existing, False
    key = new_storage_key(tenant.id)
    await storage.save(key, checked.data)
    try:
        async with session.begin_nested():
            item = await items.create_item(
                session, caller, tenant, service_type=SERVICE_TYPE,
                title=f"{KIND_NAMES[kind]}: {checked.filename}"[:300],
                payload={"period": period_of(today), "task": BOOK_TASK, "document_count": 1, "notes": note},
                priority=Priority.NORMAL, submit=True,
            )  # fmt: skip
            document = BookDocument(
                id=uuid4(), tenant_id=tenant.id, work_item_id=item.id, kind=kind.value, filename=checked.filename,
                content_type=checked.content_type, pages=checked.pages, size_bytes=len(checked.data),
                sha256=checked.sha256, storage_key=key, note=note, uploaded_by=caller.actor_id, created_at=utc_now(),
            )  # fmt: skip
            session.add(document)
            await session.flush()
    except IntegrityError:
        await _delete(storage, key)
        # The same file sent twice at once: the other request's document is the answer.
        if (existing := await session.scalar(same)) is None:
            raise
        return existing, False
    except BaseException:
        await _delete(storage, key)  # storage keeps no file without its row
        raise
    return document, True


async def _delete(storage: FileStorage, key: str) -> None:
    with anyio.CancelScope(shield=True):  # the delete must finish even when the request was cancelled
        await storage.delete(key)


@dataclass(frozen=True, slots=True)
class Booking:
    """Where a document stands: ``to_book``, ``pending_approval``, ``booked`` or ``reversed`` (to book again)."""

    status: str
    entry: JournalEntry | None


async def bookings(session: AsyncSession, documents: list[BookDocument]) -> dict[UUID, Booking]:
    """Each document's booking, its entries and their reversals read in two queries."""
    entry_ids = [document.entry_id for document in documents if document.entry_id is not None]
    entries: dict[UUID, JournalEntry] = {}
    reversed_ids: set[UUID] = set()
    if entry_ids:
        tenant_ids = {document.tenant_id for document in documents}
        found = await session.scalars(
            select(JournalEntry).where(JournalEntry.tenant_id.in_(tenant_ids), JournalEntry.id.in_(entry_ids))
        )
        entries = {entry.id: entry for entry in found}
        reversed_ids = set(
            await session.scalars(
                select(JournalEntry.reverses_id).where(
                    JournalEntry.tenant_id.in_(tenant_ids), JournalEntry.reverses_id.in_(entry_ids)
                )
            )
        )
    out = {}
    for document in documents:
        entry = entries.get(document.entry_id) if document.entry_id is not None else None
        if entry is None:
            status = "to_book"
        elif entry.id in reversed_ids:
            status = "reversed"
        elif entry.status is EntryStatus.POSTED:
            status = "booked"
        else:
            status = "pending_approval"
        out[document.id] = Booking(status, entry)
    return out


async def booking_of(session: AsyncSession, document: BookDocument) -> Booking:
    return (await bookings(session, [document]))[document.id]


async def book(
    session: AsyncSession,
    book: Book,
    document: BookDocument,
    *,
    entry_date: date,
    memo: str,
    lines: list[LineInput],
    maker_id: UUID | None,
    now: datetime,
) -> JournalEntry:
    """Make and post the document's entry (or send it for approval) and link it; 409 if it is booked already."""
    item = await session.get(WorkItem, (document.tenant_id, document.work_item_id))
    if item is not None and item.state in WITHDRAWN:
        raise LedgerConflict(f"The document's work item is {item.state.value}: it is not to be booked")
    current = await booking_of(session, document)
    if current.status in ("booked", "pending_approval"):
        raise LedgerConflict(
            f"The document is {current.status.replace('_', ' ')} already (entry {current.entry.id})",
            extra={"entry_id": str(current.entry.id)},
        )
    memo = memo.strip() or f"{KIND_NAMES[DocumentKind(document.kind)]} {document.filename}"
    entry = await create_draft(session, book, entry_date=entry_date, memo=memo, lines=lines, maker_id=maker_id)
    await post(session, book, entry, now)
    document.entry_id = entry.id
    document.booked_by = maker_id
    document.booked_at = now
    await session.flush()
    return entry
