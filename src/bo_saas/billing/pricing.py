"""Pricing a quantity under a plan's price model: pure arithmetic, lines that explain it, one rounding per line.

DESIGN.md "Pricing" is the spec. ``included`` units are free; the rest are the
billable units, counted from 1, and tiers name them (``up_to`` inclusive, the
last tier open-ended). Graduated: each unit at the tier it falls in (a line per
tier reached). Volume: every billable unit at the tier the total falls in.
Package: ``package_size`` units per ``package_price``, a started package whole.
Per unit: one price for every billable unit.

Unit prices are decimal strings in major units and may be finer than the
minor unit ("0.004"); a line's amount is computed exactly and rounded once,
half-even, to the currency's minor unit. A charge's amount is the sum of its
rounded lines, never a rounding of the sum, so an invoice adds up line by line.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from bo_saas.billing.currencies import minor_per_major
from bo_saas.billing.plan_file import MeterPrice, Seats, Tier


@dataclass(frozen=True, slots=True)
class Line:
    """One priced line: ``quantity`` units at ``unit_price`` (major units, as written) make ``amount`` minor units."""

    description: str
    quantity: int
    unit_price: str
    amount: int


@dataclass(frozen=True, slots=True)
class Charge:
    """A metered quantity priced: what was used, what was free, what was billed, and the lines that bill it."""

    quantity: int
    included: int
    billable: int
    lines: tuple[Line, ...]

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)


def to_minor(major: Fraction, currency: str) -> int:
    """Major units (exact) as minor units, rounded half-even: the one rounding a line gets."""
    return round(major * minor_per_major(currency))  # round() of a Fraction rounds half to even


def line_amount(quantity: int, unit_price: str, currency: str, *, share: Fraction = Fraction(1)) -> int:
    """``quantity`` × ``unit_price`` × ``share`` (the prorated part of a period), exact, then rounded once."""
    return to_minor(quantity * Fraction(unit_price) * share, currency)


def _line(description: str, quantity: int, unit_price: str, currency: str) -> Line:
    return Line(description, quantity, unit_price, line_amount(quantity, unit_price, currency))


def price_meter(meter: MeterPrice, quantity: int, currency: str) -> Charge:
    """The charge for ``quantity`` units of one meter in one period."""
    if quantity < 0:
        raise ValueError(f"a quantity is never negative, not {quantity}")
    billable = max(0, quantity - meter.included)
    lines: list[Line] = []
    if billable:
        if meter.model == "per_unit":
            lines.append(_line(f"{meter.code}: {billable} at {meter.unit_price}", billable, meter.unit_price, currency))
        elif meter.model == "graduated":
            lines += _graduated(meter.code, meter.tiers or [], billable, currency)
        elif meter.model == "volume":
            tier = tier_for(meter.tiers or [], billable)
            lines.append(
                _line(f"{meter.code}: {billable} at {tier.unit_price} (volume)", billable, tier.unit_price, currency)
            )
        elif meter.model == "package":
            size = meter.package_size or 1
            packages = -(-billable // size)  # a started package counts whole
            described = f"{meter.code}: {packages} package(s) of {size} for {billable}"
            lines.append(_line(described, packages, meter.package_price or "0", currency))
        else:  # pragma: no cover - the plan file's validation allows no other
            raise ValueError(f"unknown price model {meter.model!r}")
    return Charge(quantity=quantity, included=min(quantity, meter.included), billable=billable, lines=tuple(lines))


def _graduated(code: str, tiers: list[Tier], billable: int, currency: str) -> list[Line]:
    """A line per tier reached: units ``first``..``last`` of the billable ones at that tier's price."""
    lines = []
    below = 0  # billable units the tiers before this one cover
    for tier in tiers:
        top = billable if tier.up_to is None else min(tier.up_to, billable)
        if top > below:
            units = top - below
            lines.append(
                _line(f"{code}: units {below + 1}-{top} at {tier.unit_price}", units, tier.unit_price, currency)
            )
        if tier.up_to is None or tier.up_to >= billable:
            break
        below = tier.up_to
    return lines


def tier_for(tiers: list[Tier], billable: int) -> Tier:
    """The tier ``billable`` units fall in: the first whose ``up_to`` reaches it, else the open-ended last."""
    for tier in tiers:
        if tier.up_to is None or billable <= tier.up_to:
            return tier
    return tiers[-1]


def price_seats(seats: Seats, active_users: int, currency: str) -> Charge:
    """Active client users beyond the included ones, each at the seat price."""
    billable = max(0, active_users - seats.included)
    lines = (
        (_line(f"seats: {billable} at {seats.unit_price}", billable, seats.unit_price, currency),) if billable else ()
    )
    return Charge(quantity=active_users, included=min(active_users, seats.included), billable=billable, lines=lines)
