"""Outgoing tenant webhooks: which events exist, which URLs may receive them, and queueing deliveries.

A tenant's systems learn about its work as it happens, without polling. Each
event becomes one delivery per subscribed endpoint, written in the
transaction of the change that caused it (rows plus outbox messages), so an
event is announced only if that change commits. ``notify.webhook_tasks``
sends deliveries and documents what a receiver gets and how it verifies it.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.outbox import enqueue
from bo_saas.lib.settings import Settings, get_settings
from bo_saas.notify.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from bo_saas.notify.webhook_tasks import deliver_webhook

# The events an endpoint may subscribe to; an empty subscription means all of them.
WEBHOOK_EVENTS = (
    "work_item.created",
    "work_item.state_changed",
    "work_item.commented",
    "work_item.sla_warning",
    "work_item.sla_breached",
    "data_entry.batch_completed",  # the data entry desk (dataentry/chunks.py), when a batch's last chunk closes
)
# Sent only on request, to test an endpoint; nobody subscribes to it.
PING_EVENT = "ping"
SECRET_PREFIX = "whsec_"


class WebhookUrlError(ValueError):
    """A URL that may not receive webhooks; the message says why, for the person who typed it."""


def unknown_events(events: list[str]) -> list[str]:
    return [event for event in events if event not in WEBHOOK_EVENTS]


def new_endpoint_secret() -> str:
    """32 random bytes, URL-safe; the prefix lets people (and secret scanners) recognise it."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def check_endpoint_url(url: str, *, allow_insecure: bool) -> str:
    """The URL as it will be stored, or ``WebhookUrlError``.

    Endpoints must be ``https://`` on a public host: a tenant must not make our
    workers call the provider's own network (loopback, private ranges, cloud
    metadata on link-local). Hosts are checked as written; a DNS name that
    resolves to a private address is not caught here. ``allow_insecure`` (tests,
    development) lifts both rules.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as exc:
        raise WebhookUrlError(f"not a valid URL: {exc}") from None
    allowed_schemes = ("https", "http") if allow_insecure else ("https",)
    if parts.scheme not in allowed_schemes:
        raise WebhookUrlError(f"the URL must start with {' or '.join(f'{s}://' for s in allowed_schemes)}")
    if not host:
        raise WebhookUrlError("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise WebhookUrlError("the URL must not contain a user name or password; the signature authenticates us")
    if not allow_insecure:
        _check_public_host(host)
    return url


def _check_public_host(host: str) -> None:
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        raise WebhookUrlError("the URL's host must be reachable on the internet, not localhost")
    address = _ip_literal(host)
    if address is None:
        return
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
    ):
        raise WebhookUrlError(
            f"the URL's host {host} is not a public address (private, loopback, link-local or reserved)"
        )


def _ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    # The resolver also takes legacy IPv4 spellings ("127.1", "2130706433", "0x7f.1"); so does inet_aton.
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def retry_options(settings: Settings) -> dict[str, Any]:
    """Per-message options for dramatiq's Retries middleware, from the settings at queueing time."""
    return {"max_retries": settings.webhook_max_attempts - 1, "min_backoff": settings.webhook_min_backoff_ms}


def _payload(delivery_id: UUID, event: str, created_at: datetime, tenant_id: UUID, data: Any) -> dict[str, Any]:
    return {
        "id": str(delivery_id),
        "event": event,
        "created_at": created_at.isoformat(),
        "tenant_id": str(tenant_id),
        # UUIDs, datetimes and the like take their JSON spelling once, here.
        "data": msgspec.to_builtins(data),
    }


async def create_delivery(
    session: AsyncSession, settings: Settings, *, tenant_id: UUID, endpoint_id: UUID, event: str, data: Any
) -> WebhookDelivery:
    """Write one pending delivery and queue its attempts, in the session's transaction."""
    delivery_id = uuid4()
    now = utc_now()
    delivery = WebhookDelivery(
        id=delivery_id,
        tenant_id=tenant_id,
        endpoint_id=endpoint_id,
        event=event,
        payload=_payload(delivery_id, event, now, tenant_id, data),
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    await queue_attempts(session, settings, delivery)
    return delivery


async def queue_attempts(session: AsyncSession, settings: Settings, delivery: WebhookDelivery) -> None:
    """Queue the message that tries (and retries) ``delivery``; it is sent after the transaction commits."""
    await enqueue(
        session,
        deliver_webhook,
        options=retry_options(settings),
        tenant_id=str(delivery.tenant_id),
        delivery_id=str(delivery.id),
    )


async def publish_event(session: AsyncSession, tenant_id: UUID, event: str, data: dict[str, Any]) -> int:
    """Queue one delivery per active endpoint of the tenant subscribed to ``event``; return how many.

    Runs in the caller's transaction (rows and outbox messages), so nothing is
    sent unless it commits. The session's scope must include ``tenant_id``.
    ``data`` must be encodable by msgspec (UUIDs and datetimes are fine).
    """
    if event not in WEBHOOK_EVENTS:
        raise ValueError(f"unknown webhook event {event!r}; known: {', '.join(WEBHOOK_EVENTS)}")
    endpoint_ids = [
        endpoint_id
        for endpoint_id, events in await _active_endpoints(session, tenant_id)
        if events is not None and (not events or event in events)
    ]
    settings = get_settings()
    for endpoint_id in endpoint_ids:
        await create_delivery(session, settings, tenant_id=tenant_id, endpoint_id=endpoint_id, event=event, data=data)
    return len(endpoint_ids)


_ENDPOINTS_KEY = "bo.webhook_endpoints"


async def _active_endpoints(session: AsyncSession, tenant_id: UUID) -> list[tuple[UUID, list[str] | None]]:
    """The tenant's active endpoints and their subscriptions, read once per transaction.

    One change often publishes several events (an item created and queued, each
    its own lookup before). An endpoint added or changed while the transaction
    runs counts from the next one, as if it had come a moment later.
    """
    transaction = session.sync_session.get_transaction()
    cached = session.info.get(_ENDPOINTS_KEY)
    if cached is None or cached[0] is not transaction:
        cached = session.info[_ENDPOINTS_KEY] = (transaction, {})
    endpoints: dict[UUID, list[tuple[UUID, list[str] | None]]] = cached[1]
    if tenant_id not in endpoints:
        rows = await session.execute(
            select(WebhookEndpoint.id, WebhookEndpoint.events).where(
                WebhookEndpoint.tenant_id == tenant_id, WebhookEndpoint.active
            )
        )
        endpoints[tenant_id] = [(row.id, row.events) for row in rows]
    return endpoints[tenant_id]
