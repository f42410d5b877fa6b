"""Card payments left processing are looked up at Stripe, and Stripe's word is taken; never a guess.

``pay_with_card`` commits a ``processing`` payment before it asks Stripe. If the
process dies, or the network fails, before Stripe's answer is stored, and no
webhook tells (the charge never reached Stripe, or its event was lost), nothing
else resolves the payment, and the invoice refuses every further charge while
it is in flight. So each pass of billing's dunning loop (one process of the
fleet: ``sole_owner``) takes the card payments processing for longer than
``BO_BILLING_PAYMENT_STALE_MINUTES`` and asks Stripe for their PaymentIntent:
by its id when we stored it, otherwise among the customer's charges since the
payment was made, by the payment id our charge put in its metadata
(``StripeGateway.payment_intent_for``).

- Stripe says succeeded, or failed (declined, canceled): the payment takes it
  (``apply_outcome``: credited once, only forward; a webhook that came first wins).
- Stripe still processes it: it stays processing.
- Stripe has no PaymentIntent for it at all: it failed, "never reached Stripe";
  the next attempt has a new attempt number, so a new idempotency key, and may charge.
- Stripe cannot be asked (an error, an outage), or does not know an id it gave
  us: it stays processing for the next pass.

Each resolution is audited (``invoice.payment_reconciled``, with what Stripe said)
beside the payment's own event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.audit.record import record_event
from bo_saas.billing.across_tenants import rows_of_every_tenant
from bo_saas.billing.models import InvoicePayment, PaymentMethodKind, PaymentStatus, StripeCustomer
from bo_saas.billing.payments import apply_outcome, stripe_status
from bo_saas.billing.stripe_gateway import ChargeResult, PaymentGatewayError, StripeGateway, stripe_gateway
from bo_saas.lib.db import set_scope
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant

log = structlog.get_logger(__name__)

NEVER_REACHED_STRIPE = "The charge never reached Stripe; nothing was charged"
SYSTEM = (None, "system")
# Stripe's clock and ours may differ a little: charges a little older than the payment are looked at too.
CLOCK_MARGIN = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Resolution:
    payment_id: str
    status: str  # succeeded | failed
    stripe_status: str  # the PaymentIntent's status, or "missing"


async def _stripe_says(
    gateway: StripeGateway, payment: InvoicePayment, customer: StripeCustomer | None
) -> ChargeResult | None:
    """The payment's PaymentIntent as Stripe has it; None when Stripe has none; PaymentGatewayError when unsure."""
    if payment.stripe_payment_intent_id is not None:
        found = await gateway.payment_intent(payment.stripe_payment_intent_id)
        if found is None:  # an id Stripe gave us and no longer knows: not ours to decide
            raise PaymentGatewayError(f"Stripe knows no PaymentIntent {payment.stripe_payment_intent_id}")
        return found
    if customer is None:
        return None  # no customer at Stripe: no charge of this tenant can have reached it
    return await gateway.payment_intent_for(
        customer.stripe_customer_id, str(payment.id), payment.created_at - CLOCK_MARGIN
    )


async def _customer(sessionmaker: async_sessionmaker[AsyncSession], tenant: Tenant) -> StripeCustomer | None:
    async with sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant.id))
        async with session.begin():
            return await session.scalar(select(StripeCustomer).where(StripeCustomer.tenant_id == tenant.id))


async def _resolve(
    sessionmaker: async_sessionmaker[AsyncSession], tenant: Tenant, payment: InvoicePayment, found: ChargeResult | None
) -> Resolution | None:
    status = PaymentStatus.FAILED if found is None else stripe_status(found.status)
    if status is PaymentStatus.PROCESSING:
        return None  # Stripe has not decided either
    message = NEVER_REACHED_STRIPE if found is None else found.failure_message
    said = "missing" if found is None else found.status
    async with sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant.id))
        async with session.begin():
            moved = await apply_outcome(
                session, None, payment, status, message, actor=SYSTEM,
                payment_intent_id=None if found is None else found.payment_intent_id,
            )  # fmt: skip
            if not moved:
                return None  # a webhook (or another pass) settled it meanwhile
            record_event(
                session, None, tenant_id=tenant.id, action="invoice.payment_reconciled", subject_type="invoice",
                subject_id=str(payment.invoice_id), actor=SYSTEM,
                changes={"payment": str(payment.id), "attempt": payment.attempt, "status": status.value,
                         "stripe_status": said, "payment_intent": None if found is None else found.payment_intent_id,
                         "reason": message if status is PaymentStatus.FAILED else None},
            )  # fmt: skip
    return Resolution(str(payment.id), status.value, said)


async def reconcile_payments(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, now: datetime
) -> list[Resolution]:
    """One look at every tenant's card payments processing since before the stale age; what was resolved."""
    if not settings.stripe_api_key:
        return []  # no Stripe configured: no card payment was ever made here
    stale = now - timedelta(minutes=settings.billing_payment_stale_minutes)
    conditions = (
        InvoicePayment.status == PaymentStatus.PROCESSING,
        InvoicePayment.method == PaymentMethodKind.CARD,
        InvoicePayment.created_at <= stale,
    )
    waiting = await rows_of_every_tenant(sessionmaker, InvoicePayment, conditions, (InvoicePayment.created_at,))
    resolved = []
    async with stripe_gateway(settings) as gateway:
        for tenant, payment in waiting:
            try:
                found = await _stripe_says(gateway, payment, await _customer(sessionmaker, tenant))
            except PaymentGatewayError as exc:
                log.warning("billing.reconcile.unsure", tenant=tenant.slug, payment=str(payment.id), error=exc.message)
                continue
            resolution = await _resolve(sessionmaker, tenant, payment, found)
            if resolution is not None:
                log.info("billing.reconcile.resolved", tenant=tenant.slug, payment=resolution.payment_id,
                         status=resolution.status, stripe_status=resolution.stripe_status)  # fmt: skip
                resolved.append(resolution)
    return resolved
