"""The ledger seam: the one way another domain (HR's payroll) posts a balanced entry into a tenant's books.

The caller hands over what to book, by account code, and a ``source`` naming
what earned the entry (``"hr.payroll_run:<id>"``); it never touches the ledger's
tables. The entry is checked like any other (open accounts of the tenant, one
side per line, balanced, an open period) and posted at once in the caller's
transaction: the caller has approved its own run, so the book's approval
threshold does not apply. The same source again returns the entry it posted
the first time, so a retried job books nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.books import book_for
from bo_saas.bookkeeping.entries import LineInput, create_draft
from bo_saas.bookkeeping.errors import InvalidBookkeepingRequest
from bo_saas.bookkeeping.models import JournalEntry
from bo_saas.bookkeeping.posting import entry_number, post, require_balanced
from bo_saas.lib.clock import utc_now

SOURCE_MAX = 120

__all__ = ["LineInput", "PostedEntry", "post_entry"]


@dataclass(frozen=True, slots=True)
class PostedEntry:
    id: UUID
    number: str  # "JE-2026-000042"
    created: bool  # False: this source had posted it already


async def post_entry(
    session: AsyncSession,
    tenant_id: UUID,
    entry_date: date,
    memo: str,
    lines: Sequence[LineInput],
    source: str,
) -> PostedEntry:
    """Post a balanced entry into the tenant's books (opened with the defaults if it has none) and return it.

    The session's tenant scope must include ``tenant_id``. Refusals are the
    desk's errors: 400 for unknown or closed accounts and malformed lines, 422
    when the lines do not balance, 409 when the date's period is locked.
    """
    source = source.strip()
    if not source or len(source) > SOURCE_MAX:
        raise InvalidBookkeepingRequest(f"A ledger posting names its source in 1 to {SOURCE_MAX} characters")
    earlier = await session.scalar(
        select(JournalEntry).where(JournalEntry.tenant_id == tenant_id, JournalEntry.source == source)
    )
    if earlier is not None:
        return PostedEntry(earlier.id, entry_number(earlier) or "", created=False)
    book = await book_for(session, tenant_id, entry_date)
    entry = await create_draft(
        session, book, entry_date=entry_date, memo=memo, lines=lines, maker_id=None, source=source
    )
    await require_balanced(session, entry)
    await post(session, book, entry, utc_now())
    return PostedEntry(entry.id, entry_number(entry) or "", created=True)
