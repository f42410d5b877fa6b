"""One employee's payslip for one period, worked out from their salary, the components and any adjustments.

Pure arithmetic, no database: the run feeds it thousands of employees a second.
Prorating is by calendar days: a joiner or leaver is paid ``days_paid /
days_in_period`` of every fixed amount (the salary included); percentages follow
their basis, so they prorate with it. Every amount is rounded once, half-even,
to the minor unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from bo_saas.hr.payroll_models import BASE_CODE, Calculation, ComponentKind

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class ComponentRule:
    code: str
    name: str
    name_ar: str | None
    kind: str
    calculation: str
    amount: int | None
    percent: Decimal | None
    basis: tuple[str, ...]
    applies_to_all: bool
    hidden: bool
    position: int


@dataclass(frozen=True, slots=True)
class Override:
    amount: int | None
    percent: Decimal | None


@dataclass(frozen=True, slots=True)
class Line:
    code: str
    name: str
    name_ar: str | None
    kind: str
    amount: int
    hidden: bool = False
    adjusted: bool = False


@dataclass(frozen=True, slots=True)
class Figures:
    days_paid: int
    days_in_period: int
    lines: tuple[Line, ...]
    gross: int
    deductions: int
    net: int
    employer_cost: int


def days_paid(start: date, end: date | None, period_start: date, period_end: date) -> int:
    """Calendar days of the period the employee was employed (0 when not at all)."""
    first = max(start, period_start)
    last = min(end or period_end, period_end)
    return max((last - first).days + 1, 0)


def _rounded(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def payslip_figures(
    salary: int,
    paid: int,
    days_in_period: int,
    rules: Sequence[ComponentRule],
    overrides: Mapping[str, Override],
    adjustments: Sequence[Line],
) -> Figures:
    """``rules`` in computing order (payroll_components.computing_order); ``overrides`` by component code."""
    share = Decimal(paid) / Decimal(days_in_period)
    values: dict[str, int] = {BASE_CODE: _rounded(salary * share)}
    lines = [Line(BASE_CODE, "Basic salary", "الراتب الأساسي", ComponentKind.EARNING.value, values[BASE_CODE])]
    for rule in rules:
        override = overrides.get(rule.code)
        if override is None and not rule.applies_to_all:
            continue
        if rule.calculation == Calculation.FIXED:
            monthly = override.amount if override is not None and override.amount is not None else rule.amount or 0
            amount = _rounded(monthly * share)
        else:
            rate = override.percent if override is not None and override.percent is not None else rule.percent
            basis = sum(values.get(code, 0) for code in rule.basis)
            amount = _rounded(basis * (rate or Decimal(0)) / HUNDRED)
        values[rule.code] = amount
        lines.append(Line(rule.code, rule.name, rule.name_ar, rule.kind, amount, hidden=rule.hidden))
    lines.extend(adjustments)
    gross = sum(line.amount for line in lines if line.kind == ComponentKind.EARNING)
    deductions = sum(line.amount for line in lines if line.kind == ComponentKind.DEDUCTION)
    employer = sum(line.amount for line in lines if line.kind == ComponentKind.EMPLOYER_CONTRIBUTION)
    return Figures(paid, days_in_period, tuple(lines), gross, deductions, gross - deductions, employer)
