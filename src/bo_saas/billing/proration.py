"""Prorating a plan change by day: the base fee and the seats of each version for the days it was in force.

Billing is in arrears, so an upgrade mid-period does not refund or charge
anything at once: the period's invoice charges each version's base fee and
seats for its share of the period's local days (the old one up to the day
before the change, the new one from the day of the change). Each line is
rounded once, like every line (``pricing.line_amount``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from bo_saas.billing.currencies import major_units
from bo_saas.billing.plan_file import PlanFile
from bo_saas.billing.pricing import Line, line_amount, price_seats


@dataclass(frozen=True, slots=True)
class Terms:
    """A plan version's fixed charges: what is prorated."""

    label: str  # "Growth v2"
    plan: PlanFile


def prorated_lines(terms: Terms, days: int, period_days: int, active_users: int) -> list[Line]:
    """Base fee and seats of one version for ``days`` of a period of ``period_days``."""
    if not 0 <= days <= period_days or period_days <= 0:
        raise ValueError(f"{days} days is not a part of a {period_days}-day period")
    if days == 0:
        return []
    plan = terms.plan
    share = Fraction(days, period_days)
    lines = [
        Line(
            f"{terms.label} base fee, {days} of {period_days} days",
            1,
            major_units(plan.base_fee, plan.currency),
            line_amount(1, major_units(plan.base_fee, plan.currency), plan.currency, share=share),
        )
    ]
    seats = price_seats(plan.seats, active_users, plan.currency)
    if seats.billable:
        lines.append(
            Line(
                f"{terms.label} seats: {seats.billable} at {plan.seats.unit_price}, {days} of {period_days} days",
                seats.billable,
                plan.seats.unit_price,
                line_amount(seats.billable, plan.seats.unit_price, plan.currency, share=share),
            )
        )
    return lines


def upgrade_lines(
    old: Terms, new: Terms, first_day: date, change_day: date, last_day: date, active_users: int
) -> list[Line]:
    """The period's fixed charges when ``new`` replaces ``old`` on local ``change_day``."""
    if not first_day <= change_day <= last_day:
        raise ValueError("the change must fall within the period")
    period_days = (last_day - first_day).days + 1
    days_old = (change_day - first_day).days
    return [
        *prorated_lines(old, days_old, period_days, active_users),
        *prorated_lines(new, period_days - days_old, period_days, active_users),
    ]
