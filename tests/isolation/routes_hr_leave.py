"""The isolation walker's entries for leave: types, requests (+ approve, reject), balances and the calendar."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

from bo_saas.hr.leave_models import LeaveRequest, LeaveType
from bo_saas.hr.models import Employee
from tests.isolation.walker import Entry

TYPES = "/api/v1/hr/leave-types"
TYPE = "/api/v1/hr/leave-types/{leave_type_id:uuid}"
REQUESTS = "/api/v1/hr/leave-requests"
REQUEST = "/api/v1/hr/leave-requests/{request_id:uuid}"
BALANCES = "/api/v1/hr/leave-balances"
CALENDAR = "/api/v1/hr/leave-calendar"
WALK_CODE = "walk_annual"


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


def _request(suffix: str = ""):
    return lambda t, w: f"{REQUESTS}/{t.work['leave_request']}{suffix}"


def _new_request(t, w) -> dict:
    return {"employee_id": str(t.work["leave_employee"]), "leave_type": WALK_CODE,
            "start_date": "2030-05-06", "end_date": "2030-05-07"}  # fmt: skip


ROUTES = [
    # One tenant's rows: a scope naming another tenant in X-Tenant answers 400, as for employees.
    Entry("GET", TYPES, "client_member", lambda t, w: TYPES, headers=_own, cross_status=(400,)),
    Entry(
        "POST", TYPES, "client_admin", lambda t, w: TYPES,
        body=lambda t, w: {"code": f"w{uuid4().hex[:8]}", "name": "Walk leave", "days_per_year": 10},
        own_status=201, lower="client_member", headers=_own, cross_status=(400,),
    ),
    Entry("PATCH", TYPE, "client_admin", lambda t, w: f"{TYPES}/{t.work['leave_type']}",
          body=lambda t, w: {"name": "Walked leave"}, lower="client_member"),
    Entry("GET", REQUESTS, "client_member", lambda t, w: REQUESTS, headers=_own, cross_status=(400,)),
    Entry("POST", REQUESTS, "client_admin", lambda t, w: REQUESTS, body=_new_request, own_status=201,
          lower="agent", headers=_own, cross_status=(400,)),
    Entry("GET", REQUEST, "client_member", _request()),
    Entry("POST", REQUEST + "/approve", "client_admin", _request("/approve"), body=lambda t, w: {},
          lower="client_member"),
    Entry("POST", REQUEST + "/reject", "client_admin", _request("/reject"), body=lambda t, w: {"reason": "Busy"},
          lower="client_member"),
    Entry("GET", BALANCES, "client_member", lambda t, w: BALANCES, headers=_own, cross_status=(400,)),
    Entry("GET", CALENDAR, "client_member", lambda t, w: f"{CALENDAR}?from=2030-01-01&to=2030-12-31",
          headers=_own, cross_status=(400,)),
]  # fmt: skip


async def seed(session, t) -> None:
    """Per tenant: an employee, an annual leave type and one pending request (a Monday in 2030)."""
    employee = Employee(
        id=uuid4(), tenant_id=t.tenant.id, employee_number="L001", name="Walk Leaver", contract_type="permanent",
        start_date=date(2024, 1, 1), on_leave=False,
    )  # fmt: skip
    leave_type = LeaveType(
        id=uuid4(), tenant_id=t.tenant.id, code=WALK_CODE, name="Annual", kind="annual", accrual="yearly",
        days_per_year=Decimal(21), carry_over_cap=Decimal(5), carry_over_expiry_months=0, allow_negative=False,
        active=True,
    )  # fmt: skip
    session.add_all([employee, leave_type])
    await session.flush()
    request = LeaveRequest(
        id=uuid4(), tenant_id=t.tenant.id, employee_id=employee.id, leave_type_id=leave_type.id,
        start_date=date(2030, 3, 4), end_date=date(2030, 3, 4), days=Decimal(1), status="pending",
    )  # fmt: skip
    session.add(request)
    await session.commit()
    t.work.update(leave_employee=employee.id, leave_type=leave_type.id, leave_request=request.id)
