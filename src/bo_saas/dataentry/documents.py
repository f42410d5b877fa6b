"""Batches of documents: PDFs and images a client sends to be keyed, one record per document or per PDF page.

A document's type is read from its first bytes, never from its name, and the
name must agree: a ``.pdf`` that is really a PNG is refused, as is a type the
viewer cannot show. PDFs are opened with pypdf to count their pages (a
malformed or password-protected PDF is refused). Every problem in an upload is
reported at once, file by file (422), and nothing is stored. The same file
twice in one upload is kept once; the same set of files sent again for the same
schema and split is the existing batch (as a rows file is).

The records start empty and pending, each linked to its document and page, and
are chunked into work items by the same code as a rows batch, in the same
transaction: a documents batch is ready when the request answers.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

import anyio
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.errors import FileTooLarge, InvalidDataEntryRequest, UnreadableFile
from bo_saas.dataentry.importing import _split_into_chunks
from bo_saas.dataentry.models import Batch, BatchStatus, Document, Record, RecordStatus
from bo_saas.dataentry.record_schemas import current_schema
from bo_saas.dataentry.schemas import RecordDocumentOut, RecordOut
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import NotFoundError
from bo_saas.lib.repository import TenantRepository
from bo_saas.lib.storage import FileStorage, new_storage_key
from bo_saas.work.attachments import clean_filename, readable_size
from bo_saas.work.viewable_files import NotViewable, ViewableFile, check_viewable

DOCUMENTS_FORMAT = "documents"  # a batch's file_format when it is documents, not a rows file
MAX_DOCUMENTS = 200  # per upload: a bound on the work one request does


class Split(enum.StrEnum):
    DOCUMENT = "document"  # one record per document
    PAGE = "page"  # one record per page of a PDF (an image is one page)


class DocumentNotFound(NotFoundError):
    pass


class Documents(TenantRepository[Document]):
    model = Document
    not_found = DocumentNotFound
    not_found_message = "No such document"


@dataclass(frozen=True, slots=True)
class SentDocument:
    filename: str
    data: bytes


def _check(document: SentDocument) -> ViewableFile:
    """The document with its real type and page count, or ``UnreadableFile`` saying what is wrong with it."""
    try:
        return check_viewable(document.filename, document.data)
    except NotViewable as problem:
        raise UnreadableFile(str(problem)) from None


def check_documents(documents: Sequence[SentDocument], max_bytes: int) -> list[ViewableFile]:
    """Every document checked; one 413 or 422 listing each refused file if any is refused. Duplicates dropped."""
    too_large = [document.filename for document in documents if len(document.data) > max_bytes]
    if too_large:
        raise FileTooLarge(
            f"Larger than the {readable_size(max_bytes)} limit for one document: {', '.join(too_large)}",
            extra={"files": [{"filename": name, "problem": "is too large"} for name in too_large]},
        )
    checked: dict[str, ViewableFile] = {}
    refused: list[dict[str, str]] = []
    for document in documents:
        try:
            ok = _check(document)
        except UnreadableFile as problem:
            refused.append({"filename": document.filename, "problem": problem.message})
            continue
        checked.setdefault(ok.sha256, ok)  # the same file twice in one upload: keyed once
    if refused:
        listed = "; ".join(f"{entry['filename']} {entry['problem']}" for entry in refused)
        raise UnreadableFile(f"Some documents cannot be taken: {listed}", extra={"files": refused})
    return list(checked.values())


def _batch_sha256(documents: Sequence[ViewableFile], split: Split) -> str:
    """The upload's identity: its distinct files (in any order) and how they are split."""
    joined = ",".join(sorted(document.sha256 for document in documents))
    return hashlib.sha256(f"{DOCUMENTS_FORMAT}:{split.value}:{joined}".encode()).hexdigest()


async def take_in_documents(
    session: AsyncSession,
    storage: FileStorage,
    tenant_id: UUID,
    *,
    schema_code: str,
    split: Split,
    documents: Sequence[SentDocument],
    max_document_bytes: int,
    max_total_bytes: int,
    by: UUID | None,
) -> tuple[Batch, bool]:
    """The batch for these documents: (an existing one, False) or (a new one, chunked and ready, True)."""
    if not documents:
        raise InvalidDataEntryRequest("Send at least one document", extra={"field": "documents"})
    if len(documents) > MAX_DOCUMENTS:
        raise InvalidDataEntryRequest(f"Send at most {MAX_DOCUMENTS} documents at once", extra={"field": "documents"})
    total = sum(len(document.data) for document in documents)
    if total > max_total_bytes:
        raise FileTooLarge(f"The documents are over {readable_size(max_total_bytes)} together; send them in parts")
    documents = [SentDocument(clean_filename(document.filename), document.data) for document in documents]
    schema = await current_schema(session, tenant_id, schema_code.strip())
    if schema is None:
        raise InvalidDataEntryRequest(
            f"There is no record schema with the code {schema_code!r}", extra={"field": "schema"}
        )
    # Page counting parses each PDF: off the event loop.
    checked = await anyio.to_thread.run_sync(check_documents, documents, max_document_bytes)
    sha256 = _batch_sha256(checked, split)
    same = select(Batch).where(Batch.tenant_id == tenant_id, Batch.schema_code == schema.code, Batch.sha256 == sha256)
    if (existing := await session.scalar(same)) is not None:
        return existing, False
    keys = [new_storage_key(tenant_id) for _ in checked]
    try:
        for key, document in zip(keys, checked, strict=True):
            await storage.save(key, document.data)
        batch = Batch(
            id=uuid4(), tenant_id=tenant_id, schema_id=schema.id, schema_code=schema.code,
            status=BatchStatus.IMPORTING, filename=_batch_name(checked), file_format=DOCUMENTS_FORMAT,
            storage_key=None, sha256=sha256, size_bytes=sum(len(document.data) for document in checked),
            columns=[], rows_imported=0, created_by=by,
        )  # fmt: skip
        async with session.begin_nested():
            session.add(batch)
            await session.flush()
        rows = await _store_documents(session, batch, checked, keys, split, schema.chunk_size)
        await _split_into_chunks(session, tenant_id, batch.id, rows)
        await session.flush()
    except IntegrityError:
        # The same upload sent twice at once: the other request's batch is the answer.
        await _delete(storage, keys)
        if (existing := await session.scalar(same)) is None:
            raise
        return existing, False
    except BaseException:
        await _delete(storage, keys)  # storage keeps no file without its row
        raise
    return batch, True


def _batch_name(documents: Sequence[ViewableFile]) -> str:
    first = documents[0].filename
    return first if len(documents) == 1 else clean_filename(f"{first} and {len(documents) - 1} more")


async def _store_documents(
    session: AsyncSession,
    batch: Batch,
    documents: Sequence[ViewableFile],
    keys: Sequence[str],
    split: Split,
    chunk_size: int,
) -> int:
    """The documents' rows and their empty records (one per document, or per page); the number of records."""
    now = utc_now()
    records: list[dict] = []
    for number, (document, key) in enumerate(zip(documents, keys, strict=True), start=1):
        document_id = uuid4()
        session.add(
            Document(
                id=document_id, tenant_id=batch.tenant_id, batch_id=batch.id, number=number,
                filename=document.filename, content_type=document.content_type, pages=document.pages,
                size_bytes=len(document.data), sha256=document.sha256, storage_key=key, created_at=now,
            )
        )  # fmt: skip
        # Split per document, a record is the whole document: no page.
        pages = range(1, document.pages + 1) if split is Split.PAGE else (None,)
        for page in pages:
            row = len(records) + 1
            records.append(
                {
                    "tenant_id": batch.tenant_id, "id": uuid4(), "batch_id": batch.id, "row_number": row,
                    "chunk_number": (row - 1) // chunk_size + 1, "status": RecordStatus.PENDING, "values": {},
                    "problems": {}, "import_problems": {}, "updated_at": now, "document_id": document_id,
                    "page": page,
                }
            )  # fmt: skip
    await session.flush()
    await session.execute(insert(Record), records)
    return len(records)


async def _delete(storage: FileStorage, keys: Sequence[str]) -> None:
    with anyio.CancelScope(shield=True):  # the deletes must finish even when the request was cancelled
        for key in keys:
            await storage.delete(key)


async def add_documents(session: AsyncSession, records: Sequence[Record], outs: Sequence[RecordOut]) -> None:
    """Fill each record's ``document`` (the file it is keyed from, and its page), in one query."""
    ids = {record.document_id for record in records if record.document_id is not None}
    if not ids:
        return
    tenant_ids = {record.tenant_id for record in records}
    rows = await session.execute(
        select(Document.id, Document.content_type, Document.pages, Document.filename).where(
            Document.tenant_id.in_(tenant_ids), Document.id.in_(ids)
        )
    )
    found = {row.id: row for row in rows}
    for record, out in zip(records, outs, strict=True):
        document = found.get(record.document_id)
        if document is not None:
            out.document = RecordDocumentOut(
                id=document.id, content_type=document.content_type, page=record.page, pages=document.pages,
                filename=document.filename,
            )  # fmt: skip
