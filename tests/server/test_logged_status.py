"""The access log and the Prometheus counter record the status the client saw, also for middleware refusals."""

from __future__ import annotations

import json
import re

from litestar.testing import AsyncTestClient

from bo_saas.lib.caller import Role
from bo_saas.server.app import create_app
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save, staff_user


def _access_lines(stderr: str, path: str) -> list[dict]:
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == "request" and line.get("path") == path]


def _counted(metrics: str, path: str, status: int) -> float:
    pattern = rf'^bo_saas_requests_total\{{[^}}]*path="{re.escape(path)}"[^}}]*status_code="{status}"[^}}]*\}} (\S+)$'
    return sum(float(value) for value in re.findall(pattern, metrics, flags=re.MULTILINE))


async def test_a_refused_token_is_logged_and_counted_as_401(settings, admin_engine, capfd, fresh_loggers):
    app = create_app(settings.model_copy(update={"log_level": "INFO"}))
    fresh_loggers()
    async with AsyncTestClient(app=app) as client:
        before = _counted((await client.get("/metrics")).text, "/api/v1/me", 401)
        capfd.readouterr()
        response = await client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
        logged = _access_lines(capfd.readouterr().err, "/api/v1/me")
        after = _counted((await client.get("/metrics")).text, "/api/v1/me", 401)

    assert response.status_code == 401
    assert response.json()["detail"] == "The access token is invalid or has expired"
    assert [line["status"] for line in logged] == [401]
    assert after - before == 1


async def test_a_rate_limited_request_is_logged_and_counted_as_429_with_retry_after(
    settings, admin_session, capfd, fresh_loggers
):
    app = create_app(settings.model_copy(update={"log_level": "INFO", "rate_limit_per_minute": 1}))
    fresh_loggers()
    tenant = TenantFactory()
    await save(admin_session, tenant)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    headers = bearer(app, member, Role.CLIENT_MEMBER, tenant.id)
    async with AsyncTestClient(app=app) as client:
        before = _counted((await client.get("/metrics")).text, "/api/v1/me", 429)
        capfd.readouterr()
        first = await client.get("/api/v1/me", headers=headers)
        limited = await client.get("/api/v1/me", headers=headers)
        logged = _access_lines(capfd.readouterr().err, "/api/v1/me")
        after = _counted((await client.get("/metrics")).text, "/api/v1/me", 429)

    assert (first.status_code, limited.status_code) == (200, 429)
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.json()["status_code"] == 429
    assert [line["status"] for line in logged] == [200, 429]
    assert after - before == 1


async def test_the_access_line_names_one_tenant_by_id_and_only_counts_a_wider_scope(
    settings, admin_session, capfd, fresh_loggers
):
    app = create_app(settings.model_copy(update={"log_level": "INFO"}))
    fresh_loggers()
    first, second = TenantFactory(), TenantFactory()
    await save(admin_session, first, second)
    member = await client_user(admin_session, first, Role.CLIENT_MEMBER)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(first, second))
    async with AsyncTestClient(app=app) as client:
        capfd.readouterr()
        await client.get("/api/v1/work-items", headers=bearer(app, member, Role.CLIENT_MEMBER, first.id))
        await client.get("/api/v1/work-items", headers=bearer(app, agent, Role.PROVIDER_AGENT))
        logged = _access_lines(capfd.readouterr().err, "/api/v1/work-items")

    client_line, agent_line = logged
    assert (client_line["status"], client_line["tenant"]) == (200, str(first.id))
    assert (agent_line["status"], agent_line["tenants"]) == (200, 2)
    assert "tenant" not in agent_line
