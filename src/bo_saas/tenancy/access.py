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
from sqlalchemy import or_, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.audit.record import record_provider_event
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.db import driver_connection, set_scope
from bo_saas.lib.errors import InvalidInputError, TenantSuspendedError
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant, TenantStatus

TENANT_HEADER = "x-tenant"
_ASSIGNED_TENANTS = text("SELECT tenant_id FROM bo_account_tenants(:account_id)")


async def assigned_tenant_ids(session: AsyncSession, account_id: UUID) -> set[UUID]:
    return set((await session.execute(_ASSIGNED_TENANTS, {"account_id": account_id})).scalars())


async def find_tenants(session: AsyncSession, references: list[str]) -> tuple[set[UUID], list[str]]:
    """Tenants named by id or slug, in one query: (the ids found, the references not found)."""
    ids: dict[UUID, str] = {}
    slugs: dict[str, str] = {}
    for reference in references:
        try:
            ids[UUID(reference)] = reference
        except ValueError:
            slugs[reference.lower()] = reference
    rows = (
        await session.execute(select(Tenant.id, Tenant.slug).where(or_(Tenant.id.in_(ids), Tenant.slug.in_(slugs))))
    ).all()
    found_refs = {ids.get(row.id) for row in rows} | {slugs.get(row.slug) for row in rows}
    return {row.id for row in rows}, [r for r in references if r not in found_refs]


async def _tenant_id_for(session: AsyncSession, reference: str) -> UUID | None:
    found, _ = await find_tenants(session, [reference])
    return next(iter(found), None)


async def resolve_scope(request: Request, engine: AsyncEngine) -> TenantScope:
    """A client's scope comes from its token alone; staff and ``X-Tenant`` choices need a lookup.

    The lookup (and the audit of a widening) runs in its own short session and
    commits on its own: an access is recorded even when the request then fails.
    """
    caller = request.scope.get("user")
    if not isinstance(caller, Caller):
        return TenantScope.nothing()
    requested = request.headers.get(TENANT_HEADER)
    if caller.tenant_id is not None:
        own = TenantScope.of(caller.tenant_id)
        if not requested or requested == str(caller.tenant_id):
            return own
        async with AsyncSession(engine) as session:
            requested_id = await _tenant_id_for(session, requested)
        return own.narrowed_to(requested_id) if requested_id else TenantScope.nothing()
    async with AsyncSession(engine) as session:
        scope = await _staff_scope(request, session, caller, requested)
        await session.commit()
    return scope


async def _staff_scope(request: Request, session: AsyncSession, caller: Caller, requested: str | None) -> TenantScope:
    assert caller.account_id is not None  # staff are always people
    assigned = await assigned_tenant_ids(session, caller.account_id)
    scope = TenantScope(frozenset(assigned))
    if requested:
        requested_id = await _tenant_id_for(session, requested)
        if requested_id is None:
            scope = TenantScope.nothing()
        elif requested_id in assigned:
            scope = TenantScope.of(requested_id)
        elif caller.role is Role.PROVIDER_ADMIN:
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
    return scope


async def provide_scope(request: Request, db_engine: AsyncEngine) -> TenantScope:
    scope = await resolve_scope(request, db_engine)
    log_tenant(scope)
    return scope


def log_tenant(scope: TenantScope) -> None:
    """Put the request's tenant on its log lines: the id when it is one, else how many it spans.

    An agent's scope can be hundreds of tenants; the whole list on every access line cost more
    to write than it told anyone.
    """
    if len(scope.tenant_ids) == 1:
        (tenant_id,) = scope.tenant_ids
        structlog.contextvars.bind_contextvars(tenant=str(tenant_id))
    elif scope.tenant_ids:
        structlog.contextvars.bind_contextvars(tenants=len(scope.tenant_ids))


# The staff scope as ``_staff_scope`` makes it without X-Tenant (the account's assigned tenants), declared by the
# transaction itself; '' (no assignments) sees nothing.
_DECLARE_ASSIGNED_SCOPE = """
    SELECT set_config('bo.tenant_ids',
                      coalesce((SELECT string_agg(tenant_id::text, ',') FROM bo_account_tenants($1)), ''), true)
"""


async def declare_staff_scope(request: Request, session: AsyncSession, engine: AsyncEngine) -> None:
    """Scope a staff member's hot write without a transaction of its own for the lookup.

    ``provide_db`` resolves an agent's scope in a short transaction before the request's (four round trips
    and a session); here, without ``X-Tenant``, the request's own transaction declares the agent's
    assignments as its first statement, as the claim function does. With ``X-Tenant`` (narrowing, or a
    provider admin's audited widening) the scope is resolved exactly as for any route.
    """
    if request.headers.get(TENANT_HEADER):
        set_scope(session, await resolve_scope(request, engine))
        return
    caller: Caller = request.user
    set_scope(session, TenantScope.nothing())  # what the transaction starts with, until the next statement
    driver = await driver_connection(session)
    await driver.execute(_DECLARE_ASSIGNED_SCOPE, caller.account_id)


async def provide_db(db_session: AsyncSession, tenant_scope: TenantScope) -> AsyncSession:
    """The request's session with its tenant scope set: what domain code uses."""
    set_scope(db_session, tenant_scope)
    return db_session


async def tenant_for_write(session: AsyncSession, caller: Caller, scope: TenantScope) -> Tenant:
    """The one tenant a write goes to; a client of a suspended tenant may read but not write."""
    if len(scope.tenant_ids) != 1:
        raise InvalidInputError("Choose one tenant for this change with the X-Tenant header")
    (tenant_id,) = scope.tenant_ids
    tenant = await session.get(Tenant, tenant_id)
    if tenant is None:
        raise InvalidInputError("Choose one tenant for this change with the X-Tenant header")
    if tenant.status is TenantStatus.SUSPENDED and not caller.is_staff:
        reason = f": {tenant.suspended_reason}" if tenant.suspended_reason else ""
        raise TenantSuspendedError(f"Tenant {tenant.slug} is suspended{reason}; it can read but not make changes")
    return tenant


async def provider_admin_scope(request: Request, engine: AsyncEngine) -> TenantScope:
    """Every tenant, for a provider admin's read that covers the whole provider (e.g. SLA reports).

    A provider admin has no assignments, so without ``X-Tenant`` its ordinary scope is empty; a
    route that answers "for every tenant" asks for this scope on purpose. Like an ``X-Tenant``
    widening it is audited (one ``tenant.access_widened`` event for all tenants, committed on its own
    so the access is on record even if the request then fails). Anyone else gets an empty scope.
    """
    caller = request.scope.get("user")
    if not isinstance(caller, Caller) or caller.role is not Role.PROVIDER_ADMIN:
        return TenantScope.nothing()
    async with AsyncSession(engine) as session:
        tenant_ids = frozenset((await session.execute(select(Tenant.id))).scalars())
        record_provider_event(
            session,
            request,
            action="tenant.access_widened",
            subject_type="tenant",
            changes={
                "method": request.method,
                "path": request.url.path,
                "tenants": "all",
                "tenant_count": len(tenant_ids),
            },
        )
        await session.commit()
    return TenantScope(tenant_ids)
