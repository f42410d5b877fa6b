"""Leave balances computed from the rule, carry-over and requests: the sum always holds, expiry never drifts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bo_saas.hr.leave_balances import Booked, Employment, accrued, balance_in
from bo_saas.hr.leave_types import LeaveRule

ANNUAL = LeaveRule(code="annual", name="Annual", kind="annual", accrual="yearly", days_per_year=Decimal(21),
                   carry_over_cap=Decimal(5), carry_over_expiry_months=3)  # fmt: skip


def approved(day: date, days: int) -> Booked:
    return Booked(day, Decimal(days), "approved")


def test_carried_days_not_used_by_the_expiry_lapse_on_the_first_day_after_it():
    employment = Employment(date(2025, 1, 1))
    requests = [approved(date(2025, 6, 2), 10), approved(date(2026, 2, 2), 2)]

    before = balance_in(ANNUAL, employment, requests, 2026, date(2026, 3, 31))
    after = balance_in(ANNUAL, employment, requests, 2026, date(2026, 4, 1))

    assert (before.carried, before.expired, before.balance) == (5, 0, 24)  # 11 left in 2025, capped at 5
    assert (after.carried, after.expired, after.balance) == (5, 3, 21)  # 2 of the 5 used in time, 3 lapse
    assert after.carry_over_expires_on == date(2026, 4, 1)


def test_leave_taken_after_the_expiry_does_not_use_the_lapsed_days_and_the_next_year_starts_right():
    employment = Employment(date(2025, 1, 1))
    requests = [approved(date(2025, 6, 2), 10), approved(date(2026, 5, 4), 20)]

    year = balance_in(ANNUAL, employment, requests, 2026)
    following = balance_in(ANNUAL, employment, requests, 2027, date(2027, 1, 4))

    assert (year.carried, year.expired, year.taken, year.balance) == (5, 5, 20, 1)
    assert (following.carried, following.balance) == (1, 22)


def test_monthly_accrual_grants_a_twelfth_on_each_month_started_and_joiners_are_prorated():
    monthly = LeaveRule(code="a", name="A", accrual="monthly", days_per_year=Decimal(21))

    assert accrued(monthly, Employment(date(2020, 1, 1)), 2026, date(2026, 3, 15)) == Decimal("5.25")
    assert accrued(monthly, Employment(date(2020, 1, 1)), 2026, None) == Decimal(21)
    assert accrued(ANNUAL, Employment(date(2026, 7, 10)), 2026, date(2026, 8, 1)) == Decimal("10.50")
    assert accrued(ANNUAL, Employment(date(2026, 7, 10)), 2026, date(2026, 7, 1)) == 0  # not employed yet


def test_a_debt_carries_over_whole_when_negative_balances_are_allowed():
    negative = LeaveRule(code="a", name="A", days_per_year=Decimal(10), carry_over_cap=Decimal(2), allow_negative=True)
    balance = balance_in(negative, Employment(date(2025, 1, 1)), [approved(date(2025, 3, 3), 13)], 2026)

    assert (balance.carried, balance.balance) == (-3, 7)


rules = st.builds(
    LeaveRule,
    code=st.just("t"),
    name=st.just("T"),
    accrual=st.sampled_from(["yearly", "monthly", "none"]),
    days_per_year=st.integers(0, 40).map(Decimal),
    carry_over_cap=st.integers(0, 15).map(Decimal),
    carry_over_expiry_months=st.integers(0, 12),
    allow_negative=st.booleans(),
)
bookings = st.lists(
    st.builds(
        Booked,
        start_date=st.dates(date(2023, 1, 1), date(2027, 12, 31)),
        days=st.integers(1, 15).map(Decimal),
        status=st.sampled_from(["approved", "pending"]),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(
    rule=rules,
    start=st.dates(date(2023, 1, 1), date(2027, 6, 30)),
    requests=bookings,
    year=st.integers(2023, 2027),
    day_of_year=st.integers(0, 364),
)
def test_a_balance_is_always_accrued_plus_carried_minus_expired_minus_taken(rule, start, requests, year, day_of_year):
    employment = Employment(start)
    as_of = date(year, 1, 1) + timedelta(days=day_of_year)

    balance = balance_in(rule, employment, requests, year, as_of)
    reordered = balance_in(rule, employment, list(reversed(requests)), year, as_of)

    assert balance.balance == balance.accrued + balance.carried - balance.expired - balance.taken
    assert balance.available == balance.balance - balance.pending
    assert balance == reordered  # computed, not accumulated: the order things happened in does not matter
    assert balance.taken == sum((r.days for r in requests if r.status == "approved" and r.start_date.year == year), 0)
    assert balance.carried <= rule.carry_over_cap
    assert 0 <= balance.expired <= max(balance.carried, Decimal(0))
    if rule.carry_over_expiry_months in (0, 12) or as_of < date(year, 1, 1) + timedelta(days=28):
        # Nothing lapses without an expiry, nor before the earliest one (1 February): the plain sum holds.
        assert balance.balance == balance.accrued + balance.carried - balance.taken
