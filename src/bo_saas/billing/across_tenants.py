"""Invoices matching a condition, of every tenant: what the schedule and dunning look for on their own.

Read a chunk of tenants at a time, each chunk's transaction scoped to exactly
those tenants (RLS reads the scope once per statement, so a thousand at a time
is one cheap query, not a thousand), as the SLA sweeper and retention do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.billing.models import Invoice
from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant

TENANT_CHUNK = 1000


async def invoices_of_every_tenant(
    sessionmaker: async_sessionmaker[AsyncSession], conditions: Sequence[Any], order_by: Sequence[Any]
) -> list[tuple[Tenant, Invoice]]:
    """Every tenant's invoices meeting ``conditions``, each with its tenant, in ``order_by`` within a chunk."""
    async with sessionmaker() as session, session.begin():
        tenants = {tenant.id: tenant for tenant in await session.scalars(select(Tenant).order_by(Tenant.id))}
    ids = list(tenants)
    found = []
    for start in range(0, len(ids), TENANT_CHUNK):
        async with sessionmaker() as session:
            set_scope(session, TenantScope(frozenset(ids[start : start + TENANT_CHUNK])))
            async with session.begin():
                rows = await session.scalars(select(Invoice).where(*conditions).order_by(*order_by))
                found += [(tenants[invoice.tenant_id], invoice) for invoice in rows]
    return found
