"""Pricing a quantity: worked examples, and properties against an independent calculation (hypothesis).

The reference below prices unit by unit (every billable unit looked up on its
own), the slowest and plainest reading of DESIGN.md "Pricing"; the code under
test prices tier by tier. Both round each line once, half-even.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from bo_saas.billing.currencies import EXPONENTS
from bo_saas.billing.plan_file import MeterPrice, PlanFile, Seats, Tier
from bo_saas.billing.pricing import price_meter, price_seats, to_minor
from bo_saas.billing.proration import Terms, upgrade_lines


def meter(model: str, included: int = 0, **fields) -> MeterPrice:
    return MeterPrice.model_validate({"code": "support.tickets", "aggregation": "sum", "included": included,
                                      "model": model, **fields})  # fmt: skip


TIERS = [{"up_to": 100, "unit_price": "1.00"}, {"up_to": 300, "unit_price": "0.50"}, {"unit_price": "0.25"}]


def test_graduated_prices_each_unit_at_its_tier_after_the_included_ones():
    charge = price_meter(meter("graduated", included=50, tiers=TIERS), 450, "USD")

    assert (charge.included, charge.billable) == (50, 400)
    assert [(line.quantity, line.unit_price, line.amount) for line in charge.lines] == [
        (100, "1.00", 10000),
        (200, "0.50", 10000),
        (100, "0.25", 2500),
    ]
    assert charge.lines[1].description == "support.tickets: units 101-300 at 0.50"
    assert charge.amount == 22500


def test_volume_prices_every_unit_at_the_tier_the_total_falls_in():
    charge = price_meter(meter("volume", tiers=TIERS), 300, "USD")

    assert [(line.quantity, line.unit_price, line.amount) for line in charge.lines] == [(300, "0.50", 15000)]
    assert price_meter(meter("volume", tiers=TIERS), 301, "USD").amount == 7525  # 301 at 0.25


def test_a_started_package_counts_whole():
    charge = price_meter(meter("package", included=10, package_size=500, package_price="900.00"), 511, "USD")

    assert [(line.quantity, line.amount) for line in charge.lines] == [(2, 180000)]


def test_nothing_beyond_the_included_units_bills_nothing():
    charge = price_meter(meter("per_unit", included=200, unit_price="1.50"), 200, "USD")

    assert (charge.billable, charge.lines, charge.amount) == (0, (), 0)


def test_each_line_is_rounded_half_even_to_the_currencys_minor_unit():
    # 5 × 0.125 = 0.625 USD: 62 cents (half to even), 625 fils in KWD, 1 yen in JPY (0.625 rounds up).
    per_unit = meter("per_unit", unit_price="0.125")
    assert price_meter(per_unit, 5, "USD").amount == 62
    assert price_meter(per_unit, 5, "KWD").amount == 625
    assert price_meter(per_unit, 5, "JPY").amount == 1
    assert price_meter(meter("per_unit", unit_price="0.5"), 5, "JPY").amount == 2  # 2.5 yen -> 2


def test_seats_beyond_the_included_ones_are_charged():
    charge = price_seats(Seats(included=3, unit_price="19.00"), 5, "USD")

    assert (charge.billable, charge.amount) == (2, 3800)


PLAN = {
    "code": "p", "name": "P", "currency": "USD", "interval": "month", "trial_days": 0,
    "seats": {"included": 2, "unit_price": "10.00"}, "sla_credits": {"percent_per_breach": 1, "cap_percent": 10},
}  # fmt: skip


def test_an_upgrade_prorates_base_fee_and_seats_by_day_on_each_version():
    old = Terms("Starter v1", PlanFile.model_validate({**PLAN, "base_fee": 31000}))
    new = Terms("Growth v1", PlanFile.model_validate({**PLAN, "base_fee": 62000}))

    lines = upgrade_lines(old, new, date(2026, 12, 1), date(2026, 12, 11), date(2026, 12, 31), active_users=5)

    assert [(line.description, line.amount) for line in lines] == [
        ("Starter v1 base fee, 10 of 31 days", 10000),
        ("Starter v1 seats: 3 at 10.00, 10 of 31 days", 968),  # 3000 × 10/31 = 967.74
        ("Growth v1 base fee, 21 of 31 days", 42000),
        ("Growth v1 seats: 3 at 10.00, 21 of 31 days", 2032),  # 3000 × 21/31 = 2032.26
    ]


# --- properties -------------------------------------------------------------------------------------

prices = st.decimals(min_value=0, max_value=1000, places=4).map(lambda d: f"{d:f}")
currencies = st.sampled_from(sorted(EXPONENTS))


@st.composite
def tier_lists(draw) -> list[dict]:
    bounds = sorted(draw(st.sets(st.integers(1, 5000), max_size=4)))
    return [*({"up_to": bound, "unit_price": draw(prices)} for bound in bounds), {"unit_price": draw(prices)}]


def _round(exact: Fraction, currency: str) -> int:
    scaled = Decimal(exact.numerator) / Decimal(exact.denominator) * (10 ** EXPONENTS[currency])
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def _tier_of_unit(tiers: list[Tier], unit: int) -> int:
    """The index of the tier billable unit number ``unit`` (from 1) falls in, looked at on its own."""
    return next(i for i, tier in enumerate(tiers) if tier.up_to is None or unit <= tier.up_to)


def reference_graduated(tiers: list[Tier], billable: int, currency: str) -> int:
    units_per_tier: dict[int, int] = {}
    for unit in range(1, billable + 1):
        index = _tier_of_unit(tiers, unit)
        units_per_tier[index] = units_per_tier.get(index, 0) + 1
    return sum(_round(count * Fraction(tiers[i].unit_price), currency) for i, count in units_per_tier.items())


@settings(max_examples=200, deadline=None)
@given(tiers=tier_lists(), quantity=st.integers(0, 8000), included=st.integers(0, 500), currency=currencies)
def test_graduated_agrees_with_pricing_unit_by_unit(tiers, quantity, included, currency):
    priced = meter("graduated", included=included, tiers=tiers)

    charge = price_meter(priced, quantity, currency)

    billable = max(0, quantity - included)
    assert charge.billable == billable
    assert charge.amount == reference_graduated(priced.tiers, billable, currency)
    # No unit is billed twice or skipped: the lines' units are the billable units, in consecutive ranges.
    assert sum(line.quantity for line in charge.lines) == billable
    assert all(line.quantity > 0 for line in charge.lines)


@settings(max_examples=200, deadline=None)
@given(tiers=tier_lists(), quantity=st.integers(0, 8000), included=st.integers(0, 500), currency=currencies)
def test_volume_agrees_with_the_tier_of_the_last_unit(tiers, quantity, included, currency):
    priced = meter("volume", included=included, tiers=tiers)

    charge = price_meter(priced, quantity, currency)

    billable = max(0, quantity - included)
    expected = _round(billable * Fraction(priced.tiers[_tier_of_unit(priced.tiers, billable)].unit_price), currency)
    assert charge.amount == (expected if billable else 0)


@settings(max_examples=200, deadline=None)
@given(
    size=st.integers(1, 1000), price=prices, quantity=st.integers(0, 100_000), included=st.integers(0, 500),
    currency=currencies,
)  # fmt: skip
def test_package_bills_every_started_package(size, price, quantity, included, currency):
    charge = price_meter(
        meter("package", included=included, package_size=size, package_price=price), quantity, currency
    )

    billable = max(0, quantity - included)
    packages = sum(1 for start in range(0, billable, size))  # one per started block of `size` units
    assert charge.amount == (_round(packages * Fraction(price), currency) if billable else 0)


@settings(max_examples=300, deadline=None)
@given(
    model=st.sampled_from(["per_unit", "graduated", "volume", "package"]),
    tiers=tier_lists(),
    price=prices,
    quantity=st.integers(0, 10**9),
    included=st.integers(0, 10**6),
    currency=currencies,
)
def test_amounts_are_never_negative_and_the_total_is_the_sum_of_rounded_lines(
    model, tiers, price, quantity, included, currency
):
    fields = {
        "per_unit": {"unit_price": price},
        "graduated": {"tiers": tiers},
        "volume": {"tiers": tiers},
        "package": {"package_size": 7, "package_price": price},
    }[model]

    charge = price_meter(meter(model, included=included, **fields), quantity, currency)

    assert all(line.amount >= 0 for line in charge.lines)
    assert charge.amount == sum(line.amount for line in charge.lines) >= 0
    for line in charge.lines:  # each line is its exact amount rounded once
        assert line.amount == to_minor(line.quantity * Fraction(line.unit_price), currency)


@settings(max_examples=200, deadline=None)
@given(
    change_day=st.integers(1, 31), base_old=st.integers(0, 10**7), base_new=st.integers(0, 10**7),
    users=st.integers(0, 40),
)  # fmt: skip
def test_proration_splits_the_period_between_the_versions_without_losing_a_day(change_day, base_old, base_new, users):
    old = Terms("old", PlanFile.model_validate({**PLAN, "base_fee": base_old}))
    new = Terms("new", PlanFile.model_validate({**PLAN, "base_fee": base_new}))

    lines = upgrade_lines(old, new, date(2026, 12, 1), date(2026, 12, change_day), date(2026, 12, 31), users)

    base = [line for line in lines if "base fee" in line.description]
    days = [int(line.description.split(", ")[1].split(" of ")[0]) for line in base]
    assert sum(days) == 31
    exact = Fraction(base_old * (change_day - 1) + base_new * (32 - change_day), 31)
    assert abs(sum(line.amount for line in base) - exact) <= 1  # two roundings, each within half a cent
    assert all(line.amount >= 0 for line in lines)
