"""``GET /api/v1/usage?period=YYYY-MM``: a period's usage per meter, and seats, priced on the plan in force."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.errors import InvalidBillingRequest
from bo_saas.billing.models import PlanVersion
from bo_saas.billing.periods import month_of, parse_month, period_starting
from bo_saas.billing.pricing import Charge
from bo_saas.billing.schemas import LineOut, MeterUsageOut, UsageOut
from bo_saas.billing.scope import tenant_in_scope
from bo_saas.billing.subscriptions import in_force
from bo_saas.billing.usage_report import usage_report
from bo_saas.lib.clock import utc_now
from bo_saas.lib.tenant_scope import TenantScope


def _meter_out(meter: str, charge: Charge) -> MeterUsageOut:
    return MeterUsageOut(
        meter=meter,
        quantity=charge.quantity,
        included=charge.included,
        billable=charge.billable,
        amount=charge.amount,
        lines=[LineOut(line.description, line.quantity, line.unit_price, line.amount) for line in charge.lines],
    )


class UsageController(Controller):
    path = "/api/v1/usage"
    tags = ["billing"]

    @get("/", summary="Usage of a calendar month in the tenant's time zone, priced so far")
    async def get_usage(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        period: Annotated[
            str | None, QueryParameter(max_length=7, description="YYYY-MM (default: this month, tenant's time)")
        ] = None,
    ) -> UsageOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        now = utc_now()
        if period is None:
            month = month_of(now, tenant.timezone)
        else:
            first_day = parse_month(period)
            if first_day is None:
                raise InvalidBillingRequest(f"period: {period!r} is not a month written YYYY-MM (e.g. 2026-11)")
            month = period_starting(first_day, tenant.timezone)
        subscription = await in_force(db, tenant, now)
        version = await db.get(PlanVersion, subscription.plan_version_id)
        assert version is not None
        report = await usage_report(db, tenant, version, month, now)
        return UsageOut(
            period=month.label,
            start=month.start,
            end=month.end,
            currency=version.currency,
            plan=version.plan_code,
            version=version.version,
            base_fee=report.base_fee,
            meters=[_meter_out(usage.meter, usage.charge) for usage in report.meters],
            seats=_meter_out("seats", report.seats),
            estimated_total=report.estimated_total,
            as_of=now,
        )
