"""``/api/v1/books/journal-entries``: drafts, posting, maker-checker approval and reversal.

Bookkeepers (provider staff serving the tenant, agents with the bookkeeping
skill) write; the tenant's people read; the client admin or another keeper
approves an entry above the book's threshold, never its maker (403). Another
tenant's entry answers 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.bookkeeping import entries, posting, posting_rows
from bo_saas.bookkeeping.access import one_tenant, open_book, require_approver, require_keeper, tenant_today
from bo_saas.bookkeeping.entries import Entries, LineInput
from bo_saas.bookkeeping.models import EntryStatus, JournalEntry
from bo_saas.bookkeeping.schemas import EntryIn, EntryOut, EntryStatusName, EntryUpdate, LineIn, ReversalIn
from bo_saas.bookkeeping.views import entries_out, entry_out
from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_admin_or_staff, requires_staff
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import TENANT_HEADER, log_tenant, resolve_scope
from bo_saas.tenancy.models import Tenant


def _lines(lines: list[LineIn]) -> list[LineInput]:
    return [
        LineInput(
            account=line.account, debit=line.debit, credit=line.credit, description=line.description,
            currency=line.currency, foreign_amount=line.foreign_amount,
            rate=Decimal(line.rate) if line.rate is not None else None,
        )
        for line in lines
    ]  # fmt: skip


def _audit(db: AsyncSession, request: Request, entry: JournalEntry, action: str, changes: dict | None = None) -> None:
    record_event(
        db, request, tenant_id=entry.tenant_id, action=action, subject_type="journal_entry",
        subject_id=str(entry.id), changes={"number": posting.entry_number(entry), **(changes or {})},
    )  # fmt: skip


async def _kept(db: AsyncSession, request: Request, entry_id: UUID) -> tuple[JournalEntry, Tenant]:
    """The entry, locked, and its tenant, when the caller keeps the tenant's books."""
    entry = await Entries(request.user).get(db, entry_id, for_update=True)
    return entry, await require_keeper(db, request.user, entry.tenant_id)


class EntryController(Controller):
    path = "/api/v1/books/journal-entries"
    tags = ["books"]

    @get("/", summary="List journal entries, newest date first")
    async def list_entries(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        page: PageRequest,
        status: Annotated[EntryStatusName | None, Parameter(query="status")] = None,
    ) -> OffsetPagination[EntryOut]:
        tenant_id = one_tenant(tenant_scope)
        filters = [JournalEntry.tenant_id == tenant_id]
        if status is not None:
            filters.append(JournalEntry.status == EntryStatus(status))
        return await list_page(
            db, Entries().select(), page, filters=filters,
            order_by=(JournalEntry.entry_date.desc(), JournalEntry.created_at.desc(), JournalEntry.id),
            into=lambda rows: entries_out(db, rows),
        )  # fmt: skip

    @post("/", summary="Make a draft entry (bookkeepers)", guards=[requires_staff])
    async def create_entry(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: EntryIn
    ) -> EntryOut:
        tenant_id = one_tenant(tenant_scope)
        await require_keeper(db, request.user, tenant_id)
        book = await open_book(db, tenant_id)
        entry = await entries.create_draft(
            db, book, entry_date=data.date, memo=data.memo, lines=_lines(data.lines), maker_id=request.user.actor_id
        )
        _audit(db, request, entry, "journal_entry.created")
        return await entry_out(db, entry)

    @get("/{entry_id:uuid}", summary="One journal entry with its lines")
    async def get_entry(self, request: Request, db: AsyncSession, entry_id: UUID) -> EntryOut:
        return await entry_out(db, await Entries(request.user).get(db, entry_id))

    @patch("/{entry_id:uuid}", summary="Change a draft (bookkeepers)", guards=[requires_staff])
    async def update_entry(self, request: Request, db: AsyncSession, entry_id: UUID, data: EntryUpdate) -> EntryOut:
        entry, _ = await _kept(db, request, entry_id)
        book = await open_book(db, entry.tenant_id)
        lines = _lines(data.lines) if data.lines is not None else None
        await entries.update_draft(db, book, entry, entry_date=data.date, memo=data.memo, lines=lines)
        _audit(db, request, entry, "journal_entry.updated")
        return await entry_out(db, entry)

    @delete("/{entry_id:uuid}", summary="Delete a draft (bookkeepers)", guards=[requires_staff])
    async def delete_entry(self, request: Request, db: AsyncSession, entry_id: UUID) -> None:
        entry, _ = await _kept(db, request, entry_id)
        await entries.delete_draft(db, entry)
        _audit(db, request, entry, "journal_entry.deleted")

    @post("/{entry_id:uuid}/post", summary="Post a draft (above the approval threshold it waits for approval)",
          guards=[requires_staff], status_code=200)  # fmt: skip
    async def post_entry(self, request: Request, db_engine: AsyncEngine, entry_id: UUID) -> EntryOut:
        # The desk's hottest write (bench/books.py): no session, one autocommitted statement (posting_rows)
        # that declares the agent's scope, checks the skill, posts and writes the audit event. With X-Tenant
        # the scope is resolved as for any route first. No ``tenant_for_write``: it refuses only a suspended
        # tenant's clients, and only staff post.
        caller: Caller = request.user
        scope = await resolve_scope(request, db_engine) if request.headers.get(TENANT_HEADER) else None
        posted = await posting_rows.post_as_keeper(
            db_engine, caller, entry_id, utc_now(), tenant_ids=scope.tenant_ids if scope is not None else None,
            ip=request.client.host if request.client else None, request_id=request.scope.get("request_id"),
        )  # fmt: skip
        log_tenant(TenantScope.of(posted.tenant_id))
        return posting_rows.entry_out(posted)

    @post("/{entry_id:uuid}/approve", summary="Approve an entry pending approval: a second person posts it",
          guards=[requires_admin_or_staff], status_code=200)  # fmt: skip
    async def approve_entry(self, request: Request, db: AsyncSession, entry_id: UUID) -> EntryOut:
        entry = await Entries(request.user).get(db, entry_id, for_update=True)
        await require_approver(db, request.user, entry.tenant_id, entry.maker_id)
        book = await open_book(db, entry.tenant_id)
        await posting.approve(db, book, entry, request.user.actor_id, utc_now())
        _audit(db, request, entry, "journal_entry.approved")
        return await entry_out(db, entry)

    @post("/{entry_id:uuid}/reverse", summary="Reverse a posted entry with a posted entry pointing at it",
          guards=[requires_staff], status_code=201)  # fmt: skip
    async def reverse_entry(
        self, request: Request, db: AsyncSession, entry_id: UUID, data: ReversalIn | None = None
    ) -> EntryOut:
        entry, tenant = await _kept(db, request, entry_id)
        book = await open_book(db, entry.tenant_id)
        data = data or ReversalIn()
        reversal = await posting.reverse(
            db, book, entry, entry_date=data.date or tenant_today(tenant), memo=data.memo,
            maker_id=request.user.actor_id, now=utc_now(),
        )  # fmt: skip
        _audit(db, request, reversal, "journal_entry.reversal_posted", {"reverses": str(entry.id)})
        return await entry_out(db, reversal)
