"""The inbound endpoint's signature: ``X-BO-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>``.

The same scheme as outbound webhooks (and Stripe's), keyed with the channel's
secret: a hosted mail service that forwards inbound mail signs the raw message
it posts. A stale ``t`` (more than five minutes either way) is refused, so a
captured request cannot be replayed later; a replay within the window is a
redelivery, which the desk stores once anyway (by Message-ID).
"""

from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE_SECONDS = 300


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The header value a sender puts on ``body`` (used by tests, the README's example and senders in Python)."""
    moment = int(time.time()) if timestamp is None else timestamp
    return f"t={moment},v1={_digest(secret, moment, body)}"


def verify(secret: str, header: str | None, body: bytes, now: float | None = None) -> str | None:
    """None when the header signs ``body`` with ``secret`` recently enough; otherwise why not (said to the sender)."""
    if not header:
        return "Sign the message: the X-BO-Signature header is missing"
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        key, equals, value = part.strip().partition("=")
        if equals:
            fields.setdefault(key, []).append(value)
    try:
        moment = int(fields["t"][0])
    except (KeyError, ValueError):
        return "X-BO-Signature must look like t=<unix time>,v1=<hex HMAC-SHA256>"
    if abs((time.time() if now is None else now) - moment) > TOLERANCE_SECONDS:
        return f"The signature's time is more than {TOLERANCE_SECONDS} seconds away from now"
    expected = _digest(secret, moment, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in fields.get("v1", [])):
        return "The signature does not match the message and the channel's secret"
    return None


def _digest(secret: str, moment: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{moment}.".encode() + body, hashlib.sha256).hexdigest()
