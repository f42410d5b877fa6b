"""Stripe's end of the wire in the payment tests, and the API steps they share.

``StripePeer`` stands where the browser's Stripe.js and Stripe itself would:
it saves cards into SetupIntents, charges as our gateway does, lists what
localstripe holds, and ``signed`` signs an event as Stripe does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta
from itertools import count
from typing import Any

import httpx
import stripe

from bo_saas.billing.models import InvoiceStatus
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from tests.auth import bearer
from tests.billing.helpers import version_of
from tests.factories import InvoiceFactory, TenantFactory, client_user, save, staff_user

API_KEY = "sk_test_bo_payments"
PUBLISHABLE_KEY = "pk_test_bo_payments"
WEBHOOK_SECRET = "whsec_bo_payments_test"
SETUP = "/api/v1/billing/payment-method/setup"
METHOD = "/api/v1/billing/payment-method"
INVOICES = "/api/v1/invoices"
EVENTS = "/api/v1/billing/stripe/events"
VISA = "4242424242424242"
DECLINES_WHEN_CHARGED = "4000000000000341"
DECLINES = "4000000000000002"

_numbers = count(1)


class StripePeer:
    """What happens at Stripe's end of the wire, driven by the tests."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.client = stripe.StripeClient(API_KEY, base_addresses={"api": base})

    def card(self, number: str) -> str:
        """A card entered in the browser: its PaymentMethod's id."""
        card = {"number": number, "exp_month": 12, "exp_year": 2031, "cvc": "123"}
        return self.client.v1.payment_methods.create({"type": "card", "card": card}).id

    def confirm_setup(self, setup_intent_id: str, number: str) -> None:
        """Stripe.js's confirmCardSetup: a card entered in the browser, attached to the setup."""
        self.client.v1.setup_intents.confirm(setup_intent_id, {"payment_method": self.card(number)})

    def register_webhook(self, url: str) -> None:
        """Have localstripe post its events to ``url``, signed with our webhook secret."""
        answer = httpx.post(f"{self.base}/_config/webhooks/bo", data={"url": url, "secret": WEBHOOK_SECRET})
        answer.raise_for_status()

    def charge(self, customer: str, payment_method: str, amount: int) -> str:
        """A PaymentIntent made and confirmed off-session as our gateway does; its id (a decline raises nothing)."""
        metadata = {"bo_charge": str(next(_numbers))}
        try:
            return self.client.v1.payment_intents.create(
                {"amount": amount, "currency": "usd", "customer": customer, "payment_method": payment_method,
                 "metadata": metadata, "confirm": True, "off_session": True}
            ).id  # fmt: skip
        except stripe.CardError:
            # localstripe's decline does not name the PaymentIntent it made: find it by its metadata.
            return next(i["id"] for i in self.listed("payment_intents") if i["metadata"] == metadata)

    def listed(self, kind: str, **query: Any) -> list[dict[str, Any]]:
        """Everything localstripe holds of one kind (``payment_intents``, ``customers``, ``events``)."""
        answer = httpx.get(f"{self.base}/v1/{kind}", params={"limit": 100, **query}, auth=(API_KEY, ""))
        answer.raise_for_status()
        return answer.json()["data"]

    def setup_intent(self, setup_intent_id: str) -> dict[str, Any]:
        return self.client.v1.setup_intents.retrieve(setup_intent_id).to_dict()

    def clear(self) -> None:
        httpx.delete(f"{self.base}/_config/data").raise_for_status()


def signature(body: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> dict[str, str]:
    """The headers Stripe (and localstripe) send with a body: ``t=<time>,v1=<HMAC-SHA256 of "<t>." + body>``."""
    timestamp = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={timestamp},v1={digest}", "Content-Type": "application/json"}


def signed(event: dict[str, Any], secret: str = WEBHOOK_SECRET, at: int | None = None) -> tuple[bytes, dict]:
    """An event's body and its signed headers."""
    body = json.dumps(event).encode()
    return body, signature(body, secret, at)


async def tenant_admin(app, session):
    """A tenant and its client admin's headers."""
    tenant = TenantFactory()
    await save(session, tenant)
    admin = await client_user(session, tenant, Role.CLIENT_ADMIN)
    return tenant, bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)


async def provider_headers(app, session, tenant) -> dict[str, str]:
    admin = await staff_user(session, Role.PROVIDER_ADMIN)
    return {**bearer(app, admin, Role.PROVIDER_ADMIN), "X-Tenant": str(tenant.id)}


async def open_invoice(session, tenant, total: int = 124900, period: str = "2026-10"):
    """A finalized invoice, open for payment."""
    version = await version_of(session, "growth")
    now = utc_now()
    invoice = InvoiceFactory(
        tenant_id=tenant.id, plan_version_id=version.id, period=period, subtotal=total, status=InvoiceStatus.OPEN,
        number=f"INV-2026-{next(_numbers):06d}", issued_at=now, due_at=now + timedelta(days=14),
    )  # fmt: skip
    await save(session, invoice)
    return invoice


async def save_card(client, headers, peer: StripePeer, number: str):
    """The portal's way: a SetupIntent, confirmed in the browser, then confirmed to us; our answer."""
    setup = await client.post(SETUP, headers=headers)
    assert setup.status_code == 201, setup.text
    peer.confirm_setup(setup.json()["setup_intent_id"], number)
    return await client.post(METHOD, json={"setup_intent_id": setup.json()["setup_intent_id"]}, headers=headers)
