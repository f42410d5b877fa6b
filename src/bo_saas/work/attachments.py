"""Files on work items: what a caller may attach, how the bytes are checked, and who sees which file.

The bytes go to file storage under a key the server makes; the table keeps the
file's facts (name to show, type, size, sha256) and the key. A file is checked
while it streams in: its size against the limit, its declared type against the
allowed list and, for types with a fixed signature, against its first bytes. A
refused file is never stored; a stored file whose row cannot be written is
deleted again, so storage holds no file without a row. Clients never see
internal (staff-only) files; everything else follows the item's visibility.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from uuid import UUID, uuid4

import anyio
from litestar import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import ConflictError
from bo_saas.lib.listing import list_page, to_struct
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.settings import Settings
from bo_saas.lib.storage import FileStorage
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write
from bo_saas.work.errors import (
    AttachmentNotFound,
    AttachmentTooLarge,
    InvalidWorkRequest,
    UnsupportedAttachmentType,
    WorkRefused,
)
from bo_saas.work.models import Attachment, WorkItem, WorkState
from bo_saas.work.repository import WorkItems
from bo_saas.work.schemas import AttachmentOut

MAX_FILENAME_CHARS = 255
FALLBACK_FILENAME = "file"
# Names some systems send for an allowed type (Windows browsers send zips as x-zip-compressed).
TYPE_ALIASES = {"application/x-zip-compressed": "application/zip", "image/jpg": "image/jpeg"}

# A signature is (offset, bytes) pairs that a file of the type starts with. Old Office files (xls, doc) are
# left unchecked: Windows labels .csv files application/vnd.ms-excel, so a check would refuse real CSVs.
_ZIP = ((0, b"PK\x03\x04"),)
SIGNATURES: dict[str, tuple[tuple[tuple[int, bytes], ...], ...]] = {
    "application/pdf": (((0, b"%PDF-"),),),
    "image/png": (((0, b"\x89PNG\r\n\x1a\n"),),),
    "image/jpeg": (((0, b"\xff\xd8\xff"),),),
    "image/gif": (((0, b"GIF87a"),), ((0, b"GIF89a"),)),
    "image/webp": (((0, b"RIFF"), (8, b"WEBP")),),
    "application/zip": (_ZIP,),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (_ZIP,),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (_ZIP,),
}
SIGNATURE_BYTES = max(
    offset + len(magic) for options in SIGNATURES.values() for sig in options for offset, magic in sig
)
CLOSED_TO_FILES = frozenset({WorkState.REJECTED, WorkState.CANCELLED})
_UNSAFE_IN_FILENAME = re.compile(r"[\x00-\x1f\x7f]")

# The columns of AttachmentOut, selected straight into it (no ORM objects on the list path).
_OUT_COLUMNS = (
    Attachment.id,
    Attachment.work_item_id,
    Attachment.filename,
    Attachment.content_type,
    Attachment.size_bytes,
    Attachment.sha256,
    Attachment.internal,
    Attachment.uploaded_by,
    Attachment.created_at,
)


@dataclass(frozen=True, slots=True)
class AttachmentRules:
    """What the platform accepts, from settings: the largest file, and the content types allowed."""

    max_bytes: int
    allowed_types: frozenset[str]

    @classmethod
    def from_settings(cls, settings: Settings) -> AttachmentRules:
        return cls(max_bytes=settings.attachment_max_bytes, allowed_types=frozenset(settings.attachment_types))

    def too_large(self) -> AttachmentTooLarge:
        return AttachmentTooLarge(
            f"The file is larger than the {readable_size(self.max_bytes)} limit for attachments",
            extra={"max_bytes": self.max_bytes},
        )


@dataclass(frozen=True, slots=True)
class StoredFile:
    size_bytes: int
    sha256: str


def readable_size(size: int) -> str:
    """A size as people read it, in KB or MB (of 1024), as the web app shows it: "25 MB", "9.5 MB", "300 KB"."""
    for unit, scale in (("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def accepted_type(declared: str | None, rules: AttachmentRules) -> str:
    """The declared content type, normalised, if it is allowed; 415 naming the allowed ones otherwise."""
    content_type = (declared or "").split(";", 1)[0].strip().lower()
    content_type = TYPE_ALIASES.get(content_type, content_type)
    if content_type not in rules.allowed_types:
        allowed = sorted(rules.allowed_types)
        raise UnsupportedAttachmentType(
            f"Files of type {content_type or 'unknown'} are not accepted; allowed: {', '.join(allowed)}",
            extra={"allowed": allowed},
        )
    return content_type


def clean_filename(raw: str | None) -> str:
    """The name to show and offer on download: no folders, no control characters, at most 255 characters.

    It is never part of a path (storage uses the server's key), but it is shown in
    the portal and sent back in a header, so it must be harmless in both places.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Unicode format characters (e.g. right-to-left override) can disguise an extension.
    name = "".join(c for c in _UNSAFE_IN_FILENAME.sub("", name) if unicodedata.category(c) != "Cf").strip()
    if name in ("", ".", ".."):
        return FALLBACK_FILENAME
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, suffix = name.rpartition(".")
        if dot and stem and len(suffix) <= 16:  # keep the extension: it says what the file is
            name = stem[: MAX_FILENAME_CHARS - len(suffix) - 1].rstrip() + "." + suffix
        else:
            name = name[:MAX_FILENAME_CHARS].rstrip()
    return name


def _matches_signature(content_type: str, head: bytes) -> bool:
    options = SIGNATURES.get(content_type)
    if options is None:
        return True
    return any(all(head[offset : offset + len(magic)] == magic for offset, magic in sig) for sig in options)


async def store_file(
    storage: FileStorage, key: str, chunks: AsyncIterable[bytes], *, content_type: str, rules: AttachmentRules
) -> StoredFile:
    """Stream the file into storage, counting and hashing; refuse it (nothing stored) if too large or not its type."""
    digest = hashlib.sha256()
    size = 0

    async def checked() -> AsyncIterator[bytes]:
        nonlocal size
        head = b""
        async for chunk in chunks:
            size += len(chunk)
            if size > rules.max_bytes:
                raise rules.too_large()
            digest.update(chunk)
            if len(head) < SIGNATURE_BYTES:
                head += chunk[: SIGNATURE_BYTES - len(head)]
                if len(head) == SIGNATURE_BYTES:
                    _check_signature(content_type, head)
            yield chunk
        if size == 0:
            raise InvalidWorkRequest("The file is empty")
        if len(head) < SIGNATURE_BYTES:
            _check_signature(content_type, head)

    await storage.save(key, checked())
    return StoredFile(size_bytes=size, sha256=digest.hexdigest())


def _check_signature(content_type: str, head: bytes) -> None:
    if not _matches_signature(content_type, head):
        raise UnsupportedAttachmentType(
            f"The file's content is not {content_type}; upload it with the type it really has"
        )


async def item_for_upload(session: AsyncSession, caller: Caller, item_id: UUID) -> WorkItem:
    """The item a file may be added to: visible to the caller, its tenant not suspended, the item not closed."""
    item = await WorkItems(caller).get(session, item_id)
    await tenant_for_write(session, caller, TenantScope.of(item.tenant_id))
    if item.state in CLOSED_TO_FILES:
        raise ConflictError(f"The item is {item.state}; it takes no more files")
    return item


async def add_attachment(
    session: AsyncSession,
    request: Request | None,
    caller: Caller,
    item: WorkItem,
    *,
    storage: FileStorage,
    key: str,
    filename: str,
    content_type: str,
    stored: StoredFile,
    internal: bool,
) -> Attachment:
    """Record a file already in storage under ``key``, and commit; on any failure the stored file is deleted.

    Commits here rather than after the response is built: the row and the file
    must exist together, and a commit that fails after this returns would leave
    the file without its row.
    """
    try:
        if internal and not caller.is_staff:
            raise WorkRefused("Only provider staff add internal files")
        attachment = Attachment(
            id=uuid4(),
            tenant_id=item.tenant_id,
            work_item_id=item.id,
            filename=filename,
            content_type=content_type,
            size_bytes=stored.size_bytes,
            sha256=stored.sha256,
            storage_key=key,
            uploaded_by=caller.actor_id,
            uploader_kind=caller.actor_kind,
            internal=internal,
            created_at=utc_now(),
        )
        session.add(attachment)
        record_event(
            session,
            request,
            tenant_id=item.tenant_id,
            action="attachment.uploaded",
            subject_type="attachment",
            subject_id=str(attachment.id),
            changes={
                "work_item_id": str(item.id),
                "filename": filename,
                "content_type": content_type,
                "size_bytes": stored.size_bytes,
                "sha256": stored.sha256,
                "internal": internal,
            },
        )
        await session.commit()
    except BaseException:
        with anyio.CancelScope(shield=True):  # the delete must finish even when the request was cancelled
            await storage.delete(key)
        raise
    return attachment


async def list_attachments(
    session: AsyncSession, caller: Caller, item_id: UUID, page: PageRequest
) -> OffsetPagination[AttachmentOut]:
    """The item's files, newest first; a client's list leaves internal files out."""
    item = await WorkItems(caller).get(session, item_id)
    where = [Attachment.tenant_id == item.tenant_id, Attachment.work_item_id == item.id]
    if not caller.is_staff:
        where.append(Attachment.internal.is_(False))
    return await list_page(
        session,
        select(*_OUT_COLUMNS),
        page,
        filters=where,
        order_by=(Attachment.created_at.desc(), Attachment.id.desc()),
        into=AttachmentOut,
    )


async def get_attachment(session: AsyncSession, caller: Caller, item_id: UUID, attachment_id: UUID) -> Attachment:
    """One of the item's files, if the caller may see it; 404 otherwise (also for internal files to clients)."""
    item = await WorkItems(caller).get(session, item_id)
    attachment = (
        await session.execute(
            select(Attachment).where(
                Attachment.tenant_id == item.tenant_id,
                Attachment.id == attachment_id,
                Attachment.work_item_id == item.id,
            )
        )
    ).scalar()
    if attachment is None or (attachment.internal and not caller.is_staff):
        raise AttachmentNotFound("No such attachment")
    return attachment


def attachment_out(attachment: Attachment) -> AttachmentOut:
    return to_struct(attachment, AttachmentOut)
