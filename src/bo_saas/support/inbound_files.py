"""A customer's attachments, kept as the work item's files under the platform's own limits.

The bytes go to the same file storage as uploads (``lib.storage``), checked by
the same rules (``work.attachments``: the largest file, the allowed types, the
type's signature). A file the rules refuse is left out, not the whole message:
the customer's words still reach the agent, and the log says what was dropped.
"""

from __future__ import annotations

from uuid import uuid4

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import DomainError
from bo_saas.lib.settings import Settings
from bo_saas.lib.storage import new_storage_key, storage_for
from bo_saas.support.mail_parsing import ParsedMessage
from bo_saas.work.attachments import AttachmentRules, accepted_type, clean_filename, store_file
from bo_saas.work.models import Attachment, WorkItem

log = structlog.get_logger(__name__)


async def _chunks(data: bytes):
    yield data


async def store_attachments(
    session: AsyncSession, settings: Settings, item: WorkItem, parsed: ParsedMessage
) -> list[str]:
    """Store the message's attachments on the item; the storage keys written (to delete if the transaction fails)."""
    rules = AttachmentRules.from_settings(settings)
    storage = storage_for(settings)
    written = []
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
        session.add(
            Attachment(
                id=uuid4(),
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
    return written
