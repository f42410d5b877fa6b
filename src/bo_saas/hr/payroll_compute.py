"""Computing a payroll run in the background: every employee active in the period, in chunks, with progress.

The whole roster is read once (salaries opened from the sealed personal
data), then payslips are written a chunk at a time, each chunk in its own
transaction that replaces the chunk's payslips: progress shows as chunks
commit, and a run that fails half-way is simply computed again: the unique
(run, employee) key and the replace-per-chunk make a rerun end with exactly
one payslip per employee. Checkers' adjustments live in their own table and
are added on every computation, so they survive it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID, uuid4

import structlog
from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.audit.record import record_event
from bo_saas.hr import personal as personal_data
from bo_saas.hr.crypto import Keyring
from bo_saas.hr.models import Employee
from bo_saas.hr.payroll_components import active_components, computing_order
from bo_saas.hr.payroll_math import ComponentRule, Line, Override, days_paid, payslip_figures
from bo_saas.hr.payroll_models import (
    EmployeePay,
    PayComponent,
    PayrollRun,
    Payslip,
    PayslipAdjustment,
    RunStatus,
)
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import driver_connection, scoped_session
from bo_saas.lib.tenant_scope import TenantScope

log = structlog.get_logger(__name__)

CHUNK = 1000
_NOTHING = personal_data.Personal()
# One statement per chunk and table: the rows go as arrays, unnested by PostgreSQL (COPY is refused under RLS).
_INSERT_PAYSLIPS = """
    INSERT INTO hr_payslips (tenant_id, run_id, created_at, updated_at, id, employee_id, employee_number,
                             employee_name, days_paid, days_in_period, gross, deductions, net, employer_cost)
    SELECT $1, $2, $3, $3, u.*
    FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::int[], $9::int[], $10::bigint[], $11::bigint[],
                $12::bigint[], $13::bigint[]) AS u
"""
_INSERT_LINES = """
    INSERT INTO hr_payslip_lines (tenant_id, id, payslip_id, position, code, name, name_ar, kind, amount, hidden,
                                  adjusted)
    SELECT $1, u.*
    FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[],
                $10::bool[], $11::bool[]) AS u
"""
RECOMPUTABLE = {RunStatus.COMPUTING.value, RunStatus.FAILED.value, RunStatus.DRAFT.value}


class PayrollInputProblem(Exception):
    """The roster cannot be paid as it stands (e.g. salaries in different currencies); the run fails with it."""


@dataclass(frozen=True, slots=True)
class Worker:
    id: UUID
    number: str
    name: str
    salary: int
    days_paid: int


async def compute_run(sessions: async_sessionmaker[AsyncSession], ring: Keyring, tenant_id: UUID, run_id: UUID) -> None:
    """Compute (or recompute) the run's payslips; a run past draft is left alone, so a repeated message is harmless."""
    scope = TenantScope.of(tenant_id)
    try:
        async with scoped_session(sessions, scope) as session:
            run = await _recomputable(session, tenant_id, run_id)
            if run is None:
                return
            workers, currency = await _roster(session, ring, run)
            rules = await _rules(session, tenant_id)
            overrides = await _overrides(session, tenant_id)
            adjustments = await _adjustments(session, tenant_id, run_id)
            await session.execute(
                delete(Payslip).where(
                    Payslip.tenant_id == tenant_id,
                    Payslip.run_id == run_id,
                    Payslip.employee_id.not_in([worker.id for worker in workers]),
                )
            )
            run.status, run.failure, run.currency = RunStatus.COMPUTING.value, None, currency
            run.employees_total, run.employees_done = len(workers), 0
            period_end = run.period_end
            record_event(
                session, None, tenant_id=tenant_id, action="hr.personal_data_read", subject_type="hr_payroll_run",
                subject_id=str(run_id), changes={"fields": ["salary"], "employees": len(workers)},
                actor=(run.prepared_by, "payroll"),
            )  # fmt: skip
        for start in range(0, len(workers), CHUNK):
            chunk = workers[start : start + CHUNK]
            async with scoped_session(sessions, scope) as session:
                if await _recomputable(session, tenant_id, run_id) is None:
                    return
                await _write_chunk(session, tenant_id, run_id, chunk, period_end, rules, overrides, adjustments)
                await session.execute(
                    update(PayrollRun)
                    .where(PayrollRun.tenant_id == tenant_id, PayrollRun.id == run_id)
                    .values(employees_done=start + len(chunk))
                )
        async with scoped_session(sessions, scope) as session:
            if (run := await _recomputable(session, tenant_id, run_id)) is not None:
                run.status = RunStatus.DRAFT.value
    except Exception as exc:
        reason = str(exc) if isinstance(exc, PayrollInputProblem) else f"computation stopped: {type(exc).__name__}"
        log.warning("hr.payroll_compute_failed", run_id=str(run_id), reason=str(exc))
        async with scoped_session(sessions, scope) as session:
            if (run := await _recomputable(session, tenant_id, run_id)) is not None:
                run.status, run.failure = RunStatus.FAILED.value, reason[:500]
        if not isinstance(exc, PayrollInputProblem):
            raise


async def _recomputable(session: AsyncSession, tenant_id: UUID, run_id: UUID) -> PayrollRun | None:
    run = await session.scalar(
        select(PayrollRun).where(PayrollRun.tenant_id == tenant_id, PayrollRun.id == run_id).with_for_update()
    )
    return run if run is not None and run.status in RECOMPUTABLE else None


async def recompute_one(session: AsyncSession, ring: Keyring, run: PayrollRun, employee_id: UUID) -> None:
    """Recompute one employee's payslip in the caller's transaction (after the checker adjusted it)."""
    workers, currency = await _roster(session, ring, run, only=employee_id)
    if currency is not None and run.currency is not None and currency != run.currency:
        raise PayrollInputProblem(f"this employee is paid in {currency}, the run in {run.currency}")
    rules = await _rules(session, run.tenant_id)
    overrides = await _overrides(session, run.tenant_id)
    adjustments = await _adjustments(session, run.tenant_id, run.id)
    await _write_chunk(session, run.tenant_id, run.id, workers, run.period_end, rules, overrides, adjustments)


async def _roster(
    session: AsyncSession, ring: Keyring, run: PayrollRun, only: UUID | None = None
) -> tuple[list[Worker], str | None]:
    # Columns, not rows: five thousand employees need no ORM objects, only their salary opened.
    employees = await session.execute(
        select(Employee.id, Employee.employee_number, Employee.name, Employee.start_date, Employee.end_date,
               Employee.personal_sealed)
        .where(
            Employee.tenant_id == run.tenant_id,
            Employee.start_date <= run.period_end,
            or_(Employee.end_date.is_(None), Employee.end_date >= run.period_start),
            Employee.id == only if only is not None else True,
        )
        .order_by(Employee.employee_number)
    )  # fmt: skip
    workers, currencies = [], defaultdict(list)
    for employee_id, number, name, start_date, end_date, sealed in employees:
        personal = personal_data.open_sealed(ring, run.tenant_id, employee_id, sealed) if sealed else _NOTHING
        if personal.salary is not None:
            currencies[personal.currency].append(number)
        paid = days_paid(start_date, end_date, run.period_start, run.period_end)
        workers.append(Worker(employee_id, number, name, personal.salary or 0, paid))
    if len(currencies) > 1:
        listed = "; ".join(f"{currency}: {', '.join(numbers[:10])}" for currency, numbers in sorted(currencies.items()))
        raise PayrollInputProblem(f"salaries are in more than one currency, one run pays one: {listed}")
    return workers, next(iter(currencies), None)


async def _rules(session: AsyncSession, tenant_id: UUID) -> list[ComponentRule]:
    rules = [
        ComponentRule(
            row.code,
            row.name,
            row.name_ar,
            row.kind,
            row.calculation,
            row.amount,
            None if row.percent is None else Decimal(row.percent),
            tuple(row.basis or ()),
            row.applies_to_all,
            row.hidden,
            row.position,
        )  # fmt: skip
        for row in await active_components(session, tenant_id)
    ]
    return computing_order(rules)


async def _overrides(session: AsyncSession, tenant_id: UUID) -> dict[UUID, dict[str, Override]]:
    rows = await session.execute(
        select(EmployeePay.employee_id, PayComponent.code, EmployeePay.amount, EmployeePay.percent)
        .join(
            PayComponent,
            (PayComponent.tenant_id == EmployeePay.tenant_id) & (PayComponent.id == EmployeePay.component_id),
        )
        .where(EmployeePay.tenant_id == tenant_id)
    )
    overrides: dict[UUID, dict[str, Override]] = defaultdict(dict)
    for employee_id, code, amount, percent in rows:
        overrides[employee_id][code] = Override(amount, None if percent is None else Decimal(percent))
    return overrides


async def _adjustments(session: AsyncSession, tenant_id: UUID, run_id: UUID) -> dict[UUID, list[Line]]:
    rows = await session.scalars(
        select(PayslipAdjustment)
        .where(PayslipAdjustment.tenant_id == tenant_id, PayslipAdjustment.run_id == run_id)
        .order_by(PayslipAdjustment.created_at)
    )
    adjustments: dict[UUID, list[Line]] = defaultdict(list)
    for row in rows:
        adjustments[row.employee_id].append(
            Line(f"adj:{row.id.hex}", row.description, None, row.kind, row.amount, adjusted=True)
        )
    return adjustments


async def _write_chunk(session, tenant_id, run_id, chunk, period_end, rules, overrides, adjustments) -> None:
    days_in_period = period_end.day  # runs are calendar months: the last day's number is the month's length
    # Replaced, keeping each payslip's id: the checker's screen and links stay valid across recomputation.
    earlier = await session.execute(
        delete(Payslip)
        .where(
            Payslip.tenant_id == tenant_id,
            Payslip.run_id == run_id,
            Payslip.employee_id.in_([worker.id for worker in chunk]),
        )
        .returning(Payslip.employee_id, Payslip.id)
    )
    ids = dict(earlier.all())
    payslips: list[tuple] = []
    lines: list[tuple] = []
    for worker in chunk:
        figures = payslip_figures(
            worker.salary, worker.days_paid, days_in_period, rules, overrides.get(worker.id, {}),
            adjustments.get(worker.id, []),
        )  # fmt: skip
        payslip_id = ids.get(worker.id) or uuid4()
        payslips.append((payslip_id, worker.id, worker.number, worker.name, figures.days_paid, figures.days_in_period,
                         figures.gross, figures.deductions, figures.net, figures.employer_cost))  # fmt: skip
        lines.extend(
            (uuid4(), payslip_id, position, line.code, line.name, line.name_ar, line.kind, line.amount, line.hidden,
             line.adjusted)
            for position, line in enumerate(figures.lines)
        )  # fmt: skip
    if payslips:
        connection = await driver_connection(session)  # the session's transaction, after its delete above
        await connection.execute(_INSERT_PAYSLIPS, tenant_id, run_id, utc_now(), *_columns(payslips, 10))
        await connection.execute(_INSERT_LINES, tenant_id, *_columns(lines, 10))


def _columns(rows: list[tuple], width: int) -> list[list]:
    """Rows as one list per column: the arrays the unnest statements take."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]
