"""An invoice's arithmetic, for any plan and any month: it adds up, and a credit never passes its cap."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from bo_saas.billing.invoice_pricing import InForce, InvoiceFacts, price_invoice
from bo_saas.billing.plan_file import PlanFile
from bo_saas.billing.proration import Terms

PRICES = st.decimals(min_value=0, max_value=500, places=3).map(lambda d: f"{d:.3f}")
UNITS = st.integers(min_value=0, max_value=10**7)


@st.composite
def plans(draw) -> PlanFile:
    tiers = [{"up_to": 1000, "unit_price": draw(PRICES)}, {"unit_price": draw(PRICES)}]
    return PlanFile.model_validate(
        {
            "code": "p",
            "name": "P",
            "currency": draw(st.sampled_from(["USD", "JPY", "KWD"])),
            "interval": "month",
            "base_fee": draw(st.integers(min_value=0, max_value=10**8)),
            "seats": {"included": draw(st.integers(0, 20)), "unit_price": draw(PRICES)},
            "meters": [
                {"code": "support.tickets", "aggregation": "sum", "included": draw(UNITS), "model": "graduated",
                 "tiers": tiers},
                {"code": "work.items", "aggregation": "sum", "included": 0, "model": "volume", "tiers": tiers},
                {"code": "data_entry.records", "aggregation": "sum", "included": 0, "model": "package",
                 "package_size": draw(st.integers(1, 1000)), "package_price": draw(PRICES)},
            ],
            "sla_credits": {"percent_per_breach": draw(st.integers(0, 100)), "cap_percent": draw(st.integers(0, 100))},
        }
    )  # fmt: skip


@st.composite
def months(draw) -> InvoiceFacts:
    old, new = draw(plans()), draw(plans())
    new = new.model_copy(update={"currency": old.currency})  # a plan change never changes currency
    period_days = draw(st.integers(28, 31))
    old_days = draw(st.integers(0, period_days))
    parts = [InForce(Terms("Old v1", old), old_days), InForce(Terms("New v1", new), period_days - old_days)]
    return InvoiceFacts(
        currency=old.currency,
        period_days=period_days,
        in_force=tuple(part for part in parts if part.days),
        seats=draw(st.integers(0, 50)),
        usage_plan=new,
        usage={"support.tickets": draw(UNITS), "work.items": draw(UNITS), "data_entry.records": draw(UNITS)},
        charges=tuple(draw(st.lists(st.tuples(st.just("charge"), st.integers(1, 10**7)), max_size=3))),
        resolution_breaches=draw(st.integers(0, 200)),
        tax_rate_bp=draw(st.integers(0, 10_000)),
    )


@settings(max_examples=300, deadline=None)
@given(months())
def test_lines_add_up_to_the_subtotal_and_subtotal_and_tax_to_the_total(facts: InvoiceFacts):
    priced = price_invoice(facts)

    assert sum(line.amount for line in priced.lines) == priced.subtotal
    assert priced.subtotal + priced.tax == priced.total
    assert priced.tax == round(Fraction(priced.subtotal * facts.tax_rate_bp, 10_000))
    assert priced.subtotal >= 0  # a credit is a share of the base fee, which is on the invoice


@settings(max_examples=300, deadline=None)
@given(months())
def test_the_sla_credit_never_exceeds_the_plans_cap(facts: InvoiceFacts):
    priced = price_invoice(facts)

    cap = facts.usage_plan.sla_credits.cap_percent
    assert 0 <= priced.credit <= round(Fraction(priced.base_fee * cap, 100))
    credits = [line.amount for line in priced.lines if line.kind == "sla_credit"]
    assert credits == ([-priced.credit] if priced.credit else [])
