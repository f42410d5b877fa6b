"""``/api/v1/billing/runs``: the billing runs made so far, starting one, and following it; provider admins only.

Starting a run records it (running, its tenants counted; a period not ended is
refused at once) and queues its job through the outbox in the same
transaction; a worker carries it out (``run_tasks``) and updates its row as
each chunk of tenants is billed, which ``GET /{id}`` shows. The CLI's ``bo-saas
billing run`` bills in its own process instead, with a progress bar.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, get, post
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.errors import BillingRunNotFound
from bo_saas.billing.models import BillingRun
from bo_saas.billing.run_tasks import carry_out_billing_run
from bo_saas.billing.runs import open_run
from bo_saas.billing.schemas import BillingRunIn, BillingRunOut, RunFailureOut
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_provider_admin
from bo_saas.lib.listing import list_page, to_struct
from bo_saas.lib.outbox import enqueue
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

    @get("/{run_id:uuid}", summary="One billing run: its progress while running, its results once finished")
    async def get_run(self, db: AsyncSession, run_id: UUID) -> BillingRunOut:
        run = await db.get(BillingRun, run_id)
        if run is None:
            raise BillingRunNotFound(f"No billing run {run_id}")
        return run_out(run)

    @post(
        "/",
        status_code=202,
        summary="Start billing an ended period in the background",
        description="Records the run (status running, tenants_total counted) and answers at once; a worker makes "
        "or recomputes each tenant's draft invoice for the period (default: the last month ended in every time "
        "zone), finalized invoices left alone, and updates the run as it goes (GET /{id}). A period not yet "
        "ended, or an unknown tenant, is refused (400) and nothing is recorded.",
    )
    async def start_run(self, request: Request, db: AsyncSession, data: BillingRunIn) -> BillingRunOut:
        run = await open_run(
            db,
            period=data.period,
            tenant_slug=data.tenant,
            dry_run=data.dry_run,
            started_by=str(request.user.account_id),
            now=utc_now(),
        )
        await enqueue(db, carry_out_billing_run, run_id=str(run.id))
        return run_out(run)
