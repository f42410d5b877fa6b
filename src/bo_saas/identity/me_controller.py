"""``/api/v1/me``: who the caller is, with its role and tenant."""

from __future__ import annotations

from litestar import Controller, Request, get, patch
from litestar.exceptions import PermissionDeniedException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Account, ApiClient
from bo_saas.identity.schemas import Me, MeUpdate, TenantSummary
from bo_saas.lib.caller import Caller
from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import assigned_tenant_ids
from bo_saas.tenancy.models import Tenant


def tenant_summary(tenant: Tenant) -> TenantSummary:
    return TenantSummary(
        id=tenant.id, slug=tenant.slug, name=tenant.name, status=tenant.status.value, timezone=tenant.timezone
    )


async def describe_caller(session: AsyncSession, caller: Caller) -> Me:
    tenant = await session.get(Tenant, caller.tenant_id) if caller.tenant_id else None
    assigned: list[TenantSummary] = []
    if caller.api_client_id is not None:
        await session.commit()
        set_scope(session, TenantScope.of(caller.tenant_id))
        api_client = await session.get(ApiClient, (caller.tenant_id, caller.api_client_id))
        name, email, locale = (api_client.name if api_client else "API client"), None, "en"
    else:
        account = await session.get(Account, caller.account_id)
        name, email, locale = account.name, account.email, account.locale
        if caller.is_staff:
            ids = await assigned_tenant_ids(session, account.id)
            rows = (await session.execute(select(Tenant).where(Tenant.id.in_(ids)).order_by(Tenant.slug))).scalars()
            assigned = [tenant_summary(t) for t in rows]
    return Me(
        id=caller.actor_id,
        kind=caller.actor_kind,
        role=caller.role.value,
        name=name,
        email=email,
        locale=locale,
        tenant=tenant_summary(tenant) if tenant else None,
        assigned_tenants=assigned,
    )


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["identity"]

    @get("/", summary="The caller, with its role and tenant")
    async def me(self, request: Request, db_session: AsyncSession) -> Me:
        return await describe_caller(db_session, request.user)

    @patch("/", summary="Change the caller's own name or language")
    async def update_me(self, request: Request, db_session: AsyncSession, data: MeUpdate) -> Me:
        caller: Caller = request.user
        if caller.account_id is None:
            raise PermissionDeniedException("An API client has no profile to change")
        account = await db_session.get(Account, caller.account_id)
        if data.name is not None:
            account.name = data.name.strip()
        if data.locale is not None:
            account.locale = data.locale
        await db_session.flush()
        return await describe_caller(db_session, caller)
