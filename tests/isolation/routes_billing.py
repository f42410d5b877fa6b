"""The isolation walker's entries for billing: plans, subscription, profile, usage, invoices, charges, runs."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bo_saas.billing.models import BillingProfile, InvoiceLanguage, InvoiceStatus, PlanVersion
from bo_saas.billing.subscriptions import follow_plan
from bo_saas.lib.clock import utc_now
from tests.billing.helpers import InvoiceFactory, InvoiceLineFactory, OneOffChargeFactory
from tests.factories import BillingRunFactory, CreditNoteFactory
from tests.isolation.walker import Entry

SUBSCRIPTION = "/api/v1/subscription"
PROFILE = "/api/v1/billing/profile"
INVOICES = "/api/v1/invoices"
CHARGES = "/api/v1/charges"
CREDIT_NOTES = "/api/v1/credit-notes"
RUNS = "/api/v1/billing/runs"
PAYMENT_METHOD = "/api/v1/billing/payment-method"


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


def _tenant_a(t, w) -> dict:
    """A provider admin working in tenant A: aimed at B's invoice id it must get 404, not B's invoice."""
    return {"X-Tenant": str(w.a.tenant.id)}


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
    version = await session.scalar(select(PlanVersion).where(PlanVersion.plan_code == "growth"))
    invoice = InvoiceFactory(tenant_id=t.tenant.id, plan_version_id=version.id)
    session.add(invoice)
    await session.flush()
    charge = OneOffChargeFactory(tenant_id=t.tenant.id)
    session.add_all([InvoiceLineFactory(tenant_id=t.tenant.id, invoice_id=invoice.id, position=1), charge])
    await session.flush()
    now = utc_now()
    # Numbered in a past year: the finalize entry takes this year's first number for the draft.
    open_invoice = InvoiceFactory(
        tenant_id=t.tenant.id, plan_version_id=version.id, period="2026-09", status=InvoiceStatus.OPEN,
        number="INV-2025-000001", issued_at=now, due_at=now + timedelta(days=14),
    )  # fmt: skip
    session.add(open_invoice)
    await session.flush()
    credit_note = CreditNoteFactory(tenant_id=t.tenant.id, invoice_id=open_invoice.id)
    session.add(credit_note)
    await session.flush()
    run = BillingRunFactory(tenant_slug=t.tenant.slug)  # billing runs are the provider's: no tenant owns one
    session.add(run)
    await session.flush()
    t.work.update(
        invoice=invoice.id, charge=charge.id, open_invoice=open_invoice.id, credit_note=credit_note.id, run=run.id
    )


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
    Entry(
        "DELETE",
        SUBSCRIPTION,
        "client_admin",
        lambda t, w: SUBSCRIPTION,
        headers=_own,
        lower="client_member",
        cross_status=(400,),
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
    Entry(
        "GET",
        "/api/v1/usage/records",
        "client_member",
        lambda t, w: "/api/v1/usage/records?period=2026-11",
        headers=_own,
    ),
    Entry("GET", INVOICES, "client_admin", lambda t, w: INVOICES, headers=_own, lower="client_member"),
    Entry(
        "GET",
        INVOICES + "/{invoice_id:uuid}",
        "client_admin",
        lambda t, w: f"{INVOICES}/{t.work['invoice']}",
        headers=_own,
        lower="client_member",
    ),
    Entry(
        "GET",
        INVOICES + "/{invoice_id:uuid}/pdf",
        "client_admin",
        lambda t, w: f"{INVOICES}/{t.work['invoice']}/pdf",
        headers=_own,
        lower="client_member",
    ),
    Entry(
        "POST",
        INVOICES + "/{invoice_id:uuid}/finalize",
        "provider_admin",
        lambda t, w: f"{INVOICES}/{t.work['invoice']}/finalize",
        headers=_tenant_a,
        lower="client_admin",
    ),
    # The walk's app has no Stripe key: what needs Stripe answers 503 for its own tenant, after the 404s
    # that keep tenants apart (tests/billing/test_payments*.py pay against localstripe).
    Entry("GET", PAYMENT_METHOD, "client_admin", lambda t, w: PAYMENT_METHOD, headers=_own, lower="client_member"),
    Entry(
        "POST",
        PAYMENT_METHOD + "/setup",
        "client_admin",
        lambda t, w: PAYMENT_METHOD + "/setup",
        headers=_own,
        own_status=503,
        lower="client_member",
    ),
    Entry(
        "POST",
        PAYMENT_METHOD,
        "client_admin",
        lambda t, w: PAYMENT_METHOD,
        body=lambda t, w: {"setup_intent_id": "seti_walk"},
        headers=_own,
        own_status=503,
        lower="client_member",
    ),
    Entry(
        "POST",
        INVOICES + "/{invoice_id:uuid}/pay",
        "client_admin",
        lambda t, w: f"{INVOICES}/{t.work['open_invoice']}/pay",
        headers=_own,
        own_status=503,
        lower="client_member",
    ),
    Entry(
        "GET",
        INVOICES + "/{invoice_id:uuid}/payments",
        "client_admin",
        lambda t, w: f"{INVOICES}/{t.work['open_invoice']}/payments",
        headers=_own,
        lower="client_member",
    ),
    Entry(
        "POST",
        INVOICES + "/{invoice_id:uuid}/payments",
        "provider_admin",
        lambda t, w: f"{INVOICES}/{t.work['open_invoice']}/payments",
        body=lambda t, w: {"amount": 1000, "reference": "TRF-WALK", "received_on": utc_now().date().isoformat()},
        headers=_tenant_a,
        own_status=201,
        lower="client_admin",
    ),
    Entry("GET", CREDIT_NOTES, "client_admin", lambda t, w: CREDIT_NOTES, headers=_own, lower="client_member"),
    Entry(
        "POST",
        CREDIT_NOTES,
        "provider_admin",
        lambda t, w: CREDIT_NOTES,
        body=lambda t, w: {"invoice_id": str(t.work["open_invoice"]), "amount": 100, "reason": "Walk"},
        headers=_tenant_a,
        own_status=201,
        lower="client_admin",
    ),
    Entry(
        "GET",
        CREDIT_NOTES + "/{credit_note_id:uuid}",
        "client_admin",
        lambda t, w: f"{CREDIT_NOTES}/{t.work['credit_note']}",
        headers=_own,
        lower="client_member",
    ),
    Entry(
        "GET",
        CREDIT_NOTES + "/{credit_note_id:uuid}/pdf",
        "client_admin",
        lambda t, w: f"{CREDIT_NOTES}/{t.work['credit_note']}/pdf",
        headers=_own,
        lower="client_member",
    ),
    Entry("GET", CHARGES, "client_admin", lambda t, w: CHARGES, headers=_own, lower="client_member"),
    Entry(
        "POST",
        CHARGES,
        "provider_admin",
        lambda t, w: CHARGES,
        body=lambda t, w: {"period": "2026-11", "description": "Rush job", "amount": 5000},
        headers=_own,
        own_status=201,
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "GET",
        RUNS,
        "provider_admin",
        lambda t, w: RUNS,
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "POST",
        RUNS,
        "provider_admin",
        lambda t, w: RUNS,
        body=lambda t, w: {"period": "2026-10", "tenant": w.a.tenant.slug},
        own_status=202,
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    Entry(
        "GET",
        RUNS + "/{run_id:uuid}",
        "provider_admin",
        lambda t, w: f"{RUNS}/{t.work['run']}",
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
    # Every tenant's receivables without X-Tenant; a tenant's own caller is refused whichever tenant it names.
    Entry(
        "GET",
        "/api/v1/billing/receivables",
        "provider_admin",
        lambda t, w: "/api/v1/billing/receivables",
        headers=_own,
        lower="agent",
        cross_caller="client_admin",
        cross_status=(403,),
    ),
]
