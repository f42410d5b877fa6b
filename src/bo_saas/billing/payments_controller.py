"""Payment routes: the card on file, paying an invoice, its payments, and Stripe's webhook.

Client admins save a card and pay their own tenant's invoices; provider admins
name a tenant with ``X-Tenant``, may charge its card too, and alone record bank
transfers. An id of another tenant's invoice answers 404. With no Stripe key
configured, what needs Stripe answers 503 (after the 404s, so the answer never
tells whether another tenant's invoice exists).
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, get, post
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.invoices import visible_invoice
from bo_saas.billing.models import InvoicePayment, StripeCustomer
from bo_saas.billing.payment_methods import confirm_card, start_card_setup, stripe_customer
from bo_saas.billing.payment_schemas import (
    BankTransferIn,
    CardConfirmIn,
    CardOut,
    CardSetupOut,
    InvoicePaymentOut,
    PaymentMethodOut,
    StripeEventOut,
)
from bo_saas.billing.payments import pay_with_card, record_bank_transfer
from bo_saas.billing.scope import tenant_in_scope
from bo_saas.billing.stripe_events import receive
from bo_saas.billing.stripe_gateway import require_payments, stripe_gateway
from bo_saas.billing.stripe_js import card_payments_ready, require_card_form
from bo_saas.lib.guards import requires_admin, requires_provider_admin
from bo_saas.lib.listing import list_page, to_struct
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope

# Stripe's events are small; anything larger is not one.
MAX_EVENT_BYTES = 256 * 1024


def payment_out(payment: InvoicePayment) -> InvoicePaymentOut:
    return to_struct(payment, InvoicePaymentOut, id=str(payment.id), invoice_id=str(payment.invoice_id))


def method_out(customer: StripeCustomer | None, settings: Settings) -> PaymentMethodOut:
    ready = card_payments_ready(settings)
    if customer is None or customer.card_payment_method_id is None:
        return PaymentMethodOut(card=None, card_payments=ready)
    return PaymentMethodOut(
        card=CardOut(customer.card_brand, customer.card_last4, customer.card_exp_month, customer.card_exp_year),  # type: ignore[arg-type]
        card_payments=ready,
    )


class PaymentMethodController(Controller):
    path = "/api/v1/billing/payment-method"
    tags = ["billing"]

    @get(
        "/",
        guards=[requires_admin],
        summary="The card on file: brand, last four digits and expiry (or null), and whether cards are taken here",
    )
    async def get_payment_method(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope
    ) -> PaymentMethodOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        return method_out(await stripe_customer(db, tenant), request.app.state.settings)

    @post(
        "/setup",
        guards=[requires_admin],
        status_code=201,
        summary="Start saving a card: a Stripe SetupIntent whose client secret the browser confirms with Stripe.js",
        description="The tenant's Stripe customer is made on the first call and kept. The answer also says where "
        "Stripe.js is and the publishable key to start it with. 503 when payments (BO_STRIPE_API_KEY) or the card "
        "form (BO_STRIPE_PUBLISHABLE_KEY) are not configured.",
    )
    async def start_setup(self, request: Request, db: AsyncSession, tenant_scope: TenantScope) -> CardSetupOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        settings = request.app.state.settings
        require_payments(settings)
        require_card_form(settings)
        async with stripe_gateway(settings) as gateway:
            started = await start_card_setup(db, gateway, tenant)
        return CardSetupOut(
            setup_intent_id=started.setup_intent_id,
            client_secret=started.client_secret,
            publishable_key=settings.stripe_publishable_key,
            stripe_js_url=settings.stripe_js_url,
        )

    @post(
        "/",
        guards=[requires_admin],
        status_code=200,
        summary="After Stripe.js confirmed a setup: keep its card (Stripe is asked how the setup stands)",
        description="404 for a setup that is not this tenant's; 409 while it has not succeeded.",
    )
    async def confirm_setup(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: CardConfirmIn
    ) -> PaymentMethodOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        async with stripe_gateway(request.app.state.settings) as gateway:
            await confirm_card(db, gateway, tenant, data.setup_intent_id)
        return method_out(await stripe_customer(db, tenant), request.app.state.settings)


class InvoicePaymentController(Controller):
    path = "/api/v1/invoices"
    tags = ["billing"]

    @post(
        "/{invoice_id:uuid}/pay",
        guards=[requires_admin],
        status_code=201,
        summary="Charge the card on file for what an open invoice still asks (off-session, through Stripe)",
        description="The payment as it stands: succeeded, failed (with Stripe's reason) or processing when "
        "the outcome is not known yet (it arrives by webhook). 409 when the invoice is not open, a payment is in "
        "flight or no card is on file; 503 when payments are not configured.",
    )
    async def pay_invoice(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, invoice_id: UUID
    ) -> InvoicePaymentOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        payment = await pay_with_card(db, request, request.app.state.settings, tenant, invoice_id)
        return payment_out(payment)

    @get("/{invoice_id:uuid}/payments", guards=[requires_admin], summary="An invoice's payments, first attempt first")
    async def list_payments(
        self, db: AsyncSession, tenant_scope: TenantScope, invoice_id: UUID, page: PageRequest
    ) -> OffsetPagination[InvoicePaymentOut]:
        tenant = await tenant_in_scope(db, tenant_scope)
        invoice = await visible_invoice(db, tenant, invoice_id)
        return await list_page(
            db,
            select(InvoicePayment),
            page,
            filters=[InvoicePayment.tenant_id == tenant.id, InvoicePayment.invoice_id == invoice.id],
            order_by=(InvoicePayment.attempt,),
            into=lambda rows: [payment_out(row) for row in rows],
        )

    @post(
        "/{invoice_id:uuid}/payments",
        guards=[requires_provider_admin],
        summary="Record a bank transfer that arrived for an open invoice",
        description="422 when it is more than the invoice still asks (less any card payment in flight).",
    )
    async def record_transfer(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, invoice_id: UUID, data: BankTransferIn
    ) -> InvoicePaymentOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        payment = await record_bank_transfer(
            db, request, tenant, invoice_id, amount=data.amount, reference=data.reference, received_on=data.received_on
        )
        return payment_out(payment)


class StripeEventController(Controller):
    path = "/api/v1/billing/stripe/events"
    tags = ["billing"]
    opt = {"anonymous": True}

    @post(
        "/",
        summary="Stripe's webhook: a signed event, applied once",
        description="No sign-in: the Stripe-Signature header (keyed with BO_STRIPE_WEBHOOK_SECRET, at most 300 s "
        "old) is the credential; a bad or stale one is refused with 400 and nothing is written. Each event id is "
        "applied once (a redelivery answers outcome duplicate).",
        status_code=200,
        request_max_body_size=MAX_EVENT_BYTES,
        security=[],
    )
    async def receive_event(self, request: Request, db: AsyncSession) -> StripeEventOut:
        outcome = await receive(db, request, request.app.state.settings, await request.body())
        return StripeEventOut(outcome=outcome)
