"""Request and response bodies of the leave routes (``/api/v1/hr/leave-*``).

Days are working days as JSON numbers to the hundredth (``1.75``); dates are
``YYYY-MM-DD``. A leave type is named by its ``code`` in requests and balances.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from bo_saas.hr.leave_models import LEAVE_CODE, REASON
from bo_saas.lib import limits

KindName = Literal["annual", "sick", "unpaid", "custom"]
AccrualName = Literal["yearly", "monthly", "none"]
StatusName = Literal["pending", "approved", "rejected", "cancelled"]
DayCount = Annotated[float, msgspec.Meta(ge=0, le=366, description="days, to the hundredth")]
ExpiryMonths = Annotated[int, msgspec.Meta(ge=0, le=12, description="carried days lapse after this month; 0 never")]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=LEAVE_CODE, pattern=r"^[A-Za-z0-9_-]+$")]


class LeaveTypeIn(msgspec.Struct, forbid_unknown_fields=True):
    code: Code
    name: limits.text(limits.NAME, min_length=1)
    kind: KindName = "custom"
    accrual: AccrualName = "yearly"
    days_per_year: DayCount = 0
    carry_over_cap: DayCount = 0
    carry_over_expiry_months: ExpiryMonths = 0
    allow_negative: bool = False


class LeaveTypeUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: limits.text(limits.NAME, min_length=1) | None = None
    kind: KindName | None = None
    accrual: AccrualName | None = None
    days_per_year: DayCount | None = None
    carry_over_cap: DayCount | None = None
    carry_over_expiry_months: ExpiryMonths | None = None
    allow_negative: bool | None = None
    active: bool | None = None


class LeaveTypeOut(msgspec.Struct):
    id: UUID
    code: str
    name: str
    kind: KindName
    accrual: AccrualName
    days_per_year: float
    carry_over_cap: float
    carry_over_expiry_months: int
    allow_negative: bool
    active: bool


class LeaveRequestIn(msgspec.Struct, forbid_unknown_fields=True):
    employee_id: UUID
    leave_type: Code
    start_date: dt.date
    end_date: dt.date
    note: limits.text(REASON) | None = None


class ApproveIn(msgspec.Struct, forbid_unknown_fields=True):
    # Provider staff approve for the client: the client admin they act for (required of staff).
    on_behalf_of: UUID | None = None


class RejectIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: limits.text(REASON, min_length=1)
    on_behalf_of: UUID | None = None


class LeaveRequestOut(msgspec.Struct):
    id: UUID
    employee_id: UUID
    employee_name: str
    leave_type: str
    start_date: dt.date
    end_date: dt.date
    days: float
    status: StatusName
    note: str | None
    requested_by: UUID | None
    decided_by: UUID | None
    decided_on_behalf_of: UUID | None
    decided_at: dt.datetime | None
    reject_reason: str | None
    created_at: dt.datetime


class BalanceOut(msgspec.Struct):
    leave_type: str
    year: int
    accrued: float
    carried: float
    expired: float
    taken: float
    pending: float
    balance: float
    available: float
    carry_over_expires_on: dt.date | None
    limited: bool  # whether requests must fit the balance


class EmployeeBalancesOut(msgspec.Struct):
    employee_id: UUID
    employee_name: str
    as_of: dt.date
    balances: list[BalanceOut]


class AwayOut(msgspec.Struct):
    request_id: UUID
    employee_id: UUID
    employee_name: str
    department: str | None
    leave_type: str
    start_date: dt.date
    end_date: dt.date
    days: float
    status: StatusName


class LeaveCalendarOut(msgspec.Struct):
    start: dt.date = msgspec.field(name="from")
    end: dt.date = msgspec.field(name="to")
    away: list[AwayOut] = msgspec.field(default_factory=list)
