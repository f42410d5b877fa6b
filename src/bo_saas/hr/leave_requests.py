"""Leave requests: filed in working days, refused when they overlap or do not fit, approved or rejected by the client.

Filing locks the employee's row, so two requests for the same person are
checked one after the other (no overlap slips between two transactions).
A request must fit the balance after every other pending and approved request
of the type (unless the type is unpaid or allows a negative balance); the
refusal lists each problem. The decision is the client's: its client admin, or
provider staff with the ``hr`` skill acting on a named client admin's behalf,
and the audit trail records who decided and for whom.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from litestar import Request
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.hr.access import may_see_personal
from bo_saas.hr.employees import Employees
from bo_saas.hr.leave_balances import Booked, Employment, balance_in
from bo_saas.hr.leave_days import tenant_working_days
from bo_saas.hr.leave_errors import LeaveConflict, LeaveNotAllowed, LeaveNotFound, LeaveRefused
from bo_saas.hr.leave_models import HOLDING, LeaveRequest, LeaveType, RequestStatus
from bo_saas.hr.leave_schemas import LeaveRequestIn
from bo_saas.hr.leave_types import is_limited, rule_of
from bo_saas.hr.models import Employee
from bo_saas.identity.models import Membership
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.repository import TenantRepository


class LeaveRequests(TenantRepository[LeaveRequest]):
    model = LeaveRequest
    not_found = LeaveNotFound
    not_found_message = "No such leave request"


async def type_by_code(session: AsyncSession, tenant_id: UUID, code: str) -> LeaveType | None:
    return await session.scalar(select(LeaveType).where(LeaveType.tenant_id == tenant_id, LeaveType.code == code))


async def booked_for(
    session: AsyncSession, tenant_id: UUID, employee_id: UUID, leave_type_id: UUID, *, leaving_out: UUID | None = None
) -> list[Booked]:
    """The employee's pending and approved requests of the type, as balances count them."""
    rows = await session.execute(
        select(LeaveRequest.id, LeaveRequest.start_date, LeaveRequest.days, LeaveRequest.status).where(
            LeaveRequest.tenant_id == tenant_id,
            LeaveRequest.employee_id == employee_id,
            LeaveRequest.leave_type_id == leave_type_id,
            LeaveRequest.status.in_(HOLDING),
        )
    )
    return [Booked(row.start_date, row.days, row.status) for row in rows if row.id != leaving_out]


def _days_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def shortfall(leave_type: LeaveType, employee: Employee, booked: list[Booked], asked: Booked, on: date) -> str | None:
    """Why the request does not fit the balance on its last day, counting the others as taken; None when it fits."""
    if not is_limited(leave_type):
        return None
    employment = Employment(employee.start_date, employee.end_date)
    others = [Booked(b.start_date, b.days, RequestStatus.APPROVED.value) for b in booked]
    before = balance_in(rule_of(leave_type), employment, others, on.year, on)
    after = balance_in(rule_of(leave_type), employment, [*others, asked], on.year, on)
    if after.balance >= 0:
        return None
    return (
        f"asks for {_days_text(asked.days)} working days of {leave_type.code} but only "
        f"{_days_text(max(before.balance, Decimal(0)))} are available on {on.isoformat()} (accrued "
        f"{_days_text(before.accrued)} + carried {_days_text(before.carried)} - expired "
        f"{_days_text(before.expired)} - taken or requested {_days_text(before.taken)}); "
        f"{leave_type.code} does not allow a negative balance"
    )


async def file_request(
    session: AsyncSession, request: Request, tenant_id: UUID, data: LeaveRequestIn
) -> tuple[LeaveRequest, Employee, LeaveType]:
    employee = await Employees().get(session, data.employee_id, for_update=True)
    leave_type = await type_by_code(session, tenant_id, data.leave_type)
    problems: list[str] = []
    if leave_type is None or not leave_type.active:
        problems.append(f"leave_type: {data.leave_type!r} is not one of the tenant's active leave types")
    if data.end_date < data.start_date:
        problems.append("end_date: must be on or after start_date")
    elif data.end_date.year != data.start_date.year:
        problems.append(f"end_date: leave is counted per calendar year; split it at {data.start_date.year}-12-31")
    if data.start_date < employee.start_date:
        problems.append(f"start_date: {employee.name} starts on {employee.start_date.isoformat()}")
    if employee.end_date is not None and data.end_date > employee.end_date:
        problems.append(f"end_date: {employee.name}'s last working day is {employee.end_date.isoformat()}")
    if problems:
        raise LeaveRefused("The leave request cannot be filed: " + "; ".join(problems), extra={"problems": problems})
    assert leave_type is not None
    days = Decimal(len(await tenant_working_days(session, tenant_id, data.start_date, data.end_date)))
    if days == 0:
        problem = "dates: no working day between the dates in the tenant's calendar (weekends and holidays)"
        raise LeaveRefused("The leave request cannot be filed: " + problem, extra={"problems": [problem]})
    await refuse_overlap(session, employee, data.start_date, data.end_date)
    asked = Booked(data.start_date, days, RequestStatus.APPROVED.value)
    short = shortfall(leave_type, employee, await booked_for(session, tenant_id, employee.id, leave_type.id),
                      asked, data.end_date)  # fmt: skip
    if short:
        raise LeaveRefused("The leave request does not fit the balance: " + short, extra={"problems": [short]})
    leave = LeaveRequest(
        tenant_id=tenant_id, employee_id=employee.id, leave_type_id=leave_type.id, start_date=data.start_date,
        end_date=data.end_date, days=days, status=RequestStatus.PENDING.value, note=data.note,
        requested_by=request.user.actor_id,
    )  # fmt: skip
    session.add(leave)
    await session.flush()
    _audit(session, request, leave, "hr.leave_requested",
           {"employee_id": str(employee.id), "leave_type": leave_type.code, "start_date": leave.start_date.isoformat(),
            "end_date": leave.end_date.isoformat(), "days": float(days)})  # fmt: skip
    return leave, employee, leave_type


async def refuse_overlap(session: AsyncSession, employee: Employee, start: date, end: date) -> None:
    clashes = list(
        await session.scalars(
            select(LeaveRequest).where(
                LeaveRequest.tenant_id == employee.tenant_id,
                LeaveRequest.employee_id == employee.id,
                LeaveRequest.status.in_(HOLDING),
                and_(LeaveRequest.start_date <= end, LeaveRequest.end_date >= start),
            )
        )
    )
    if clashes:
        problems = [
            f"overlaps {clash.status} leave {clash.start_date.isoformat()} to {clash.end_date.isoformat()} "
            f"(request {clash.id})"
            for clash in clashes
        ]
        raise LeaveConflict(
            f"{employee.name} already has leave in those days: " + "; ".join(problems),
            extra={"problems": problems, "overlapping": [str(clash.id) for clash in clashes]},
        )


async def deciders(session: AsyncSession, caller: Caller, tenant_id: UUID, on_behalf_of: UUID | None) -> UUID | None:
    """Whom the decision is for: None for the client admin deciding themselves, else the client admin named."""
    if caller.role is Role.CLIENT_ADMIN:
        if on_behalf_of is not None and on_behalf_of != caller.account_id:
            raise LeaveNotAllowed("A client admin decides for themselves; on_behalf_of is for provider staff")
        return None
    if not caller.is_staff or not await may_see_personal(session, caller):
        raise LeaveNotAllowed("Leave is approved by the tenant's client admin, or by hr staff on their behalf")
    if on_behalf_of is None:
        raise LeaveRefused(
            "Provider staff decide on a client admin's behalf: name them in on_behalf_of",
            extra={"problems": ["on_behalf_of: required of provider staff (a client admin's account id)"]},
        )
    role = await session.scalar(
        select(Membership.role).where(Membership.tenant_id == tenant_id, Membership.account_id == on_behalf_of)
    )
    if role is not Role.CLIENT_ADMIN:
        problem = f"on_behalf_of: {on_behalf_of} is not a client admin of this tenant"
        message = "Provider staff decide on a client admin's behalf: " + problem
        raise LeaveRefused(message, extra={"problems": [problem]})
    return on_behalf_of


async def decide(
    session: AsyncSession,
    request: Request,
    request_id: UUID,
    *,
    approve: bool,
    on_behalf_of: UUID | None,
    reason: str | None = None,
) -> LeaveRequest:
    leave = await LeaveRequests().get(session, request_id, for_update=True)
    caller: Caller = request.user
    for_whom = await deciders(session, caller, leave.tenant_id, on_behalf_of)
    if leave.status != RequestStatus.PENDING.value:
        raise LeaveConflict(f"This leave request is already {leave.status}; only a pending one is decided")
    if approve:
        employee = await Employees().get(session, leave.employee_id, for_update=True)
        leave_type = await session.get(LeaveType, (leave.tenant_id, leave.leave_type_id))
        assert leave_type is not None
        holding = await booked_for(session, leave.tenant_id, employee.id, leave_type.id, leaving_out=leave.id)
        approved = [booked for booked in holding if booked.status == RequestStatus.APPROVED.value]
        asked = Booked(leave.start_date, leave.days, RequestStatus.APPROVED.value)
        short = shortfall(leave_type, employee, approved, asked, leave.end_date)
        if short:
            raise LeaveRefused("Approving would overdraw the balance: " + short, extra={"problems": [short]})
    leave.status = (RequestStatus.APPROVED if approve else RequestStatus.REJECTED).value
    leave.decided_by = caller.account_id
    leave.decided_on_behalf_of = for_whom
    leave.decided_at = utc_now()
    leave.reject_reason = None if approve else reason
    changes: dict[str, Any] = {
        "decided_by": str(caller.account_id),
        "on_behalf_of": str(for_whom) if for_whom else None,
        "employee_id": str(leave.employee_id),
        "days": float(leave.days),
    }
    if not approve:
        changes["reason"] = reason
    await session.flush()
    _audit(session, request, leave, "hr.leave_approved" if approve else "hr.leave_rejected", changes)
    return leave


def _audit(session: AsyncSession, request: Request, leave: LeaveRequest, action: str, changes: dict[str, Any]) -> None:
    record_event(session, request, tenant_id=leave.tenant_id, action=action, subject_type="hr_leave_request",
                 subject_id=str(leave.id), changes=changes)  # fmt: skip
