"""Client admins manage their tenant's users; provider admins manage staff; changes are audited."""

from __future__ import annotations

from sqlalchemy import select

from bo_saas.audit.models import AuditEvent, ProviderAuditEvent
from bo_saas.identity.models import Account, AccountStatus
from bo_saas.lib.caller import Role
from bo_saas.lib.outbox_models import OutboxMessage
from bo_saas.lib.settings import get_settings
from tests.auth import bearer, password_login
from tests.factories import TenantFactory, client_user, save, staff_user
from tests.identity.emailed_links import emailed_links


async def test_client_admin_invites_a_user_who_sets_a_password_and_signs_in(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)

    invited = await client.post(
        "/api/v1/users",
        json={"email": "New.Person@Example.test", "name": "New Person", "role": "client_member"},
        headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id),
    )

    assert invited.status_code == 201, invited.text
    assert invited.json()["email"] == "new.person@example.test" and invited.json()["status"] == "invited"
    outbox = (await admin_session.execute(select(OutboxMessage))).scalars().all()
    assert [m.actor_name for m in outbox] == ["send_email"]
    [(base, path, token)] = await emailed_links(admin_session, "new.person@example.test")
    assert (base, path) == (get_settings().web_url(), "/accept-invitation")

    weak = await client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": "short"})
    assert weak.status_code == 400 and "at least" in weak.json()["detail"]
    accepted = await client.post(
        "/api/v1/auth/invitations/accept", json={"token": token, "password": "a-long-enough-pw"}
    )
    assert accepted.status_code == 200
    assert (await password_login(client, "new.person@example.test", "a-long-enough-pw")).status_code == 200
    again = await client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": "a-long-enough-pw"})
    assert again.status_code == 400


async def test_inviting_an_existing_email_is_a_conflict(app, client, admin_session):
    tenant, other = TenantFactory(), TenantFactory()
    await save(admin_session, tenant, other)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    elsewhere = await client_user(admin_session, other, Role.CLIENT_MEMBER)

    response = await client.post(
        "/api/v1/users",
        json={"email": elsewhere.email, "name": "Twin"},
        headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id),
    )

    assert response.status_code == 409


async def test_role_change_and_deactivation_are_audited_and_end_sign_in(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    headers = bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)

    promoted = await client.patch(f"/api/v1/users/{member.id}", json={"role": "client_admin"}, headers=headers)
    deactivated = await client.patch(f"/api/v1/users/{member.id}", json={"status": "deactivated"}, headers=headers)

    assert promoted.json()["role"] == "client_admin"
    assert deactivated.json()["status"] == "deactivated"
    actions = (
        (await admin_session.execute(select(AuditEvent.action).where(AuditEvent.tenant_id == tenant.id)))
        .scalars()
        .all()
    )
    assert "user.role_changed" in actions and "user.updated" in actions
    assert (await password_login(client, member.email)).status_code == 400


async def test_an_admin_cannot_demote_themselves(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)

    response = await client.patch(
        f"/api/v1/users/{admin.id}",
        json={"role": "client_member"},
        headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id),
    )

    assert response.status_code == 409


async def test_unknown_field_in_a_body_is_a_400(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)

    response = await client.post(
        "/api/v1/users",
        json={"email": "a@b.test", "name": "A", "rol": "client_admin"},
        headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id),
    )

    assert response.status_code == 400


async def test_provider_admin_manages_staff_skills_capacity_and_assignments(app, client, admin_session):
    first, second = TenantFactory(slug="first"), TenantFactory(slug="second")
    await save(admin_session, first, second)
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    headers = bearer(app, admin, Role.PROVIDER_ADMIN)

    created = await client.post(
        "/api/v1/staff",
        json={
            "email": "keyer@provider.test",
            "name": "Keyer",
            "skills": ["data_entry"],
            "tenants": ["first"],
            "capacity": 3,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    staff_id = created.json()["id"]
    assert created.json()["tenant_ids"] == [str(first.id)] and created.json()["skills"] == ["data_entry"]

    changed = await client.patch(
        f"/api/v1/staff/{staff_id}",
        json={"tenants": [str(second.id)], "skills": ["data_entry", "support"], "capacity": 8},
        headers=headers,
    )

    assert changed.status_code == 200, changed.text
    assert changed.json()["tenant_ids"] == [str(second.id)]
    assert changed.json()["skills"] == ["data_entry", "support"] and changed.json()["capacity"] == 8
    actions = (await admin_session.execute(select(ProviderAuditEvent.action))).scalars().all()
    assert "staff.invited" in actions and "staff.assignments_changed" in actions


async def test_unknown_skill_or_tenant_is_a_clear_400(app, client, admin_session):
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)

    response = await client.post(
        "/api/v1/staff",
        json={"email": "x@provider.test", "name": "X", "skills": ["juggling"], "tenants": ["nowhere"]},
        headers=bearer(app, admin, Role.PROVIDER_ADMIN),
    )

    assert response.status_code == 400 and "juggling" in response.json()["detail"]
    assert (await admin_session.execute(select(Account).where(Account.email == "x@provider.test"))).first() is None


async def test_provider_admin_reaching_an_unassigned_tenant_is_audited(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)

    listed = await client.get(
        "/api/v1/users", headers={**bearer(app, admin, Role.PROVIDER_ADMIN), "X-Tenant": tenant.slug}
    )

    assert listed.status_code == 200 and listed.json()["total"] == 1
    widened = (
        (
            await admin_session.execute(
                select(ProviderAuditEvent).where(ProviderAuditEvent.action == "tenant.access_widened")
            )
        )
        .scalars()
        .all()
    )
    assert [e.subject_id for e in widened] == [str(tenant.id)]


async def test_me_changes_language(app, client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)

    response = await client.patch(
        "/api/v1/me", json={"locale": "ar"}, headers=bearer(app, member, Role.CLIENT_MEMBER, tenant.id)
    )

    assert response.status_code == 200 and response.json()["locale"] == "ar"
    stored = await admin_session.get(Account, member.id, populate_existing=True)
    assert stored.locale == "ar" and stored.status is AccountStatus.ACTIVE
