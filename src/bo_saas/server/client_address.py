"""The client's address (and scheme): the TCP peer, or what a trusted proxy says in ``X-Forwarded-For``/``-Proto``.

Everything that needs the address (the anonymous rate limit, the audit trail,
password-reset limits) reads ``request.client``; this middleware is the one
place that decides it. Anyone can send ``X-Forwarded-For``, so it is believed
only from the proxies named in ``BO_TRUSTED_PROXIES``; ``bo-saas serve`` turns
uvicorn's own proxy-header handling off so that it cannot decide first.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


class ClientAddressMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP, ScopeType.WEBSOCKET)

    def __init__(self, trusted_proxies: Iterable[str]) -> None:
        self.trusted: tuple[Network, ...] = tuple(ipaddress.ip_network(p, strict=False) for p in trusted_proxies)

    def _is_trusted(self, text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in network for network in self.trusted)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        peer = scope.get("client")
        if self.trusted and peer and self._is_trusted(peer[0]):
            forwarded = ",".join(
                value.decode("latin-1") for name, value in scope["headers"] if name == b"x-forwarded-for"
            )
            client = self._client_from(forwarded)
            if client is not None:
                scope["client"] = (client, 0)
            # The proxy ended TLS: the request still came over HTTPS (HSTS is sent only then).
            proto = next((value for name, value in scope["headers"] if name == b"x-forwarded-proto"), b"")
            if proto.strip().lower() in (b"https", b"http"):
                scope["scheme"] = proto.strip().lower().decode()
        await next_app(scope, receive, send)

    def _client_from(self, forwarded: str) -> str | None:
        """The right-most hop that is not one of our proxies: hops left of it were written by the client."""
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self._is_trusted(hop):
                address = _address(hop)
                return str(address) if address is not None else None
        return None
