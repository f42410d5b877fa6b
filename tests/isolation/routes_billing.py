"""The isolation walker's entries for billing: plans, the subscription, the billing profile, usage."""

from __future__ import annotations

from bo_saas.billing.models import BillingProfile, InvoiceLanguage
from bo_saas.billing.subscriptions import follow_plan
from tests.isolation.walker import Entry

SUBSCRIPTION = "/api/v1/subscription"
PROFILE = "/api/v1/billing/profile"


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


async def seed(session, t) -> None:
    """Per tenant: its subscription (as tenancy's plan-chosen hook starts it) and a billing profile."""
    await follow_plan(session, t.tenant)
    session.add(
        BillingProfile(
            tenant_id=t.tenant.id,
            legal_name=f"{t.tenant.name} Legal",
            address="1 Main Street, Riyadh",
            country="SA",
            billing_email=f"billing@{t.tenant.slug}.example",
            invoice_language=InvoiceLanguage.EN,
        )
    )
    await session.flush()


ROUTES = [
    # The provider's price list, the same for every tenant: another tenant's admin reads it too.
    Entry(
        "GET", "/api/v1/plans", "client_admin", lambda t, w: "/api/v1/plans", lower="client_member", cross_status=(200,)
    ),
    Entry("GET", SUBSCRIPTION, "client_member", lambda t, w: SUBSCRIPTION, headers=_own),
    Entry(
        "PUT",
        SUBSCRIPTION,
        "client_admin",
        lambda t, w: SUBSCRIPTION,
        body=lambda t, w: {"plan": "enterprise"},
        headers=_own,
        lower="client_member",
        cross_status=(400,),
    ),
    Entry(
        "GET",
        SUBSCRIPTION + "/preview",
        "client_member",
        lambda t, w: SUBSCRIPTION + "/preview?plan=enterprise",
        headers=_own,
    ),
    Entry("GET", PROFILE, "client_admin", lambda t, w: PROFILE, headers=_own, lower="client_member"),
    Entry(
        "PUT",
        PROFILE,
        "client_admin",
        lambda t, w: PROFILE,
        body=lambda t, w: {
            "legal_name": "Walk Trading LLC",
            "address": "2 King Road, Riyadh",
            "country": "DE",
            "tax_id": "DE 136,695,976",
            "billing_email": "finance@walk.example",
            "tax_rate_bp": 1500,
        },
        headers=_own,
        lower="client_member",
        cross_status=(400,),
    ),
    Entry("GET", "/api/v1/usage", "client_member", lambda t, w: "/api/v1/usage?period=2026-11", headers=_own),
]
