"""``/api/v1/billing/runs``: the billing runs made so far, and starting one; provider admins only.

A run started here is the CLI's ``bo-saas billing run`` (``runs.run_billing``)
made within the request: it answers when every chosen tenant is billed.
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.billing.models import BillingRun
from bo_saas.billing.runs import run_billing
from bo_saas.billing.schemas import BillingRunIn, BillingRunOut, RunFailureOut
from bo_saas.lib.db import make_sessionmaker
from bo_saas.lib.guards import requires_provider_admin
from bo_saas.lib.listing import list_page, to_struct
from bo_saas.lib.pagination import OffsetPagination, PageRequest


def run_out(run: BillingRun) -> BillingRunOut:
    return to_struct(
        run,
        BillingRunOut,
        id=str(run.id),
        tenant=run.tenant_slug,
        failures=[RunFailureOut(**failure) for failure in run.failures],
    )


class BillingRunController(Controller):
    path = "/api/v1/billing/runs"
    tags = ["billing"]
    guards = [requires_provider_admin]

    @get("/", summary="Billing runs, newest first")
    async def list_runs(self, db: AsyncSession, page: PageRequest) -> OffsetPagination[BillingRunOut]:
        return await list_page(
            db,
            select(BillingRun),
            page,
            order_by=(BillingRun.started_at.desc(), BillingRun.id),
            into=lambda rows: [run_out(row) for row in rows],
        )

    @post(
        "/",
        summary="Run billing for an ended period",
        description="Makes or recomputes each tenant's draft invoice for the period (default: the last month ended "
        "in every time zone); finalized invoices are left alone. A period not yet ended is refused (400).",
    )
    async def start_run(
        self, request: Request, db: AsyncSession, db_engine: AsyncEngine, data: BillingRunIn
    ) -> BillingRunOut:
        summary = await run_billing(
            make_sessionmaker(db_engine),
            period=data.period,
            tenant_slug=data.tenant,
            dry_run=data.dry_run,
            started_by=str(request.user.account_id),
        )
        run = await db.get(BillingRun, summary.run_id)
        assert run is not None
        return run_out(run)
