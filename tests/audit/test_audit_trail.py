"""The audit trail is append-only and each reader sees only its own part."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from bo_saas.audit.models import AuditEvent
from bo_saas.lib.caller import Role
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save, staff_user


async def test_client_admin_reads_only_its_tenants_events(app, client, admin_session):
    mine, other = TenantFactory(), TenantFactory()
    await save(admin_session, mine, other)
    admin = await client_user(admin_session, mine, Role.CLIENT_ADMIN)
    await save(
        admin_session,
        AuditEvent(tenant_id=mine.id, actor_kind="system", action="mine.happened", changes={}),
        AuditEvent(tenant_id=other.id, actor_kind="system", action="other.happened", changes={}),
    )

    events = (await client.get("/api/v1/audit-events", headers=bearer(app, admin, Role.CLIENT_ADMIN, mine.id))).json()
    provider = await client.get(
        "/api/v1/audit-events?level=provider", headers=bearer(app, admin, Role.CLIENT_ADMIN, mine.id)
    )

    assert [e["action"] for e in events["items"]] == ["mine.happened"]
    assert provider.status_code == 403


async def test_provider_admin_reads_provider_events(app, client, admin_session):
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    headers = bearer(app, admin, Role.PROVIDER_ADMIN)
    await client.post(
        "/api/v1/tenants", json={"slug": "audited", "name": "Audited", "timezone": "UTC"}, headers=headers
    )

    events = (await client.get("/api/v1/audit-events?level=provider&action=tenant.created", headers=headers)).json()

    assert events["total"] == 1 and events["items"][0]["actor_id"] == str(admin.id)


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"])
async def test_runtime_role_cannot_rewrite_history(runtime_engine, statement):
    async with runtime_engine.connect() as connection:
        with pytest.raises(ProgrammingError, match="permission denied"):
            await connection.execute(text(statement))
