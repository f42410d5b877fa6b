"""Tenant rows (invoices, payments) matching a condition, of every tenant: what billing's loops look for.

Read a chunk of tenants at a time, each chunk's transaction scoped to exactly
those tenants (RLS reads the scope once per statement, so a thousand at a time
is one cheap query, not a thousand), as the SLA sweeper and retention do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.billing.models import Invoice
from bo_saas.lib.db import set_scope
from bo_saas.lib.models import TenantOwned
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant

TENANT_CHUNK = 1000

T = TypeVar("T", bound=TenantOwned)


async def rows_of_every_tenant(
    sessionmaker: async_sessionmaker[AsyncSession], model: type[T], conditions: Sequence[Any], order_by: Sequence[Any]
) -> list[tuple[Tenant, T]]:
    """Every tenant's rows of ``model`` meeting ``conditions``, each with its tenant, in ``order_by`` within a chunk."""
    async with sessionmaker() as session, session.begin():
        tenants = {tenant.id: tenant for tenant in await session.scalars(select(Tenant).order_by(Tenant.id))}
    ids = list(tenants)
    found = []
    for start in range(0, len(ids), TENANT_CHUNK):
        async with sessionmaker() as session:
            set_scope(session, TenantScope(frozenset(ids[start : start + TENANT_CHUNK])))
            async with session.begin():
                rows = await session.scalars(select(model).where(*conditions).order_by(*order_by))
                found += [(tenants[row.tenant_id], row) for row in rows]
    return found


async def invoices_of_every_tenant(
    sessionmaker: async_sessionmaker[AsyncSession], conditions: Sequence[Any], order_by: Sequence[Any]
) -> list[tuple[Tenant, Invoice]]:
    """Every tenant's invoices meeting ``conditions``, each with its tenant, in ``order_by`` within a chunk."""
    return await rows_of_every_tenant(sessionmaker, Invoice, conditions, order_by)
