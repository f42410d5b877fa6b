"""Rate limits count per person and per API client, not per address."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from bo_saas.lib.caller import Role
from bo_saas.server.app import create_app
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save


async def test_a_caller_over_its_limit_gets_429_while_another_caller_goes_on(settings, admin_session):
    app = create_app(settings.model_copy(update={"rate_limit_per_minute": 3}))
    tenant = TenantFactory()
    await save(admin_session, tenant)
    busy = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    calm = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)

    async with AsyncTestClient(app=app) as client:
        statuses = [
            (await client.get("/api/v1/me", headers=bearer(app, busy, Role.CLIENT_MEMBER, tenant.id))).status_code
            for _ in range(4)
        ]
        other = await client.get("/api/v1/me", headers=bearer(app, calm, Role.CLIENT_MEMBER, tenant.id))

    assert statuses == [200, 200, 200, 429]
    assert other.status_code == 200
