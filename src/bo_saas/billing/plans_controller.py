"""``GET /api/v1/plans``: the plans a tenant can be on, each as its latest version: services and prices.

The console's tenant form offers only the services the chosen plan includes,
so a provider admin is not invited to pick one the server then refuses; a
client admin choosing a new plan in the portal compares them. The catalogue is
the provider's price list, the same for every tenant (no tenant's data). The
prices are the latest version's, what a tenant starting or changing plan now
gets (a subscription shows the version it is on).
"""

from __future__ import annotations

from litestar import Controller, get
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.models import PlanVersion
from bo_saas.billing.schemas import MeterPriceOut, PlanOut, SeatsOut, SlaCreditsOut, TierOut
from bo_saas.billing.subscriptions import plan_of
from bo_saas.lib.guards import requires_admin
from bo_saas.tenancy.models import Plan


def plan_out(version: PlanVersion) -> PlanOut:
    plan = plan_of(version)
    return PlanOut(
        code=version.plan_code,
        name=plan.name,
        services=plan.in_catalog_order(),
        custom_services=plan.custom_services,
        version=version.version,
        currency=plan.currency,
        interval=plan.interval,
        base_fee=plan.base_fee,
        trial_days=plan.trial_days,
        seats=SeatsOut(included=plan.seats.included, unit_price=plan.seats.unit_price),
        meters=[
            MeterPriceOut(
                code=meter.code,
                aggregation=meter.aggregation,
                included=meter.included,
                model=meter.model,
                unit_price=meter.unit_price,
                tiers=[TierOut(up_to=tier.up_to, unit_price=tier.unit_price) for tier in meter.tiers]
                if meter.tiers is not None
                else None,
                package_size=meter.package_size,
                package_price=meter.package_price,
            )
            for meter in plan.meters
        ],
        sla_credits=SlaCreditsOut(
            percent_per_breach=plan.sla_credits.percent_per_breach, cap_percent=plan.sla_credits.cap_percent
        ),
    )


class PlanController(Controller):
    path = "/api/v1/plans"
    tags = ["billing"]
    guards = [requires_admin]

    @get("/", summary="The plans, each with its services and the latest version's prices")
    async def list_plans(self, db_session: AsyncSession) -> list[PlanOut]:
        latest = (
            select(PlanVersion)
            .join(Plan, Plan.code == PlanVersion.plan_code)
            .distinct(PlanVersion.plan_code)
            .order_by(PlanVersion.plan_code, PlanVersion.version.desc())
        )
        return [plan_out(version) for version in (await db_session.scalars(latest))]
