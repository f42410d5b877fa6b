"""Payments against a real Stripe peer: localstripe, started once per test session on a free port.

``stripe_client`` is the app configured to call it (key, API base, webhook
secret); ``stripe_peer`` stands where the browser's Stripe.js and Stripe's
dashboard would (saving a card, listing what was charged, signing events) and
empties localstripe after each test.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.billing.stripe_peer import API_KEY, PUBLISHABLE_KEY, WEBHOOK_SECRET, StripePeer
from tests.servers import free_port


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(f"{base}/v1/customers", auth=(API_KEY, ""), timeout=1).raise_for_status()
            return
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"localstripe did not start at {base}") from None
            time.sleep(0.1)


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """localstripe's base URL; its access log (every request it answered) is kept in the session's temp folder."""
    port = free_port()
    log = (tmp_path_factory.mktemp("localstripe") / "localstripe.log").open("wb")
    process = subprocess.Popen(
        # --from-scratch: otherwise it loads what any earlier localstripe left in /tmp/localstripe.pickle.
        [sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def stripe_peer(localstripe: str) -> Iterator[StripePeer]:
    peer = StripePeer(localstripe)
    yield peer
    peer.clear()


@pytest.fixture(scope="session")
async def stripe_app(settings, admin_engine, localstripe):
    """The app with payments configured, calling localstripe."""
    from bo_saas.server.app import create_app

    return create_app(
        settings.model_copy(
            update={
                "stripe_api_key": API_KEY,
                "stripe_api_base": localstripe,
                "stripe_webhook_secret": WEBHOOK_SECRET,
                "stripe_publishable_key": PUBLISHABLE_KEY,
                "stripe_js_url": f"{localstripe}/js.stripe.com/v3/",
            }
        )
    )


@pytest.fixture(scope="session")
async def stripe_client(stripe_app):
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=stripe_app) as test_client:
        yield test_client
