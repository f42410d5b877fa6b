"""A payroll run's life: prepared, computed in the background, reviewed by the checker, approved, finalized.

The checker is the tenant's client admin and is never the one who prepared
the run (four eyes; the database refuses it too). Finalizing numbers the
payslips (gap-free per tenant and year, in employee-number order), fixes the
bank account each is paid into, records usage and queues the PDFs, all in one
transaction: an employee without a bank account stops it with the list of
them, and nothing is half-done. A period that has a run already is a 409.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time
from uuid import UUID

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.hr.crypto import Keyring
from bo_saas.hr.models import Employee
from bo_saas.hr.payroll_models import PayrollRun, Payslip, PayslipCounter, RunStatus
from bo_saas.hr.payroll_schemas import PayrollRunOut, RunProgress, RunTotals
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import ConflictError, ForbiddenError, NotFoundError, UnprocessableError
from bo_saas.work.usage import record_usage


class PayrollRunNotFound(NotFoundError):
    pass


def period_bounds(period: str) -> tuple[date, date]:
    year, month = (int(part) for part in period.split("-"))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


async def get_run(session: AsyncSession, tenant_id: UUID, run_id: UUID, *, lock: bool = False) -> PayrollRun:
    statement = select(PayrollRun).where(PayrollRun.tenant_id == tenant_id, PayrollRun.id == run_id)
    run = await session.scalar(statement.with_for_update() if lock else statement)
    if run is None:
        raise PayrollRunNotFound("No such payroll run")
    return run


async def create_run(session: AsyncSession, tenant_id: UUID, period: str, prepared_by: UUID | None) -> PayrollRun:
    earlier = await session.scalar(
        select(PayrollRun).where(PayrollRun.tenant_id == tenant_id, PayrollRun.period == period)
    )
    if earlier is not None:
        if earlier.status == RunStatus.FINALIZED:
            raise ConflictError(f"Payroll for {period} is already finalized", extra={"run_id": str(earlier.id)})
        raise ConflictError(
            f"Payroll for {period} already has a {earlier.status} run: recompute or review it",
            extra={"run_id": str(earlier.id)},
        )
    start, end = period_bounds(period)
    run = PayrollRun(
        tenant_id=tenant_id, period=period, period_start=start, period_end=end,
        status=RunStatus.COMPUTING.value, prepared_by=prepared_by,
    )  # fmt: skip
    session.add(run)
    await session.flush()
    return run


def require_status(run: PayrollRun, *allowed: RunStatus, doing: str) -> None:
    if run.status not in {status.value for status in allowed}:
        raise ConflictError(f"The {run.period} run is {run.status}: it cannot be {doing}")


def approve(run: PayrollRun, caller: Caller) -> None:
    require_status(run, RunStatus.DRAFT, doing="approved (only a computed draft can)")
    if caller.role is not Role.CLIENT_ADMIN:
        raise ForbiddenError("The checker who approves a payroll run is the tenant's client admin")
    if caller.account_id is not None and caller.account_id == run.prepared_by:
        raise ForbiddenError("The one who prepared the run cannot also approve it: another admin checks it")
    run.status, run.approved_by, run.approved_at = RunStatus.APPROVED.value, caller.account_id, utc_now()


async def finalize(session: AsyncSession, ring: Keyring, run: PayrollRun) -> int:
    """Number and seal the payslips; returns how many. The caller queues the PDFs in the same transaction."""
    require_status(run, RunStatus.APPROVED, doing="finalized (approve it first)")
    rows = (
        await session.execute(
            select(Payslip.id, Payslip.employee_id, Employee.employee_number, Employee.name, Employee.personal_sealed)
            .join(Employee, (Employee.tenant_id == Payslip.tenant_id) & (Employee.id == Payslip.employee_id))
            .where(Payslip.tenant_id == run.tenant_id, Payslip.run_id == run.id)
            .order_by(Employee.employee_number)
        )
    ).all()
    ibans, missing = {}, []
    for payslip_id, employee_id, number, name, sealed in rows:
        iban = ring.open(run.tenant_id, employee_id, sealed).get("iban") if sealed is not None else None
        if iban:
            ibans[payslip_id] = iban
        else:
            missing.append({"employee_id": str(employee_id), "employee_number": number, "name": name})
    if missing:
        listed = ", ".join(item["employee_number"] for item in missing[:20])
        raise UnprocessableError(
            f"{len(missing)} employee(s) have no bank account to pay into: {listed}", extra={"employees": missing}
        )
    year = run.period_end.year
    last = await session.scalar(
        pg_insert(PayslipCounter)
        .values(tenant_id=run.tenant_id, year=year, last=len(rows))
        .on_conflict_do_update(index_elements=["tenant_id", "year"], set_={"last": PayslipCounter.last + len(rows)})
        .returning(PayslipCounter.last)
    )
    first = last - len(rows) + 1
    numbered = [
        {"payslip_id": payslip_id, "payslip_number": f"PS-{year}-{first + index:06d}",
         "bank": ring.seal(run.tenant_id, payslip_id, {"iban": ibans[payslip_id]})}
        for index, (payslip_id, *_rest) in enumerate(rows)
    ]  # fmt: skip
    if numbered:
        table = Payslip.__table__
        await session.execute(
            update(table)
            .where(table.c.tenant_id == run.tenant_id, table.c.id == bindparam("payslip_id"))
            .values(number=bindparam("payslip_number"), bank_sealed=bindparam("bank")),
            numbered,
            execution_options={"synchronize_session": False},
        )
    now = utc_now()
    run.status, run.finalized_at = RunStatus.FINALIZED.value, now
    run.documents_total, run.documents_done = 2 * len(rows), 0
    if rows:
        await record_usage(
            session, tenant_id=run.tenant_id, meter="hr.payslips", quantity=len(rows),
            idempotency_key=f"payroll_run:{run.id}:payslips", occurred_at=now,
        )  # fmt: skip
        await record_usage(
            session, tenant_id=run.tenant_id, meter="hr.employees", quantity=len(rows),
            idempotency_key=f"payroll_run:{run.id}:employees",
            occurred_at=datetime.combine(run.period_end, time(12), tzinfo=UTC),
        )  # fmt: skip
    return len(rows)


async def run_out(session: AsyncSession, run: PayrollRun) -> PayrollRunOut:
    totals = (
        await session.execute(
            select(
                func.count(), func.count(Payslip.reviewed_at), func.coalesce(func.sum(Payslip.gross), 0),
                func.coalesce(func.sum(Payslip.deductions), 0), func.coalesce(func.sum(Payslip.net), 0),
                func.coalesce(func.sum(Payslip.employer_cost), 0),
            ).where(Payslip.tenant_id == run.tenant_id, Payslip.run_id == run.id)
        )
    ).one()  # fmt: skip
    return PayrollRunOut(
        id=run.id, period=run.period, period_start=run.period_start, period_end=run.period_end, status=run.status,
        currency=run.currency, prepared_by=run.prepared_by, approved_by=run.approved_by, approved_at=run.approved_at,
        finalized_at=run.finalized_at, failure=run.failure, journal_entry_number=run.journal_entry_number,
        progress=RunProgress(run.employees_total, run.employees_done, run.documents_total, run.documents_done),
        totals=RunTotals(*(int(value) for value in totals)),
    )  # fmt: skip
