"""``/api/v1/service-types``: what a tenant may ask for, with each request form."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.exceptions import ClientException, NotFoundException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant
from bo_saas.work.catalog import offered_services
from bo_saas.work.models import ServiceType
from bo_saas.work.schemas import ServiceTypeOut


class ServiceTypeController(Controller):
    path = "/api/v1/service-types"
    tags = ["work"]

    @get(
        "/",
        summary="Service types",
        description="A tenant's people get what their tenant may request; staff get the provider's catalog, "
        "or one tenant's offer with X-Tenant.",
    )
    async def list_service_types(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope
    ) -> list[ServiceTypeOut]:
        if request.user.is_staff and not request.headers.get("x-tenant"):
            rows = (await db.execute(select(ServiceType).order_by(ServiceType.code))).scalars()
            return [ServiceTypeOut(r.code, r.name, False, r.form_schema) for r in rows]
        if not tenant_scope.tenant_ids:
            raise NotFoundException("No such tenant")
        if len(tenant_scope.tenant_ids) != 1:
            raise ClientException("Choose one tenant with the X-Tenant header")
        (tenant_id,) = tenant_scope.tenant_ids
        tenant = await db.get(Tenant, tenant_id)
        return [ServiceTypeOut(o.code, o.name, o.custom, o.form_schema) for o in await offered_services(db, tenant)]
