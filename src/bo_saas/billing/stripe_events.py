"""Stripe's webhook: a signed event, stored once by id, applied in the one tenant our own records name.

In order, in one transaction: the signature is checked (a bad or stale one is
refused with 400 and nothing is written); the event id is inserted with
``ON CONFLICT DO NOTHING``, so a redelivery, or two deliveries at once, find
it and do no work; the tenant is found from our own rows (the payment that
holds the PaymentIntent's id, or the tenant whose Stripe customer it is; the
payment is then the one with that PaymentIntent, or the one our charge named in
its metadata while the PaymentIntent's id is not on record yet) by
one SECURITY DEFINER lookup that also narrows the transaction to that tenant;
then the event is applied. If the work fails, the event's row goes with the
rollback and Stripe's next delivery does it again. Tenant ids in the event's
body are never read.

Order does not matter: a payment only moves forward (``payments.apply_outcome``)
and a card only gives way to one from a newer setup (``payment_methods.save_card``).
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

import stripe
from litestar import Request
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.models import InvoicePayment, PaymentMethodKind, PaymentStatus, StripeCustomer, StripeEvent
from bo_saas.billing.payment_methods import SetupNotSucceeded, save_card
from bo_saas.billing.payments import apply_outcome
from bo_saas.billing.stripe_gateway import PaymentsNotConfigured, setup_from, stripe_gateway
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import scope_declared
from bo_saas.lib.errors import InvalidInputError
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope

Outcome = Literal["processed", "duplicate", "ignored"]

# The tenant's lookup and the narrowing of this transaction to it, in one statement.
_ENTER_TENANT = text(
    "SELECT tenant_id, set_config('bo.tenant_ids', tenant_id::text, true) AS scope "
    "FROM bo_billing_stripe_tenant(:payment_intent, :customer)"
)
_PAYMENT_OUTCOMES = {
    "payment_intent.succeeded": PaymentStatus.SUCCEEDED,
    "payment_intent.payment_failed": PaymentStatus.FAILED,
    "payment_intent.processing": PaymentStatus.PROCESSING,
}
SETUP_SUCCEEDED = "setup_intent.succeeded"
SYSTEM = (None, "system")


class SignatureRefused(InvalidInputError):
    """400: the Stripe-Signature header is missing, forged or stale, or the body is not an event."""


def verified_event(settings: Settings, payload: bytes, signature: str | None) -> stripe.Event:
    if not settings.stripe_webhook_secret:
        raise PaymentsNotConfigured("Payments are not configured: set BO_STRIPE_WEBHOOK_SECRET")
    if not signature:
        raise SignatureRefused("The Stripe-Signature header is missing")
    try:
        return stripe.Webhook.construct_event(payload, signature, settings.stripe_webhook_secret)
    except stripe.SignatureVerificationError as exc:
        raise SignatureRefused(f"The Stripe-Signature does not match this body, or is too old: {exc}") from None
    except ValueError:
        raise SignatureRefused("The body is not a Stripe event") from None


async def _enter_tenant(session: AsyncSession, *, payment_intent: str | None = None, customer: str | None = None):
    """The tenant our records name for this PaymentIntent or customer, the transaction narrowed to it; or None."""
    row = (await session.execute(_ENTER_TENANT, {"payment_intent": payment_intent, "customer": customer})).first()
    if row is None:
        return None
    scope_declared(session, TenantScope.of(row.tenant_id))
    return row.tenant_id


def _our_payment_id(intent: dict[str, Any]) -> UUID | None:
    """The payment id our charge put in the PaymentIntent's metadata (None for a charge not made by us)."""
    try:
        return UUID((intent.get("metadata") or {}).get("bo_payment_id", ""))
    except ValueError:
        return None


async def _payment_event(session: AsyncSession, request: Request, kind: str, intent: dict[str, Any]) -> Outcome:
    # The customer finds the tenant while the PaymentIntent's id is not on record yet (the event came
    # before the charge's answer was stored, or that process died in between).
    tenant_id = await _enter_tenant(session, payment_intent=intent["id"], customer=intent.get("customer"))
    if tenant_id is None:
        return "ignored"  # not a charge of ours
    payment = await session.scalar(
        select(InvoicePayment).where(
            InvoicePayment.tenant_id == tenant_id, InvoicePayment.stripe_payment_intent_id == intent["id"]
        )
    )
    payment_id = _our_payment_id(intent)
    if payment is None and payment_id is not None:
        # Only a card payment of this tenant whose PaymentIntent is not yet known: the metadata names, never decides.
        payment = await session.scalar(
            select(InvoicePayment).where(
                InvoicePayment.tenant_id == tenant_id,
                InvoicePayment.id == payment_id,
                InvoicePayment.method == PaymentMethodKind.CARD,
                InvoicePayment.stripe_payment_intent_id.is_(None),
            )
        )
    if payment is None:
        return "ignored"  # the customer's, but not a charge of ours (made at Stripe's dashboard)
    error = intent.get("last_payment_error")
    await apply_outcome(
        session, request, payment, _PAYMENT_OUTCOMES[kind], error.get("message") if error else None,
        actor=SYSTEM, payment_intent_id=intent["id"],
    )  # fmt: skip
    return "processed"


async def _setup_event(session: AsyncSession, settings: Settings, setup: dict[str, Any]) -> Outcome:
    confirmed = setup_from(setup)
    if confirmed.customer_id is None:
        return "ignored"
    tenant_id = await _enter_tenant(session, customer=confirmed.customer_id)
    if tenant_id is None:
        return "ignored"
    customer = await session.scalar(
        select(StripeCustomer).where(StripeCustomer.tenant_id == tenant_id).with_for_update()
    )
    assert customer is not None
    async with stripe_gateway(settings) as gateway:  # the card's brand and digits are not in the event
        try:
            await save_card(session, gateway, customer, confirmed)
        except SetupNotSucceeded:
            return "ignored"
    return "processed"


async def receive(session: AsyncSession, request: Request, settings: Settings, payload: bytes) -> Outcome:
    event = verified_event(settings, payload, request.headers.get("stripe-signature"))
    stored = await session.scalar(
        insert(StripeEvent)
        .values(id=event.id, type=event.type, received_at=utc_now())
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(StripeEvent.id)
    )
    if stored is None:
        return "duplicate"
    data = event.data.object.to_dict()
    if event.type in _PAYMENT_OUTCOMES:
        outcome = await _payment_event(session, request, event.type, data)
    elif event.type == SETUP_SUCCEEDED:
        outcome = await _setup_event(session, settings, data)
    else:
        outcome = "ignored"
    await session.execute(update(StripeEvent).where(StripeEvent.id == event.id).values(processed_at=utc_now()))
    return outcome
