"""Leave balances, computed every time from the rule, the employment dates and the requests: never a counter.

For a leave year (the calendar year) a balance is

    balance = accrued + carried - expired - taken

* accrued: yearly accrual grants the year's days on 1 January; monthly grants a
  twelfth on the first of each month (the month a person joins counts from
  their first day). Both are prorated to the months employed that year.
  Computed as ``days_per_year * months / 12`` over the whole count, rounded
  once to the hundredth, so twelve monthly grants add up to the year exactly.
* carried: what the year before closed on, capped at ``carry_over_cap`` (a
  debt, when negative balances are allowed, carries over whole).
* expired: carried days are used first; with ``carry_over_expiry_months`` N,
  those not used by leave starting in the first N months lapse on the first
  day of month N+1. Because the lapse is computed from the requests rather
  than posted once, cancelling or approving leave in the first months moves
  the expiry with it (the drift of frappe/hrms #2563 cannot happen).
* taken: approved requests starting in the year.

``pending`` (requests awaiting a decision) is shown beside it, and ``available``
is the balance less the pending days: what a new request may use.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bo_saas.hr.leave_models import Accrual, RequestStatus
from bo_saas.hr.leave_types import HUNDREDTH, LeaveRule

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Booked:
    """A request as a balance sees it."""

    start_date: date
    days: Decimal
    status: str


@dataclass(frozen=True)
class Employment:
    start_date: date
    end_date: date | None = None  # the last working day


@dataclass(frozen=True)
class Balance:
    year: int
    accrued: Decimal
    carried: Decimal
    expired: Decimal
    taken: Decimal
    pending: Decimal
    balance: Decimal
    available: Decimal
    carry_over_expires_on: date | None


def months_employed(employment: Employment, year: int, as_of: date | None) -> int:
    """Months of ``year`` with an employed day on or before ``as_of`` (None: the whole year counts)."""
    count = 0
    for month in range(1, 13):
        first = max(date(year, month, 1), employment.start_date)
        last = _month_end(year, month)
        if employment.end_date is not None:
            last = min(last, employment.end_date)
        if as_of is not None:
            last = min(last, as_of)
        if first <= last:
            count += 1
    return count


def accrued(rule: LeaveRule, employment: Employment, year: int, as_of: date | None) -> Decimal:
    """The days accrued in ``year`` by ``as_of`` (None: by its end)."""
    if rule.accrual == Accrual.NONE.value:
        return ZERO
    if rule.accrual == Accrual.YEARLY.value:
        # Granted up front: the whole year's share once employed, whatever the day.
        started = as_of is None or as_of >= max(date(year, 1, 1), employment.start_date)
        months = months_employed(employment, year, None) if started else 0
    else:
        months = months_employed(employment, year, as_of)
    return (rule.days_per_year * months / 12).quantize(HUNDREDTH)


def expiry_date(rule: LeaveRule, year: int) -> date | None:
    """The day carried days lapse in ``year``, or None when they never do."""
    if rule.carry_over_expiry_months == 0 or rule.carry_over_expiry_months >= 12:
        return None
    return date(year, rule.carry_over_expiry_months + 1, 1)


def balance_in(
    rule: LeaveRule, employment: Employment, requests: Iterable[Booked], year: int, as_of: date | None = None
) -> Balance:
    """The balance in ``year`` on ``as_of`` (None: at the year's end), carried over from the years before."""
    booked = list(requests)
    carried = ZERO
    for earlier in range(employment.start_date.year, year):
        closing = _year(rule, employment, booked, earlier, carried, None)
        carried = _carry(rule, closing.balance)
    if year < employment.start_date.year:
        carried = ZERO
    return _year(rule, employment, booked, year, carried, as_of)


def _year(
    rule: LeaveRule, employment: Employment, booked: list[Booked], year: int, carried: Decimal, as_of: date | None
) -> Balance:
    in_year = [request for request in booked if request.start_date.year == year]
    taken = _sum(request.days for request in in_year if request.status == RequestStatus.APPROVED.value)
    pending = _sum(request.days for request in in_year if request.status == RequestStatus.PENDING.value)
    lapses_on = expiry_date(rule, year) if carried > 0 else None
    expired = ZERO
    if lapses_on is not None and (as_of is None or as_of >= lapses_on):
        used_first = _sum(
            request.days
            for request in in_year
            if request.status == RequestStatus.APPROVED.value and request.start_date < lapses_on
        )
        expired = max(ZERO, carried - used_first)
    earned = accrued(rule, employment, year, as_of)
    balance = earned + carried - expired - taken
    return Balance(year, earned, carried, expired, taken, pending, balance, balance - pending, lapses_on)


def _carry(rule: LeaveRule, closing: Decimal) -> Decimal:
    if closing < 0:
        return closing  # a debt is not forgiven by the new year
    return min(closing, rule.carry_over_cap)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
