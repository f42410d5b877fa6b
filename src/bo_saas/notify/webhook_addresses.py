"""Where a webhook delivery connects: the endpoint's host resolved once, checked, and pinned.

Checking the URL when it is registered catches ``https://127.0.0.1/`` but not a public-looking name
whose DNS answer is ``127.0.0.1`` (or changes to it after the check: DNS rebinding). So each attempt
resolves the host once, refuses the delivery if ANY answer is private, loopback, link-local,
reserved or otherwise not on the internet, and then connects to the address it checked: the request
goes to that IP, with the name in ``Host`` and in TLS (SNI and certificate check), so no second
lookup can send it elsewhere. ``BO_WEBHOOK_ALLOW_INSECURE`` (tests, development) lifts the check
but still pins the address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeAddressError(Exception):
    """The host has no address a delivery may go to; the message says why (it is kept on the attempt)."""


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
    )


@dataclass(frozen=True)
class PinnedTarget:
    """The request to make: ``url`` names the checked IP; ``host_header`` and ``server_name`` the endpoint's host."""

    url: str
    host_header: str
    server_name: str
    address: Address


async def _resolve(host: str, port: int) -> list[Address]:
    loop = asyncio.get_running_loop()
    answers = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    # An IPv6 answer may carry a scope ("fe80::1%eth0"): the scope is not part of the address.
    return list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in answers))


async def pin(url: str, *, allow_insecure: bool) -> PinnedTarget:
    """Resolve the URL's host once and return where to connect, or raise ``UnsafeAddressError``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeAddressError("the URL has no host")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = await _resolve(host, port)
    except (OSError, UnicodeError) as exc:  # socket.gaierror is an OSError
        raise UnsafeAddressError(f"the host {host} could not be resolved: {exc}") from None
    if not addresses:
        raise UnsafeAddressError(f"the host {host} has no address")
    if not allow_insecure:
        refused = [str(address) for address in addresses if not is_public(address)]
        if refused:
            raise UnsafeAddressError(
                f"the host {host} resolves to {', '.join(refused)}, not a public address "
                "(private, loopback, link-local or reserved)"
            )
    address = addresses[0]
    literal = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    named = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else (parts.hostname or host)
    host_header = f"{named}:{parts.port}" if parts.port else named
    return PinnedTarget(
        url=urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")),
        host_header=host_header,
        server_name=host,
        address=address,
    )
