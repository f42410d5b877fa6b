"""A tenant's usage of one period, priced: what the portal's usage page shows before any invoice exists.

Quantities come only through the usage seam (``work.usage.usage_totals``), per
meter of the plan version in force, over the tenant's local calendar month;
seats are the active client users now. Pricing is ``pricing``'s, so the
estimate and the invoice a later billing run makes are the same arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.models import PlanVersion
from bo_saas.billing.periods import Period
from bo_saas.billing.pricing import Charge, price_meter, price_seats
from bo_saas.billing.seats import active_seats
from bo_saas.billing.subscriptions import plan_of
from bo_saas.tenancy.models import Tenant
from bo_saas.work.usage import usage_totals


@dataclass(frozen=True)
class MeterUsage:
    meter: str
    charge: Charge


@dataclass(frozen=True)
class UsageReport:
    period: Period
    version: PlanVersion
    meters: tuple[MeterUsage, ...]
    seats: Charge
    base_fee: int
    as_of: datetime

    @property
    def estimated_total(self) -> int:
        """Base fee, seats and usage so far; before tax, credits and proration (the invoice adds those)."""
        return self.base_fee + self.seats.amount + sum(usage.charge.amount for usage in self.meters)


async def usage_report(
    session: AsyncSession, tenant: Tenant, version: PlanVersion, period: Period, now: datetime
) -> UsageReport:
    plan = plan_of(version)
    meters = []
    for meter in plan.meters:
        quantity = await usage_totals(session, tenant.id, meter.code, period.start, period.end)
        meters.append(MeterUsage(meter.code, price_meter(meter, quantity, plan.currency)))
    seats = price_seats(plan.seats, await active_seats(session, tenant.id), plan.currency)
    return UsageReport(period, version, tuple(meters), seats, plan.base_fee, now)
