"""A delivery resolves the endpoint's host once, refuses non-public answers, and connects to what it checked."""

from __future__ import annotations

import ipaddress
import socket
from uuid import uuid4

import pytest

from bo_saas.notify.webhook_addresses import UnsafeAddressError, pin
from bo_saas.notify.webhook_tasks import post_delivery
from tests.servers import Receiver

NAME = "hooks.customer-of-ours.test"  # not in any DNS: only the stub below answers for it


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """The resolver's answers for NAME, in order; every lookup of it is counted in ``lookups``."""
    answers: dict[str, list] = {"addresses": ["127.0.0.1"], "lookups": []}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host != NAME:
            return real(host, port, *args, **kwargs)
        answers["lookups"].append(host)
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers["addresses"]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


async def _post(url: str, *, allow_insecure: bool):
    return await post_delivery(
        url, secret="s" * 32, event="ping", delivery_id=uuid4(), body=b"{}", timeout_seconds=5,
        allow_insecure=allow_insecure,
    )  # fmt: skip


@pytest.mark.parametrize(
    "addresses",
    [["127.0.0.1"], ["127.0.0.1", "93.184.216.34"], ["10.1.2.3"], ["169.254.169.254"], ["::1"], ["::ffff:127.0.0.1"]],
)
async def test_a_public_name_that_resolves_to_a_private_address_is_refused(dns, receiver: Receiver, addresses):
    dns["addresses"] = addresses
    port = receiver.url.rsplit(":", 1)[1]

    outcome = await _post(f"http://{NAME}:{port}/hooks", allow_insecure=False)

    assert outcome.status_code is None and not outcome.delivered
    assert "not a public address" in outcome.error and str(ipaddress.ip_address(addresses[0])) in outcome.error
    assert receiver.requests == []


async def test_the_delivery_goes_to_the_address_that_was_checked_with_the_name_as_host(dns, receiver: Receiver):
    port = receiver.url.rsplit(":", 1)[1]

    outcome = await _post(f"http://{NAME}:{port}/hooks?x=1", allow_insecure=True)

    assert outcome.delivered
    [request] = receiver.requests
    assert request.path == "/hooks?x=1"
    assert request.headers["Host"] == f"{NAME}:{port}"
    assert dns["lookups"] == [NAME]  # resolved once: nothing looked it up again to connect


async def test_pinning_a_public_address_keeps_the_name_for_tls(dns):
    dns["addresses"] = ["93.184.216.34", "2606:2800:220:1::1"]

    target = await pin(f"https://{NAME}/in", allow_insecure=False)

    assert (target.url, target.host_header, target.server_name) == ("https://93.184.216.34/in", NAME, NAME)


async def test_an_unknown_host_is_an_error_on_the_attempt_not_an_exception():
    with pytest.raises(UnsafeAddressError, match="could not be resolved"):
        await pin("https://no-such-host.invalid/", allow_insecure=False)
    outcome = await _post("https://no-such-host.invalid/", allow_insecure=False)
    assert outcome.status_code is None and "could not be resolved" in outcome.error
