"""The isolation walker's entries for the HR desk: employees, one employee, and the import."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from bo_saas.hr.models import Employee
from tests.isolation.walker import Entry

EMPLOYEES = "/api/v1/hr/employees"
EMPLOYEE = "/api/v1/hr/employees/{employee_id:uuid}"
WALK_CSV = b"employee_number,name,start_date\nW001,Walk Importer,2024-01-01\n"


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


def _employee(t, w) -> str:
    return f"{EMPLOYEES}/{t.work['hr_employee']}"


ROUTES = [
    # Employees are one tenant's: a scope without exactly one tenant (another tenant named in X-Tenant) answers 400.
    Entry("GET", EMPLOYEES, "client_member", lambda t, w: EMPLOYEES, headers=_own, cross_status=(400,)),
    Entry(
        "POST", EMPLOYEES, "client_admin", lambda t, w: EMPLOYEES,
        body=lambda t, w: {"employee_number": f"W{uuid4().hex[:8]}", "name": "Walk", "start_date": "2024-01-01"},
        own_status=201, lower="client_member", headers=_own, cross_status=(400,),
    ),
    Entry("GET", EMPLOYEE, "client_member", _employee),
    Entry("PATCH", EMPLOYEE, "client_admin", _employee, body=lambda t, w: {"job_title": "Walked"},
          lower="client_member"),
    Entry(
        "POST", EMPLOYEES + "/import", "client_admin", lambda t, w: EMPLOYEES + "/import",
        files={"file": ("walk.csv", WALK_CSV, "text/csv")}, lower="client_member", headers=_own, cross_status=(400,),
    ),
]  # fmt: skip


async def seed(session, t) -> None:
    """Per tenant: one employee (no personal data: the walk is about whose rows, not what they hold)."""
    employee = Employee(
        id=uuid4(), tenant_id=t.tenant.id, employee_number="E001", name="Walk Employee", contract_type="permanent",
        start_date=date(2024, 1, 1), on_leave=False,
    )  # fmt: skip
    session.add(employee)
    await session.commit()
    t.work["hr_employee"] = employee.id
