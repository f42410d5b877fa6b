"""Request and response bodies of payroll: ``/api/v1/hr/pay-components`` and ``/api/v1/hr/payroll-runs``.

Amounts are integer minor units of the run's currency; percentages are decimal strings ("12.5").
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from bo_saas.lib import limits

Kind = Literal["earning", "deduction", "employer_contribution"]
Money = Annotated[int, msgspec.Meta(ge=0, le=2**62)]
Period = Annotated[str, msgspec.Meta(max_length=7, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]
PercentText = Annotated[str, msgspec.Meta(max_length=12, description='a decimal string, e.g. "12.5"')]


class PayComponentIn(msgspec.Struct, forbid_unknown_fields=True):
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    name: limits.text(limits.NAME, min_length=1)
    kind: Kind
    calculation: Literal["fixed", "percent"]
    name_ar: limits.text(limits.NAME) | None = None
    amount: Money | None = None
    percent: PercentText | None = None
    basis: list[Annotated[str, msgspec.Meta(max_length=40)]] = []
    applies_to_all: bool = True
    hidden: bool = False


class PayComponentOut(msgspec.Struct):
    id: UUID
    code: str
    name: str
    name_ar: str | None
    kind: str
    calculation: str
    amount: int | None
    percent: str | None
    basis: list[str]
    applies_to_all: bool
    hidden: bool
    active: bool


class EmployeePayIn(msgspec.Struct, forbid_unknown_fields=True):
    """One employee's own amount (a fixed component) or percent (a percent component)."""

    amount: Money | None = None
    percent: PercentText | None = None


class EmployeePayOut(msgspec.Struct):
    employee_id: UUID
    component: str
    amount: int | None
    percent: str | None


class PayrollRunIn(msgspec.Struct, forbid_unknown_fields=True):
    period: Period


class RunProgress(msgspec.Struct):
    employees_total: int
    employees_done: int
    documents_total: int
    documents_done: int


class RunTotals(msgspec.Struct):
    payslips: int
    reviewed: int
    gross: int
    deductions: int
    net: int
    employer_cost: int


class PayrollRunOut(msgspec.Struct):
    id: UUID
    period: str
    period_start: dt.date
    period_end: dt.date
    status: str
    currency: str | None
    prepared_by: UUID | None
    approved_by: UUID | None
    approved_at: dt.datetime | None
    finalized_at: dt.datetime | None
    failure: str | None
    journal_entry_number: str | None
    progress: RunProgress
    totals: RunTotals


class PayslipLineOut(msgspec.Struct):
    code: str
    name: str
    name_ar: str | None
    kind: str
    amount: int
    hidden: bool
    adjusted: bool
    adjustment_id: UUID | None = None


class PayslipOut(msgspec.Struct):
    id: UUID
    run_id: UUID
    employee_id: UUID
    employee_number: str
    employee_name: str
    number: str | None
    days_paid: int
    days_in_period: int
    gross: int
    deductions: int
    net: int
    employer_cost: int
    reviewed: bool
    lines: list[PayslipLineOut]


class AdjustmentIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: Literal["earning", "deduction"]
    description: limits.text(limits.NAME, min_length=1)
    amount: Annotated[int, msgspec.Meta(gt=0, le=2**62)]


class MissingBankAccount(msgspec.Struct):
    employee_id: UUID
    employee_number: str
    name: str
