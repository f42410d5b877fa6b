"""Sending webhook deliveries: the ``deliver_webhook`` job, one HTTP attempt per run.

What a receiver gets (the README repeats this for customers):

- ``POST`` to the endpoint's URL with the JSON body
  ``{"id", "event", "created_at", "tenant_id", "data"}``. ``id`` is the
  delivery's id and stays the same on every retry, so a receiver can drop
  repeats; the body is the same bytes on every attempt.
- headers ``Content-Type: application/json``, ``User-Agent: bo-saas-webhooks/1``,
  ``X-BO-Event`` (the event), ``X-BO-Delivery`` (the delivery id) and
  ``X-BO-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>``
  where ``secret`` is the endpoint's secret as UTF-8 bytes. As with Stripe's
  signatures, the receiver recomputes the HMAC over the raw body it received
  (before any JSON parsing), compares it in constant time, and refuses a ``t``
  too far from its own clock, which stops replays.
- any 2xx answer is delivered. Anything else (redirects are not followed), or
  no full answer within ``BO_WEBHOOK_TIMEOUT_SECONDS``, is retried with
  exponential backoff until ``BO_WEBHOOK_MAX_ATTEMPTS`` attempts were made;
  the delivery is then ``failed`` and a tenant admin may retry it by hand.

Why not ``lib.outbox.idempotent``: every attempt, failed ones included, must
be kept, so each run commits its attempt before asking dramatiq for a retry;
and the delivery row itself records the outcome. The run locks that row while
it sends, so repeats of a message wait and then find it delivered: a delivered
delivery is never sent again by its messages.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import dramatiq
import httpx
import structlog
from dramatiq.asyncio import async_to_sync
from dramatiq.common import compute_backoff
from dramatiq.middleware import CurrentMessage
from sqlalchemy import and_, select

from bo_saas.lib.broker import JobDatabase
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import scoped_session
from bo_saas.lib.settings import get_settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from bo_saas.notify.webhook_addresses import UnsafeAddressError, pin

log = structlog.get_logger(__name__)

# Its own queue: slow customer endpoints must not hold up email.
QUEUE = "webhooks"
USER_AGENT = "bo-saas-webhooks/1"
# What is kept of a receiver's answer; the rest is not even read.
RESPONSE_BODY_LIMIT = 2048
# The defaults of BO_WEBHOOK_MAX_ATTEMPTS and BO_WEBHOOK_MIN_BACKOFF_MS; a queued message carries the configured ones.
DEFAULT_MAX_RETRIES = 7
DEFAULT_MIN_BACKOFF_MS = 10_000
MAX_BACKOFF_MS = 60 * 60_000


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-BO-Signature`` value: ``t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def request_body(payload: dict[str, Any]) -> bytes:
    """The bytes sent: jsonb does not keep key order, so serialise canonically on every attempt."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True, slots=True)
class AttemptOutcome:
    status_code: int | None
    response_body: str | None
    error: str | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


async def post_delivery(
    url: str,
    *,
    secret: str,
    event: str,
    delivery_id: UUID,
    body: bytes,
    timeout_seconds: float,
    allow_insecure: bool = False,
) -> AttemptOutcome:
    """One signed POST to the address the host resolved to and passed the check; never raises for what
    the receiver, DNS or the network did (see ``webhook_addresses``)."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-BO-Event": event,
        "X-BO-Delivery": str(delivery_id),
        "X-BO-Signature": signature_header(secret, int(time.time()), body),
    }
    started = time.monotonic()
    status_code: int | None = None
    received = bytearray()
    error: str | None = None
    try:
        # httpx's timeout bounds each network step; this bounds the whole exchange.
        async with asyncio.timeout(timeout_seconds):
            target = await pin(url, allow_insecure=allow_insecure)
            async with httpx.AsyncClient(timeout=timeout_seconds, follow_redirects=False) as client:
                async with client.stream(
                    "POST",
                    target.url,
                    content=body,
                    headers={**headers, "Host": target.host_header},
                    # TLS names the endpoint's host (SNI) and checks its certificate against it, not the IP.
                    extensions={"sni_hostname": target.server_name},
                ) as response:
                    status_code = response.status_code
                    async for chunk in response.aiter_bytes():
                        received += chunk
                        if len(received) >= RESPONSE_BODY_LIMIT:
                            break
    except UnsafeAddressError as exc:
        error = str(exc)
    except TimeoutError:
        error = f"no answer within {timeout_seconds:g} s"
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    duration_ms = round((time.monotonic() - started) * 1000)
    response_body = bytes(received[:RESPONSE_BODY_LIMIT]).decode("utf-8", errors="replace") if received else None
    return AttemptOutcome(status_code, response_body, error, duration_ms)


@dramatiq.actor(
    queue_name=QUEUE,
    max_retries=DEFAULT_MAX_RETRIES,
    min_backoff=DEFAULT_MIN_BACKOFF_MS,
    max_backoff=MAX_BACKOFF_MS,
    # Above the longest allowed BO_WEBHOOK_TIMEOUT_SECONDS (60) plus the database work.
    time_limit=2 * 60_000,
)
def deliver_webhook(*, tenant_id: str, delivery_id: str) -> None:
    """Make one attempt at a delivery; ask dramatiq to retry a failed one until its attempts run out."""
    # CurrentMessage is per worker thread: read it here, before the body moves to the event loop's thread.
    message = CurrentMessage.get_current_message()
    if message is None:
        raise RuntimeError("deliver_webhook runs only inside a dramatiq worker")
    retries = message.options.get("retries", 0)
    max_retries = message.options.get("max_retries", DEFAULT_MAX_RETRIES)
    retry_in_ms: int | None = None
    if retries < max_retries:
        # Computed here rather than by the Retries middleware, so the delivery can say when it is next tried.
        min_backoff = message.options.get("min_backoff", DEFAULT_MIN_BACKOFF_MS)
        max_backoff = message.options.get("max_backoff", MAX_BACKOFF_MS)
        _, retry_in_ms = compute_backoff(retries, factor=min_backoff, max_backoff=max_backoff)
    settled = async_to_sync(attempt_delivery)(UUID(tenant_id), UUID(delivery_id), retry_in_ms=retry_in_ms)
    if not settled and retry_in_ms is not None:
        # Retry is dramatiq's "try again later" that is not logged as an error: the receiver failed, not we.
        raise dramatiq.Retry(f"webhook delivery {delivery_id} failed", delay=retry_in_ms)


async def attempt_delivery(tenant_id: UUID, delivery_id: UUID, *, retry_in_ms: int | None) -> bool:
    """Send a pending delivery once and commit the attempt; return whether it is settled (no retry needed).

    ``retry_in_ms`` is when the next attempt would run; ``None`` makes this the last one,
    and a failure marks the delivery failed. Deliveries already delivered or failed, gone
    with their endpoint, or of an endpoint since deactivated are not sent.
    """
    settings = get_settings()
    async with scoped_session(JobDatabase.sessionmaker(), TenantScope.of(tenant_id)) as session:
        row = (
            await session.execute(
                select(WebhookDelivery, WebhookEndpoint)
                .join(
                    WebhookEndpoint,
                    and_(
                        WebhookEndpoint.tenant_id == WebhookDelivery.tenant_id,
                        WebhookEndpoint.id == WebhookDelivery.endpoint_id,
                    ),
                )
                .where(WebhookDelivery.tenant_id == tenant_id, WebhookDelivery.id == delivery_id)
                .with_for_update(of=WebhookDelivery)
            )
        ).first()
        if row is None:
            log.info("webhook.delivery_gone", delivery_id=str(delivery_id))
            return True
        delivery, endpoint = row
        if delivery.status != DeliveryStatus.PENDING:
            log.info("webhook.delivery_settled", delivery_id=str(delivery_id), status=delivery.status)
            return True
        if not endpoint.active:
            # A deactivated endpoint receives nothing; a manual retry after reactivating sends it.
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            log.info("webhook.endpoint_inactive", delivery_id=str(delivery_id), endpoint_id=str(endpoint.id))
            return True

        outcome = await post_delivery(
            endpoint.url,
            secret=endpoint.secret,
            event=delivery.event,
            delivery_id=delivery.id,
            body=request_body(delivery.payload),
            timeout_seconds=settings.webhook_timeout_seconds,
            allow_insecure=settings.webhook_allow_insecure,
        )
        now = utc_now()
        session.add(
            WebhookAttempt(
                tenant_id=tenant_id,
                delivery_id=delivery.id,
                attempted_at=now,
                status_code=outcome.status_code,
                response_body=outcome.response_body,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
            )
        )
        delivery.attempts += 1
        delivery.last_status_code = outcome.status_code
        if outcome.delivered:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        elif retry_in_ms is None:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + timedelta(milliseconds=retry_in_ms)
        log.info(
            "webhook.attempted",
            delivery_id=str(delivery_id),
            webhook_event=delivery.event,
            status_code=outcome.status_code,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
            outcome=delivery.status,
        )
        return delivery.status != DeliveryStatus.PENDING
