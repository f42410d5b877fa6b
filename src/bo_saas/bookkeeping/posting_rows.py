"""Posting as rows: one call of ``bo_journal_post`` (migration 0033) locks, checks, numbers and posts an entry.

Posting is the desk's hottest write (``bench/books.py``). Through the ORM it
read the entry, the tenant, the keeper's skill, the book, the totals, the
period (made, then share-locked), the counter, and wrote the entry twice,
then read the lines and reversals back for the answer: a dozen round trips and
as many hydrated rows. Every posting path (approval, reversal, the ledger
seam, documents and payments) makes one statement on its session's
transaction: the function, which locks, checks, numbers and posts or holds the
entry and returns it with its lines for the answer (``post_in_database``).
The HTTP post of a draft goes further (``post_as_keeper``): no session at all,
one autocommitted statement, ``bo_journal_post_as`` (migration 0034), which
declares the caller's scope, refuses an agent without the skill, posts through
the same function and writes the audit event; its deferred checks fire at the
end of that statement. Every database rule of 0016 and 0027 still fires on the
function's writes (it runs as the caller).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

import asyncpg
import msgspec
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.bookkeeping.access import SKILL, open_book, refuse_unless_keeper
from bo_saas.bookkeeping.entries import refuse_unless_draft
from bo_saas.bookkeeping.errors import EntryNotFound, LedgerConflict, UnbalancedEntry
from bo_saas.bookkeeping.models import EntryStatus
from bo_saas.bookkeeping.schemas import EntryOut, LineOut
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.db import driver_connection, make_sessionmaker, scoped_session
from bo_saas.lib.tenant_scope import TenantScope

_COLUMNS = """p.outcome, p.tenant_id, p.entry_date, p.memo, p.reverses_id, p.status::text AS status, p.fiscal_year,
              p.number, p.debits, p.credits, p.lines::text AS lines"""
_POST_SQL = f"SELECT {_COLUMNS} FROM bo_journal_post($1, $2, $3, $4) p"
# $1 the caller's account, $2 the tenants (NULL: its assignments), $3 the entry, $4 now, $5 the skill it needs
# (NULL: none), $6-$9 the audit event's actor id and kind, ip and request id.
_POST_AS_SQL = f"SELECT {_COLUMNS} FROM bo_journal_post_as($1, $2, $3, $4, $5, $6, $7, $8, $9) p"


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
    session: AsyncSession, tenant_id: UUID | None, entry_id: UUID, now: datetime, approver_id: UUID | None
) -> Posted:
    """Post the entry (an approver's approval, when ``approver_id`` is given), or hold it for approval.

    The entry must be a draft (with an approver: pending approval); the refusals are the desk's errors: 404
    (``tenant_id`` None: looked up by id in the session's scope), 422 unbalanced, 409 a locked period or
    another status. A tenant without a book yet gets one opened.
    """
    driver = await driver_connection(session)
    row = await driver.fetchrow(_POST_SQL, tenant_id, entry_id, now, approver_id)
    if row["outcome"] == "no_book":
        await open_book(session, row["tenant_id"])
        return await post_in_database(session, row["tenant_id"], entry_id, now, approver_id)
    return _posted(row, entry_id, approver_id)


async def post_as_keeper(
    engine: AsyncEngine,
    caller: Caller,
    entry_id: UUID,
    now: datetime,
    *,
    tenant_ids: frozenset[UUID] | None,
    ip: str | None,
    request_id: str | None,
) -> Posted:
    """Post a draft for a keeper over HTTP, audited, in one autocommitted statement (``bo_journal_post_as``).

    ``tenant_ids`` None: the scope is the caller's assignments, declared by the statement itself; otherwise the
    scope an ``X-Tenant`` header resolved to. The refusals are ``post_in_database``'s, and 403 for an agent
    without the bookkeeping skill (only once the entry is in the caller's scope: else 404).
    """
    tenants = None if tenant_ids is None else list(tenant_ids)
    skill = SKILL if caller.role is Role.PROVIDER_AGENT else None
    async with engine.connect() as connection:
        driver: asyncpg.Connection = (await connection.get_raw_connection()).driver_connection
        try:
            row = await driver.fetchrow(_POST_AS_SQL, caller.account_id, tenants, entry_id, now, skill,
                                        caller.actor_id, caller.actor_kind, ip, request_id)  # fmt: skip
        except asyncpg.IntegrityConstraintViolationError as exc:
            # A rule the database checked at the end of the statement (as at a session's COMMIT): nothing was
            # saved, and the change conflicts with the books as they are.
            raise LedgerConflict("The posting conflicts with a rule of the books and was not saved") from exc
    if row["outcome"] == "unskilled":
        refuse_unless_keeper(caller, skilled=False)
    if row["outcome"] == "no_book":  # once per tenant at most: open the book, then post as asked
        async with scoped_session(make_sessionmaker(engine), TenantScope.of(row["tenant_id"])) as session:
            await open_book(session, row["tenant_id"])
        return await post_as_keeper(engine, caller, entry_id, now, tenant_ids=tenant_ids, ip=ip,
                                    request_id=request_id)  # fmt: skip
    return _posted(row, entry_id, None)


def _posted(row: asyncpg.Record, entry_id: UUID, approver_id: UUID | None) -> Posted:
    """The function's row as the entry it posted or held; its refusals as the desk's errors."""
    outcome = row["outcome"]
    if outcome == "missing":
        raise EntryNotFound("No such journal entry")
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
