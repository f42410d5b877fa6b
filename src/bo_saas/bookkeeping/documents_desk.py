"""The bookkeeping desk's part in its work items (``work.desks``): what is left, and what a done item earns.

A ``bookkeeping`` item is one of three kinds: a document to book, a period
close, or a generic request from the portal's form (neither), worked as any
item. A document's item is complete once its entry is posted (not waiting for
approval, not reversed) and earns one ``bookkeeping.documents`` unit when done;
a close's item is complete once every check is ticked and the period is
locked, and earns nothing; a generic item is always complete.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.close import close_of_item, close_remaining
from bo_saas.bookkeeping.document_models import BookDocument
from bo_saas.bookkeeping.documents import booking_of
from bo_saas.work.models import WorkItem

WHAT_IS_LEFT = {
    "to_book": "document not booked yet",
    "pending_approval": "the document's entry waits for approval by a second person",
    "reversed": "the document's entry was reversed: book it again",
}


async def _document_of(session: AsyncSession, item: WorkItem) -> BookDocument | None:
    return await session.scalar(
        select(BookDocument).where(BookDocument.tenant_id == item.tenant_id, BookDocument.work_item_id == item.id)
    )


async def documents_booked(session: AsyncSession, item: WorkItem) -> int:
    """One unit for the item's document once booked; a close or a generic item earns nothing."""
    document = await _document_of(session, item)
    if document is None:
        return 0
    return 1 if (await booking_of(session, document)).status == "booked" else 0


async def work_remaining(session: AsyncSession, item: WorkItem) -> str | None:
    document = await _document_of(session, item)
    if document is not None:
        return WHAT_IS_LEFT.get((await booking_of(session, document)).status)
    close = await close_of_item(session, item)
    if close is not None:
        return close_remaining(close)
    return None  # a generic request: nothing of the desk's to check
