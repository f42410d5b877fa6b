"""Webhook delivery end to end: publish in a transaction, a real dramatiq worker, a real HTTP receiver.

The receiver is a ``ThreadingHTTPServer`` on 127.0.0.1 that records every
request and answers with a scripted sequence of status codes. Signatures are
checked the way a customer's receiver would: HMAC-SHA256 over the raw body.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Iterator
from uuid import UUID, uuid4

import dramatiq
import pytest
import redis
from dramatiq.brokers.redis import RedisBroker
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.lib.caller import Role
from bo_saas.lib.db import set_scope
from bo_saas.lib.outbox import wait_for_relays
from bo_saas.lib.outbox_models import OutboxMessage
from bo_saas.lib.settings import Settings, get_settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from bo_saas.notify.webhook_tasks import QUEUE, RESPONSE_BODY_LIMIT, deliver_webhook
from bo_saas.notify.webhooks import publish_event
from bo_saas.server.app import create_app
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save
from tests.servers import Receiver

SECRET = "whsec_test-secret-for-the-receiver-0123456789"


@pytest.fixture
def webhook_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """What publish_event and the worker read with get_settings(): three attempts, retries within milliseconds."""
    monkeypatch.setenv("BO_WEBHOOK_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("BO_WEBHOOK_MIN_BACKOFF_MS", "10")
    monkeypatch.setenv("BO_WEBHOOK_TIMEOUT_SECONDS", "5")
    # The receiver listens on 127.0.0.1, which deliveries refuse unless this is set.
    monkeypatch.setenv("BO_WEBHOOK_ALLOW_INSECURE", "true")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def verify_signature(secret: str, header: str, body: bytes, tolerance_seconds: int = 300) -> bool:
    """What the README tells receivers to do."""
    fields = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(fields["t"])) <= tolerance_seconds
    return fresh and hmac.compare_digest(expected, fields["v1"])


async def add_endpoint(admin_session: AsyncSession, tenant_id: UUID, url: str, **fields) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(id=uuid4(), tenant_id=tenant_id, url=url, secret=SECRET, **fields)
    await save(admin_session, endpoint)
    return endpoint


async def publish(
    sessionmaker: async_sessionmaker[AsyncSession], tenant_id: UUID, event: str, data: dict, *, scope: TenantScope
) -> int:
    async with sessionmaker() as session:
        set_scope(session, scope)
        count = await publish_event(session, tenant_id, event, data)
        await session.commit()
    await wait_for_relays()
    return count


async def run_jobs(broker: RedisBroker) -> None:
    await asyncio.to_thread(broker.join, QUEUE, timeout=15_000)


async def relayed_by_the_app(admin_session: AsyncSession) -> None:
    """Wait until the app has relayed its outbox (its relay tasks run on the test client's own loop)."""
    deadline = asyncio.get_running_loop().time() + 15
    while await admin_session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None))):
        assert asyncio.get_running_loop().time() < deadline, "the app did not relay its outbox"
        await asyncio.sleep(0.05)
    await admin_session.commit()


async def deliveries_of(admin_session: AsyncSession, endpoint_id: UUID) -> list[WebhookDelivery]:
    statement = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    return list((await admin_session.scalars(statement.execution_options(populate_existing=True))).all())


async def attempts_of(admin_session: AsyncSession, delivery_id: UUID) -> list[WebhookAttempt]:
    return list(
        (
            await admin_session.scalars(
                select(WebhookAttempt)
                .where(WebhookAttempt.delivery_id == delivery_id)
                .order_by(WebhookAttempt.attempted_at)
            )
        ).all()
    )


async def test_published_event_arrives_signed_so_the_receiver_can_verify_it(
    webhook_environment, receiver: Receiver, job_broker, job_worker, runtime_sessionmaker, admin_session
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    endpoint = await add_endpoint(admin_session, tenant.id, f"{receiver.url}/hooks")
    item_id = uuid4()

    count = await publish(
        runtime_sessionmaker,
        tenant.id,
        "work_item.created",
        {"work_item_id": item_id, "title": "Book March invoices"},
        scope=TenantScope.of(tenant.id),
    )
    await run_jobs(job_broker)

    assert count == 1
    [request] = receiver.requests
    [delivery] = await deliveries_of(admin_session, endpoint.id)
    assert request.path == "/hooks"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "bo-saas-webhooks/1"
    assert request.headers["X-BO-Event"] == "work_item.created"
    assert request.headers["X-BO-Delivery"] == str(delivery.id)
    assert verify_signature(SECRET, request.headers["X-BO-Signature"], request.body)
    assert not verify_signature("whsec_someone-elses-secret", request.headers["X-BO-Signature"], request.body)
    body = json.loads(request.body)
    assert body == {
        "id": str(delivery.id),
        "event": "work_item.created",
        "created_at": body["created_at"],
        "tenant_id": str(tenant.id),
        "data": {"work_item_id": str(item_id), "title": "Book March invoices"},
    }
    assert body == delivery.payload
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 1, 200)
    assert delivery.delivered_at is not None and delivery.next_attempt_at is None
    [attempt] = await attempts_of(admin_session, delivery.id)
    assert (attempt.status_code, attempt.response_body, attempt.error) == (200, "ok", None)


async def test_receiver_failing_once_gets_the_same_body_again_and_both_attempts_are_logged(
    webhook_environment, receiver: Receiver, job_broker, job_worker, runtime_sessionmaker, admin_session
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    endpoint = await add_endpoint(admin_session, tenant.id, f"{receiver.url}/flaky")
    receiver.answer(500, 200, body=b"x" * (RESPONSE_BODY_LIMIT * 3))

    await publish(
        runtime_sessionmaker, tenant.id, "work_item.state_changed", {"to": "done"}, scope=TenantScope.of(tenant.id)
    )
    await run_jobs(job_broker)

    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["X-BO-Delivery"] == second.headers["X-BO-Delivery"]
    assert verify_signature(SECRET, second.headers["X-BO-Signature"], second.body)
    [delivery] = await deliveries_of(admin_session, endpoint.id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 2, 200)
    attempts = await attempts_of(admin_session, delivery.id)
    assert [a.status_code for a in attempts] == [500, 200]
    # Only the first 2 KB of an answer is kept.
    assert [len(a.response_body) for a in attempts] == [RESPONSE_BODY_LIMIT, RESPONSE_BODY_LIMIT]


async def test_receiver_always_failing_ends_failed_after_the_configured_attempts(
    webhook_environment,
    receiver: Receiver,
    job_broker,
    job_worker,
    runtime_sessionmaker,
    admin_session,
    settings: Settings,
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    endpoint = await add_endpoint(admin_session, tenant.id, f"{receiver.url}/down")
    receiver.answer(503)

    await publish(runtime_sessionmaker, tenant.id, "work_item.sla_breached", {}, scope=TenantScope.of(tenant.id))
    await run_jobs(job_broker)

    assert len(receiver.requests) == 3
    [delivery] = await deliveries_of(admin_session, endpoint.id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.FAILED, 3, 503)
    assert delivery.next_attempt_at is None and delivery.delivered_at is None
    assert [a.status_code for a in await attempts_of(admin_session, delivery.id)] == [503, 503, 503]
    # The failure is the receiver's and is recorded on the delivery: not a dead letter for operators.
    assert redis.Redis.from_url(settings.redis_url).zcard(f"dramatiq:{QUEUE}.XQ") == 0


async def test_unreachable_receiver_is_retried_and_the_error_is_logged(
    webhook_environment, job_broker, job_worker, runtime_sessionmaker, admin_session
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    with Receiver() as gone:
        url = f"{gone.url}/gone"
    endpoint = await add_endpoint(admin_session, tenant.id, url)

    await publish(runtime_sessionmaker, tenant.id, "work_item.created", {}, scope=TenantScope.of(tenant.id))
    await run_jobs(job_broker)

    [delivery] = await deliveries_of(admin_session, endpoint.id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.FAILED, 3, None)
    attempts = await attempts_of(admin_session, delivery.id)
    assert all(a.status_code is None and a.error.startswith("ConnectError") for a in attempts), attempts


async def test_only_active_endpoints_subscribed_to_the_event_receive_it(
    webhook_environment, receiver: Receiver, job_broker, job_worker, runtime_sessionmaker, admin_session
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    await add_endpoint(admin_session, tenant.id, f"{receiver.url}/all")
    await add_endpoint(admin_session, tenant.id, f"{receiver.url}/created", events=["work_item.created"])
    await add_endpoint(admin_session, tenant.id, f"{receiver.url}/breaches", events=["work_item.sla_breached"])
    await add_endpoint(admin_session, tenant.id, f"{receiver.url}/off", active=False)

    count = await publish(runtime_sessionmaker, tenant.id, "work_item.created", {}, scope=TenantScope.of(tenant.id))
    await run_jobs(job_broker)

    assert count == 2
    assert sorted(r.path for r in receiver.requests) == ["/all", "/created"]


async def test_another_tenants_endpoints_never_receive_this_tenants_events(
    webhook_environment, receiver: Receiver, job_broker, job_worker, runtime_sessionmaker, admin_session
):
    a, b = TenantFactory(), TenantFactory()
    await save(admin_session, a, b)
    await add_endpoint(admin_session, a.id, f"{receiver.url}/a")
    await add_endpoint(admin_session, b.id, f"{receiver.url}/b")

    published = await publish(runtime_sessionmaker, a.id, "work_item.created", {}, scope=TenantScope.of(a.id))
    # Even asked for tenant B's id, a session scoped to A cannot see B's endpoints.
    smuggled = await publish(runtime_sessionmaker, b.id, "work_item.created", {}, scope=TenantScope.of(a.id))
    await run_jobs(job_broker)

    assert (published, smuggled) == (1, 0)
    assert [r.path for r in receiver.requests] == ["/a"]
    assert json.loads(receiver.requests[0].body)["tenant_id"] == str(a.id)


async def test_a_repeated_message_does_not_deliver_again_after_success(
    webhook_environment, receiver: Receiver, job_broker, job_worker, runtime_sessionmaker, admin_session
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    endpoint = await add_endpoint(admin_session, tenant.id, f"{receiver.url}/once")
    await publish(runtime_sessionmaker, tenant.id, "work_item.commented", {}, scope=TenantScope.of(tenant.id))
    [outbox_row] = (await admin_session.scalars(select(OutboxMessage))).all()
    message = dramatiq.Message(**outbox_row.message)
    await run_jobs(job_broker)

    # The outbox delivers at least once: the same message again, twice at the same time.
    job_broker.enqueue(message)
    job_broker.enqueue(message)
    await run_jobs(job_broker)

    assert len(receiver.requests) == 1
    [delivery] = await deliveries_of(admin_session, endpoint.id)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)


async def test_pending_delivery_of_a_deactivated_endpoint_is_not_sent(
    webhook_environment, receiver: Receiver, job_broker, job_worker, admin_session
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    endpoint = await add_endpoint(admin_session, tenant.id, f"{receiver.url}/off", active=False)
    delivery = WebhookDelivery(
        id=uuid4(), tenant_id=tenant.id, endpoint_id=endpoint.id, event="work_item.created", payload={}
    )
    await save(admin_session, delivery)

    job_broker.enqueue(deliver_webhook.message(tenant_id=str(tenant.id), delivery_id=str(delivery.id)))
    await run_jobs(job_broker)

    assert receiver.requests == []
    [stored] = await deliveries_of(admin_session, endpoint.id)
    assert (stored.status, stored.attempts) == (DeliveryStatus.FAILED, 0)


@pytest.fixture
async def quick_retry_app(settings: Settings) -> AsyncIterator[tuple]:
    """The app with the retry settings of ``webhook_environment`` (the API queues with its own settings)."""
    app = create_app(settings.model_copy(update={"webhook_max_attempts": 3, "webhook_min_backoff_ms": 10}))
    async with AsyncTestClient(app=app) as client:
        yield app, client


async def test_ping_and_manual_retry_through_the_api_reach_the_receiver(
    webhook_environment, receiver: Receiver, job_broker, job_worker, quick_retry_app, admin_session
):
    app, client = quick_retry_app
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    headers = bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)
    created = await client.post("/api/v1/webhooks", json={"url": f"{receiver.url}/ping"}, headers=headers)
    assert created.status_code == 201, created.text
    webhook = created.json()

    receiver.answer(500)
    pinged = await client.post(f"/api/v1/webhooks/{webhook['id']}/ping", headers=headers)
    assert pinged.status_code == 202, pinged.text
    await relayed_by_the_app(admin_session)
    await run_jobs(job_broker)

    assert [r.headers["X-BO-Event"] for r in receiver.requests] == ["ping"] * 3
    assert verify_signature(
        webhook["secret"], receiver.requests[0].headers["X-BO-Signature"], receiver.requests[0].body
    )
    assert json.loads(receiver.requests[0].body)["data"] == {"webhook_id": webhook["id"]}
    [failed] = (await client.get(f"/api/v1/webhooks/{webhook['id']}/deliveries", headers=headers)).json()["items"]
    assert (failed["status"], failed["attempts"]) == ("failed", 3)

    receiver.answer(204)
    retried = await client.post(f"/api/v1/webhooks/{webhook['id']}/deliveries/{failed['id']}/retry", headers=headers)
    assert retried.status_code == 202, retried.text
    assert retried.json()["status"] == "pending"
    await relayed_by_the_app(admin_session)
    await run_jobs(job_broker)

    assert len(receiver.requests) == 4
    assert receiver.requests[3].body == receiver.requests[0].body
    [delivered] = (await client.get(f"/api/v1/webhooks/{webhook['id']}/deliveries", headers=headers)).json()["items"]
    assert (delivered["status"], delivered["attempts"], delivered["last_status_code"]) == ("delivered", 4, 204)
    assert [a["status_code"] for a in delivered["attempt_log"]] == [500, 500, 500, 204]
