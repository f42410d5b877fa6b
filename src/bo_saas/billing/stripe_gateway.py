"""The few Stripe calls billing makes, through a ``StripeClient`` of its own per use (no global API key).

Stripe collects the money; our rows are the record. What comes back from here
is plain data (ids, statuses, card details), never Stripe's objects, so the
rest of billing neither imports ``stripe`` nor holds its types. Every create
carries an idempotency key made from our own ids: a retry after a timeout,
or after our transaction was lost, gets Stripe's first answer, not a second
customer or a second charge.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe
from litestar.status_codes import HTTP_502_BAD_GATEWAY, HTTP_503_SERVICE_UNAVAILABLE

from bo_saas.lib.errors import DomainError
from bo_saas.lib.settings import Settings

# Otherwise the SDK reports request timings to Stripe and keeps state under the home folder.
stripe.enable_telemetry = False

# The SDK retries a dropped connection itself; the idempotency keys make that safe.
NETWORK_RETRIES = 2
TIMEOUT_SECONDS = 30


class PaymentsNotConfigured(DomainError):
    """503: no Stripe API key (or webhook secret) is configured, so no card is saved or charged."""

    status_code = HTTP_503_SERVICE_UNAVAILABLE


class PaymentGatewayError(DomainError):
    """502: Stripe could not be reached or refused the request for a reason that is not the card's."""

    status_code = HTTP_502_BAD_GATEWAY


@dataclass(frozen=True, slots=True)
class SetupStarted:
    setup_intent_id: str
    client_secret: str


@dataclass(frozen=True, slots=True)
class ConfirmedSetup:
    """A SetupIntent as Stripe reports it: whose it is, how it stands, the card it saved, and when it was made."""

    id: str
    customer_id: str | None
    status: str
    payment_method_id: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Card:
    payment_method_id: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int


@dataclass(frozen=True, slots=True)
class ChargeResult:
    """What Stripe said about a charge: the PaymentIntent (once made), its status, and why it failed if it did."""

    payment_intent_id: str | None
    # A PaymentIntent status; "declined" when Stripe refused to make one, "unknown" when the charge went unanswered.
    status: str
    failure_message: str | None = None


def setup_from(data: dict[str, Any]) -> ConfirmedSetup:
    """A SetupIntent from Stripe's JSON (an API answer or an event's object)."""
    return ConfirmedSetup(
        id=data["id"],
        customer_id=data.get("customer"),
        status=data["status"],
        payment_method_id=data.get("payment_method"),
        created_at=datetime.fromtimestamp(data["created"], UTC),
    )


class StripeGateway:
    def __init__(self, client: stripe.StripeClient) -> None:
        self._client = client

    async def create_customer(self, tenant_id: str, name: str, email: str | None) -> str:
        params: dict[str, Any] = {"name": name, "metadata": {"bo_tenant_id": tenant_id}}
        if email:
            params["email"] = email
        customer = await self._call(
            self._client.v1.customers.create_async(params, {"idempotency_key": f"bo-customer-{tenant_id}"})
        )
        return customer.id

    async def start_setup(self, customer_id: str) -> SetupStarted:
        intent = await self._call(
            self._client.v1.setup_intents.create_async(
                {"customer": customer_id, "usage": "off_session", "payment_method_types": ["card"]}
            )
        )
        return SetupStarted(intent.id, intent.client_secret)

    async def setup(self, setup_intent_id: str) -> ConfirmedSetup | None:
        """The SetupIntent as Stripe has it; None when Stripe knows no such one."""
        intent = await self._found(self._client.v1.setup_intents.retrieve_async(setup_intent_id))
        return None if intent is None else setup_from(intent.to_dict())

    async def card(self, payment_method_id: str) -> Card:
        method = (await self._call(self._client.v1.payment_methods.retrieve_async(payment_method_id))).to_dict()
        card = method["card"]
        return Card(method["id"], card["brand"], card["last4"], int(card["exp_month"]), int(card["exp_year"]))

    async def charge(
        self, *, customer_id: str, payment_method_id: str, amount: int, currency: str, key: str, metadata: dict
    ) -> ChargeResult:
        """Charge a saved card without its holder present: one PaymentIntent, created and confirmed at once.

        ``off_session=True`` tells Stripe (and the card's bank) that nobody is at the checkout, so a
        bank that wants authentication declines with ``authentication_required`` instead of waiting
        for a challenge nobody will answer. Stripe takes ``off_session`` only together with
        ``confirm=True`` on the create; localstripe the same, and it refuses ``off_session`` on a
        separate confirm. Hence one call, not create-then-confirm: the PaymentIntent's id is not
        ours before money can move, so ``metadata`` carries our payment's id and the webhook finds
        the payment by it (``stripe_events``). The idempotency key makes a retried request, after a
        timeout or a crash, Stripe's first answer and never a second charge.
        """
        try:
            intent = await self._client.v1.payment_intents.create_async(
                {
                    "amount": amount,
                    "currency": currency.lower(),
                    "customer": customer_id,
                    "payment_method": payment_method_id,
                    "payment_method_types": ["card"],
                    "metadata": metadata,
                    "confirm": True,
                    "off_session": True,
                },
                {"idempotency_key": key},
            )
        except stripe.CardError as exc:
            # The card (or its bank) said no; Stripe names the PaymentIntent it made, localstripe does not.
            intent = getattr(exc.error, "payment_intent", None)
            intent_id = intent.id if intent else None
            return ChargeResult(intent_id, "requires_payment_method", exc.user_message or str(exc))
        except (stripe.APIConnectionError, stripe.APIError):
            # Unanswered or a server error: whether money moved is not known here; the webhook will tell.
            return ChargeResult(None, "unknown")
        except stripe.StripeError as exc:
            # Refused before any charge (a bad request, a key, a rate limit): no money moved.
            return ChargeResult(None, "declined", f"Stripe refused the payment: {exc.user_message or exc}")
        return _charge_result(intent.to_dict())

    async def payment_intent(self, payment_intent_id: str) -> ChargeResult | None:
        """How a PaymentIntent stands at Stripe; None when Stripe knows no such one; PaymentGatewayError otherwise."""
        intent = await self._found(self._client.v1.payment_intents.retrieve_async(payment_intent_id))
        return None if intent is None else _charge_result(intent.to_dict())

    async def payment_intent_for(self, customer_id: str, payment_id: str, since: datetime) -> ChargeResult | None:
        """The PaymentIntent our charge made for ``payment_id`` (named in its metadata), if Stripe has one.

        Found through the customer's charges made after ``since`` (every confirmed PaymentIntent has one,
        declined or not), each one's PaymentIntent read for its metadata: list filters Stripe and localstripe
        both have (Stripe's search API is neither in localstripe nor read-after-write). None: no charge of
        the customer since then was made for this payment.
        """
        params: dict[str, Any] = {"customer": customer_id, "created": {"gt": int(since.timestamp())}, "limit": 100}
        seen: set[str] = set()
        while True:
            page = await self._call(self._client.v1.charges.list_async(params))
            for charge in page.data:
                intent_id = charge.to_dict().get("payment_intent")
                if not intent_id or intent_id in seen:
                    continue
                seen.add(intent_id)
                intent = (await self._call(self._client.v1.payment_intents.retrieve_async(intent_id))).to_dict()
                if (intent.get("metadata") or {}).get("bo_payment_id") == payment_id:
                    return _charge_result(intent)
            if not page.has_more or not page.data:
                return None
            params["starting_after"] = page.data[-1].id

    async def _call(self, request):
        try:
            return await request
        except stripe.StripeError as exc:
            raise PaymentGatewayError(f"Stripe refused the request: {exc.user_message or exc}") from exc

    async def _found(self, request):
        """A retrieve's object, or None when Stripe knows no such one (404); PaymentGatewayError otherwise."""
        try:
            return await request
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404:
                return None
            raise PaymentGatewayError(f"Stripe refused the request: {exc.user_message or exc}") from exc
        except stripe.StripeError as exc:
            raise PaymentGatewayError(f"Stripe could not be reached: {exc.user_message or exc}") from exc


def _charge_result(intent: dict[str, Any]) -> ChargeResult:
    return ChargeResult(intent["id"], intent["status"], _failure(intent))


def _failure(intent: dict[str, Any]) -> str | None:
    error = intent.get("last_payment_error")
    return error.get("message") if error else None


def require_payments(settings: Settings) -> None:
    if not settings.stripe_api_key:
        raise PaymentsNotConfigured("Payments are not configured: set BO_STRIPE_API_KEY")


@asynccontextmanager
async def stripe_gateway(settings: Settings) -> AsyncIterator[StripeGateway]:
    """A gateway on its own HTTP client, closed afterwards; 503 when no Stripe API key is configured."""
    require_payments(settings)
    http_client = stripe.HTTPXClient(timeout=TIMEOUT_SECONDS)
    base = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
    client = stripe.StripeClient(
        settings.stripe_api_key, base_addresses=base, http_client=http_client, max_network_retries=NETWORK_RETRIES
    )
    try:
        yield StripeGateway(client)
    finally:
        await http_client.close_async()
