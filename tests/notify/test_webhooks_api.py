"""``/api/v1/webhooks`` against the real app and database (no worker: what is queued is read from the outbox)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.caller import Role
from bo_saas.lib.db import set_scope
from bo_saas.lib.outbox_models import OutboxMessage
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from bo_saas.notify.webhooks import WEBHOOK_EVENTS, WebhookUrlError, check_endpoint_url, publish_event
from bo_saas.server.app import create_app
from bo_saas.tenancy.models import TenantStatus
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save, staff_user

HOOK_URL = "https://hooks.example.test/bo"


@pytest.fixture
async def tenant_admin(app, admin_session: AsyncSession):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    return tenant, bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)


async def create_webhook(client, headers, **body) -> dict:
    response = await client.post("/api/v1/webhooks", json={"url": HOOK_URL, **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def add_delivery(admin_session: AsyncSession, webhook: dict, **fields) -> WebhookDelivery:
    delivery = WebhookDelivery(
        id=uuid4(),
        tenant_id=webhook["tenant_id"],
        endpoint_id=webhook["id"],
        event="work_item.created",
        payload={"event": "work_item.created"},
        **fields,
    )
    await save(admin_session, delivery)
    return delivery


async def outbox_kwargs(admin_session: AsyncSession) -> list[dict]:
    rows = (await admin_session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    return [{"actor": r.actor_name, **r.message["kwargs"], "options": r.message["options"]} for r in rows]


# --- the URL rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://hooks.example.com/bo", "https://"),
        ("ftp://hooks.example.com/bo", "https://"),
        ("https://user:pass@hooks.example.com/bo", "user name or password"),
        ("https://token@hooks.example.com/bo", "user name or password"),
        ("https://localhost/bo", "localhost"),
        ("https://LOCALHOST./bo", "localhost"),
        ("https://api.localhost/bo", "localhost"),
        ("https://127.0.0.1/bo", "private"),
        ("https://127.1/bo", "private"),
        ("https://2130706433/bo", "private"),
        ("https://10.1.2.3/bo", "private"),
        ("https://172.16.0.9/bo", "private"),
        ("https://192.168.1.10:8443/bo", "private"),
        ("https://169.254.169.254/latest/meta-data", "private"),
        ("https://0.0.0.0/bo", "private"),
        ("https://[::1]/bo", "private"),
        ("https://[fe80::1]/bo", "private"),
        ("https://[fd00::5]/bo", "private"),
        ("https://[::ffff:127.0.0.1]/bo", "private"),
        ("https:///bo", "no host"),
        ("https://hooks.example.com:notaport/bo", "not a valid URL"),
    ],
)
def test_webhook_url_rule_refuses_insecure_or_internal_targets(url: str, reason: str):
    with pytest.raises(WebhookUrlError, match=reason):
        check_endpoint_url(url, allow_insecure=False)


@pytest.mark.parametrize(
    "url", ["https://hooks.example.com/bo", "https://8.8.8.8/bo?x=1", "https://[2001:4860::8888]:8443/bo"]
)
def test_webhook_url_rule_accepts_public_https_urls(url: str):
    assert check_endpoint_url(f"  {url} ", allow_insecure=False) == url


def test_webhook_url_rule_when_insecure_is_allowed_takes_http_and_local_hosts_but_never_credentials():
    assert check_endpoint_url("http://127.0.0.1:9000/hook", allow_insecure=True) == "http://127.0.0.1:9000/hook"
    with pytest.raises(WebhookUrlError, match="user name or password"):
        check_endpoint_url("http://a:b@127.0.0.1:9000/hook", allow_insecure=True)
    with pytest.raises(WebhookUrlError, match=r"https:// or http://"):
        check_endpoint_url("ftp://127.0.0.1/hook", allow_insecure=True)


@pytest.fixture
async def strict_client(settings: Settings) -> AsyncIterator[tuple]:
    """An app with the production rule (insecure webhooks off)."""
    app = create_app(settings.model_copy(update={"webhook_allow_insecure": False}))
    async with AsyncTestClient(app=app) as client:
        yield app, client


async def test_api_refuses_http_and_internal_urls_with_a_readable_400(strict_client, admin_session: AsyncSession, app):
    strict_app, client = strict_client
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    headers = bearer(strict_app, admin, Role.CLIENT_ADMIN, tenant.id)

    for url, reason in [
        ("http://hooks.example.com/bo", "must start with https://"),
        ("https://10.0.0.7/bo", "not a public address"),
        ("https://user:secret@hooks.example.com/bo", "user name or password"),
    ]:
        response = await client.post("/api/v1/webhooks", json={"url": url}, headers=headers)
        assert response.status_code == 400, response.text
        assert response.json()["detail"].startswith("Webhook URL refused: ")
        assert reason in response.json()["detail"]

    accepted = await client.post("/api/v1/webhooks", json={"url": HOOK_URL}, headers=headers)
    assert accepted.status_code == 201, accepted.text
    changed = await client.patch(
        f"/api/v1/webhooks/{accepted.json()['id']}", json={"url": "https://[::1]/bo"}, headers=headers
    )
    assert changed.status_code == 400, changed.text


# --- endpoints ---------------------------------------------------------------------------------


async def test_create_shows_the_secret_once_and_never_again(client, tenant_admin, admin_session: AsyncSession):
    tenant, headers = tenant_admin

    created = await create_webhook(client, headers, description="ERP", events=["work_item.created"])

    assert created["secret"].startswith("whsec_") and len(created["secret"]) >= 6 + 43
    assert created["tenant_id"] == str(tenant.id)
    assert (created["url"], created["description"], created["events"], created["active"]) == (
        HOOK_URL,
        "ERP",
        ["work_item.created"],
        True,
    )
    one = await client.get(f"/api/v1/webhooks/{created['id']}", headers=headers)
    listed = await client.get("/api/v1/webhooks", headers=headers)
    assert one.status_code == 200 and "secret" not in one.json()
    assert listed.json()["total"] == 1 and "secret" not in listed.json()["items"][0]
    assert created["secret"] not in one.text + listed.text
    stored = await admin_session.scalar(select(WebhookEndpoint.secret))
    assert stored == created["secret"]
    audit = (await admin_session.execute(text("SELECT action, changes::text FROM audit_events"))).all()
    assert [a.action for a in audit] == ["webhook.created"]
    assert created["secret"] not in audit[0].changes


async def test_list_is_paginated_newest_first(client, tenant_admin):
    _, headers = tenant_admin
    first = await create_webhook(client, headers, description="first")
    second = await create_webhook(client, headers, description="second")

    page = (await client.get("/api/v1/webhooks?limit=1", headers=headers)).json()
    rest = (await client.get("/api/v1/webhooks?limit=1&offset=1", headers=headers)).json()

    assert (page["total"], page["limit"], page["offset"]) == (2, 1, 0)
    assert [page["items"][0]["id"], rest["items"][0]["id"]] == [second["id"], first["id"]]


async def test_unknown_event_names_are_a_400_that_lists_the_valid_ones(client, tenant_admin):
    _, headers = tenant_admin

    created = await client.post(
        "/api/v1/webhooks", json={"url": HOOK_URL, "events": ["work_item.created", "invoice.paid"]}, headers=headers
    )
    webhook = await create_webhook(client, headers)
    changed = await client.patch(f"/api/v1/webhooks/{webhook['id']}", json={"events": ["ping"]}, headers=headers)

    assert created.status_code == 400
    assert "invoice.paid" in created.json()["detail"]
    assert all(event in created.json()["detail"] for event in WEBHOOK_EVENTS)
    assert created.json()["extra"] == {"valid_events": list(WEBHOOK_EVENTS)}
    assert changed.status_code == 400 and "ping" in changed.json()["detail"]


async def test_update_changes_the_endpoint_and_records_what_changed(client, tenant_admin, admin_session: AsyncSession):
    _, headers = tenant_admin
    webhook = await create_webhook(client, headers)

    changed = await client.patch(
        f"/api/v1/webhooks/{webhook['id']}",
        json={
            "url": "https://hooks.example.test/v2",
            "events": ["work_item.sla_breached", "work_item.sla_warning", "work_item.sla_breached"],
            "active": False,
        },
        headers=headers,
    )

    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["url"], body["events"], body["active"]) == (
        "https://hooks.example.test/v2",
        ["work_item.sla_breached", "work_item.sla_warning"],
        False,
    )
    [changes] = (
        await admin_session.scalars(text("SELECT changes FROM audit_events WHERE action = 'webhook.updated'"))
    ).all()
    assert changes == {
        "url": {"old": HOOK_URL, "new": "https://hooks.example.test/v2"},
        "events": {"old": [], "new": ["work_item.sla_breached", "work_item.sla_warning"]},
        "active": {"old": True, "new": False},
    }


async def test_rotate_secret_returns_a_new_secret_and_signs_with_it_from_then_on(
    client, tenant_admin, admin_session: AsyncSession
):
    _, headers = tenant_admin
    webhook = await create_webhook(client, headers)

    rotated = await client.post(f"/api/v1/webhooks/{webhook['id']}/rotate-secret", headers=headers)

    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret.startswith("whsec_") and new_secret != webhook["secret"]
    assert await admin_session.scalar(select(WebhookEndpoint.secret)) == new_secret
    assert "secret" not in (await client.get(f"/api/v1/webhooks/{webhook['id']}", headers=headers)).json()
    audit = (await admin_session.execute(text("SELECT action, changes::text AS changes FROM audit_events"))).all()
    assert "webhook.secret_rotated" in [a.action for a in audit]
    assert not any(new_secret in a.changes or webhook["secret"] in a.changes for a in audit)


async def test_delete_removes_the_endpoint_with_its_deliveries_and_attempts(
    client, tenant_admin, admin_session: AsyncSession
):
    _, headers = tenant_admin
    webhook = await create_webhook(client, headers)
    kept = await create_webhook(client, headers)
    delivery = await add_delivery(admin_session, webhook, status=DeliveryStatus.FAILED, attempts=1)
    await add_delivery(admin_session, kept)
    await save(
        admin_session,
        WebhookAttempt(
            tenant_id=delivery.tenant_id, delivery_id=delivery.id, status_code=500, error=None, duration_ms=3
        ),
    )

    deleted = await client.delete(f"/api/v1/webhooks/{webhook['id']}", headers=headers)

    assert deleted.status_code == 204, deleted.text
    assert (await client.get(f"/api/v1/webhooks/{webhook['id']}", headers=headers)).status_code == 404
    assert await admin_session.scalar(select(func.count()).select_from(WebhookEndpoint)) == 1
    assert await admin_session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1
    assert await admin_session.scalar(select(func.count()).select_from(WebhookAttempt)) == 0


# --- deliveries, ping, retry -------------------------------------------------------------------


async def test_ping_queues_a_ping_delivery_with_the_configured_retries(
    client, tenant_admin, admin_session: AsyncSession, settings: Settings
):
    tenant, headers = tenant_admin
    webhook = await create_webhook(client, headers)

    pinged = await client.post(f"/api/v1/webhooks/{webhook['id']}/ping", headers=headers)

    assert pinged.status_code == 202, pinged.text
    delivery = pinged.json()
    assert (delivery["event"], delivery["status"], delivery["attempts"], delivery["attempt_log"]) == (
        "ping",
        "pending",
        0,
        [],
    )
    assert delivery["payload"] == {
        "id": delivery["id"],
        "event": "ping",
        "created_at": delivery["payload"]["created_at"],
        "tenant_id": str(tenant.id),
        "data": {"webhook_id": webhook["id"]},
    }
    [queued] = await outbox_kwargs(admin_session)
    assert queued == {
        "actor": "deliver_webhook",
        "tenant_id": str(tenant.id),
        "delivery_id": delivery["id"],
        "options": {"max_retries": settings.webhook_max_attempts - 1, "min_backoff": settings.webhook_min_backoff_ms},
    }


async def test_ping_of_an_inactive_endpoint_is_refused(client, tenant_admin):
    _, headers = tenant_admin
    webhook = await create_webhook(client, headers, active=False)

    pinged = await client.post(f"/api/v1/webhooks/{webhook['id']}/ping", headers=headers)

    assert pinged.status_code == 409
    assert "inactive" in pinged.json()["detail"]


async def test_deliveries_are_listed_newest_first_with_their_attempts(
    client, tenant_admin, admin_session: AsyncSession
):
    _, headers = tenant_admin
    webhook = await create_webhook(client, headers)
    older = await add_delivery(admin_session, webhook, status=DeliveryStatus.FAILED, attempts=2)
    newer = await add_delivery(admin_session, webhook)
    for status_code, body in ((502, "bad gateway"), (500, "oops")):
        await save(
            admin_session,
            WebhookAttempt(
                tenant_id=older.tenant_id,
                delivery_id=older.id,
                status_code=status_code,
                response_body=body,
                duration_ms=12,
            ),
        )

    listed = (await client.get(f"/api/v1/webhooks/{webhook['id']}/deliveries", headers=headers)).json()

    assert listed["total"] == 2
    assert [d["id"] for d in listed["items"]] == [str(newer.id), str(older.id)]
    assert listed["items"][0]["attempt_log"] == []
    assert [(a["status_code"], a["response_body"]) for a in listed["items"][1]["attempt_log"]] == [
        (502, "bad gateway"),
        (500, "oops"),
    ]


async def test_retry_requeues_a_failed_delivery_and_refuses_others(client, tenant_admin, admin_session: AsyncSession):
    tenant, headers = tenant_admin
    webhook = await create_webhook(client, headers)
    other = await create_webhook(client, headers)
    failed = await add_delivery(admin_session, webhook, status=DeliveryStatus.FAILED, attempts=8)
    delivered = await add_delivery(admin_session, webhook, status=DeliveryStatus.DELIVERED, attempts=1)
    base = f"/api/v1/webhooks/{webhook['id']}/deliveries"

    retried = await client.post(f"{base}/{failed.id}/retry", headers=headers)
    again = await client.post(f"{base}/{failed.id}/retry", headers=headers)
    not_failed = await client.post(f"{base}/{delivered.id}/retry", headers=headers)
    wrong_endpoint = await client.post(f"/api/v1/webhooks/{other['id']}/deliveries/{failed.id}/retry", headers=headers)

    assert retried.status_code == 202, retried.text
    assert (retried.json()["status"], retried.json()["attempts"]) == ("pending", 8)
    assert again.status_code == 409 and "pending" in again.json()["detail"]
    assert not_failed.status_code == 409 and "delivered" in not_failed.json()["detail"]
    assert wrong_endpoint.status_code == 404
    queued = await outbox_kwargs(admin_session)
    assert [(q["actor"], q["delivery_id"]) for q in queued] == [("deliver_webhook", str(failed.id))]


# --- who may ------------------------------------------------------------------------------------


async def test_members_may_not_manage_webhooks(app, client, admin_session: AsyncSession):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)

    response = await client.get("/api/v1/webhooks", headers=bearer(app, member, Role.CLIENT_MEMBER, tenant.id))

    assert response.status_code == 403


async def test_provider_admin_manages_a_tenants_webhooks_through_x_tenant(app, client, admin_session: AsyncSession):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    headers = {**bearer(app, provider_admin, Role.PROVIDER_ADMIN), "X-Tenant": tenant.slug}

    created = await client.post("/api/v1/webhooks", json={"url": HOOK_URL}, headers=headers)

    assert created.status_code == 201, created.text
    assert created.json()["tenant_id"] == str(tenant.id)
    assert created.json()["created_by"] == str(provider_admin.id)


async def test_suspended_tenant_can_read_its_webhooks_but_not_change_them(
    client, tenant_admin, admin_session: AsyncSession
):
    tenant, headers = tenant_admin
    webhook = await create_webhook(client, headers)
    await admin_session.execute(
        text("UPDATE tenants SET status = :s WHERE id = :t"), {"s": TenantStatus.SUSPENDED.value, "t": tenant.id}
    )
    await admin_session.commit()

    listed = await client.get("/api/v1/webhooks", headers=headers)
    created = await client.post("/api/v1/webhooks", json={"url": HOOK_URL}, headers=headers)
    pinged = await client.post(f"/api/v1/webhooks/{webhook['id']}/ping", headers=headers)

    assert listed.status_code == 200
    assert (created.status_code, pinged.status_code) == (403, 403)


async def test_another_tenants_webhook_answers_404(app, client, tenant_admin, admin_session: AsyncSession):
    _, headers = tenant_admin
    other = TenantFactory()
    await save(admin_session, other)
    other_admin = await client_user(admin_session, other, Role.CLIENT_ADMIN)
    theirs = await create_webhook(client, bearer(app, other_admin, Role.CLIENT_ADMIN, other.id))

    for method, path in [
        ("GET", ""),
        ("PATCH", ""),
        ("DELETE", ""),
        ("POST", "/rotate-secret"),
        ("POST", "/ping"),
        ("GET", "/deliveries"),
        ("POST", f"/deliveries/{uuid4()}/retry"),
    ]:
        kwargs = {"json": {"description": "mine now"}} if method == "PATCH" else {}
        response = await client.request(method, f"/api/v1/webhooks/{theirs['id']}{path}", headers=headers, **kwargs)
        assert response.status_code == 404, (method, path, response.text)


# --- publish_event, as other domains call it -----------------------------------------------------


async def test_publish_event_refuses_an_unknown_event(runtime_sessionmaker, admin_session: AsyncSession):
    tenant = TenantFactory()
    await save(admin_session, tenant)

    async with runtime_sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant.id))
        with pytest.raises(ValueError, match="unknown webhook event 'work_item.deleted'"):
            await publish_event(session, tenant.id, "work_item.deleted", {})
