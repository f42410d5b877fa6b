"""``/api/v1/books/closes``: period closes, each a work item with a checklist the bookkeeper ticks.

``POST`` with ``{"period": "YYYY-MM"}`` starts one (201), or answers 200 with
the period's open close; ``PUT /{id}/checks/{code}`` with ``{"done": true}``
ticks a check. The period locks through ``POST /api/v1/books/periods/{id}/close``
once every check is ticked. Bookkeepers write; the tenant's people read.
Another tenant's close answers 404.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post, put
from litestar.params import QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.bookkeeping.access import one_tenant, open_book, require_keeper
from bo_saas.bookkeeping.books import ensure_period
from bo_saas.bookkeeping.close import CHECKS, Closes, close_facts, close_status, start_close, tick, unticked
from bo_saas.bookkeeping.document_models import PeriodClose
from bo_saas.bookkeeping.documents_schemas import (
    CloseCheckIn,
    CloseCheckOut,
    CloseFactsOut,
    PeriodCloseIn,
    PeriodCloseOut,
)
from bo_saas.bookkeeping.models import Period
from bo_saas.bookkeeping.periods import period_name
from bo_saas.bookkeeping.views import period_out
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_staff
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope


def _check_out(code: str, label: str, done: dict | None) -> CloseCheckOut:
    by = done.get("by") if done else None
    return CloseCheckOut(
        code=code, label=label, done=done is not None, done_by=UUID(by) if by else None,
        done_at=datetime.fromisoformat(done["at"]) if done else None,
    )  # fmt: skip


async def close_out(db: AsyncSession, close: PeriodClose) -> PeriodCloseOut:
    period = await db.get(Period, (close.tenant_id, close.period_id))
    facts = await close_facts(db, close.tenant_id, period.month)
    return PeriodCloseOut(
        id=close.id, work_item_id=close.work_item_id, period=period_out(period), status=close_status(close),
        checks=[_check_out(code, label, (close.checks or {}).get(code)) for code, label in CHECKS.items()],
        complete=not unticked(close), facts=CloseFactsOut(**asdict(facts)), started_at=close.created_at,
        closed_at=close.closed_at,
    )  # fmt: skip


def _audit(db: AsyncSession, request: Request, close: PeriodClose, action: str, changes: dict) -> None:
    record_event(
        db, request, tenant_id=close.tenant_id, action=action, subject_type="book_period_close",
        subject_id=str(close.id), changes=changes,
    )  # fmt: skip


class CloseController(Controller):
    path = "/api/v1/books/closes"
    tags = ["books"]

    @get("/", summary="List period closes, newest first")
    async def list_closes(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        page: PageRequest,
        work_item_id: Annotated[UUID | None, QueryParameter(description="the close of this work item")] = None,
        open_only: Annotated[bool, QueryParameter(name="open", description="true: only closes still open")] = False,
    ) -> OffsetPagination[PeriodCloseOut]:
        tenant_id = one_tenant(tenant_scope)
        filters = [PeriodClose.tenant_id == tenant_id]
        if work_item_id is not None:
            filters.append(PeriodClose.work_item_id == work_item_id)
        if open_only:
            filters += [PeriodClose.closed_at.is_(None), PeriodClose.cancelled_at.is_(None)]

        async def into(rows: list[PeriodClose]) -> list[PeriodCloseOut]:
            return [await close_out(db, row) for row in rows]

        return await list_page(
            db, Closes().select(), page, filters=filters, order_by=(PeriodClose.created_at.desc(), PeriodClose.id),
            into=into,
        )  # fmt: skip

    @post("/", summary="Start closing a period: a work item with the close checklist (bookkeepers)",
          guards=[requires_staff], status_code=HTTP_201_CREATED)  # fmt: skip
    async def start(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: PeriodCloseIn
    ) -> Response[PeriodCloseOut]:
        tenant_id = one_tenant(tenant_scope)
        tenant = await require_keeper(db, request.user, tenant_id)
        await open_book(db, tenant_id)
        month = date.fromisoformat(f"{data.period}-01")
        await ensure_period(db, tenant_id, month)
        period = await db.scalar(
            select(Period).where(Period.tenant_id == tenant_id, Period.month == month).with_for_update()
        )
        close, made = await start_close(db, request.user, tenant, period)
        if made:
            _audit(db, request, close, "book_period_close.started", {"month": period_name(period)})
        return Response(await close_out(db, close), status_code=HTTP_201_CREATED if made else HTTP_200_OK)

    @get("/{close_id:uuid}", summary="One period close with its checklist and the month's facts")
    async def get_close(self, request: Request, db: AsyncSession, close_id: UUID) -> PeriodCloseOut:
        return await close_out(db, await Closes(request.user).get(db, close_id))

    @put("/{close_id:uuid}/checks/{code:str}", summary="Tick or untick one check of the close (bookkeepers)",
         guards=[requires_staff])  # fmt: skip
    async def set_check(
        self, request: Request, db: AsyncSession, close_id: UUID, code: str, data: CloseCheckIn
    ) -> PeriodCloseOut:
        close = await Closes(request.user).get(db, close_id, for_update=True)
        await require_keeper(db, request.user, close.tenant_id)
        if tick(close, code, data.done, request.user.actor_id, utc_now()):
            await db.flush()
            _audit(db, request, close, "book_period_close.checked", {"check": code, "done": data.done})
        return await close_out(db, close)
