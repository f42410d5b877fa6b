"""Employees as the HR desk keeps them: add, change, list, and show with personal data opened or masked.

Personal data is checked (``hr.personal``) and sealed onto the row before it
is flushed, so it never reaches the database in clear; it is opened only for a
caller who may see it, and every such read is recorded once per request.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from litestar import Request
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.hr import personal as personal_data
from bo_saas.hr.crypto import Keyring
from bo_saas.hr.errors import EmployeeConflict, EmployeeNotFound, InvalidEmployee
from bo_saas.hr.models import Employee
from bo_saas.hr.personal import Personal
from bo_saas.hr.schemas import EmployeeOut, PersonalIn, PersonalOut
from bo_saas.lib.repository import TenantRepository

# The fields a create or update sets on the row itself (personal data and status are handled apart).
ROW_FIELDS = ("employee_number", "name", "email", "job_title", "department", "manager_id", "contract_type",
              "start_date", "end_date")  # fmt: skip


class Employees(TenantRepository[Employee]):
    model = Employee
    not_found = EmployeeNotFound
    not_found_message = "No such employee"


def view(employee: Employee, today: date, personal: Personal | None) -> EmployeeOut:
    """The employee as the API shows it; ``personal`` None means masked."""
    shown = PersonalOut() if personal is None else PersonalOut(
        personal.national_id, personal.iban, personal.salary, personal.currency, personal.birth_date,
        personal.address,
    )  # fmt: skip
    return EmployeeOut(
        id=employee.id, employee_number=employee.employee_number, name=employee.name, email=employee.email,
        job_title=employee.job_title, department=employee.department, manager_id=employee.manager_id,
        contract_type=employee.contract_type, start_date=employee.start_date, end_date=employee.end_date,
        status=employee.status_on(today).value, personal=shown,
    )  # fmt: skip


def views(
    db: AsyncSession, request: Request, keyring: Keyring, employees: list[Employee], today: date, unmasked: bool
) -> list[EmployeeOut]:
    """The employees as the caller may see them; an unmasked read of personal data is audited, once for all rows."""
    if not unmasked:
        return [view(employee, today, None) for employee in employees]
    shown = [view(employee, today, personal_data.opened(keyring, employee)) for employee in employees]
    read = [employee.id for employee in employees if employee.personal_sealed is not None]
    if read:
        record_personal_read(db, request, employees[0].tenant_id, read)
    return shown


def record_personal_read(db: AsyncSession, request: Request | None, tenant_id: UUID, employee_ids: list[UUID]) -> None:
    """One audit event for an unmasked read of these employees' personal data (a page of them, or one)."""
    record_event(
        db, request, tenant_id=tenant_id, action="hr.personal_data_read", subject_type="hr_employee",
        subject_id=str(employee_ids[0]) if len(employee_ids) == 1 else None,
        changes={"employee_ids": [str(employee_id) for employee_id in employee_ids]},
    )  # fmt: skip


def _problems_of(personal: PersonalIn | None, country: str | None, today: date) -> tuple[Personal, dict[str, str]]:
    values = {} if personal is None else {name: getattr(personal, name) for name in personal.__struct_fields__}
    return personal_data.clean(values, country, today)


async def _check_manager(session: AsyncSession, employee: Employee, problems: dict[str, str]) -> None:
    if employee.manager_id is None:
        return
    if employee.manager_id == employee.id:
        problems["manager_id"] = "an employee cannot be their own manager"
        return
    known = await session.scalar(
        select(exists().where(Employee.tenant_id == employee.tenant_id, Employee.id == employee.manager_id))
    )
    if not known:
        problems["manager_id"] = "no employee of this tenant has this id"


def _check_dates(employee: Employee, problems: dict[str, str]) -> None:
    if employee.end_date is not None and employee.end_date < employee.start_date:
        problems["end_date"] = "the last working day cannot be before the start date"


async def save_employee(
    session: AsyncSession,
    keyring: Keyring,
    employee: Employee,
    fields: dict[str, Any],
    personal: PersonalIn | None,
    *,
    country: str | None,
    today: date,
    replace_personal: bool,
) -> dict[str, str]:
    """Set ``fields`` (and the personal data when ``replace_personal``), check, seal and flush; the problems.

    Nothing is flushed when there are problems: the caller refuses the request or the import row.
    """
    for name, value in fields.items():
        setattr(employee, name, value)
    cleaned, problems = _problems_of(personal, country, today) if replace_personal else (None, {})
    with session.no_autoflush:  # the checks' queries must not write the row before it is checked
        await _check_manager(session, employee, problems)
    _check_dates(employee, problems)
    if problems:
        return problems
    if cleaned is not None:
        personal_data.seal_onto(keyring, employee, cleaned)
    try:
        async with session.begin_nested():
            session.add(employee)
    except IntegrityError:
        raise EmployeeConflict(
            f"Another employee has the number {employee.employee_number!r}", extra={"field": "employee_number"}
        ) from None
    return {}


def refuse(problems: dict[str, str]) -> None:
    if problems:
        fields = ", ".join(sorted(problems))
        raise InvalidEmployee(f"The employee has problems in: {fields}", extra={"problems": problems})


def new_employee(tenant_id: UUID) -> Employee:
    return Employee(id=uuid4(), tenant_id=tenant_id, on_leave=False)
