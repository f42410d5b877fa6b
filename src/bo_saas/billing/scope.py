"""The one tenant a billing route answers for: the caller's own, or the one a staff member names with X-Tenant."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.errors import InvalidBillingRequest, SubscriptionNotFound
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant


async def tenant_in_scope(session: AsyncSession, scope: TenantScope, *, for_update: bool = False) -> Tenant:
    """An empty scope (another tenant's X-Tenant, a provider admin naming none) answers 404, never the tenant."""
    if not scope.tenant_ids:
        raise SubscriptionNotFound("No such tenant")
    if len(scope.tenant_ids) != 1:
        raise InvalidBillingRequest("Choose one tenant with the X-Tenant header")
    (tenant_id,) = scope.tenant_ids
    tenant = await session.get(Tenant, tenant_id, with_for_update=for_update)
    if tenant is None:
        raise SubscriptionNotFound("No such tenant")
    return tenant
