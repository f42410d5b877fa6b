"""``/api/v1/books/periods``: the months of a tenant's books; keepers close them, a provider admin reopens one.

Reopening needs a reason, which the audit trail keeps with the event
(``book_period.reopened``). Another tenant's period answers 404.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, get, post
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.bookkeeping.access import one_tenant, open_book, require_keeper
from bo_saas.bookkeeping.close import finish_close
from bo_saas.bookkeeping.errors import InvalidBookkeepingRequest
from bo_saas.bookkeeping.models import Period, PeriodStatus
from bo_saas.bookkeeping.periods import Periods, close_period, period_name, reopen_period
from bo_saas.bookkeeping.schemas import PeriodOut, ReopenIn
from bo_saas.bookkeeping.views import period_out
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_provider_admin, requires_staff
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write


def _audit(db: AsyncSession, request: Request, period: Period, action: str, changes: dict | None = None) -> None:
    record_event(
        db, request, tenant_id=period.tenant_id, action=action, subject_type="book_period",
        subject_id=str(period.id), changes={"month": period_name(period), **(changes or {})},
    )  # fmt: skip


class PeriodController(Controller):
    path = "/api/v1/books/periods"
    tags = ["books"]

    @get("/", summary="List the periods (months) of the books, newest first")
    async def list_periods(
        self, db: AsyncSession, tenant_scope: TenantScope, page: PageRequest
    ) -> OffsetPagination[PeriodOut]:
        book = await open_book(db, one_tenant(tenant_scope))
        return await list_page(
            db, Periods().select(), page, filters=[Period.tenant_id == book.tenant_id],
            order_by=(Period.month.desc(),), into=lambda rows: [period_out(row) for row in rows],
        )  # fmt: skip

    @post("/{period_id:uuid}/close", summary="Lock a period once its close checklist is complete (bookkeepers)",
          guards=[requires_staff], status_code=200)  # fmt: skip
    async def close(self, request: Request, db: AsyncSession, period_id: UUID) -> PeriodOut:
        period = await Periods(request.user).get(db, period_id, for_update=True)
        await require_keeper(db, request.user, period.tenant_id)
        if period.status is not PeriodStatus.LOCKED:  # locked already: close_period's 409 says so
            await finish_close(db, period, utc_now())  # 409 unless its close checklist is complete
        await close_period(db, period, request.user.actor_id, utc_now())
        _audit(db, request, period, "book_period.closed")
        return period_out(period)

    @post("/{period_id:uuid}/reopen", summary="Reopen a locked period, with the reason (provider admins)",
          guards=[requires_provider_admin], status_code=200)  # fmt: skip
    async def reopen(self, request: Request, db: AsyncSession, period_id: UUID, data: ReopenIn) -> PeriodOut:
        period = await Periods(request.user).get(db, period_id, for_update=True)
        await tenant_for_write(db, request.user, TenantScope.of(period.tenant_id))
        reason = data.reason.strip()
        if not reason:
            raise InvalidBookkeepingRequest("Say why the period is reopened: reason must not be blank")
        await reopen_period(db, period)
        _audit(db, request, period, "book_period.reopened", {"reason": reason})
        return period_out(period)
