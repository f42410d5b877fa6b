"""``/api/v1/charges``: one-off charges on a tenant's period; provider admins add them, client admins read them."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.charges import add_charge, checked_period
from bo_saas.billing.models import OneOffCharge
from bo_saas.billing.schemas import ChargeIn, ChargeOut
from bo_saas.billing.scope import tenant_in_scope
from bo_saas.lib.guards import requires_admin, requires_provider_admin
from bo_saas.lib.listing import list_page, to_struct
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write


def charge_out(charge: OneOffCharge) -> ChargeOut:
    return to_struct(charge, ChargeOut, id=str(charge.id))


class ChargeController(Controller):
    path = "/api/v1/charges"
    tags = ["billing"]

    @get("/", guards=[requires_admin], summary="The tenant's one-off charges, newest first")
    async def list_charges(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        page: PageRequest,
        period: Annotated[str | None, QueryParameter(max_length=7, description="only this YYYY-MM")] = None,
    ) -> OffsetPagination[ChargeOut]:
        tenant = await tenant_in_scope(db, tenant_scope)
        filters = [OneOffCharge.tenant_id == tenant.id]
        if period is not None:
            filters.append(OneOffCharge.period == checked_period(period))
        return await list_page(
            db,
            select(OneOffCharge),
            page,
            filters=filters,
            order_by=(OneOffCharge.created_at.desc(), OneOffCharge.id),
            into=lambda rows: [charge_out(row) for row in rows],
        )

    @post(
        "/",
        guards=[requires_provider_admin],
        summary="Add a one-off charge to a tenant's period",
        description="Billed on that period's invoice by the next billing run; a finalized period is refused (409).",
    )
    async def create_charge(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: ChargeIn
    ) -> ChargeOut:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        charge = await add_charge(
            db, request, request.user, tenant, period=data.period, description=data.description, amount=data.amount
        )
        return charge_out(charge)
