"""The rate limiter costs one Redis round trip of constant size per request, and its window resets."""

from __future__ import annotations

import asyncio
import uuid

import redis.asyncio as aioredis
from litestar import Litestar, get
from litestar.testing import AsyncTestClient

from bo_saas.lib.caller import Role
from bo_saas.lib.redis_pipe import RedisPipe
from bo_saas.server.app import create_app
from bo_saas.server.rate_limit import KEY_PREFIX, RateLimitMiddleware
from bo_saas.server.refusals import MiddlewareRefusalMiddleware
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save


async def _limiter_commands(redis_url: str, make_requests) -> list[dict]:
    """Every command Redis received that touched a rate-limit key while make_requests ran (MONITOR)."""
    watcher = aioredis.Redis.from_url(redis_url)
    marker = f"end-{uuid.uuid4()}"
    seen: list[dict] = []
    async with watcher.monitor() as monitor:
        await make_requests()
        async with aioredis.Redis.from_url(redis_url) as other:
            await other.echo(marker)
        while True:
            command = await asyncio.wait_for(monitor.next_command(), timeout=5)
            if marker in command["command"]:
                break
            if KEY_PREFIX in command["command"]:
                seen.append(command)
    await watcher.aclose()
    return seen


async def test_each_request_is_one_constant_redis_round_trip(settings, admin_session):
    app = create_app(settings.model_copy(update={"rate_limit_per_minute": 1000}))
    tenant = TenantFactory()
    await save(admin_session, tenant)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    headers = bearer(app, member, Role.CLIENT_MEMBER, tenant.id)

    async with AsyncTestClient(app=app) as client:
        warm = await client.get("/api/v1/me", headers=headers)  # loads the script into Redis once
        responses = []

        async def requests() -> None:
            for _ in range(5):
                responses.append(await client.get("/api/v1/me", headers=headers))

        seen = await _limiter_commands(settings.redis_url, requests)

    assert warm.status_code == 200 and [r.status_code for r in responses] == [200] * 5
    sent = [c for c in seen if c["client_type"] != "lua"]
    assert [c["command"].split()[0].upper() for c in sent] == ["EVALSHA"] * 5
    assert len({len(c["command"]) for c in sent}) == 1  # the same size for the 2nd and the 6th request
    inside = [c["command"].split()[0].upper() for c in seen if c["client_type"] == "lua"]
    assert inside == ["INCR", "TTL"] * 5  # the expiry is set only by the window's first request
    assert [r.headers["RateLimit-Remaining"] for r in responses] == ["998", "997", "996", "995", "994"]
    assert responses[0].headers["RateLimit-Limit"] == "1000"
    assert responses[0].headers["RateLimit-Policy"] == "1000; w=60"
    assert 1 <= int(responses[0].headers["RateLimit-Reset"]) <= 60


@get("/ping", sync_to_thread=False)
def _ping() -> str:
    return "pong"


async def test_the_window_resets(settings):
    redis = RedisPipe(settings.redis_url)
    caller = f"test:{uuid.uuid4()}"
    app = Litestar(
        route_handlers=[_ping],
        middleware=[
            MiddlewareRefusalMiddleware(),
            RateLimitMiddleware(redis, 2, lambda _: caller, window_seconds=1),
        ],
        on_shutdown=[redis.close],  # the test client runs the app on its own event loop
    )
    async with AsyncTestClient(app=app) as client:
        first = [await client.get("/ping") for _ in range(3)]
        await asyncio.sleep(1.5)
        after = await client.get("/ping")

    assert [r.status_code for r in first] == [200, 200, 429]
    assert first[2].headers["RateLimit-Remaining"] == "0"
    assert first[2].headers["Retry-After"] == "1"
    assert after.status_code == 200
    assert after.headers["RateLimit-Remaining"] == "1"
