"""``GET /api/v1/plans``: the plans a tenant can be on, and the services each includes.

Read-only: plans are seeded by migrations (billing will own their prices). The
console's tenant form offers only the services the chosen plan includes, so a
provider admin is not invited to pick one the server then refuses.
"""

from __future__ import annotations

from litestar import Controller, get
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.guards import requires_provider_admin
from bo_saas.tenancy.models import SERVICE_CODES, Plan
from bo_saas.tenancy.schemas import PlanOut


class PlanController(Controller):
    path = "/api/v1/plans"
    tags = ["tenancy"]
    guards = [requires_provider_admin]

    @get("/", summary="The plans, each with the built-in services it includes")
    async def list_plans(self, db_session: AsyncSession) -> list[PlanOut]:
        plans = (await db_session.execute(select(Plan).order_by(Plan.code))).scalars()
        return [
            PlanOut(
                code=plan.code,
                name=plan.name,
                # In the catalog's order, so every screen lists services the same way.
                services=[code for code in SERVICE_CODES if code in (plan.services or ())],
                custom_services=plan.custom_services,
            )
            for plan in plans
        ]
