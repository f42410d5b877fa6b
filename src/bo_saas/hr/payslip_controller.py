"""``/api/v1/hr/payroll-runs/{run_id}/payslips``: the checker's line-by-line review of a run, and the payslip PDFs.

While the run is a draft the checker marks payslips reviewed and adds
adjustments (an extra earning or deduction on one payslip, with a reason);
the payslip is recomputed at once, and every later recomputation of the run
keeps the adjustment. A finalized payslip never changes (the database refuses it).
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import QueryParameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.hr import payroll_runs
from bo_saas.hr.access import require_keeper
from bo_saas.hr.crypto import keyring
from bo_saas.hr.payroll_compute import PayrollInputProblem, recompute_one
from bo_saas.hr.payroll_controller import _audit, visible_run
from bo_saas.hr.payroll_models import PayrollRun, Payslip, PayslipAdjustment, PayslipDocument, RunStatus
from bo_saas.hr.payroll_schemas import AdjustmentIn, PayslipLineOut, PayslipOut
from bo_saas.hr.payslip_documents import lines_of
from bo_saas.hr.payslip_pdf import payslip_pdf
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import NotFoundError, UnprocessableError
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant

ADJUSTMENT = "adj:"  # + the adjustment's id in hex: a line code is at most 40 characters


class PayslipNotFound(NotFoundError):
    pass


async def _payslips_out(db: AsyncSession, rows: list[Payslip]) -> list[PayslipOut]:
    if not rows:
        return []
    lines = await lines_of(db, rows[0].tenant_id, [row.id for row in rows])
    return [
        PayslipOut(
            id=row.id, run_id=row.run_id, employee_id=row.employee_id, employee_number=row.employee_number,
            employee_name=row.employee_name, number=row.number, days_paid=row.days_paid,
            days_in_period=row.days_in_period, gross=row.gross, deductions=row.deductions, net=row.net,
            employer_cost=row.employer_cost, reviewed=row.reviewed_at is not None,
            lines=[
                PayslipLineOut(
                    code=line.code, name=line.name, name_ar=line.name_ar, kind=line.kind, amount=line.amount,
                    hidden=line.hidden, adjusted=line.adjusted,
                    adjustment_id=UUID(line.code.removeprefix(ADJUSTMENT)) if line.adjusted else None,
                )
                for line in lines[row.id]
            ],
        )
        for row in rows
    ]  # fmt: skip


async def _payslip(db: AsyncSession, run: PayrollRun, payslip_id: UUID) -> Payslip:
    payslip = await db.scalar(
        select(Payslip).where(Payslip.tenant_id == run.tenant_id, Payslip.run_id == run.id, Payslip.id == payslip_id)
    )
    if payslip is None:
        raise PayslipNotFound("No such payslip in this run")
    return payslip


async def _draft_for_checker(db: AsyncSession, request: Request, run_id: UUID) -> PayrollRun:
    run = await visible_run(db, request.user, run_id, lock=True)
    await require_keeper(db, request.user, TenantScope.of(run.tenant_id))
    payroll_runs.require_status(run, RunStatus.DRAFT, doing="reviewed or adjusted (only a computed draft can)")
    return run


class PayslipController(Controller):
    path = "/api/v1/hr/payroll-runs/{run_id:uuid}/payslips"
    tags = ["hr"]

    @get("/", summary="The run's payslips with their lines, by employee number")
    async def list_payslips(
        self,
        request: Request,
        db: AsyncSession,
        run_id: UUID,
        page: PageRequest,
        unreviewed: Annotated[bool, QueryParameter(description="only payslips not yet reviewed")] = False,
    ) -> OffsetPagination[PayslipOut]:
        run = await visible_run(db, request.user, run_id)
        return await list_page(
            db,
            select(Payslip).where(Payslip.tenant_id == run.tenant_id, Payslip.run_id == run.id),
            page,
            filters=[Payslip.reviewed_at.is_(None) if unreviewed else True],
            order_by=(Payslip.employee_number, Payslip.id),
            into=lambda rows: _payslips_out(db, rows),
        )

    @get("/{payslip_id:uuid}", summary="One payslip with its lines")
    async def get_payslip(self, request: Request, db: AsyncSession, run_id: UUID, payslip_id: UUID) -> PayslipOut:
        run = await visible_run(db, request.user, run_id)
        (shown,) = await _payslips_out(db, [await _payslip(db, run, payslip_id)])
        return shown

    @post("/{payslip_id:uuid}/review", status_code=HTTP_200_OK, summary="Mark a draft payslip reviewed")
    async def review_payslip(self, request: Request, db: AsyncSession, run_id: UUID, payslip_id: UUID) -> PayslipOut:
        run = await _draft_for_checker(db, request, run_id)
        payslip = await _payslip(db, run, payslip_id)
        payslip.reviewed_at = payslip.reviewed_at or utc_now()
        (shown,) = await _payslips_out(db, [payslip])
        return shown

    @post(
        "/{payslip_id:uuid}/adjustments",
        summary="Add a manual earning or deduction to a draft payslip; recomputing the run keeps it",
    )
    async def add_adjustment(
        self, request: Request, db: AsyncSession, run_id: UUID, payslip_id: UUID, data: AdjustmentIn
    ) -> PayslipOut:
        run = await _draft_for_checker(db, request, run_id)
        payslip = await _payslip(db, run, payslip_id)
        adjustment = PayslipAdjustment(
            tenant_id=run.tenant_id, run_id=run.id, employee_id=payslip.employee_id, kind=data.kind,
            description=data.description, amount=data.amount, made_by=request.user.account_id,
        )  # fmt: skip
        db.add(adjustment)
        await db.flush()
        return await self._recomputed(db, request, run, payslip, "hr.payslip_adjusted", adjustment)

    @delete(
        "/{payslip_id:uuid}/adjustments/{adjustment_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Remove an adjustment from a draft payslip",
    )
    async def remove_adjustment(
        self, request: Request, db: AsyncSession, run_id: UUID, payslip_id: UUID, adjustment_id: UUID
    ) -> PayslipOut:
        run = await _draft_for_checker(db, request, run_id)
        payslip = await _payslip(db, run, payslip_id)
        adjustment = await db.scalar(
            select(PayslipAdjustment).where(
                PayslipAdjustment.tenant_id == run.tenant_id, PayslipAdjustment.run_id == run.id,
                PayslipAdjustment.employee_id == payslip.employee_id, PayslipAdjustment.id == adjustment_id,
            )
        )  # fmt: skip
        if adjustment is None:
            raise PayslipNotFound("No such adjustment on this payslip")
        await db.delete(adjustment)
        await db.flush()
        return await self._recomputed(db, request, run, payslip, "hr.payslip_adjustment_removed", adjustment)

    async def _recomputed(self, db, request, run, payslip, action: str, adjustment) -> PayslipOut:
        employee_id = payslip.employee_id
        try:
            await recompute_one(db, keyring(request.app.state.settings), run, employee_id)
        except PayrollInputProblem as exc:
            raise UnprocessableError(str(exc)) from None
        _audit(db, request, run, action, employee_id=str(employee_id), kind=adjustment.kind, amount=adjustment.amount)
        fresh = await db.scalar(
            select(Payslip)
            .where(Payslip.tenant_id == run.tenant_id, Payslip.run_id == run.id, Payslip.employee_id == employee_id)
            .execution_options(populate_existing=True)
        )
        (shown,) = await _payslips_out(db, [fresh])
        return shown

    @get(
        "/{payslip_id:uuid}/pdf",
        media_type="application/pdf",
        summary="A payslip as a PDF in English or Arabic (hidden components left off)",
    )
    async def get_payslip_pdf(
        self,
        request: Request,
        db: AsyncSession,
        run_id: UUID,
        payslip_id: UUID,
        language: Annotated[Literal["en", "ar"], QueryParameter(description="en or ar")] = "en",
    ) -> Response[bytes]:
        run = await visible_run(db, request.user, run_id)
        payslip = await _payslip(db, run, payslip_id)
        content = await db.scalar(
            select(PayslipDocument.content).where(
                PayslipDocument.tenant_id == run.tenant_id, PayslipDocument.payslip_id == payslip.id,
                PayslipDocument.language == language,
            )
        )  # fmt: skip
        if content is None:  # a draft, or a final one whose document the background job has not made yet
            tenant_name = await db.scalar(select(Tenant.name).where(Tenant.id == run.tenant_id))
            lines = (await lines_of(db, run.tenant_id, [payslip.id]))[payslip.id]
            content = payslip_pdf(payslip, lines, run.period, run.currency or "USD", tenant_name or "", language)
        name = payslip.number or f"draft-{run.period}-{payslip.employee_number}"
        return Response(
            content, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}.pdf"'}
        )
