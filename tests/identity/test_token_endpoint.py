"""The OAuth2 token endpoint: both grants, failures, lockout, revocation, expiry, tampering."""

from __future__ import annotations

import base64
import time

from sqlalchemy import select

from bo_saas.audit.models import AuditEvent, ProviderAuditEvent
from bo_saas.lib.caller import Role
from tests.auth import password_login
from tests.factories import TenantFactory, client_user, save, staff_user


async def test_password_grant_issues_tokens_that_identify_the_client_user(client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    person = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)

    response = await password_login(client, person.email)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0 and body["refresh_token"]
    assert response.headers["cache-control"] == "no-store"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["role"] == "client_admin"
    assert me.json()["tenant"]["id"] == str(tenant.id)
    events = (await admin_session.execute(select(AuditEvent.action).where(AuditEvent.tenant_id == tenant.id))).scalars()
    assert "auth.signed_in" in list(events)


async def test_staff_sign_in_has_no_tenant_and_lists_assignments(client, admin_session):
    tenants = TenantFactory(), TenantFactory()
    await save(admin_session, *tenants)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=tenants[:1])

    body = (await password_login(client, agent.email)).json()
    me = (await client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})).json()

    assert me["role"] == "provider_agent" and me["tenant"] is None
    assert [t["id"] for t in me["assigned_tenants"]] == [str(tenants[0].id)]


async def test_wrong_password_is_invalid_grant_and_audited(client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    person = await client_user(admin_session, tenant)

    response = await password_login(client, person.email, "not-the-password")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert response.json()["detail"] == "Wrong email or password"
    failed = (
        (await admin_session.execute(select(AuditEvent).where(AuditEvent.action == "auth.sign_in_failed")))
        .scalars()
        .all()
    )
    assert [e.tenant_id for e in failed] == [tenant.id]


async def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, admin_session):
    response = await password_login(client, "nobody@example.test", "whatever-password")

    assert response.status_code == 400 and response.json()["detail"] == "Wrong email or password"
    events = (await admin_session.execute(select(ProviderAuditEvent.action))).scalars().all()
    assert events == ["auth.sign_in_failed"]


async def test_repeated_failures_lock_the_account_even_for_the_right_password(client, admin_session, settings):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    person = await client_user(admin_session, tenant)

    for _ in range(settings.login_max_failures):
        assert (await password_login(client, person.email, "wrong-password!")).status_code == 400
    locked = await password_login(client, person.email)

    assert locked.status_code == 400
    body = locked.json()
    wait = body["extra"]["retry_after"]
    assert 0 < wait <= settings.login_lock_seconds
    assert body["detail"] == f"Too many failed sign-ins; try again in {wait} seconds"
    assert locked.headers["retry-after"] == str(wait)


async def test_an_address_without_an_account_is_locked_with_the_same_answer(client, admin_session, settings):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    person = await client_user(admin_session, tenant)
    answers = {}
    for email in (person.email, "nobody-here@example.test"):
        for _ in range(settings.login_max_failures):
            failed = await password_login(client, email, "wrong-password!")
            assert failed.json()["detail"] == "Wrong email or password"
        answers[email] = await password_login(client, email, "wrong-password!")

    real, made_up = answers.values()
    assert real.status_code == made_up.status_code == 400
    assert made_up.json()["detail"].startswith("Too many failed sign-ins; try again in ")
    assert real.json().keys() == made_up.json().keys()
    assert real.json()["error"] == made_up.json()["error"] == "invalid_grant"
    assert "retry-after" in made_up.headers


async def test_failures_are_counted_per_address_typed_and_forgotten_on_success(client, admin_session, settings):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    person = await client_user(admin_session, tenant)
    for _ in range(settings.login_max_failures - 1):
        await password_login(client, person.email, "wrong-password!")

    # Typed with other case and spaces it is the same address.
    assert (await password_login(client, f"  {person.email.upper()} ")).status_code == 200
    for _ in range(settings.login_max_failures - 1):
        await password_login(client, person.email, "wrong-password!")
    assert (await password_login(client, person.email)).status_code == 200


async def test_refresh_token_rotates_and_a_reused_one_ends_the_family(client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    person = await client_user(admin_session, tenant)
    first = (await password_login(client, person.email)).json()["refresh_token"]

    rotated = await client.post("/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": first})
    assert rotated.status_code == 200
    second = rotated.json()["refresh_token"]
    assert second != first

    reused = await client.post("/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": first})
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    # The thief's reuse also ended the legitimate holder's newer token.
    after = await client.post("/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": second})
    assert after.status_code == 400


async def test_sign_out_revokes_the_refresh_token(client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    person = await client_user(admin_session, tenant)
    refresh = (await password_login(client, person.email)).json()["refresh_token"]

    assert (await client.post("/api/v1/auth/revoke", data={"token": refresh})).status_code == 200
    again = await client.post("/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": refresh})

    assert again.status_code == 400


async def _api_client(client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    token = (await password_login(client, admin.email)).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    created = await client.post("/api/v1/api-clients", json={"name": "ERP sync"}, headers=headers)
    assert created.status_code == 201, created.text
    return tenant, headers, created.json()


async def test_client_credentials_with_basic_auth_and_with_form_fields(client, admin_session):
    tenant, _, created = await _api_client(client, admin_session)
    basic = base64.b64encode(f"{created['client_id']}:{created['client_secret']}".encode()).decode()

    by_header = await client.post(
        "/api/v1/auth/token", data={"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )
    by_form = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created["client_id"],
            "client_secret": created["client_secret"],
        },
    )

    assert by_header.status_code == 200 and by_form.status_code == 200
    assert "refresh_token" not in by_header.json()
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {by_header.json()['access_token']}"})
    assert me.json()["kind"] == "api_client" and me.json()["tenant"]["id"] == str(tenant.id)


async def test_wrong_client_secret_is_invalid_client(client, admin_session):
    _, _, created = await _api_client(client, admin_session)

    response = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "client_credentials", "client_id": created["client_id"], "client_secret": "guess"},
    )

    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


async def test_revoked_client_cannot_get_a_token(client, admin_session):
    _, headers, created = await _api_client(client, admin_session)

    assert (await client.delete(f"/api/v1/api-clients/{created['id']}", headers=headers)).status_code == 204
    response = await client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": created["client_id"],
            "client_secret": created["client_secret"],
        },
    )

    assert response.status_code == 401
    assert response.json()["detail"] == "This API client has been revoked"


async def test_expired_access_token_is_refused(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    person = await client_user(admin_session, tenant)
    from bo_saas.lib.caller import Caller

    signer = app.state.token_signer
    old = signer.issue(
        Caller(role=Role.CLIENT_ADMIN, account_id=person.id, tenant_id=tenant.id), now=time.time() - 3600
    )

    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {old}"})

    assert response.status_code == 401
    assert response.json()["detail"] == "The access token is invalid or has expired"


async def test_tampered_access_token_is_refused(client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    person = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    token = (await password_login(client, person.email)).json()["access_token"]
    header, payload, signature = token.split(".")
    claims = base64.urlsafe_b64decode(payload + "==").replace(b"client_member", b"client_admin")
    forged = ".".join([header, base64.urlsafe_b64encode(claims).rstrip(b"=").decode(), signature])

    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"})

    assert response.status_code == 401


async def test_unsupported_grant_type_is_named(client):
    response = await client.post("/api/v1/auth/token", data={"grant_type": "authorization_code"})

    assert response.status_code == 400 and response.json()["error"] == "unsupported_grant_type"
