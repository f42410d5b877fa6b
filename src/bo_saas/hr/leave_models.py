"""Leave tables: a tenant's leave types (with their accrual rule) and its employees' leave requests.

There is deliberately no balance table. A balance is computed from the type's
accrual rule, the days carried over from the year before (capped, expiring) and
the approved requests (hr/leave_balances.py), so it cannot drift the way a
stored counter does when a request is edited, cancelled or a rule changes
(frappe/hrms #2563). Both tables are tenant-owned with forced RLS (migration 0029).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Date, ForeignKeyConstraint, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib import limits
from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey

LEAVE_CODE = 40
REASON = 500
DAYS = Numeric(7, 2)  # working days, to the hundredth (monthly accrual of 21 days is 1.75 a month)


class LeaveKind(enum.StrEnum):
    ANNUAL = "annual"
    SICK = "sick"
    UNPAID = "unpaid"  # never limited by a balance
    CUSTOM = "custom"


class Accrual(enum.StrEnum):
    YEARLY = "yearly"  # the year's days at once on 1 January (prorated by month for joiners and leavers)
    MONTHLY = "monthly"  # a twelfth of the year's days on the first of each month employed
    NONE = "none"  # no allowance accrues (unpaid leave)


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


# The statuses that hold the days: a new request may not overlap them.
HOLDING = (RequestStatus.PENDING.value, RequestStatus.APPROVED.value)


class LeaveType(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "hr_leave_types"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="hr_leave_types_code"),)

    code: Mapped[str] = mapped_column(String(LEAVE_CODE))
    name: Mapped[str] = mapped_column(String(limits.NAME))
    kind: Mapped[str] = mapped_column(String(10))
    accrual: Mapped[str] = mapped_column(String(10))
    days_per_year: Mapped[Decimal] = mapped_column(DAYS, default=Decimal(0))
    carry_over_cap: Mapped[Decimal] = mapped_column(DAYS, default=Decimal(0))  # 0: nothing carries over
    # Carried days not taken by the end of this many months into the new year lapse; 0: they never do.
    carry_over_expiry_months: Mapped[int] = mapped_column(default=0)
    allow_negative: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)  # a type dropped from the manifest with requests stays, off


class LeaveRequest(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "hr_leave_requests"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "employee_id"],
            ["hr_employees.tenant_id", "hr_employees.id"],
            name="hr_leave_requests_employee",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "leave_type_id"],
            ["hr_leave_types.tenant_id", "hr_leave_types.id"],
            name="hr_leave_requests_type",
        ),
    )

    employee_id: Mapped[UUID] = mapped_column()
    leave_type_id: Mapped[UUID] = mapped_column()
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)  # inclusive
    days: Mapped[Decimal] = mapped_column(DAYS)  # working days between the dates, from the tenant's calendar
    status: Mapped[str] = mapped_column(String(10), default=RequestStatus.PENDING.value)
    note: Mapped[str | None] = mapped_column(String(REASON))
    requested_by: Mapped[UUID | None] = mapped_column()  # the account that filed it
    decided_by: Mapped[UUID | None] = mapped_column()  # the account that approved or rejected it
    # When provider staff decide for the client: the client admin they acted for.
    decided_on_behalf_of: Mapped[UUID | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    reject_reason: Mapped[str | None] = mapped_column(String(REASON))
