"""``/api/v1/hr/payroll-runs``: a tenant's monthly payroll, from draft to payslips, bank file and books.

Pay is personal data: every payroll route is for the tenant's client admins
and the provider staff serving it with the ``hr`` skill (403 for anyone else
in the tenant; another tenant's run answers 404). Computing runs in the
background; the run's ``progress`` shows how far it got.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.hr import payroll_runs
from bo_saas.hr.access import may_see_personal, one_tenant, require_keeper
from bo_saas.hr.crypto import keyring
from bo_saas.hr.errors import NotAnHrKeeper
from bo_saas.hr.payroll_bank_file import Payment, bank_csv, sepa_pain001
from bo_saas.hr.payroll_models import PayrollRun, Payslip, RunStatus
from bo_saas.hr.payroll_posting import post_run
from bo_saas.hr.payroll_schemas import PayrollRunIn, PayrollRunOut
from bo_saas.hr.payroll_tasks import compute_payroll_run, make_payslip_documents
from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import InvalidInputError
from bo_saas.lib.listing import list_page
from bo_saas.lib.outbox import enqueue
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant


async def require_payroll_reader(db: AsyncSession, caller: Caller) -> None:
    if not await may_see_personal(db, caller):
        raise NotAnHrKeeper("Payroll is for the tenant's client admin and provider staff with the hr skill")


async def visible_run(db: AsyncSession, caller: Caller, run_id: UUID, *, lock: bool = False) -> PayrollRun:
    """The run (RLS hides other tenants': 404), when the caller may see pay; 403 otherwise."""
    statement = select(PayrollRun).where(PayrollRun.id == run_id)
    run = await db.scalar(statement.with_for_update() if lock else statement)
    if run is None:
        raise payroll_runs.PayrollRunNotFound("No such payroll run")
    await require_payroll_reader(db, caller)
    return run


def _audit(db: AsyncSession, request: Request, run: PayrollRun, action: str, **changes) -> None:
    record_event(
        db, request, tenant_id=run.tenant_id, action=action, subject_type="hr_payroll_run", subject_id=str(run.id),
        changes={"period": run.period, **changes},
    )  # fmt: skip


async def _queue_compute(db: AsyncSession, run: PayrollRun) -> None:
    await enqueue(db, compute_payroll_run, tenant_id=str(run.tenant_id), run_id=str(run.id))


class PayrollRunController(Controller):
    path = "/api/v1/hr/payroll-runs"
    tags = ["hr"]

    @get("/", summary="List the tenant's payroll runs, latest period first")
    async def list_runs(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, page: PageRequest
    ) -> OffsetPagination[PayrollRunOut]:
        tenant_id = one_tenant(tenant_scope)
        await require_payroll_reader(db, request.user)

        async def shown(rows: list[PayrollRun]) -> list[PayrollRunOut]:
            return [await payroll_runs.run_out(db, run) for run in rows]

        return await list_page(
            db,
            select(PayrollRun).where(PayrollRun.tenant_id == tenant_id),
            page,
            order_by=(PayrollRun.period.desc(),),
            into=shown,
        )

    @post(
        "/",
        status_code=HTTP_202_ACCEPTED,
        summary="Prepare the payroll of a period (YYYY-MM): computed in the background for every active employee",
        description="409 when the period already has a run (finalized, or a draft to recompute or review).",
    )
    async def create_run(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: PayrollRunIn
    ) -> PayrollRunOut:
        tenant = await require_keeper(db, request.user, tenant_scope)
        run = await payroll_runs.create_run(db, tenant.id, data.period, request.user.account_id)
        await _queue_compute(db, run)
        _audit(db, request, run, "hr.payroll_run_prepared")
        return await payroll_runs.run_out(db, run)

    @get("/{run_id:uuid}", summary="One payroll run with its progress and totals")
    async def get_run(self, request: Request, db: AsyncSession, run_id: UUID) -> PayrollRunOut:
        return await payroll_runs.run_out(db, await visible_run(db, request.user, run_id))

    @post(
        "/{run_id:uuid}/compute",
        status_code=HTTP_202_ACCEPTED,
        summary="Compute a draft or failed run again (adjustments are kept); one payslip per employee, never two",
    )
    async def recompute_run(self, request: Request, db: AsyncSession, run_id: UUID) -> PayrollRunOut:
        run = await visible_run(db, request.user, run_id, lock=True)
        await require_keeper(db, request.user, TenantScope.of(run.tenant_id))
        payroll_runs.require_status(run, RunStatus.DRAFT, RunStatus.FAILED, RunStatus.COMPUTING, doing="recomputed")
        run.status, run.failure, run.employees_done = RunStatus.COMPUTING.value, None, 0
        await _queue_compute(db, run)
        _audit(db, request, run, "hr.payroll_run_recomputed")
        return await payroll_runs.run_out(db, run)

    @post(
        "/{run_id:uuid}/approve",
        status_code=HTTP_200_OK,
        summary="Approve a computed draft: the checker is the tenant's client admin, never the run's preparer",
    )
    async def approve_run(self, request: Request, db: AsyncSession, run_id: UUID) -> PayrollRunOut:
        run = await visible_run(db, request.user, run_id, lock=True)
        await require_keeper(db, request.user, TenantScope.of(run.tenant_id))
        payroll_runs.approve(run, request.user)
        _audit(db, request, run, "hr.payroll_run_approved")
        return await payroll_runs.run_out(db, run)

    @post(
        "/{run_id:uuid}/finalize",
        status_code=HTTP_200_OK,
        summary="Finalize an approved run: payslips numbered and final, PDFs made in the background",
        description="422 listing every employee without a bank account (nothing is finalized then).",
    )
    async def finalize_run(self, request: Request, db: AsyncSession, run_id: UUID) -> PayrollRunOut:
        run = await visible_run(db, request.user, run_id, lock=True)
        await require_keeper(db, request.user, TenantScope.of(run.tenant_id))
        count = await payroll_runs.finalize(db, keyring(request.app.state.settings), run)
        await enqueue(db, make_payslip_documents, tenant_id=str(run.tenant_id), run_id=str(run.id))
        _audit(db, request, run, "hr.payroll_run_finalized", payslips=count)
        return await payroll_runs.run_out(db, run)

    @post(
        "/{run_id:uuid}/post",
        status_code=HTTP_200_OK,
        summary="Post a finalized run to the tenant's books: one balanced journal entry (once, however often asked)",
    )
    async def post_run_to_books(self, request: Request, db: AsyncSession, run_id: UUID) -> PayrollRunOut:
        run = await visible_run(db, request.user, run_id, lock=True)
        tenant = await require_keeper(db, request.user, TenantScope.of(run.tenant_id))
        number = await post_run(db, tenant, run)
        _audit(db, request, run, "hr.payroll_run_posted", journal_entry=number)
        return await payroll_runs.run_out(db, run)

    @get(
        "/{run_id:uuid}/bank-file",
        summary="The bank payment file of a finalized run: CSV, or SEPA pain.001.001.03 XML",
        description="format=csv (default) or sepa; sepa needs debtor_iban (the account paid from) and "
        "takes debtor_name (else the tenant's name) and debtor_bic.",
    )
    async def get_bank_file(
        self,
        request: Request,
        db: AsyncSession,
        run_id: UUID,
        format: Annotated[Literal["csv", "sepa"], QueryParameter(description="csv or sepa")] = "csv",  # noqa: A002
        debtor_iban: Annotated[str | None, QueryParameter(max_length=42)] = None,
        debtor_name: Annotated[str | None, QueryParameter(max_length=70)] = None,
        debtor_bic: Annotated[str | None, QueryParameter(max_length=11)] = None,
    ) -> Response[bytes]:
        run = await visible_run(db, request.user, run_id)
        payroll_runs.require_status(run, RunStatus.FINALIZED, doing="paid (finalize it first)")
        ring = keyring(request.app.state.settings)
        rows = await db.scalars(
            select(Payslip).where(Payslip.tenant_id == run.tenant_id, Payslip.run_id == run.id).order_by(Payslip.number)
        )
        payments = [
            Payment(row.id, row.number or "", row.employee_number, row.employee_name,
                    ring.open(run.tenant_id, row.id, row.bank_sealed)["iban"], row.net)
            for row in rows
            if row.net > 0 and row.bank_sealed is not None
        ]  # fmt: skip
        _audit(db, request, run, "hr.personal_data_read", fields=["iban"], payments=len(payments))
        currency = run.currency or "USD"
        if format == "csv":
            content, media_type, suffix = bank_csv(payments, currency, run.period), "text/csv", "csv"
        else:
            try:
                debtor = IBAN(debtor_iban or "").compact
            except SchwiftyException as exc:
                raise InvalidInputError(f"A SEPA file needs debtor_iban, the account paid from: {exc}") from None
            tenant_name = await db.scalar(select(Tenant.name).where(Tenant.id == run.tenant_id))
            content = sepa_pain001(
                payments, currency, run.period, run_id=run.id, debtor_name=debtor_name or tenant_name or "",
                debtor_iban=debtor, debtor_bic=debtor_bic, execution_date=(utc_now() + timedelta(days=1)).date(),
                created_at=utc_now(),
            )  # fmt: skip
            media_type, suffix = "application/xml", "xml"
        return Response(
            content,
            media_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="payroll-{run.period}.{suffix}"'},
        )
