"""Payroll's tables: pay components, per-employee amounts, runs, payslips with their lines, adjustments, documents.

All tenant-owned (``tenant_id`` leads every key and foreign key; migration 0030
forces RLS). A payslip is unique per run and employee, so a rerun of a
half-done computation updates rows instead of adding them. A checker's
adjustment is stored apart from the computed lines, keyed by run and employee,
so recomputing the run recomputes around it. Once a payslip has its number it
is final: a trigger refuses any change to it or its lines (migration 0030).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib import limits
from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey

CODE = 40
BASE_CODE = "base"  # the built-in earning: the employee's monthly salary from their personal data


class ComponentKind(enum.StrEnum):
    EARNING = "earning"
    DEDUCTION = "deduction"  # taken from the employee's pay (their own contributions included)
    EMPLOYER_CONTRIBUTION = "employer_contribution"  # a cost on top of the pay, never deducted from it


class Calculation(enum.StrEnum):
    FIXED = "fixed"  # an amount in minor units per month
    PERCENT = "percent"  # a percentage of the sum of other components (``basis``)


class RunStatus(enum.StrEnum):
    COMPUTING = "computing"
    FAILED = "failed"  # half-way: rerun with /compute
    DRAFT = "draft"  # computed, waiting for the checker
    APPROVED = "approved"
    FINALIZED = "finalized"


class PayComponent(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "hr_pay_components"
    __table_args__ = (UniqueConstraint("tenant_id", "code", name="hr_pay_components_code"),)

    code: Mapped[str] = mapped_column(String(CODE))
    name: Mapped[str] = mapped_column(String(limits.NAME))
    name_ar: Mapped[str | None] = mapped_column(String(limits.NAME))
    kind: Mapped[str] = mapped_column(String(30))
    calculation: Mapped[str] = mapped_column(String(10))
    amount: Mapped[int | None] = mapped_column(BigInteger)  # fixed: the default monthly amount
    percent: Mapped[Decimal | None] = mapped_column(Numeric(9, 4))  # percent: the default rate
    basis: Mapped[list[str]] = mapped_column(ARRAY(String(CODE)), default=list)  # percent: of these codes
    applies_to_all: Mapped[bool] = mapped_column(default=True)  # False: only employees given an amount
    hidden: Mapped[bool] = mapped_column(default=False)  # left off the payslip document (still computed)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)


class EmployeePay(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """One employee's own amount (fixed) or rate (percent) for a component, overriding its default."""

    __tablename__ = "hr_employee_pay"
    __table_args__ = (
        UniqueConstraint("tenant_id", "employee_id", "component_id", name="hr_employee_pay_once"),
        ForeignKeyConstraint(["tenant_id", "employee_id"], ["hr_employees.tenant_id", "hr_employees.id"]),
        ForeignKeyConstraint(["tenant_id", "component_id"], ["hr_pay_components.tenant_id", "hr_pay_components.id"]),
    )

    employee_id: Mapped[UUID] = mapped_column()
    component_id: Mapped[UUID] = mapped_column()
    amount: Mapped[int | None] = mapped_column(BigInteger)
    percent: Mapped[Decimal | None] = mapped_column(Numeric(9, 4))


class PayrollRun(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "hr_payroll_runs"
    __table_args__ = (UniqueConstraint("tenant_id", "period", name="hr_payroll_runs_period"),)

    period: Mapped[str] = mapped_column(String(7))  # "2026-11"
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # inclusive
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.COMPUTING.value)
    currency: Mapped[str | None] = mapped_column(String(3))
    prepared_by: Mapped[UUID | None] = mapped_column()  # the account that asked for the run
    approved_by: Mapped[UUID | None] = mapped_column()
    approved_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    finalized_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    employees_total: Mapped[int] = mapped_column(Integer, default=0)
    employees_done: Mapped[int] = mapped_column(Integer, default=0)
    documents_total: Mapped[int] = mapped_column(Integer, default=0)
    documents_done: Mapped[int] = mapped_column(Integer, default=0)
    failure: Mapped[str | None] = mapped_column(String(500))
    journal_entry_number: Mapped[str | None] = mapped_column(String(40))  # set once posted to the books


class Payslip(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "hr_payslips"
    __table_args__ = (
        UniqueConstraint("tenant_id", "run_id", "employee_id", name="hr_payslips_once"),
        UniqueConstraint("tenant_id", "number", name="hr_payslips_number"),
        ForeignKeyConstraint(["tenant_id", "run_id"], ["hr_payroll_runs.tenant_id", "hr_payroll_runs.id"]),
        ForeignKeyConstraint(["tenant_id", "employee_id"], ["hr_employees.tenant_id", "hr_employees.id"]),
    )

    run_id: Mapped[UUID] = mapped_column()
    employee_id: Mapped[UUID] = mapped_column()
    employee_number: Mapped[str] = mapped_column(String(40))
    employee_name: Mapped[str] = mapped_column(String(limits.NAME))
    days_paid: Mapped[int] = mapped_column(Integer)
    days_in_period: Mapped[int] = mapped_column(Integer)
    gross: Mapped[int] = mapped_column(BigInteger)
    deductions: Mapped[int] = mapped_column(BigInteger)
    net: Mapped[int] = mapped_column(BigInteger)
    employer_cost: Mapped[int] = mapped_column(BigInteger)  # employer contributions on top of gross
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    number: Mapped[str | None] = mapped_column(String(20))  # "PS-2026-000001", set at finalize
    # hr.crypto, sealed for (tenant, payslip): the IBAN paid into, fixed at finalize for the bank file.
    bank_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)


class PayslipLine(TenantOwned, UUIDPrimaryKey, Base):
    __tablename__ = "hr_payslip_lines"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "payslip_id"], ["hr_payslips.tenant_id", "hr_payslips.id"], ondelete="CASCADE"
        ),
    )

    payslip_id: Mapped[UUID] = mapped_column()
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(CODE))
    name: Mapped[str] = mapped_column(String(limits.NAME))
    name_ar: Mapped[str | None] = mapped_column(String(limits.NAME))
    kind: Mapped[str] = mapped_column(String(30))
    amount: Mapped[int] = mapped_column(BigInteger)
    hidden: Mapped[bool] = mapped_column(default=False)
    adjusted: Mapped[bool] = mapped_column(default=False)  # comes from a checker's adjustment


class PayslipAdjustment(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """A manual line on one employee's payslip in one run; recomputation keeps it."""

    __tablename__ = "hr_payslip_adjustments"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "run_id"], ["hr_payroll_runs.tenant_id", "hr_payroll_runs.id"]),
        ForeignKeyConstraint(["tenant_id", "employee_id"], ["hr_employees.tenant_id", "hr_employees.id"]),
    )

    run_id: Mapped[UUID] = mapped_column()
    employee_id: Mapped[UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(30))  # earning or deduction
    description: Mapped[str] = mapped_column(String(limits.NAME))
    amount: Mapped[int] = mapped_column(BigInteger)
    made_by: Mapped[UUID | None] = mapped_column()


class PayslipDocument(TenantOwned, Base):
    """A finalized payslip's PDF in one language, made in the background."""

    __tablename__ = "hr_payslip_documents"
    __table_args__ = (ForeignKeyConstraint(["tenant_id", "payslip_id"], ["hr_payslips.tenant_id", "hr_payslips.id"]),)

    payslip_id: Mapped[UUID] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class PayslipCounter(TenantOwned, Base):
    """The last payslip number given in a year: numbers are gap-free per tenant and year."""

    __tablename__ = "hr_payslip_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
