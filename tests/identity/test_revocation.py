"""Revocation takes effect on the very next request, not when the access token expires."""

from __future__ import annotations

from bo_saas.lib.caller import Role
from tests.auth import bearer, password_login
from tests.factories import TenantFactory, client_user, save, staff_user


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_deactivated_account_is_refused_at_once_and_a_reactivated_one_signs_in_again(
    app, client, admin_session
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    signed_in = (await password_login(client, member.email)).json()
    admin_headers = bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)
    assert (await client.get("/api/v1/me", headers=_auth(signed_in["access_token"]))).status_code == 200

    deactivated = await client.patch(
        f"/api/v1/users/{member.id}", json={"status": "deactivated"}, headers=admin_headers
    )

    assert deactivated.status_code == 200, deactivated.text
    refused = await client.get("/api/v1/me", headers=_auth(signed_in["access_token"]))
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert (await client.get("/api/v1/me", headers=admin_headers)).status_code == 200  # others go on
    await client.patch(f"/api/v1/users/{member.id}", json={"status": "active"}, headers=admin_headers)
    # Tokens are stamped in whole seconds: a new sign-in after the revocation's second works.
    await _next_second()
    again = (await password_login(client, member.email)).json()
    assert (await client.get("/api/v1/me", headers=_auth(again["access_token"]))).status_code == 200


async def test_a_deactivated_staff_member_is_refused_at_once(app, client, admin_session):
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT)
    agent_token = (await password_login(client, agent.email)).json()["access_token"]

    changed = await client.patch(
        f"/api/v1/staff/{agent.id}",
        json={"status": "deactivated"},
        headers=bearer(app, provider_admin, Role.PROVIDER_ADMIN),
    )

    assert changed.status_code == 200, changed.text
    assert (await client.get("/api/v1/me", headers=_auth(agent_token))).status_code == 401


async def test_a_role_change_ends_the_access_tokens_issued_with_the_old_role(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    other_admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT)
    demoted_token = (await password_login(client, other_admin.email)).json()["access_token"]
    agent_token = (await password_login(client, agent.email)).json()["access_token"]

    demoted = await client.patch(
        f"/api/v1/users/{other_admin.id}",
        json={"role": "client_member"},
        headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id),
    )
    promoted = await client.patch(
        f"/api/v1/staff/{agent.id}",
        json={"role": "provider_admin"},
        headers=bearer(app, provider_admin, Role.PROVIDER_ADMIN),
    )

    assert demoted.status_code == 200 and promoted.status_code == 200
    # A token still saying "client_admin" would keep admin rights until it expired.
    assert (await client.get("/api/v1/users", headers=_auth(demoted_token))).status_code == 401
    assert (await client.get("/api/v1/me", headers=_auth(agent_token))).status_code == 401
    await _next_second()
    relogged = (await password_login(client, other_admin.email)).json()["access_token"]
    me = (await client.get("/api/v1/me", headers=_auth(relogged))).json()
    assert me["role"] == "client_member"


async def test_a_revoked_api_client_is_refused_at_once(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    admin_headers = bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)
    created = (await client.post("/api/v1/api-clients", json={"name": "erp"}, headers=admin_headers)).json()
    token = (
        await client.post(
            "/api/v1/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": created["client_id"],
                "client_secret": created["client_secret"],
            },
        )
    ).json()["access_token"]
    assert (await client.get("/api/v1/work-items", headers=_auth(token))).status_code == 200

    assert (await client.delete(f"/api/v1/api-clients/{created['id']}", headers=admin_headers)).status_code == 204

    assert (await client.get("/api/v1/work-items", headers=_auth(token))).status_code == 401


async def test_signing_out_ends_that_session_only(client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    laptop = (await password_login(client, member.email)).json()
    phone = (await password_login(client, member.email)).json()

    signed_out = await client.post("/api/v1/auth/revoke", data={"token": laptop["refresh_token"]})

    assert signed_out.status_code == 200
    assert (await client.get("/api/v1/me", headers=_auth(laptop["access_token"]))).status_code == 401
    assert (await client.get("/api/v1/me", headers=_auth(phone["access_token"]))).status_code == 200


async def test_a_refresh_token_reused_ends_its_family_and_the_access_tokens_issued_in_it(client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    first = (await password_login(client, member.email)).json()
    refreshed = (
        await client.post(
            "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
        )
    ).json()
    assert (await client.get("/api/v1/me", headers=_auth(refreshed["access_token"]))).status_code == 200

    reused = await client.post(
        "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}
    )

    assert reused.status_code == 400
    assert (await client.get("/api/v1/me", headers=_auth(refreshed["access_token"]))).status_code == 401
    assert (await client.get("/api/v1/me", headers=_auth(first["access_token"]))).status_code == 401


async def test_a_suspended_tenants_people_cannot_write_on_their_next_request(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    token = (await password_login(client, admin.email)).json()["access_token"]
    assert (await client.post("/api/v1/api-clients", json={"name": "before"}, headers=_auth(token))).status_code == 201

    suspended = await client.post(
        f"/api/v1/tenants/{tenant.id}/suspend",
        json={"reason": "unpaid"},
        headers=bearer(app, provider_admin, Role.PROVIDER_ADMIN),
    )

    assert suspended.status_code == 200, suspended.text
    write = await client.post("/api/v1/api-clients", json={"name": "after"}, headers=_auth(token))
    assert write.status_code == 403 and "suspended" in write.json()["detail"]
    assert (await client.get("/api/v1/me", headers=_auth(token))).status_code == 200  # it still reads


async def _next_second() -> None:
    import asyncio
    import time

    await asyncio.sleep(1.001 - time.time() % 1)
