"""Who may see and change a tenant's employees, and which tenant a request means.

Everyone in the tenant's scope reads its employees; their personal data (and
any change to an employee) is for the tenant's client admins and for provider
staff serving the tenant who have the ``hr`` skill. Provider admins need the
skill too: personal data is shown on a need-to-know basis, not by rank.
Another tenant's employees are simply not there (RLS): 404.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.hr.errors import NotAnHrKeeper
from bo_saas.identity.models import StaffSkill
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import InvalidInputError
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write
from bo_saas.tenancy.models import BusinessCalendar, Tenant

SKILL = "hr"


def one_tenant(scope: TenantScope) -> UUID:
    """The one tenant whose employees a request reads; employees are never listed across tenants."""
    if len(scope.tenant_ids) != 1:
        raise InvalidInputError("Choose one tenant's employees with the X-Tenant header")
    (tenant_id,) = scope.tenant_ids
    return tenant_id


async def may_see_personal(session: AsyncSession, caller: Caller) -> bool:
    """The tenant's client admin, or staff with the hr skill (the scope already holds only tenants they serve)."""
    if caller.role is Role.CLIENT_ADMIN:
        return True
    if not caller.is_staff or caller.account_id is None:
        return False
    return bool(
        await session.scalar(
            select(exists().where(StaffSkill.account_id == caller.account_id, StaffSkill.skill_code == SKILL))
        )
    )


async def require_keeper(session: AsyncSession, caller: Caller, scope: TenantScope) -> Tenant:
    """The tenant, when the caller may change its employees; 403 otherwise (and for a suspended tenant's people)."""
    tenant = await tenant_for_write(session, caller, scope)
    if not await may_see_personal(session, caller):
        raise NotAnHrKeeper("Only the tenant's client admin or provider staff with the hr skill change employees")
    return tenant


async def tenant_today(session: AsyncSession, tenant_id: UUID) -> date:
    """Today in the tenant's time zone: the day an employee's status is read on."""
    timezone = await session.scalar(select(Tenant.timezone).where(Tenant.id == tenant_id))
    return utc_now().astimezone(ZoneInfo(timezone or "UTC")).date()


async def tenant_country(session: AsyncSession, tenant_id: UUID) -> str | None:
    """The tenant's country (its calendar's holiday country), whose national id format is checked."""
    return await session.scalar(select(BusinessCalendar.holiday_country).where(BusinessCalendar.tenant_id == tenant_id))
