"""The only place a request's tenant scope is made.

A client user's or API client's scope is its one tenant (from the token, no
query). A provider agent's is the tenants it is assigned to. ``X-Tenant``
(an id or a slug) narrows the scope to one tenant; a provider admin may use it
to widen to a tenant it is not assigned to, and that widening is audited.
A request for a tenant outside the caller's reach gets an empty scope, so
every tenant-owned lookup answers 404, never 403.
"""

from __future__ import annotations

from uuid import UUID

import structlog
from litestar import Request
from litestar.exceptions import ClientException
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.audit.record import record_provider_event
from bo_saas.identity.caller import Caller
from bo_saas.identity.models import Role
from bo_saas.lib.db import set_scope
from bo_saas.lib.errors import TenantSuspendedError
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant, TenantStatus

TENANT_HEADER = "x-tenant"
_ASSIGNED_TENANTS = text("SELECT tenant_id FROM bo_account_tenants(:account_id)")


async def assigned_tenant_ids(session: AsyncSession, account_id: UUID) -> set[UUID]:
    return set((await session.execute(_ASSIGNED_TENANTS, {"account_id": account_id})).scalars())


async def _tenant_id_for(session: AsyncSession, reference: str) -> UUID | None:
    try:
        return UUID(reference)
    except ValueError:
        return (await session.execute(select(Tenant.id).where(Tenant.slug == reference.lower()))).scalar()


async def resolve_scope(request: Request, session: AsyncSession | None) -> TenantScope:
    caller = request.scope.get("user")
    if not isinstance(caller, Caller):
        return TenantScope.nothing()
    requested = request.headers.get(TENANT_HEADER)
    if caller.tenant_id is not None:
        scope = TenantScope.of(caller.tenant_id)
        if requested and requested not in (str(caller.tenant_id),):
            # A slug is resolved only when it is not simply the caller's own id.
            requested_id = await _tenant_id_for(session, requested)
            scope = scope.narrowed_to(requested_id) if requested_id else TenantScope.nothing()
            await session.commit()
        return scope

    assert caller.account_id is not None  # staff are always people
    assigned = await assigned_tenant_ids(session, caller.account_id)
    scope = TenantScope(frozenset(assigned))
    if requested:
        requested_id = await _tenant_id_for(session, requested)
        if requested_id is None:
            scope = TenantScope.nothing()
        elif requested_id in assigned:
            scope = TenantScope.of(requested_id)
        elif caller.role is Role.PROVIDER_ADMIN and await session.get(Tenant, requested_id) is not None:
            record_provider_event(
                session,
                request,
                action="tenant.access_widened",
                subject_type="tenant",
                subject_id=str(requested_id),
                changes={"method": request.method, "path": request.url.path},
            )
            scope = TenantScope.of(requested_id)
        else:
            scope = TenantScope.nothing()
    # End the lookup transaction so the scope applies from the next one.
    await session.commit()
    return scope


def _needs_lookup(request: Request) -> bool:
    caller = request.scope.get("user")
    if not isinstance(caller, Caller):
        return False
    requested = request.headers.get(TENANT_HEADER)
    return caller.tenant_id is None or bool(requested and requested != str(caller.tenant_id))


async def provide_scope(request: Request, db_engine: AsyncEngine) -> TenantScope:
    """A client's scope comes from its token alone; staff and ``X-Tenant`` choices need a lookup.

    The lookup (and the audit of a widening) runs in its own short session and
    commits on its own: an access is recorded even when the request then fails.
    """
    if _needs_lookup(request):
        async with AsyncSession(db_engine, expire_on_commit=False) as session:
            scope = await resolve_scope(request, session)
    else:
        scope = await resolve_scope(request, None)
    structlog.contextvars.bind_contextvars(tenant=scope.as_setting() or None)
    return scope


async def provide_db(db_session: AsyncSession, tenant_scope: TenantScope) -> AsyncSession:
    """The request's session with its tenant scope set: what domain code uses."""
    set_scope(db_session, tenant_scope)
    return db_session


async def tenant_for_write(session: AsyncSession, caller: Caller, scope: TenantScope) -> Tenant:
    """The one tenant a write goes to; a client of a suspended tenant may read but not write."""
    if len(scope.tenant_ids) != 1:
        raise ClientException("Choose one tenant for this change with the X-Tenant header")
    (tenant_id,) = scope.tenant_ids
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise ClientException("Choose one tenant for this change with the X-Tenant header")
    if tenant.status is TenantStatus.SUSPENDED and not caller.is_staff:
        reason = f": {tenant.suspended_reason}" if tenant.suspended_reason else ""
        raise TenantSuspendedError(f"Tenant {tenant.slug} is suspended{reason}; it can read but not make changes")
    return tenant
