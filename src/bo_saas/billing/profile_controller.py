"""``/api/v1/billing/profile``: who the tenant's invoices are made out to; admins of the tenant and staff."""

from __future__ import annotations

from litestar import Controller, Request, get, put
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.models import BillingProfile
from bo_saas.billing.profile import save_profile
from bo_saas.billing.schemas import BillingProfileIn, BillingProfileOut
from bo_saas.billing.scope import tenant_in_scope
from bo_saas.lib.guards import requires_admin, requires_admin_or_staff
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write


def profile_out(profile: BillingProfile | None) -> BillingProfileOut:
    if profile is None:
        return BillingProfileOut(None, None, None, None, None, 0, "en", None)
    return BillingProfileOut(
        legal_name=profile.legal_name,
        address=profile.address,
        country=profile.country,
        billing_email=profile.billing_email,
        tax_id=profile.tax_id,
        tax_rate_bp=profile.tax_rate_bp,
        invoice_language=profile.invoice_language.value,
        updated_at=profile.updated_at,
    )


class BillingProfileController(Controller):
    path = "/api/v1/billing/profile"
    tags = ["billing"]

    @get("/", guards=[requires_admin_or_staff], summary="The tenant's billing profile (empty until filled in)")
    async def get_profile(self, db: AsyncSession, tenant_scope: TenantScope) -> BillingProfileOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        return profile_out(await db.get(BillingProfile, tenant.id))

    @put(
        "/",
        guards=[requires_admin],
        summary="Replace the tenant's billing profile",
        description="The tax id is checked (and stored in its compact form) where the country has a VAT format.",
    )
    async def put_profile(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: BillingProfileIn
    ) -> BillingProfileOut:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        return profile_out(await save_profile(db, request, tenant.id, data))
