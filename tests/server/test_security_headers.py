"""Security headers on every kind of response, HSTS only over HTTPS, and /metrics behind its token when set."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from bo_saas.server.app import create_app
from tests.server.test_client_address import behind_peer

METRICS_TOKEN = "a-scraper-token-of-some-length"


def _assert_hardened(response) -> None:
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/health", 200),
        ("GET", "/api/v1/me", 401),  # refused by the guard
        ("GET", "/", None),  # the web app (200 when built, 503 when not)
        ("POST", "/api/v1/auth/invitations/accept", 400),
    ],
)
async def test_every_kind_of_response_carries_the_security_headers(client, method, path, status):
    response = await client.request(method, path, json={} if method == "POST" else None)

    assert status is None or response.status_code == status
    _assert_hardened(response)
    assert "Strict-Transport-Security" not in response.headers


async def test_the_web_app_policy_allows_only_its_own_scripts(client):
    policy = (await client.get("/")).headers["Content-Security-Policy"]

    assert "script-src 'self';" in policy
    assert "unsafe-eval" not in policy


async def test_middleware_refusals_carry_the_headers_too(client):
    response = await client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})

    assert response.status_code == 401
    _assert_hardened(response)


async def test_hsts_is_sent_when_the_request_came_over_https_through_a_trusted_proxy(settings, admin_engine):
    app = create_app(settings.model_copy(update={"trusted_proxies": ("10.0.0.0/8",)}))
    async with AsyncTestClient(app=behind_peer(app, "10.0.0.2")) as client:
        over_https = await client.get("/health", headers={"X-Forwarded-Proto": "https"})
        over_http = await client.get("/health", headers={"X-Forwarded-Proto": "http"})
    async with AsyncTestClient(app=behind_peer(app, "192.0.2.1")) as client:
        claimed = await client.get("/health", headers={"X-Forwarded-Proto": "https"})

    assert over_https.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in over_http.headers
    assert "Strict-Transport-Security" not in claimed.headers


async def test_hsts_is_sent_on_a_direct_https_request(settings, admin_engine):
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as client:
        response = await client.get("/health")

    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


async def test_metrics_are_open_when_no_token_is_configured(client):
    response = await client.get("/metrics")

    assert response.status_code == 200
    assert "bo_saas_requests_total" in response.text


async def test_metrics_need_the_configured_token(settings, admin_engine):
    app = create_app(settings.model_copy(update={"metrics_token": METRICS_TOKEN}))
    async with AsyncTestClient(app=app) as client:
        anonymous = await client.get("/metrics")
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
        scraper = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})

    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert wrong.status_code == 401
    assert scraper.status_code == 200 and "bo_saas_requests_total" in scraper.text
