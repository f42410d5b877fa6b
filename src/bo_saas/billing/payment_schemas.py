"""Request and response bodies of the payment routes; amounts are integer minor units of the invoice's currency."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from bo_saas.lib import limits


class CardOut(msgspec.Struct):
    brand: str
    last4: str
    exp_month: int
    exp_year: int


class PaymentMethodOut(msgspec.Struct):
    card: CardOut | None  # null until a card setup has succeeded
    # Whether a card can be saved and charged here (BO_STRIPE_API_KEY and BO_STRIPE_PUBLISHABLE_KEY are set);
    # false: the portal offers no card form, and invoices are paid by bank transfer.
    card_payments: bool


class CardSetupOut(msgspec.Struct):
    setup_intent_id: str
    client_secret: str  # for Stripe.js's confirmCardSetup in the browser
    publishable_key: str  # what the browser starts Stripe.js with: Stripe(publishable_key)
    stripe_js_url: str  # where the browser loads Stripe.js from (BO_STRIPE_JS_URL)


class CardConfirmIn(msgspec.Struct, forbid_unknown_fields=True):
    setup_intent_id: limits.text(255, min_length=1)


class InvoicePaymentOut(msgspec.Struct):
    id: str
    invoice_id: str
    attempt: int
    method: Literal["card", "bank_transfer"]
    amount: int
    currency: str
    status: Literal["processing", "failed", "succeeded"]
    failure_message: str | None
    reference: str | None
    received_on: date | None
    created_at: datetime
    updated_at: datetime


class BankTransferIn(msgspec.Struct, forbid_unknown_fields=True):
    amount: Annotated[int, msgspec.Meta(gt=0, le=10**12, description="minor units")]
    reference: limits.text(200, min_length=1)
    received_on: date


class StripeEventOut(msgspec.Struct):
    outcome: Literal["processed", "duplicate", "ignored"]
