"""The service catalog as one tenant sees it: what its plan and manifest let it ask for.

Built-in services come from the provider's catalog and are offered when both
the tenant's ``services`` and its plan include them; custom service types come
from the tenant's manifest and are offered when the plan allows custom work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.tenancy.models import Plan, Tenant
from bo_saas.work.models import CustomServiceType, ServiceType


@dataclass(frozen=True, slots=True)
class ServiceOffer:
    code: str
    name: str
    skill_code: str
    form_schema: list[dict[str, Any]]
    custom: bool


async def offered_services(session: AsyncSession, tenant: Tenant) -> list[ServiceOffer]:
    plan = await session.get(Plan, tenant.plan_code)
    included = set(tenant.services or []) & set(plan.services if plan else [])
    builtin = (await session.execute(select(ServiceType).order_by(ServiceType.code))).scalars()
    offers = [
        ServiceOffer(s.code, s.name, s.skill_code, s.form_schema, custom=False) for s in builtin if s.code in included
    ]
    if plan is not None and plan.custom_services:
        custom = await session.execute(
            select(CustomServiceType).where(CustomServiceType.tenant_id == tenant.id).order_by(CustomServiceType.code)
        )
        offers += [ServiceOffer(c.code, c.name, c.skill_code, c.form_schema, custom=True) for c in custom.scalars()]
    return offers


async def offered_service(session: AsyncSession, tenant: Tenant, code: str) -> ServiceOffer | None:
    """The one service ``code`` if the tenant may ask for it, in one statement (every new item checks it)."""
    row = (
        await session.execute(
            select(
                Plan.services,
                Plan.custom_services,
                ServiceType.code,
                ServiceType.name,
                ServiceType.skill_code,
                ServiceType.form_schema,
                CustomServiceType.code.label("custom_code"),
                CustomServiceType.name.label("custom_name"),
                CustomServiceType.skill_code.label("custom_skill_code"),
                CustomServiceType.form_schema.label("custom_form_schema"),
            )
            .select_from(Plan)
            .outerjoin(ServiceType, ServiceType.code == code)
            .outerjoin(CustomServiceType, (CustomServiceType.tenant_id == tenant.id) & (CustomServiceType.code == code))
            .where(Plan.code == tenant.plan_code)
        )
    ).first()
    if row is None:  # no plan: nothing is offered
        return None
    # As in ``offered_services``: a built-in service first, then the tenant's own.
    if row.code is not None and code in (tenant.services or []) and code in (row.services or []):
        return ServiceOffer(row.code, row.name, row.skill_code, row.form_schema, custom=False)
    if row.custom_code is not None and row.custom_services:
        return ServiceOffer(
            row.custom_code, row.custom_name, row.custom_skill_code, row.custom_form_schema, custom=True
        )
    return None
