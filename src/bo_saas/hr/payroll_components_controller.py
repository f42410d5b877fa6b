"""``/api/v1/hr/pay-components``: what a tenant's payslips are made of, and each employee's own amounts.

The same rules as ``[[hr.pay_components]]`` in the manifest (payroll_components):
a component is an earning, a deduction or an employer contribution, fixed or a
percentage of other components (``base`` is the salary). Retiring a component
(DELETE) stops computing it; payslips that show it keep it. An employee's own
amount or percent overrides the component's default for them.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, delete, get, post, put
from litestar.status_codes import HTTP_200_OK
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.hr.access import one_tenant, require_keeper
from bo_saas.hr.models import Employee
from bo_saas.hr.payroll_components import (
    ComponentSpec,
    active_components,
    component_json,
    parse_percent,
    set_problems,
    spec_problems,
    upsert_component,
)
from bo_saas.hr.payroll_controller import require_payroll_reader
from bo_saas.hr.payroll_models import Calculation, EmployeePay, PayComponent
from bo_saas.hr.payroll_schemas import EmployeePayIn, EmployeePayOut, PayComponentIn, PayComponentOut
from bo_saas.lib.errors import ConflictError, NotFoundError, UnprocessableError
from bo_saas.lib.tenant_scope import TenantScope


class PayComponentNotFound(NotFoundError):
    pass


def _spec(data: PayComponentIn, position: int) -> ComponentSpec:
    problems: dict[str, str] = {}
    percent = None
    if data.percent is not None:
        try:
            percent = parse_percent(data.percent)
        except ValueError as exc:
            problems["percent"] = str(exc)
    spec = ComponentSpec(
        code=data.code, name=data.name, name_ar=data.name_ar, kind=data.kind, calculation=data.calculation,
        amount=data.amount, percent=percent, basis=tuple(data.basis), applies_to_all=data.applies_to_all,
        hidden=data.hidden, position=position,
    )  # fmt: skip
    problems = {**spec_problems(spec), **problems}
    if problems:
        raise UnprocessableError("The pay component has problems", extra={"problems": problems})
    return spec


async def _save(db: AsyncSession, tenant_id: UUID, spec: ComponentSpec) -> PayComponent:
    others = [
        ComponentSpec(row.code, row.name, row.kind, row.calculation, basis=tuple(row.basis or ()))
        for row in await active_components(db, tenant_id)
        if row.code != spec.code
    ]
    problems = set_problems([spec, *others]).get(0)
    if problems:
        raise UnprocessableError("The pay component has problems", extra={"problems": problems})
    row, _changes = await upsert_component(db, tenant_id, spec)
    return row


async def _component(db: AsyncSession, component_id: UUID) -> PayComponent:
    row = await db.scalar(select(PayComponent).where(PayComponent.id == component_id))
    if row is None:
        raise PayComponentNotFound("No such pay component")
    return row


def _audit(db: AsyncSession, request: Request, row: PayComponent, action: str, **changes) -> None:
    record_event(
        db, request, tenant_id=row.tenant_id, action=action, subject_type="hr_pay_component",
        subject_id=str(row.id), changes={"code": row.code, **changes},
    )  # fmt: skip


class PayComponentController(Controller):
    path = "/api/v1/hr/pay-components"
    tags = ["hr"]

    @get("/", summary="The tenant's active pay components, in payslip order")
    async def list_components(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope
    ) -> list[PayComponentOut]:
        tenant_id = one_tenant(tenant_scope)
        await require_payroll_reader(db, request.user)
        return [PayComponentOut(**component_json(row)) for row in await active_components(db, tenant_id)]

    @post("/", summary="Add a pay component (409 when the code is taken)")
    async def create_component(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: PayComponentIn
    ) -> PayComponentOut:
        tenant = await require_keeper(db, request.user, tenant_scope)
        taken = await db.scalar(
            select(PayComponent.id).where(
                PayComponent.tenant_id == tenant.id, PayComponent.code == data.code, PayComponent.active.is_(True)
            )
        )
        if taken is not None:
            raise ConflictError(f"The pay component {data.code} exists already")
        position = len(await active_components(db, tenant.id))
        row = await _save(db, tenant.id, _spec(data, position))
        _audit(db, request, row, "hr.pay_component.created")
        return PayComponentOut(**component_json(row))

    @put("/{component_id:uuid}", summary="Change a pay component (its code stays)")
    async def replace_component(
        self, request: Request, db: AsyncSession, component_id: UUID, data: PayComponentIn
    ) -> PayComponentOut:
        row = await _component(db, component_id)
        await require_keeper(db, request.user, TenantScope.of(row.tenant_id))
        if data.code != row.code:
            raise UnprocessableError("A pay component's code does not change", extra={"problems": {"code": row.code}})
        row = await _save(db, row.tenant_id, _spec(data, row.position))
        _audit(db, request, row, "hr.pay_component.changed")
        return PayComponentOut(**component_json(row))

    @delete("/{component_id:uuid}", status_code=HTTP_200_OK, summary="Retire a pay component")
    async def retire_component(self, request: Request, db: AsyncSession, component_id: UUID) -> PayComponentOut:
        row = await _component(db, component_id)
        await require_keeper(db, request.user, TenantScope.of(row.tenant_id))
        users = [
            other.code
            for other in await active_components(db, row.tenant_id)
            if row.code in (other.basis or []) and other.id != row.id
        ]
        if users:
            raise ConflictError(f"{', '.join(users)} are percentages of {row.code}: change them first")
        row.active = False
        _audit(db, request, row, "hr.pay_component.retired")
        return PayComponentOut(**component_json(row))

    @get("/{component_id:uuid}/employees", summary="The employees with their own amount or percent for a component")
    async def list_employee_pay(self, request: Request, db: AsyncSession, component_id: UUID) -> list[EmployeePayOut]:
        row = await _component(db, component_id)
        await require_payroll_reader(db, request.user)
        pays = await db.scalars(
            select(EmployeePay).where(EmployeePay.tenant_id == row.tenant_id, EmployeePay.component_id == row.id)
        )
        return [_pay_out(pay, row) for pay in pays]

    @put(
        "/{component_id:uuid}/employees/{employee_id:uuid}",
        summary="Set one employee's own amount (fixed component) or percent (percent component)",
    )
    async def set_employee_pay(
        self, request: Request, db: AsyncSession, component_id: UUID, employee_id: UUID, data: EmployeePayIn
    ) -> EmployeePayOut:
        row = await _component(db, component_id)
        await require_keeper(db, request.user, TenantScope.of(row.tenant_id))
        await _employee(db, row.tenant_id, employee_id)
        amount, percent = data.amount, None
        if row.calculation == Calculation.FIXED and (amount is None or data.percent is not None):
            raise UnprocessableError(f"{row.code} is fixed: give the employee an amount (minor units)")
        if row.calculation == Calculation.PERCENT:
            if data.percent is None or amount is not None:
                raise UnprocessableError(f'{row.code} is a percentage: give the employee a percent ("12.5")')
            try:
                percent = parse_percent(data.percent)
            except ValueError as exc:
                raise UnprocessableError(str(exc), extra={"problems": {"percent": str(exc)}}) from None
        pay = await db.scalar(
            select(EmployeePay).where(
                EmployeePay.tenant_id == row.tenant_id, EmployeePay.component_id == row.id,
                EmployeePay.employee_id == employee_id,
            )
        )  # fmt: skip
        if pay is None:
            pay = EmployeePay(tenant_id=row.tenant_id, component_id=row.id, employee_id=employee_id)
            db.add(pay)
        pay.amount, pay.percent = amount, percent
        await db.flush()
        _audit(db, request, row, "hr.employee_pay.set", employee_id=str(employee_id))
        return _pay_out(pay, row)

    @delete(
        "/{component_id:uuid}/employees/{employee_id:uuid}",
        status_code=HTTP_200_OK,
        summary="Remove one employee's own amount: the component's default applies again",
    )
    async def remove_employee_pay(
        self, request: Request, db: AsyncSession, component_id: UUID, employee_id: UUID
    ) -> None:
        row = await _component(db, component_id)
        await require_keeper(db, request.user, TenantScope.of(row.tenant_id))
        await _employee(db, row.tenant_id, employee_id)
        pay = await db.scalar(
            select(EmployeePay).where(
                EmployeePay.tenant_id == row.tenant_id, EmployeePay.component_id == row.id,
                EmployeePay.employee_id == employee_id,
            )
        )  # fmt: skip
        if pay is not None:
            await db.delete(pay)
            _audit(db, request, row, "hr.employee_pay.removed", employee_id=str(employee_id))


async def _employee(db: AsyncSession, tenant_id: UUID, employee_id: UUID) -> None:
    found = await db.scalar(select(Employee.id).where(Employee.tenant_id == tenant_id, Employee.id == employee_id))
    if found is None:
        raise NotFoundError("No such employee")


def _pay_out(pay: EmployeePay, row: PayComponent) -> EmployeePayOut:
    percent = None if pay.percent is None else format(pay.percent.normalize(), "f")
    return EmployeePayOut(employee_id=pay.employee_id, component=row.code, amount=pay.amount, percent=percent)
