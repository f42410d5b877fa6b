"""The isolation walker's entries for payroll: pay components, runs (+ compute, approve, finalize, post,
bank file) and payslips (+ review, adjustments, PDF). Pay is personal data: a client member is refused (403)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from bo_saas.hr.models import Employee
from bo_saas.hr.payroll_models import PayComponent, PayrollRun, Payslip, PayslipAdjustment, PayslipLine
from tests.isolation.walker import Entry

COMPONENTS = "/api/v1/hr/pay-components"
COMPONENT = COMPONENTS + "/{component_id:uuid}"
EMPLOYEE_PAY = COMPONENT + "/employees/{employee_id:uuid}"
RUNS = "/api/v1/hr/payroll-runs"
RUN = RUNS + "/{run_id:uuid}"
PAYSLIPS = RUN + "/payslips"
PAYSLIP = PAYSLIPS + "/{payslip_id:uuid}"
WALK_COMPONENT = {"code": "walk_bonus", "name": "Walk bonus", "kind": "earning", "calculation": "fixed", "amount": 1}


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


def _component(suffix: str = ""):
    return lambda t, w: f"{COMPONENTS}/{t.work['pay_component']}{suffix}"


def _pay(t, w) -> str:
    return f"{COMPONENTS}/{t.work['pay_component']}/employees/{t.work['pay_employee']}"


def _run(name: str, suffix: str = ""):
    return lambda t, w: f"{RUNS}/{t.work[name]}{suffix}"


def _payslip(suffix: str = ""):
    return lambda t, w: f"{RUNS}/{t.work['run_review']}/payslips/{t.work['payslip']}{suffix}"


ROUTES = [
    # One tenant's rows: a scope naming another tenant in X-Tenant answers 400, as for employees.
    Entry("GET", COMPONENTS, "client_admin", lambda t, w: COMPONENTS, lower="client_member", headers=_own,
          cross_status=(400,)),
    Entry("POST", COMPONENTS, "client_admin", lambda t, w: COMPONENTS,
          body=lambda t, w: {**WALK_COMPONENT, "code": f"w{uuid4().hex[:8]}"}, own_status=201,
          lower="client_member", headers=_own, cross_status=(400,)),
    Entry("PUT", COMPONENT, "client_admin", _component(), body=lambda t, w: WALK_COMPONENT, lower="client_member"),
    Entry("DELETE", COMPONENT, "client_admin", _component(), lower="client_member"),
    Entry("GET", COMPONENT + "/employees", "client_admin", _component("/employees"), lower="client_member"),
    Entry("PUT", EMPLOYEE_PAY, "client_admin", _pay, body=lambda t, w: {"amount": 5}, lower="client_member"),
    Entry("DELETE", EMPLOYEE_PAY, "client_admin", _pay, lower="client_member"),
    Entry("GET", RUNS, "client_admin", lambda t, w: RUNS, lower="client_member", headers=_own, cross_status=(400,)),
    Entry("POST", RUNS, "client_admin", lambda t, w: RUNS, body=lambda t, w: {"period": "2031-01"}, own_status=202,
          lower="client_member", headers=_own, cross_status=(400,)),
    Entry("GET", RUN, "client_admin", _run("run_review"), lower="client_member"),
    Entry("POST", RUN + "/compute", "client_admin", _run("run_compute", "/compute"), own_status=202,
          lower="client_member"),
    Entry("POST", RUN + "/approve", "client_admin", _run("run_approve", "/approve"), lower="client_member"),
    Entry("POST", RUN + "/finalize", "client_admin", _run("run_final", "/finalize"), lower="client_member"),
    # Finalized, but the walk's tenants keep no books: the owner is told so (409), others never see the run.
    Entry("POST", RUN + "/post", "client_admin", _run("run_done", "/post"), own_status=409, lower="client_member"),
    Entry("GET", RUN + "/bank-file", "client_admin", _run("run_done", "/bank-file"), lower="client_member"),
    Entry("GET", PAYSLIPS, "client_admin", _run("run_review", "/payslips"), lower="client_member"),
    Entry("GET", PAYSLIP, "client_admin", _payslip(), lower="client_member"),
    Entry("POST", PAYSLIP + "/review", "client_admin", _payslip("/review"), lower="client_member"),
    Entry("POST", PAYSLIP + "/adjustments", "client_admin", _payslip("/adjustments"), own_status=201,
          body=lambda t, w: {"kind": "earning", "description": "Walk", "amount": 1}, lower="client_member"),
    Entry("DELETE", PAYSLIP + "/adjustments/{adjustment_id:uuid}", "client_admin",
          lambda t, w: _payslip(f"/adjustments/{t.work['adjustment']}")(t, w), lower="client_member"),
    Entry("GET", PAYSLIP + "/pdf", "client_admin", _payslip("/pdf"), lower="client_member"),
]  # fmt: skip


def _run_row(t, period: str, status: str) -> PayrollRun:
    year, month = (int(part) for part in period.split("-"))
    return PayrollRun(
        id=uuid4(), tenant_id=t.tenant.id, period=period, period_start=date(year, month, 1),
        period_end=date(year, month, 28), status=status, currency="SAR", employees_total=0, employees_done=0,
        documents_total=0, documents_done=0,
    )  # fmt: skip


async def seed(session, t) -> None:
    """Per tenant: an employee, a component, and runs in each state the routes act on (none prepared by a user)."""
    employee = Employee(
        id=uuid4(), tenant_id=t.tenant.id, employee_number="P001", name="Walk Payee", contract_type="permanent",
        start_date=date(2024, 1, 1), on_leave=False,
    )  # fmt: skip
    component = PayComponent(
        id=uuid4(), tenant_id=t.tenant.id, code=WALK_COMPONENT["code"], name="Walk bonus", kind="earning",
        calculation="fixed", amount=1, basis=[], applies_to_all=True, hidden=False, position=0, active=True,
    )  # fmt: skip
    runs = {
        "run_review": _run_row(t, "2030-01", "draft"),
        "run_compute": _run_row(t, "2030-02", "failed"),
        "run_approve": _run_row(t, "2030-03", "draft"),
        "run_final": _run_row(t, "2030-04", "approved"),
        "run_done": _run_row(t, "2030-05", "finalized"),
    }
    session.add_all([employee, component, *runs.values()])
    await session.flush()
    payslip = Payslip(
        id=uuid4(), tenant_id=t.tenant.id, run_id=runs["run_review"].id, employee_id=employee.id,
        employee_number="P001", employee_name="Walk Payee", days_paid=28, days_in_period=28, gross=0, deductions=0,
        net=0, employer_cost=0,
    )  # fmt: skip
    session.add(payslip)
    await session.flush()
    line = PayslipLine(id=uuid4(), tenant_id=t.tenant.id, payslip_id=payslip.id, position=0, code="base",
                       name="Basic salary", kind="earning", amount=0, hidden=False, adjusted=False)  # fmt: skip
    adjustment = PayslipAdjustment(id=uuid4(), tenant_id=t.tenant.id, run_id=runs["run_review"].id,
                                   employee_id=employee.id, kind="earning", description="Seeded", amount=1)  # fmt: skip
    session.add_all([line, adjustment])
    await session.commit()
    t.work.update(
        pay_employee=employee.id,
        pay_component=component.id,
        payslip=payslip.id,
        adjustment=adjustment.id,
        **{name: run.id for name, run in runs.items()},
    )
