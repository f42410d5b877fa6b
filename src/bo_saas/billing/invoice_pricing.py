"""An invoice's arithmetic, pure: what was in force and used in a period in, lines and totals out.

The builder (``invoice_builder``) reads the facts from the database; this
module only prices them, so the arithmetic is tested on its own (a property
test: lines add up to the subtotal, subtotal and tax to the total, a credit
never beyond its cap).

Lines, in order: the base fee and seats of each plan version for the days it
was in force (one full line each when one version covered the whole period,
``proration`` lines otherwise); each meter's lines as ``pricing`` explains
them, on the version in force at the period's end; late usage of earlier
periods (``late_usage``), each on its own period's version; one-off charges; the SLA
credit. Every line is rounded once; the subtotal is the sum of the rounded
lines, and tax is the subtotal at the profile's rate, rounded once, half-even.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from bo_saas.billing.currencies import major_units, minor_per_major
from bo_saas.billing.late_usage import LateUsage
from bo_saas.billing.plan_file import PlanFile
from bo_saas.billing.pricing import price_meter, price_seats
from bo_saas.billing.proration import Terms, prorated_lines

BASIS_POINTS = 10_000


@dataclass(frozen=True, slots=True)
class InvoiceLineData:
    kind: str  # base_fee | seats | usage | late_usage | charge | sla_credit
    description: str
    quantity: int
    unit_price: str  # major units
    amount: int  # minor units


@dataclass(frozen=True, slots=True)
class InForce:
    """One plan version's part of the period: ``days`` local days of it."""

    terms: Terms
    days: int


@dataclass(frozen=True, slots=True)
class InvoiceFacts:
    currency: str
    period_days: int
    in_force: tuple[InForce, ...]
    seats: int  # active client users
    usage_plan: PlanFile  # the version in force at the period's end prices usage and credits
    usage: Mapping[str, int]  # meter code -> quantity, through the usage seam
    charges: tuple[tuple[str, int], ...]  # one-off charges: (description, amount)
    resolution_breaches: int
    tax_rate_bp: int
    late_usage: tuple[LateUsage, ...] = ()  # earlier periods' usage their finalized invoices did not bill


@dataclass(frozen=True, slots=True)
class PricedInvoice:
    lines: tuple[InvoiceLineData, ...]
    subtotal: int
    tax: int
    total: int
    base_fee: int  # what the SLA credit is a percentage of
    credit: int  # the SLA credit, a positive number (its line is negative)


def _fixed_lines(facts: InvoiceFacts) -> list[InvoiceLineData]:
    lines: list[InvoiceLineData] = []
    for part in facts.in_force:
        plan = part.terms.plan
        if part.days == facts.period_days:
            base = major_units(plan.base_fee, plan.currency)
            lines.append(InvoiceLineData("base_fee", f"{part.terms.label} base fee", 1, base, plan.base_fee))
            seats = price_seats(plan.seats, facts.seats, plan.currency)
            for line in seats.lines:
                described = f"{part.terms.label} {line.description}"
                lines.append(InvoiceLineData("seats", described, line.quantity, line.unit_price, line.amount))
            continue
        # prorated_lines gives the base fee first, then the seats (if any are billable).
        for index, line in enumerate(prorated_lines(part.terms, part.days, facts.period_days, facts.seats)):
            kind = "base_fee" if index == 0 else "seats"
            lines.append(InvoiceLineData(kind, line.description, line.quantity, line.unit_price, line.amount))
    return lines


def _credit(base_fee: int, breaches: int, plan: PlanFile) -> int:
    rule = plan.sla_credits
    percent = min(breaches * rule.percent_per_breach, rule.cap_percent)
    return round(Fraction(base_fee * percent, 100))  # half to even, once


def _late_line(late: LateUsage, currency: str) -> InvoiceLineData:
    """The price of the period's units now, less the price of those billed: tiers continue, nothing twice."""
    meter = next(meter for meter in late.plan.meters if meter.code == late.meter)
    amount = price_meter(meter, late.total, currency).amount - price_meter(meter, late.billed, currency).amount
    quantity = late.total - late.billed
    average = Fraction(amount, quantity * minor_per_major(currency))  # per unit, in major units
    unit_price = (Decimal(average.numerator) / Decimal(average.denominator)).quantize(Decimal("0.000001"))
    billed_on = f" ({late.invoice_number} billed {late.billed})" if late.invoice_number else ""
    described = f"Late usage for {late.period}{billed_on}: {late.meter} {quantity} more, {late.total} in all"
    return InvoiceLineData("late_usage", described, quantity, f"{unit_price.normalize():f}", amount)


def price_invoice(facts: InvoiceFacts) -> PricedInvoice:
    currency = facts.currency
    lines = _fixed_lines(facts)
    for meter in facts.usage_plan.meters:
        charge = price_meter(meter, facts.usage.get(meter.code, 0), currency)
        lines += [
            InvoiceLineData("usage", line.description, line.quantity, line.unit_price, line.amount)
            for line in charge.lines
        ]
    lines += [_late_line(late, currency) for late in facts.late_usage]
    lines += [
        InvoiceLineData("charge", description, 1, major_units(amount, currency), amount)
        for description, amount in facts.charges
    ]
    base_fee = sum(line.amount for line in lines if line.kind == "base_fee")
    credit = _credit(base_fee, facts.resolution_breaches, facts.usage_plan)
    if credit:
        rule = facts.usage_plan.sla_credits
        breaches = facts.resolution_breaches
        described = (
            f"SLA credit: {breaches} resolution breach{'es' if breaches != 1 else ''} x {rule.percent_per_breach}% "
            f"of the base fee {major_units(base_fee, currency)}, at most {rule.cap_percent}%"
        )
        lines.append(InvoiceLineData("sla_credit", described, 1, major_units(-credit, currency), -credit))
    subtotal = sum(line.amount for line in lines)
    tax = round(Fraction(subtotal * facts.tax_rate_bp, BASIS_POINTS))  # half to even, once
    return PricedInvoice(tuple(lines), subtotal, tax, subtotal + tax, base_fee, credit)
