"""Onboarding a tenant with its first client admin: one transaction, the admin invited by email; and the plans list."""

from __future__ import annotations

from sqlalchemy import func, select

from bo_saas.audit.models import AuditEvent
from bo_saas.identity.models import Account, AccountStatus, Membership
from bo_saas.lib.caller import Role
from bo_saas.tenancy.models import Tenant
from tests.auth import bearer, password_login
from tests.factories import TenantFactory, client_user, save, staff_user
from tests.identity.emailed_links import emailed_links

NEW_TENANT = {"slug": "globex", "name": "Globex", "timezone": "Asia/Riyadh", "plan": "starter", "services": ["support"]}


async def _tenant_count(admin_session) -> int:
    return (await admin_session.execute(select(func.count()).select_from(Tenant))).scalar_one()


async def test_first_admin_is_invited_with_the_new_tenant_and_can_accept(app, client, admin_session):
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    body = {**NEW_TENANT, "first_admin": {"name": "Hana Admin", "email": "Hana@Globex.example"}}

    response = await client.post("/api/v1/tenants", json=body, headers=bearer(app, admin, Role.PROVIDER_ADMIN))

    assert response.status_code == 201, response.text
    tenant_id = response.json()["id"]
    account = (await admin_session.execute(select(Account).where(Account.email == "hana@globex.example"))).scalar_one()
    membership = (
        await admin_session.execute(select(Membership).where(Membership.account_id == account.id))
    ).scalar_one()
    assert str(membership.tenant_id) == tenant_id and membership.role is Role.CLIENT_ADMIN
    assert account.status is AccountStatus.INVITED and account.name == "Hana Admin"
    invited = (
        await admin_session.execute(select(AuditEvent.action).where(AuditEvent.tenant_id == membership.tenant_id))
    ).scalars()
    assert sorted(invited) == ["subscription.started", "user.invited"]  # billing starts the subscription
    # The invitation email is queued with the tenant; its link lets the admin in, as an admin of Globex.
    [(_base, path, token)] = await emailed_links(admin_session, "hana@globex.example")
    assert path == "/accept-invitation"
    accepted = await client.post(
        "/api/v1/auth/invitations/accept", json={"token": token, "password": "a-long-enough-pw"}
    )
    assert accepted.status_code == 200, accepted.text
    signed_in = await password_login(client, "hana@globex.example", "a-long-enough-pw")
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {signed_in.json()['access_token']}"})
    assert me.json()["role"] == "client_admin" and me.json()["tenant"]["slug"] == "globex"


async def test_an_address_that_has_an_account_refuses_the_whole_onboarding(app, client, admin_session):
    elsewhere = TenantFactory()
    await save(admin_session, elsewhere)
    taken = await client_user(admin_session, elsewhere, Role.CLIENT_MEMBER)
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    before = await _tenant_count(admin_session)
    body = {**NEW_TENANT, "first_admin": {"name": "Twin", "email": taken.email.upper()}}

    response = await client.post("/api/v1/tenants", json=body, headers=bearer(app, admin, Role.PROVIDER_ADMIN))

    assert response.status_code == 409, response.text
    assert response.json()["detail"] == f"first_admin.email: an account with email {taken.email} already exists"
    # One transaction: the tenant was rolled back with the refused invitation.
    assert await _tenant_count(admin_session) == before
    assert not (await admin_session.execute(select(Tenant).where(Tenant.slug == "globex"))).scalar()


async def test_a_bad_admin_email_leaves_no_tenant_and_no_email(app, client, admin_session):
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    body = {**NEW_TENANT, "first_admin": {"name": "Nobody", "email": "not an address"}}

    response = await client.post("/api/v1/tenants", json=body, headers=bearer(app, admin, Role.PROVIDER_ADMIN))

    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith("first_admin.email: ")
    assert not (await admin_session.execute(select(Tenant).where(Tenant.slug == "globex"))).scalar()
    assert await emailed_links(admin_session, "not an address") == []


async def test_a_first_admin_without_a_name_is_refused_by_the_schema(app, client, admin_session):
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    body = {**NEW_TENANT, "first_admin": {"email": "someone@globex.example"}}

    response = await client.post("/api/v1/tenants", json=body, headers=bearer(app, admin, Role.PROVIDER_ADMIN))

    assert response.status_code == 400 and "first_admin" in response.text
    assert await _tenant_count(admin_session) == 0


async def test_a_tenant_without_a_first_admin_still_onboards(app, client, admin_session):
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)

    response = await client.post("/api/v1/tenants", json=NEW_TENANT, headers=bearer(app, admin, Role.PROVIDER_ADMIN))

    assert response.status_code == 201, response.text
    assert (await admin_session.execute(select(func.count()).select_from(Membership))).scalar_one() == 0


async def test_plans_list_the_services_each_includes(app, client, admin_session):
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)

    response = await client.get("/api/v1/plans", headers=bearer(app, admin, Role.PROVIDER_ADMIN))

    assert response.status_code == 200
    plans = {plan["code"]: plan for plan in response.json()}
    assert plans["starter"]["services"] == ["data_entry", "support"]
    assert plans["starter"]["custom_services"] is False
    assert plans["growth"]["services"] == ["data_entry", "bookkeeping", "hr", "support"]


async def test_a_provider_admin_invites_into_any_tenant_and_a_taken_address_names_the_field(app, client, admin_session):
    tenant, other = TenantFactory(), TenantFactory()
    await save(admin_session, tenant, other)
    taken = await client_user(admin_session, other, Role.CLIENT_MEMBER)
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)  # assigned to no tenant
    headers = {**bearer(app, admin, Role.PROVIDER_ADMIN), "X-Tenant": str(tenant.id)}

    invited = await client.post("/api/v1/users", json={"email": "new@t.example", "name": "New"}, headers=headers)
    refused = await client.post("/api/v1/users", json={"email": taken.email, "name": "Twin"}, headers=headers)

    assert invited.status_code == 201 and invited.json()["tenant_id"] == str(tenant.id)
    # "field: words", so the invite form shows it beside the address (frontend/src/admin/problems.ts).
    assert refused.status_code == 409
    assert refused.json()["detail"] == f"email: an account with email {taken.email} already exists"
