"""The HR desk's tables: a tenant's employees, their personal data sealed in one blob per row.

``hr_employees`` is tenant-owned: ``tenant_id`` leads the key, the employee
number is unique within the tenant and a manager is always an employee of the
same tenant (the foreign key includes ``tenant_id``). Migration 0022 forces RLS.

Status is derived, never stored on its own: an employee whose last day
(``end_date``) has passed is terminated; otherwise ``on_leave`` says whether
they are away. So a leaver's status turns by itself the day after their last day.
"""

from __future__ import annotations

import enum
from datetime import date
from uuid import UUID

from sqlalchemy import Date, ForeignKeyConstraint, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib import limits
from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey

EMPLOYEE_NUMBER = 40
JOB_TITLE = 120
DEPARTMENT = 120
CONTRACT_TYPE = 20


class EmployeeStatus(enum.StrEnum):
    ACTIVE = "active"
    ON_LEAVE = "on_leave"
    TERMINATED = "terminated"


class ContractType(enum.StrEnum):
    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"
    PART_TIME = "part_time"
    CONTRACTOR = "contractor"
    INTERN = "intern"


class Employee(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "hr_employees"
    __table_args__ = (
        UniqueConstraint("tenant_id", "employee_number", name="hr_employees_number"),
        ForeignKeyConstraint(
            ["tenant_id", "manager_id"], ["hr_employees.tenant_id", "hr_employees.id"], name="hr_employees_manager"
        ),
    )

    employee_number: Mapped[str] = mapped_column(String(EMPLOYEE_NUMBER))
    name: Mapped[str] = mapped_column(String(limits.NAME))
    email: Mapped[str | None] = mapped_column(String(limits.EMAIL))
    job_title: Mapped[str | None] = mapped_column(String(JOB_TITLE))
    department: Mapped[str | None] = mapped_column(String(DEPARTMENT))
    manager_id: Mapped[UUID | None] = mapped_column()
    contract_type: Mapped[str] = mapped_column(String(CONTRACT_TYPE), default=ContractType.PERMANENT.value)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)  # the last working day
    on_leave: Mapped[bool] = mapped_column(default=False)
    # hr.crypto: key id, nonce and AES-GCM of the personal fields' JSON; None when none were recorded.
    personal_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)

    def status_on(self, today: date) -> EmployeeStatus:
        if self.end_date is not None and self.end_date < today:
            return EmployeeStatus.TERMINATED
        return EmployeeStatus.ON_LEAVE if self.on_leave else EmployeeStatus.ACTIVE


from bo_saas.hr import case_models as case_models  # noqa: E402,F401  (registers the tables)
from bo_saas.hr import leave_models as leave_models  # noqa: E402,F401  (registers the tables)
from bo_saas.hr import payroll_models as payroll_models  # noqa: E402,F401  (registers the tables)
from bo_saas.hr import payroll_schedule_models as payroll_schedule_models  # noqa: E402,F401  (registers the tables)
