"""Which SLA targets apply to an item: the tenant's contract first, then the provider's policy.

Within each, a row for the item's service type beats the ``*`` row. The
warning share always comes from the provider's policy.
"""

from __future__ import annotations

from sqlalchemy import literal, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.sla.models import ANY_SERVICE, SlaPolicy, SlaTarget
from bo_saas.tenancy.models import Tenant
from bo_saas.work.clocks import Targets
from bo_saas.work.models import Priority

DEFAULT_WARNING_PERCENT = 75


class NoPolicyError(LookupError):
    pass


def _most_specific(rows, service_type: str):
    return next((r for r in rows if r.service_type == service_type), None) or next(
        (r for r in rows if r.service_type == ANY_SERVICE), None
    )


async def targets_for(session: AsyncSession, tenant: Tenant, service_type: str, priority: Priority) -> Targets:
    services = (service_type, ANY_SERVICE)
    # The provider's policy and the tenant's contract in one round trip: every item queued reads both.
    policies = select(
        literal("policy").label("source"),
        SlaPolicy.service_type,
        SlaPolicy.first_response_minutes,
        SlaPolicy.resolution_minutes,
        SlaPolicy.warning_percent,
    ).where(
        SlaPolicy.plan_code == tenant.plan_code, SlaPolicy.service_type.in_(services), SlaPolicy.priority == priority
    )
    contract = select(
        literal("contract").label("source"),
        SlaTarget.service_type,
        SlaTarget.first_response_minutes,
        SlaTarget.resolution_minutes,
        null().label("warning_percent"),
    ).where(SlaTarget.tenant_id == tenant.id, SlaTarget.service_type.in_(services), SlaTarget.priority == priority)
    rows = (await session.execute(union_all(policies, contract))).all()
    policy = _most_specific([r for r in rows if r.source == "policy"], service_type)
    chosen = _most_specific([r for r in rows if r.source == "contract"], service_type) or policy
    if chosen is None:
        raise NoPolicyError(f"No SLA policy for plan {tenant.plan_code}, service {service_type}, priority {priority}")
    return Targets(
        first_response_minutes=chosen.first_response_minutes,
        resolution_minutes=chosen.resolution_minutes,
        warning_percent=policy.warning_percent if policy else DEFAULT_WARNING_PERCENT,
    )
