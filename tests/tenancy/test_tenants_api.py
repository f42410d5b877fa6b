"""Provider admins onboard, change, suspend and reactivate tenants; a suspended tenant reads but cannot write."""

from __future__ import annotations

from sqlalchemy import select

from bo_saas.audit.models import ProviderAuditEvent
from bo_saas.lib.caller import Role
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save, staff_user


async def test_provider_admin_creates_a_tenant_and_it_is_audited(app, client, admin_session):
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    headers = bearer(app, admin, Role.PROVIDER_ADMIN)

    response = await client.post(
        "/api/v1/tenants",
        json={
            "slug": "initech",
            "name": "Initech",
            "timezone": "America/Chicago",
            "plan": "growth",
            "services": ["hr"],
        },
        headers=headers,
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["slug"] == "initech" and body["status"] == "active" and body["services"] == ["hr"]
    actions = (await admin_session.execute(select(ProviderAuditEvent.action))).scalars().all()
    assert "tenant.created" in actions


async def test_bad_tenant_input_names_every_problem(app, client, admin_session):
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)

    response = await client.post(
        "/api/v1/tenants",
        json={"slug": "ok-slug", "name": "X", "timezone": "Mars/Olympus", "plan": "platinum", "services": ["magic"]},
        headers=bearer(app, admin, Role.PROVIDER_ADMIN),
    )

    assert response.status_code == 400
    problems = response.json()["extra"]["problems"]
    assert any(p.startswith("timezone:") for p in problems)
    assert any(p.startswith("plan:") for p in problems)
    assert any(p.startswith("services:") for p in problems)


async def test_services_the_plan_lacks_are_refused_as_in_manifests(app, client, admin_session):
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    headers = bearer(app, admin, Role.PROVIDER_ADMIN)
    wanted = {"slug": "small-co", "name": "Small Co", "timezone": "UTC", "plan": "starter"}

    refused = await client.post("/api/v1/tenants", json={**wanted, "services": ["support", "hr"]}, headers=headers)

    assert refused.status_code == 400, refused.text
    assert refused.json()["extra"]["problems"] == [
        'services[1]: "hr" is not included in plan "starter" (it includes data_entry, support)'
    ]
    created = await client.post("/api/v1/tenants", json={**wanted, "services": ["support"]}, headers=headers)
    assert created.status_code == 201, created.text
    # Changing the services alone is checked against the plan the tenant has.
    changed = await client.patch(
        f"/api/v1/tenants/{created.json()['id']}", json={"services": ["bookkeeping"]}, headers=headers
    )
    assert changed.status_code == 400 and "not included in plan" in changed.text


async def test_duplicate_slug_is_a_conflict(app, client, admin_session):
    existing = TenantFactory(slug="dupe")
    await save(admin_session, existing)
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)

    response = await client.post(
        "/api/v1/tenants",
        json={"slug": "dupe", "name": "Again", "timezone": "UTC"},
        headers=bearer(app, admin, Role.PROVIDER_ADMIN),
    )

    assert response.status_code == 409


async def test_suspended_tenant_users_can_read_but_not_write(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    client_admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    suspended = await client.post(
        f"/api/v1/tenants/{tenant.id}/suspend",
        json={"reason": "invoice overdue"},
        headers=bearer(app, provider_admin, Role.PROVIDER_ADMIN),
    )
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    headers = bearer(app, client_admin, Role.CLIENT_ADMIN, tenant.id)

    read = await client.get("/api/v1/users", headers=headers)
    write = await client.post("/api/v1/api-clients", json={"name": "ERP"}, headers=headers)

    assert read.status_code == 200
    assert write.status_code == 403
    assert (
        write.json()["detail"]
        == f"Tenant {tenant.slug} is suspended: invoice overdue; it can read but not make changes"
    )

    reactivated = await client.post(
        f"/api/v1/tenants/{tenant.id}/reactivate", headers=bearer(app, provider_admin, Role.PROVIDER_ADMIN)
    )
    assert reactivated.json()["status"] == "active"
    assert (await client.post("/api/v1/api-clients", json={"name": "ERP"}, headers=headers)).status_code == 201


async def test_agent_sees_only_assigned_tenants(app, client, admin_session):
    mine, other = TenantFactory(), TenantFactory()
    await save(admin_session, mine, other)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(mine,))
    headers = bearer(app, agent, Role.PROVIDER_AGENT)

    listed = (await client.get("/api/v1/tenants", headers=headers)).json()

    assert [t["id"] for t in listed["items"]] == [str(mine.id)] and listed["total"] == 1
    assert (await client.get(f"/api/v1/tenants/{other.id}", headers=headers)).status_code == 404


async def test_tenant_list_is_paginated(app, client, admin_session):
    await save(admin_session, *(TenantFactory(slug=f"t-{i:02d}") for i in range(5)))
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)

    page = (
        await client.get("/api/v1/tenants?limit=2&offset=2", headers=bearer(app, admin, Role.PROVIDER_ADMIN))
    ).json()

    assert page["total"] == 5 and page["limit"] == 2 and page["offset"] == 2
    assert [t["slug"] for t in page["items"]] == ["t-02", "t-03"]


async def test_limit_out_of_range_is_a_clear_400(app, client, admin_session):
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)

    response = await client.get("/api/v1/tenants?limit=5000", headers=bearer(app, admin, Role.PROVIDER_ADMIN))

    assert response.status_code == 400 and "limit" in response.text
