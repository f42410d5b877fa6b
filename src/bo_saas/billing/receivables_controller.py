"""``/api/v1/billing/receivables``: what tenants still owe, aged; provider admins only.

Without ``X-Tenant`` a provider admin sees every tenant's receivables (an
audited widening, as SLA reports do); with it, that one tenant's.
"""

from __future__ import annotations

from litestar import Controller, Request, get
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.billing.receivables import ReceivablesPage, receivables
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import set_scope
from bo_saas.lib.guards import requires_provider_admin
from bo_saas.lib.pagination import PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import TENANT_HEADER, provider_admin_scope


class ReceivablesController(Controller):
    path = "/api/v1/billing/receivables"
    tags = ["billing"]
    guards = [requires_provider_admin]

    @get(
        "/",
        summary="Open and overdue invoices with aging buckets",
        description="Finalized invoices still owed (open or uncollectible, amount due > 0), longest overdue first, "
        "each with its tenant, days overdue and aging bucket (current, 1-30, 31-60, 61-90, 90+), and the amount "
        "due per currency and bucket. Every tenant, or the one named with X-Tenant.",
    )
    async def list_receivables(
        self,
        request: Request,
        db_session: AsyncSession,
        db_engine: AsyncEngine,
        tenant_scope: TenantScope,
        page: PageRequest,
    ) -> ReceivablesPage:
        scope = tenant_scope
        if not request.headers.get(TENANT_HEADER):
            scope = await provider_admin_scope(request, db_engine)
        set_scope(db_session, scope)
        return await receivables(db_session, page, utc_now())
