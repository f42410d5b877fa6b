"""A customer's attachments, kept as the work item's files under the platform's own limits.

The bytes go to the same file storage as uploads (``lib.storage``), checked by
the same rules (``work.attachments``: the largest file, the allowed types, the
type's signature). A file the rules refuse is left out, not the whole message:
the customer's words still reach the agent, and the log says what was dropped.
Each kept file is linked to the message that brought it (``MessageAttachment``),
so the conversation shows it under that mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID, uuid4

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import DomainError
from bo_saas.lib.settings import Settings
from bo_saas.lib.storage import new_storage_key, storage_for
from bo_saas.support.mail_parsing import ParsedMessage
from bo_saas.support.models import MessageAttachment
from bo_saas.support.schemas import MessageAttachmentOut
from bo_saas.work.attachments import AttachmentRules, accepted_type, clean_filename, store_file
from bo_saas.work.models import Attachment, WorkItem

log = structlog.get_logger(__name__)


async def _chunks(data: bytes):
    yield data


async def store_attachments(
    session: AsyncSession, settings: Settings, item: WorkItem, parsed: ParsedMessage, message_id: UUID
) -> list[str]:
    """Store the attachments of the stored message ``message_id`` on the item, linked to it.

    Returns the storage keys written, to delete if the transaction fails.
    """
    rules = AttachmentRules.from_settings(settings)
    storage = storage_for(settings)
    written = []
    kept: list[UUID] = []
    for attachment in parsed.attachments:
        if attachment.inline and attachment.content_id and attachment.content_type.startswith("image/"):
            continue  # a logo in a signature: part of the HTML, not a file the customer sent
        key = new_storage_key(item.tenant_id)
        try:
            content_type = accepted_type(attachment.content_type, rules)
            stored = await store_file(storage, key, _chunks(attachment.data), content_type=content_type, rules=rules)
        except DomainError as refused:
            log.info("support.attachment_refused", filename=attachment.filename, reason=refused.message)
            continue
        written.append(key)
        attachment_id = uuid4()
        session.add(
            Attachment(
                id=attachment_id,
                tenant_id=item.tenant_id,
                work_item_id=item.id,
                filename=clean_filename(attachment.filename),
                content_type=content_type,
                size_bytes=stored.size_bytes,
                sha256=stored.sha256,
                storage_key=key,
                uploaded_by=None,
                uploader_kind="customer",
                internal=False,
                created_at=utc_now(),
            )
        )
        kept.append(attachment_id)
    if kept:
        # The unit of work orders inserts by relationships, not foreign keys: the files go in first, by hand.
        await session.flush()
        session.add_all(
            MessageAttachment(tenant_id=item.tenant_id, message_id=message_id, attachment_id=attachment_id)
            for attachment_id in kept
        )
    return written


async def files_by_message(
    session: AsyncSession, tenant_id: UUID, message_ids: Sequence[UUID]
) -> dict[UUID, list[MessageAttachmentOut]]:
    """The files each of these messages brought, by message id: one statement for a whole page of messages."""
    if not message_ids:
        return {}
    rows = await session.execute(
        select(
            MessageAttachment.message_id,
            Attachment.id,
            Attachment.filename,
            Attachment.content_type,
            Attachment.size_bytes,
        )
        .join(
            Attachment,
            (Attachment.tenant_id == MessageAttachment.tenant_id) & (Attachment.id == MessageAttachment.attachment_id),
        )
        .where(MessageAttachment.tenant_id == tenant_id, MessageAttachment.message_id.in_(message_ids))
        .order_by(MessageAttachment.message_id, Attachment.created_at, Attachment.id)
    )
    files: dict[UUID, list[MessageAttachmentOut]] = {}
    for message_id, attachment_id, filename, content_type, size_bytes in rows:
        files.setdefault(message_id, []).append(
            MessageAttachmentOut(id=attachment_id, filename=filename, content_type=content_type, size_bytes=size_bytes)
        )
    return files
