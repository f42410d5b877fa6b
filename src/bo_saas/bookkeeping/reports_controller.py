"""``/api/v1/books/reports/...``: reports read from posted entries; the trial balance first."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.access import one_tenant, open_book
from bo_saas.bookkeeping.errors import InvalidBookkeepingRequest
from bo_saas.bookkeeping.schemas import TrialBalanceOut
from bo_saas.bookkeeping.trial_balance import trial_balance
from bo_saas.bookkeeping.views import trial_balance_out
from bo_saas.lib.tenant_scope import TenantScope


class ReportController(Controller):
    path = "/api/v1/books/reports"
    tags = ["books"]

    @get("/trial-balance", summary="Trial balance of posted entries between two dates (inclusive)")
    async def trial_balance(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        start: Annotated[date | None, Parameter(query="from", description="first date (YYYY-MM-DD)")] = None,
        end: Annotated[date | None, Parameter(query="to", description="last date (YYYY-MM-DD)")] = None,
    ) -> TrialBalanceOut:
        if start is not None and end is not None and start > end:
            raise InvalidBookkeepingRequest(f"from ({start}) is after to ({end})")
        book = await open_book(db, one_tenant(tenant_scope))
        return trial_balance_out(await trial_balance(db, book.tenant_id, start, end))
