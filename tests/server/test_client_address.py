"""X-Forwarded-For is believed only from a configured trusted proxy: anyone else cannot pick their address."""

from __future__ import annotations

import asyncio

import httpx
import uvicorn
from click.testing import CliRunner
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from bo_saas.audit.models import ProviderAuditEvent
from bo_saas.server import cli
from bo_saas.server.app import create_app
from tests.servers import free_port


def behind_peer(app: Litestar, peer: str):
    """The app as reached over TCP from ``peer`` (the test transport's peer is the name "testclient")."""

    async def asgi(scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            scope = {**scope, "client": (peer, 40000)}
        await app(scope, receive, send)

    return asgi


async def _failed_sign_in(client, forwarded_for: str):
    return await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": "nobody@example.test", "password": "wrong-password"},
        headers={"X-Forwarded-For": forwarded_for},
    )


async def _audited_ips(admin_session) -> list[str | None]:
    rows = await admin_session.execute(
        select(ProviderAuditEvent.ip)
        .where(ProviderAuditEvent.action == "auth.sign_in_failed")
        .order_by(ProviderAuditEvent.occurred_at)
    )
    return list(rows.scalars())


async def test_without_trusted_proxies_a_forwarded_header_neither_escapes_the_limit_nor_enters_the_audit_trail(
    settings, admin_session
):
    app = create_app(settings.model_copy(update={"rate_limit_per_minute": 2}))
    async with AsyncTestClient(app=behind_peer(app, "203.0.113.7")) as client:
        statuses = [(await _failed_sign_in(client, f"198.51.100.{n}")).status_code for n in range(3)]

    assert statuses == [400, 400, 429]
    assert await _audited_ips(admin_session) == ["203.0.113.7", "203.0.113.7"]


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit_and_audited_address(
    settings, admin_session
):
    app = create_app(settings.model_copy(update={"rate_limit_per_minute": 1, "trusted_proxies": ("10.0.0.0/8",)}))
    async with AsyncTestClient(app=behind_peer(app, "10.1.2.3")) as client:
        first = await _failed_sign_in(client, "198.51.100.1")
        # A client-written hop on the left is ignored; the hop our proxy (10.0.0.9) added is the client.
        second = await _failed_sign_in(client, "198.51.100.1, 198.51.100.2, 10.0.0.9")
        again = await _failed_sign_in(client, "198.51.100.1")

    assert (first.status_code, second.status_code, again.status_code) == (400, 400, 429)
    assert await _audited_ips(admin_session) == ["198.51.100.1", "198.51.100.2"]


async def test_an_untrusted_peer_cannot_use_the_header_even_when_proxies_are_configured(settings, admin_session):
    app = create_app(settings.model_copy(update={"trusted_proxies": ("10.0.0.0/8",)}))
    async with AsyncTestClient(app=behind_peer(app, "192.0.2.50")) as client:
        await _failed_sign_in(client, "10.0.0.1")

    assert await _audited_ips(admin_session) == ["192.0.2.50"]


async def test_bo_saas_serve_does_not_let_uvicorn_believe_forwarded_headers_first(settings, admin_session, monkeypatch):
    """uvicorn by default rewrites the client from X-Forwarded-For when the peer is 127.0.0.1."""
    served: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(options))
    monkeypatch.setenv("BO_PORT", str(free_port()))
    assert CliRunner().invoke(cli.main, ["serve"]).exit_code == 0

    options = {key: value for key, value in served.items() if key not in ("factory", "workers")}
    server = uvicorn.Server(uvicorn.Config(create_app(settings), **options))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.05)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{options['port']}") as client:
            await _failed_sign_in(client, "198.51.100.99")
    finally:
        server.should_exit = True
        await task

    assert await _audited_ips(admin_session) == ["127.0.0.1"]
