"""The HR desk: a tenant's employees, their personal data encrypted at rest and shown only to who may see it.

This slice keeps employee records (with import from CSV/XLSX); checklists,
leave, payroll and the ``[hr]`` manifest section come with the next slices, as
do the screens. The ``hr.employees`` meter is declared here; payroll records it.
"""

from __future__ import annotations

from bo_saas.hr.cases import no_units, open_tasks_remaining
from bo_saas.hr.cases_controller import CaseController
from bo_saas.hr.checklists_controller import ChecklistController
from bo_saas.hr.compliance import run_compliance_reminders
from bo_saas.hr.documents_controller import DocumentController
from bo_saas.hr.employees_controller import EmployeeController
from bo_saas.hr.leave_controller import LeaveBalanceController, LeaveCalendarController, LeaveRequestController
from bo_saas.hr.leave_deciders_controller import LeaveDeciderController
from bo_saas.hr.leave_types_controller import LeaveTypeController
from bo_saas.hr.manifest import HR_SECTION
from bo_saas.hr.payroll_components_controller import PayComponentController
from bo_saas.hr.payroll_controller import PayrollRunController
from bo_saas.hr.payroll_schedule_controller import PayrollScheduleController
from bo_saas.hr.payroll_schedule_tick import run_payroll_schedule
from bo_saas.hr.payslip_controller import PayslipController
from bo_saas.lib.domain import Domain, Meter, NavLink
from bo_saas.lib.sole_owner import sole_owner
from bo_saas.work.desks import Desk

DOMAIN = Domain(
    name="hr",
    route_handlers=[
        EmployeeController,
        ChecklistController,
        CaseController,
        DocumentController,
        LeaveTypeController,
        LeaveRequestController,
        LeaveBalanceController,
        LeaveCalendarController,
        LeaveDeciderController,
        PayComponentController,
        PayrollRunController,
        PayrollScheduleController,
        PayslipController,
    ],
    models="bo_saas.hr.models",
    manifest_sections=[HR_SECTION],
    task_modules=["bo_saas.hr.payroll_tasks"],
    # Cases earn nothing when done (hr meters employees and payslips); remaining = the case's open tasks.
    desks=[
        Desk(
            service_type="hr",
            meter="hr.employees",
            quantity=no_units,
            remaining=open_tasks_remaining,
            workspace="/console/hr/cases/{item_id}",
        )
    ],  # fmt: skip
    # The schedule prepares runs: one process of the fleet ticks it (reminders are idempotent and cheap).
    background=[run_compliance_reminders, sole_owner("hr.payroll_schedule", run_payroll_schedule)],
    # The HR desk's employees, cases and checklists (frontend/src/hr): one entry per surface, tabs behind it.
    navigation=[
        NavLink("hr", "HR desk", "/portal/hr", "portal", ("client_admin", "client_member"), order=48, service="hr"),
        NavLink(
            "hrDesk", "HR desk", "/console/hr", "console", ("provider_admin", "provider_agent"), order=28, service="hr"
        ),
    ],  # fmt: skip
    meters=[
        Meter("hr.employees", "employee", "max", "Active employees in the period (the most at any time)"),
        Meter("hr.payslips", "payslip", "sum", "Payslips finalized"),
    ],
)
