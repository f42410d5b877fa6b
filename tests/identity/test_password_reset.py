"""Forgot password: a one-time, expiring link by email, the same answer for every address, rate-limited."""

from __future__ import annotations

import redis
from sqlalchemy import select

from bo_saas.identity.models import RefreshToken
from bo_saas.identity.password_reset import REQUESTS_PER_ADDRESS_WINDOW
from bo_saas.lib.caller import Role
from bo_saas.lib.outbox_models import OutboxMessage
from bo_saas.lib.settings import get_settings
from tests.auth import password_login
from tests.factories import TenantFactory, client_user, save, staff_user
from tests.identity.emailed_links import emailed_links

NEW_PASSWORD = "a-brand-new-password"


async def _ask(client, email):
    return await client.post("/api/v1/auth/password-reset", json={"email": email})


async def _confirm(client, token, password=NEW_PASSWORD):
    return await client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "password": password})


async def test_a_reset_link_sets_a_new_password_once_and_ends_old_sessions(client, admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    person = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    old_session = (await password_login(client, person.email)).json()
    old_refresh = old_session["refresh_token"]

    asked = await _ask(client, person.email.upper())
    assert asked.status_code == 202
    [(base, path, token)] = await emailed_links(admin_session, person.email)
    assert (base, path) == (get_settings().web_url(), "/reset-password")

    too_short = await _confirm(client, token, "short")
    assert too_short.status_code == 400 and "at least" in too_short.json()["detail"]
    done = await _confirm(client, token)
    assert done.status_code == 200 and done.json() == {"email": person.email, "status": "active"}

    assert (await password_login(client, person.email, NEW_PASSWORD)).status_code == 200
    assert (await password_login(client, person.email)).status_code == 400
    again = await _confirm(client, token, "yet-another-password")
    assert again.status_code == 400 and "not valid or has expired" in again.json()["detail"]
    refreshed = await client.post(
        "/api/v1/auth/token", data={"grant_type": "refresh_token", "refresh_token": old_refresh}
    )
    assert refreshed.status_code == 400
    old_access = {"Authorization": f"Bearer {old_session['access_token']}"}
    assert (await client.get("/api/v1/me", headers=old_access)).status_code == 401  # ended at once, not at expiry
    revoked = (await admin_session.execute(select(RefreshToken.revoked_at))).scalars().all()
    assert revoked and None not in revoked[:1]


async def test_unknown_and_known_addresses_get_the_same_answer_and_only_accounts_get_mail(client, admin_session):
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT)

    known = await _ask(client, agent.email)
    unknown = await _ask(client, "nobody-here@example.test")

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert len(await emailed_links(admin_session, agent.email)) == 1
    assert await emailed_links(admin_session, "nobody-here@example.test") == []


def _redis(settings):
    # The app's own client lives on the test client's loop; the test talks to Redis directly.
    return redis.Redis.from_url(settings.redis_url)


async def test_a_new_link_replaces_the_previous_one_and_an_address_gets_one_email_a_minute(
    client, admin_session, settings
):
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT)
    await _ask(client, agent.email)
    await _ask(client, agent.email)  # within the minute: no second email
    [(_, _, first)] = await emailed_links(admin_session, agent.email)

    store = _redis(settings)
    store.delete(*store.keys("bo_saas:password_reset:sent:*"))  # a minute later
    await _ask(client, agent.email)
    [_, (_, _, second)] = await emailed_links(admin_session, agent.email)

    assert (await _confirm(client, first)).status_code == 400
    assert (await _confirm(client, second)).status_code == 200


async def test_a_reset_link_expires(client, admin_session, settings):
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT)
    await _ask(client, agent.email)
    [(_, _, token)] = await emailed_links(admin_session, agent.email)
    store = _redis(settings)
    [key] = store.keys("bo_saas:password_reset:token:*")
    assert 0 < store.ttl(key) <= settings.password_reset_minutes * 60
    store.delete(key)  # what Redis does when the time is up

    assert (await _confirm(client, token)).status_code == 400


async def test_asking_too_often_from_one_address_answers_429_with_retry_after(client, admin_session):
    for number in range(REQUESTS_PER_ADDRESS_WINDOW):
        assert (await _ask(client, f"someone-{number}@example.test")).status_code == 202

    refused = await _ask(client, "someone-else@example.test")

    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "try again in" in refused.json()["detail"]
    assert (await admin_session.execute(select(OutboxMessage))).scalars().all() == []


async def test_an_invited_person_who_forgot_gets_a_fresh_invitation(app, client, admin_session):
    from tests.auth import bearer

    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    await client.post(
        "/api/v1/users",
        json={"email": "late@example.test", "name": "Late Comer"},
        headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id),
    )

    assert (await _ask(client, "late@example.test")).status_code == 202
    [(_, _, first), (_, path, fresh)] = await emailed_links(admin_session, "late@example.test")

    assert path == "/accept-invitation"
    accept = await client.post("/api/v1/auth/invitations/accept", json={"token": fresh, "password": NEW_PASSWORD})
    assert accept.status_code == 200
    assert (await password_login(client, "late@example.test", NEW_PASSWORD)).status_code == 200
