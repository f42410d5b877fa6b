"""``/api/v1/hr/leave-requests`` (+ approve, reject), ``/api/v1/hr/leave-balances`` and ``/api/v1/hr/leave-calendar``.

Anyone in the tenant reads them and files a request for an employee (provider
staff need the ``hr`` skill); the decision is the client admin's, or hr staff's
on a named client admin's behalf. Another tenant's request answers 404.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.params import Parameter, QueryParameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy import Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.hr.access import may_see_personal, one_tenant, tenant_today
from bo_saas.hr.employees import Employees
from bo_saas.hr.leave_balances import Booked, Employment, balance_in
from bo_saas.hr.leave_errors import LeaveNotAllowed
from bo_saas.hr.leave_models import HOLDING, LeaveRequest, LeaveType, RequestStatus
from bo_saas.hr.leave_requests import LeaveRequests, decide, file_request
from bo_saas.hr.leave_schemas import (
    ApproveIn,
    AwayOut,
    BalanceOut,
    EmployeeBalancesOut,
    LeaveCalendarOut,
    LeaveRequestIn,
    LeaveRequestOut,
    RejectIn,
    StatusName,
)
from bo_saas.hr.leave_types import is_limited, rule_of, tenant_types
from bo_saas.hr.models import Employee
from bo_saas.lib.caller import Caller
from bo_saas.lib.errors import InvalidInputError
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write

MAX_CALENDAR_DAYS = 366
Start = Annotated[date, Parameter(query="from", description="first day (YYYY-MM-DD)")]
End = Annotated[date, Parameter(query="to", description="last day, included (YYYY-MM-DD)")]


def _joined() -> Select:
    return (
        select(LeaveRequest, Employee.name, Employee.department, LeaveType.code)
        .join(Employee, and_(Employee.tenant_id == LeaveRequest.tenant_id, Employee.id == LeaveRequest.employee_id))
        .join(
            LeaveType, and_(LeaveType.tenant_id == LeaveRequest.tenant_id, LeaveType.id == LeaveRequest.leave_type_id)
        )
    )


def request_view(leave: LeaveRequest, employee_name: str, code: str) -> LeaveRequestOut:
    return LeaveRequestOut(
        id=leave.id, employee_id=leave.employee_id, employee_name=employee_name, leave_type=code,
        start_date=leave.start_date, end_date=leave.end_date, days=float(leave.days), status=leave.status,
        note=leave.note, requested_by=leave.requested_by, decided_by=leave.decided_by,
        decided_on_behalf_of=leave.decided_on_behalf_of, decided_at=leave.decided_at,
        reject_reason=leave.reject_reason, created_at=leave.created_at,
    )  # fmt: skip


async def _shown(db: AsyncSession, leave_id: UUID) -> LeaveRequestOut:
    row = (await db.execute(_joined().where(LeaveRequest.id == leave_id))).one()
    return request_view(row.LeaveRequest, row.name, row.code)


async def _may_file(db: AsyncSession, caller: Caller, scope: TenantScope) -> UUID:
    tenant = await tenant_for_write(db, caller, scope)
    if caller.is_staff and not await may_see_personal(db, caller):
        raise LeaveNotAllowed("Provider staff file leave with the hr skill")
    return tenant.id


class LeaveRequestController(Controller):
    path = "/api/v1/hr/leave-requests"
    tags = ["hr"]

    @get("/", summary="List leave requests, latest first; filter by employee, status, type or dates")
    async def list_leave_requests(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        page: PageRequest,
        employee_id: Annotated[UUID | None, QueryParameter(description="only this employee's")] = None,
        status: Annotated[StatusName | None, QueryParameter(description="only in this status")] = None,
        start: Annotated[date | None, Parameter(query="from", description="ending on or after this day")] = None,
        end: Annotated[date | None, Parameter(query="to", description="starting on or before this day")] = None,
    ) -> OffsetPagination[LeaveRequestOut]:
        tenant_id = one_tenant(tenant_scope)
        return await list_page(
            db, _joined().where(LeaveRequest.tenant_id == tenant_id), page,
            filters=[
                LeaveRequest.employee_id == employee_id if employee_id else True,
                LeaveRequest.status == status if status else True,
                LeaveRequest.end_date >= start if start else True,
                LeaveRequest.start_date <= end if end else True,
            ],
            order_by=(LeaveRequest.start_date.desc(), LeaveRequest.id),
            into=lambda rows: [request_view(row.LeaveRequest, row.name, row.code) for row in rows],
        )  # fmt: skip

    @post("/", summary="File a leave request for an employee, counted in the tenant's working days")
    async def create_leave_request(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: LeaveRequestIn
    ) -> LeaveRequestOut:
        tenant_id = await _may_file(db, request.user, tenant_scope)
        leave, employee, leave_type = await file_request(db, request, tenant_id, data)
        return request_view(leave, employee.name, leave_type.code)

    @get("/{request_id:uuid}", summary="One leave request")
    async def get_leave_request(self, db: AsyncSession, request_id: UUID) -> LeaveRequestOut:
        leave = await LeaveRequests().get(db, request_id)
        return await _shown(db, leave.id)

    @post(
        "/{request_id:uuid}/approve",
        summary="Approve a pending request (the client admin, or hr staff naming the admin in on_behalf_of)",
        status_code=HTTP_200_OK,
    )
    async def approve_leave_request(
        self, request: Request, db: AsyncSession, request_id: UUID, data: ApproveIn | None = None
    ) -> LeaveRequestOut:
        on_behalf_of = data.on_behalf_of if data else None
        leave = await decide(db, request, request_id, approve=True, on_behalf_of=on_behalf_of)
        return await _shown(db, leave.id)

    @post("/{request_id:uuid}/reject", summary="Reject a pending request with a reason", status_code=HTTP_200_OK)
    async def reject_leave_request(
        self, request: Request, db: AsyncSession, request_id: UUID, data: RejectIn
    ) -> LeaveRequestOut:
        leave = await decide(db, request, request_id, approve=False, on_behalf_of=data.on_behalf_of,
                             reason=data.reason)  # fmt: skip
        return await _shown(db, leave.id)


class LeaveBalanceController(Controller):
    path = "/api/v1/hr/leave-balances"
    tags = ["hr"]

    @get("/", summary="Leave balances per employee and type: accrued + carried - expired - taken, on a day")
    async def list_leave_balances(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        page: PageRequest,
        employee_id: Annotated[UUID | None, QueryParameter(description="only this employee")] = None,
        year: Annotated[
            int | None, QueryParameter(ge=1900, le=2999, description="leave year (default: as_of's)")
        ] = None,
        as_of: Annotated[date | None, QueryParameter(description="the day (default: today, or the year's end)")] = None,
    ) -> OffsetPagination[EmployeeBalancesOut]:
        tenant_id = one_tenant(tenant_scope)
        today = await tenant_today(db, tenant_id)
        if as_of is None:
            as_of = today if year in (None, today.year) else date(year, 12, 31)
        year = year or as_of.year
        if as_of.year != year:
            raise InvalidInputError(f"as_of {as_of.isoformat()} is not in the leave year {year}")
        types = await tenant_types(db, tenant_id, active_only=True)
        employees = Employees().select().where(
            Employee.tenant_id == tenant_id, Employee.start_date <= date(year, 12, 31),
            (Employee.end_date.is_(None)) | (Employee.end_date >= date(year, 1, 1)),
        )  # fmt: skip

        async def into(rows: list[Employee]) -> list[EmployeeBalancesOut]:
            booked = await _booked_by_employee(db, tenant_id, [row.id for row in rows])
            return [_balances(row, types, booked.get(row.id, {}), year, as_of) for row in rows]

        return await list_page(
            db, employees, page, filters=[Employee.id == employee_id if employee_id else True],
            order_by=(Employee.employee_number, Employee.id), into=into,
        )  # fmt: skip


async def _booked_by_employee(
    db: AsyncSession, tenant_id: UUID, employee_ids: list[UUID]
) -> dict[UUID, dict[UUID, list[Booked]]]:
    rows = await db.execute(
        select(LeaveRequest.employee_id, LeaveRequest.leave_type_id, LeaveRequest.start_date, LeaveRequest.days,
               LeaveRequest.status)
        .where(LeaveRequest.tenant_id == tenant_id, LeaveRequest.employee_id.in_(employee_ids),
               LeaveRequest.status.in_(HOLDING))
    )  # fmt: skip
    booked: dict[UUID, dict[UUID, list[Booked]]] = {}
    for row in rows:
        booked.setdefault(row.employee_id, {}).setdefault(row.leave_type_id, []).append(
            Booked(row.start_date, row.days, row.status)
        )
    return booked


def _balances(
    employee: Employee, types: list[LeaveType], booked: dict[UUID, list[Booked]], year: int, as_of: date
) -> EmployeeBalancesOut:
    employment = Employment(employee.start_date, employee.end_date)
    shown = []
    for leave_type in types:
        b = balance_in(rule_of(leave_type), employment, booked.get(leave_type.id, []), year, as_of)
        shown.append(BalanceOut(
            leave_type=leave_type.code, year=year, accrued=float(b.accrued), carried=float(b.carried),
            expired=float(b.expired), taken=float(b.taken), pending=float(b.pending), balance=float(b.balance),
            available=float(b.available), carry_over_expires_on=b.carry_over_expires_on,
            limited=is_limited(leave_type),
        ))  # fmt: skip
    return EmployeeBalancesOut(employee.id, employee.name, as_of, shown)


class LeaveCalendarController(Controller):
    path = "/api/v1/hr/leave-calendar"
    tags = ["hr"]

    @get("/", summary="Who is away between two days: approved leave (and pending, if asked) overlapping them")
    async def leave_calendar(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        start: Start,
        end: End,
        include_pending: Annotated[bool, QueryParameter(description="show pending requests too")] = False,
        department: Annotated[str | None, QueryParameter(max_length=120, description="only this department")] = None,
    ) -> LeaveCalendarOut:
        tenant_id = one_tenant(tenant_scope)
        if end < start or end - start > timedelta(days=MAX_CALENDAR_DAYS):
            raise InvalidInputError(f"from must be on or before to, at most {MAX_CALENDAR_DAYS} days apart")
        statuses: tuple[Any, ...] = HOLDING if include_pending else (RequestStatus.APPROVED.value,)
        rows = await db.execute(
            _joined()
            .where(LeaveRequest.tenant_id == tenant_id, LeaveRequest.status.in_(statuses),
                   LeaveRequest.start_date <= end, LeaveRequest.end_date >= start,
                   Employee.department == department if department else True)
            .order_by(LeaveRequest.start_date, Employee.name, LeaveRequest.id)
        )  # fmt: skip
        away = [
            AwayOut(
                request_id=row.LeaveRequest.id,
                employee_id=row.LeaveRequest.employee_id,
                employee_name=row.name,
                department=row.department,
                leave_type=row.code,
                start_date=row.LeaveRequest.start_date,
                end_date=row.LeaveRequest.end_date,
                days=float(row.LeaveRequest.days),
                status=row.LeaveRequest.status,
            )  # fmt: skip
            for row in rows
        ]
        return LeaveCalendarOut(start=start, end=end, away=away)
