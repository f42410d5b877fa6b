"""API client names are unique per tenant among live clients: a duplicate answers 409 naming the field."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from bo_saas.lib.caller import Role
from tests.auth import bearer
from tests.factories import ApiClientFactory, TenantFactory, client_user, save


async def test_a_second_api_client_with_the_same_name_is_a_conflict(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    headers = bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)

    first = await client.post("/api/v1/api-clients", json={"name": "ERP sync"}, headers=headers)
    again = await client.post("/api/v1/api-clients", json={"name": " ERP sync "}, headers=headers)
    listed = await client.get("/api/v1/api-clients", headers=headers)

    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["detail"].startswith("name: ")
    assert [item["name"] for item in listed.json()["items"]] == ["ERP sync"]


async def test_the_same_name_is_free_in_another_tenant_and_once_revoked(app, client, admin_session):
    tenant, other = TenantFactory(), TenantFactory()
    await save(admin_session, tenant, other)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    other_admin = await client_user(admin_session, other, Role.CLIENT_ADMIN)
    headers = bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)

    first = (await client.post("/api/v1/api-clients", json={"name": "ERP"}, headers=headers)).json()
    elsewhere = await client.post(
        "/api/v1/api-clients", json={"name": "ERP"}, headers=bearer(app, other_admin, Role.CLIENT_ADMIN, other.id)
    )
    await client.delete(f"/api/v1/api-clients/{first['id']}", headers=headers)
    replacement = await client.post("/api/v1/api-clients", json={"name": "ERP"}, headers=headers)

    assert elsewhere.status_code == 201
    assert replacement.status_code == 201


async def test_the_database_refuses_two_live_clients_with_one_name(admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    await save(admin_session, ApiClientFactory(tenant_id=tenant.id, name="Twin"))

    with pytest.raises(IntegrityError, match="api_clients_name_unique"):
        await save(admin_session, ApiClientFactory(tenant_id=tenant.id, name="Twin"))
    await admin_session.rollback()


async def test_a_blank_name_is_refused(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)

    response = await client.post(
        "/api/v1/api-clients", json={"name": "   "}, headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)
    )

    assert response.status_code == 400 and response.json()["detail"].startswith("name: ")
