"""``/api/v1/work-items/{id}/attachments``: add files to a work item, list them, download them.

Whoever can see the item may use these routes (``items.get_item`` decides).
The upload reads the multipart body itself, as it arrives, instead of letting
Litestar spool the whole body first: the file goes straight into storage while
it is counted, hashed and checked, and an upload over the limit is refused
with our 413 as soon as it passes the limit, whatever Litestar's default body
limit is (which is lower than ours, so it is switched off for this route).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from urllib.parse import quote
from uuid import UUID

import anyio
from litestar import Controller, Request, get, post
from litestar.exceptions import ClientException
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType
from litestar.response import Stream
from multipart import MultipartError, MultipartSegment, PushMultipartParser
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.storage import LocalFileStorage, new_storage_key, storage_for
from bo_saas.work import attachments
from bo_saas.work.attachments import (
    AttachmentRules,
    StoredFile,
    UnsupportedAttachmentType,
    accepted_type,
    attachment_out,
    clean_filename,
    store_file,
)
from bo_saas.work.schemas import AttachmentOut

# Room in the body beyond the file itself: part headers, boundaries and the `internal` flag.
FORM_OVERHEAD_BYTES = 64 * 1024
FORM_FIELD_MAX_BYTES = 100
# The file, the flag, and a little slack before the parser gives up on a body made of parts.
MAX_FORM_PARTS = 4


@dataclass(frozen=True, slots=True)
class _Upload:
    filename: str
    content_type: str
    stored: StoredFile
    internal: bool


@dataclass  # regenerates __init__ so that it calls __post_init__
class _MultipartUploadOperation(Operation):
    """The upload reads its body itself, so its OpenAPI request body is described here."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            required=True,
            content={
                "multipart/form-data": OpenAPIMediaType(
                    schema=Schema(
                        type=OpenAPIType.OBJECT,
                        required=["file"],
                        properties={
                            "file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY),
                            "internal": Schema(
                                type=OpenAPIType.BOOLEAN,
                                description="true: a staff-only file (provider staff only)",
                            ),
                        },
                    )
                )
            },
        )


def _storage(request: Request) -> LocalFileStorage:
    return storage_for(request.app.state.settings)


def content_disposition(filename: str) -> str:
    """``attachment`` with the name in UTF-8 (RFC 5987) and an ASCII stand-in for clients that ignore ``filename*``."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r'[^\x20-\x7e]|["\\%]', "_", ascii_name).strip() or "file"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


# What the parser emits: a part's headers, then chunks of its body, then None at the part's end.
ParserEvent = MultipartSegment | bytes | None


async def _events(
    request: Request, parser: PushMultipartParser, body_limit: int, rules: AttachmentRules
) -> AsyncIterator[ParserEvent]:
    """The parser's events for the request body as it arrives; refuses a body past the limit without reading on."""
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > body_limit:
            raise rules.too_large()
        for event in parser.parse(chunk):  # an empty last chunk closes the parser: it checks the body was complete
            yield event
        if parser.closed:
            return


async def _part_body(events: AsyncIterator[ParserEvent]) -> AsyncIterator[bytes]:
    async for event in events:
        if event is None:  # the end of this part
            return
        yield event
    raise ClientException("The upload ended in the middle of a form field")


async def _field_value(events: AsyncIterator[ParserEvent]) -> str:
    value = bytearray()
    async for chunk in _part_body(events):
        value += chunk
        if len(value) > FORM_FIELD_MAX_BYTES:
            raise ClientException("A form field other than file is longer than it can be")
    return value.decode("utf-8", "replace")


def _flag(value: str) -> bool:
    if value.strip().lower() not in ("true", "false"):
        raise ClientException("internal must be true or false")
    return value.strip().lower() == "true"


async def _receive_upload(request: Request, storage: LocalFileStorage, key: str, rules: AttachmentRules) -> _Upload:
    """Parse ``multipart/form-data`` (``file``, optional ``internal``), streaming the file into storage at ``key``."""
    media_type, options = request.content_type
    if media_type != "multipart/form-data" or not options.get("boundary"):
        raise UnsupportedAttachmentType("Send the file as multipart/form-data, in a field named file")
    body_limit = rules.max_bytes + FORM_OVERHEAD_BYTES
    if (request.content_length or 0) > body_limit:
        raise rules.too_large()
    parser = PushMultipartParser(options["boundary"], max_segment_count=MAX_FORM_PARTS)
    file: tuple[str, str, StoredFile] | None = None
    internal = False
    try:
        async with aclosing(_events(request, parser, body_limit, rules)) as events:
            async for segment in events:
                assert isinstance(segment, MultipartSegment)  # each part's body is read to its end below
                if segment.name == "file":
                    if segment.filename is None:
                        raise ClientException("The file field must carry a file, not text")
                    if file is not None:
                        raise ClientException("Send one file per upload")
                    content_type = accepted_type(segment.content_type, rules)
                    async with aclosing(_part_body(events)) as body:
                        stored = await store_file(storage, key, body, content_type=content_type, rules=rules)
                    file = (clean_filename(segment.filename), content_type, stored)
                elif segment.name == "internal":
                    internal = _flag(await _field_value(events))
                else:
                    raise ClientException(f"Unexpected form field {segment.name!r}: send file, and internal for staff")
        if file is None:
            raise ClientException("Attach the file in a multipart field named file")
    except BaseException as exc:
        if file is not None:  # stored already, but the request as a whole is refused
            with anyio.CancelScope(shield=True):
                await storage.delete(key)
        if isinstance(exc, MultipartError):
            raise ClientException(f"The upload is not valid multipart/form-data: {exc}") from None
        raise
    filename, content_type, stored = file
    return _Upload(filename=filename, content_type=content_type, stored=stored, internal=internal)


class AttachmentController(Controller):
    path = "/api/v1/work-items"
    tags = ["work"]

    @post(
        "/{item_id:uuid}/attachments",
        summary="Attach a file to a work item",
        description="multipart/form-data with one `file` field; staff may add `internal=true` for a staff-only "
        "file. Refused: too large (413), a type not allowed or content that is not its type (415), "
        "a rejected or cancelled item (409).",
        request_max_body_size=None,  # our own limit applies while streaming; see the module docstring
        operation_class=_MultipartUploadOperation,
    )
    async def upload_attachment(self, request: Request, db: AsyncSession, item_id: UUID) -> AttachmentOut:
        caller = request.user
        item = await attachments.item_for_upload(db, caller, item_id)
        # The checks wrote nothing: end their transaction so that no connection idles through a slow upload.
        await db.commit()
        storage = _storage(request)
        key = new_storage_key(item.tenant_id)
        upload = await _receive_upload(request, storage, key, AttachmentRules.from_settings(request.app.state.settings))
        attachment = await attachments.add_attachment(
            db,
            request,
            caller,
            item,
            storage=storage,
            key=key,
            filename=upload.filename,
            content_type=upload.content_type,
            stored=upload.stored,
            internal=upload.internal,
        )
        return attachment_out(attachment)

    @get("/{item_id:uuid}/attachments", summary="List a work item's attachments, newest first")
    async def list_attachments(
        self, request: Request, db: AsyncSession, item_id: UUID, page: PageRequest
    ) -> OffsetPagination[AttachmentOut]:
        return await attachments.list_attachments(db, request.user, item_id, page)

    # No media_type here: a handler's media_type would override the file's own type on the Stream.
    @get("/{item_id:uuid}/attachments/{attachment_id:uuid}", summary="Download an attachment")
    async def download_attachment(
        self, request: Request, db: AsyncSession, item_id: UUID, attachment_id: UUID
    ) -> Stream:
        attachment = await attachments.get_attachment(db, request.user, item_id, attachment_id)
        chunks = await _storage(request).open(attachment.storage_key)
        return Stream(
            chunks,
            media_type=attachment.content_type,
            headers={
                "Content-Disposition": content_disposition(attachment.filename),
                "Content-Length": str(attachment.size_bytes),
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )
