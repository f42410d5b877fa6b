"""Posting as rows: one call of ``bo_journal_post`` (migration 0033) locks, checks, numbers and posts an entry.

Posting is the desk's hottest write (``bench/books.py``). Through the ORM it
read the entry, the tenant, the keeper's skill, the book, the totals, the
period (made, then share-locked), the counter, and wrote the entry twice,
then read the lines and reversals back for the answer: a dozen round trips and
as many hydrated rows. Here the route makes one statement of its own on the
request's transaction: the function, which locks, checks, numbers and posts or
holds the entry and returns it with its lines for the answer, and beside it
whether the caller has the bookkeeping skill. Every database rule of 0016 and 0027
still fires on the function's writes (it runs as the caller), and every
posting path (approval, reversal, the ledger seam, documents and payments)
goes through the same function, through ``posting``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.access import SKILL, open_book, refuse_unless_keeper
from bo_saas.bookkeeping.entries import refuse_unless_draft
from bo_saas.bookkeeping.errors import EntryNotFound, LedgerConflict, UnbalancedEntry
from bo_saas.bookkeeping.models import EntryStatus
from bo_saas.bookkeeping.schemas import EntryOut, LineOut
from bo_saas.lib.caller import Caller
from bo_saas.lib.db import driver_connection

# The function's row, and whether the caller has the bookkeeping skill (read in the same statement: a caller
# without it is refused before the transaction commits, so whatever the function wrote is undone).
_POST_SQL = """
    SELECT p.outcome, p.tenant_id, p.entry_date, p.memo, p.reverses_id, p.status::text AS status, p.fiscal_year,
           p.number, p.debits, p.credits, p.lines::text AS lines,
           EXISTS (SELECT 1 FROM staff_skills s WHERE s.account_id = $5 AND s.skill_code = $6) AS skilled
    FROM bo_journal_post($1, $2, $3, $4) p
"""


@dataclass(frozen=True, slots=True)
class Posted:
    """The entry as the function left it: posted and numbered, or pending approval; its lines as answered."""

    id: UUID
    tenant_id: UUID
    entry_date: date
    memo: str
    reverses_id: UUID | None
    status: EntryStatus
    fiscal_year: int | None
    number: int | None
    lines: list[LineOut]


def number_text(fiscal_year: int | None, number: int | None) -> str | None:
    """How a posted entry is cited: ``JE-<fiscal year>-<number>``, e.g. JE-2026-000042."""
    return None if number is None else f"JE-{fiscal_year}-{number:06d}"


def refuse_unless_pending(status: EntryStatus) -> None:
    if status is not EntryStatus.PENDING_APPROVAL:
        raise LedgerConflict(f"Journal entry is {status.value}: only an entry pending approval is approved")


async def post_in_database(
    session: AsyncSession,
    tenant_id: UUID | None,
    entry_id: UUID,
    now: datetime,
    approver_id: UUID | None,
    *,
    keeper: Caller | None = None,
) -> Posted:
    """Post the entry (an approver's approval, when ``approver_id`` is given), or hold it for approval.

    The entry must be a draft (with an approver: pending approval); the refusals are the desk's errors: 404
    (``tenant_id`` None: looked up by id in the request's scope), 403 when ``keeper`` is given and may not keep
    books, 422 unbalanced, 409 a locked period or another status. A tenant without a book yet gets one opened.
    """
    driver = await driver_connection(session)
    account_id = keeper.account_id if keeper is not None else None
    row = await driver.fetchrow(_POST_SQL, tenant_id, entry_id, now, approver_id, account_id, SKILL)
    outcome = row["outcome"]
    if outcome == "missing":
        raise EntryNotFound("No such journal entry")
    if keeper is not None:
        refuse_unless_keeper(keeper, skilled=row["skilled"])
    if outcome == "no_book":
        await open_book(session, row["tenant_id"])
        return await post_in_database(session, row["tenant_id"], entry_id, now, approver_id)
    if outcome == "status":
        status = EntryStatus(row["status"])
        if approver_id is None:
            refuse_unless_draft(status, "posted")
        else:
            refuse_unless_pending(status)
    if outcome == "unbalanced":
        debits, credits = int(row["debits"]), int(row["credits"])
        raise UnbalancedEntry(
            f"The entry does not balance: debits {debits}, credits {credits} (minor units)",
            extra={"debit": debits, "credit": credits, "difference": debits - credits},
        )
    day = row["entry_date"]
    if outcome == "locked":
        raise LedgerConflict(
            f"The period {day:%Y-%m} is locked: nothing posts into it (date the entry in an open period)",
            extra={"period": f"{day:%Y-%m}"},
        )
    if outcome not in ("posted", "held"):
        raise RuntimeError(f"bo_journal_post answered {outcome!r}")
    lines = msgspec.json.decode(row["lines"], type=list[LineOut])
    return Posted(
        entry_id, row["tenant_id"], day, row["memo"], row["reverses_id"], EntryStatus(row["status"]),
        row["fiscal_year"], row["number"], lines,
    )  # fmt: skip


def entry_out(posted: Posted) -> EntryOut:
    """The answer to a post: nothing reverses an entry that was a draft a moment ago (only posted ones are)."""
    return EntryOut(
        id=posted.id, number=number_text(posted.fiscal_year, posted.number), date=posted.entry_date,
        memo=posted.memo, status=posted.status.value, lines=posted.lines, reverses=posted.reverses_id,
        reversed_by=None,
    )  # fmt: skip
