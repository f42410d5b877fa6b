"""Retention of webhook deliveries: delivered ones go after the retention with their attempts; others stay.

Rows are seeded as the owner; the purge runs as the runtime role, under forced RLS, as in the API process.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.retention import Purged, cutoff_for
from bo_saas.lib.settings import Settings
from bo_saas.notify import retention
from bo_saas.notify.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from bo_saas.notify.retention import purge_webhook_deliveries, run_webhook_retention
from bo_saas.server.app import create_app
from bo_saas.server.registry import load
from bo_saas.tenancy.models import Tenant
from tests.factories import (
    TenantFactory,
    WebhookAttemptFactory,
    WebhookDeliveryFactory,
    WebhookEndpointFactory,
    save,
)

DAYS = 30


async def _tenant_with_endpoint(session: AsyncSession) -> tuple[Tenant, UUID]:
    tenant = TenantFactory()
    await save(session, tenant)
    endpoint = WebhookEndpointFactory(tenant_id=tenant.id)
    await save(session, endpoint)
    return tenant, endpoint.id


async def _delivery(
    session: AsyncSession, tenant_id: UUID, endpoint_id: UUID, status: DeliveryStatus, days_ago: float, attempts: int
) -> UUID:
    at = utc_now() - timedelta(days=days_ago)
    delivery = WebhookDeliveryFactory(
        tenant_id=tenant_id,
        endpoint_id=endpoint_id,
        status=status,
        attempts=attempts,
        created_at=at,
        delivered_at=at if status == DeliveryStatus.DELIVERED else None,
    )
    await save(session, delivery)
    # A delivered one failed first, then got through; a failed one failed every time.
    await save(
        session,
        *(
            WebhookAttemptFactory(
                tenant_id=tenant_id,
                delivery_id=delivery.id,
                attempted_at=at,
                status_code=200 if status == DeliveryStatus.DELIVERED and n == attempts - 1 else 503,
            )
            for n in range(attempts)
        ),
    )
    return delivery.id


async def _remaining(session: AsyncSession) -> tuple[set[UUID], set[UUID]]:
    """Delivery ids left, and the delivery ids that still have attempts (read as the owner, past RLS)."""
    deliveries = set((await session.execute(select(WebhookDelivery.id))).scalars())
    attempted = set((await session.execute(select(WebhookAttempt.delivery_id).distinct())).scalars())
    return deliveries, attempted


async def test_old_delivered_deliveries_go_with_their_attempts_and_nothing_else_does(
    admin_session: AsyncSession, runtime_engine: AsyncEngine
) -> None:
    acme, acme_hook = await _tenant_with_endpoint(admin_session)
    globex, globex_hook = await _tenant_with_endpoint(admin_session)
    old_delivered = {
        await _delivery(admin_session, acme.id, acme_hook, DeliveryStatus.DELIVERED, 40, attempts=2),
        await _delivery(admin_session, globex.id, globex_hook, DeliveryStatus.DELIVERED, 31, attempts=1),
    }
    kept = {
        await _delivery(admin_session, acme.id, acme_hook, DeliveryStatus.DELIVERED, 1, attempts=1),
        await _delivery(admin_session, acme.id, acme_hook, DeliveryStatus.FAILED, 90, attempts=8),
        await _delivery(admin_session, globex.id, globex_hook, DeliveryStatus.PENDING, 40, attempts=3),
    }

    purged = await purge_webhook_deliveries(runtime_engine, cutoff_for(DAYS), pause_seconds=0)

    assert purged.rows == 2
    deliveries, attempted = await _remaining(admin_session)
    assert deliveries == kept
    assert attempted == kept
    assert not old_delivered & (deliveries | attempted)


async def test_every_tenant_is_purged_when_they_take_several_scopes(
    admin_session: AsyncSession, runtime_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention, "TENANT_CHUNK", 2)
    for _ in range(5):
        tenant, hook = await _tenant_with_endpoint(admin_session)
        await _delivery(admin_session, tenant.id, hook, DeliveryStatus.DELIVERED, 40, attempts=1)

    purged = await purge_webhook_deliveries(runtime_engine, cutoff_for(DAYS), pause_seconds=0)

    assert purged == Purged(rows=5, batches=3)  # one batch per chunk of two tenants
    assert await _remaining(admin_session) == (set(), set())


async def test_deliveries_are_purged_in_bounded_batches(
    admin_session: AsyncSession, runtime_engine: AsyncEngine
) -> None:
    tenant, hook = await _tenant_with_endpoint(admin_session)
    for _ in range(35):
        await _delivery(admin_session, tenant.id, hook, DeliveryStatus.DELIVERED, 40, attempts=1)

    purged = await purge_webhook_deliveries(runtime_engine, cutoff_for(DAYS), batch_size=10, pause_seconds=0)

    assert purged == Purged(rows=35, batches=4)
    assert await _remaining(admin_session) == (set(), set())


async def test_a_delivery_locked_by_its_job_is_skipped_not_waited_for(
    admin_session: AsyncSession, admin_engine: AsyncEngine, runtime_engine: AsyncEngine
) -> None:
    tenant, hook = await _tenant_with_endpoint(admin_session)
    locked = await _delivery(admin_session, tenant.id, hook, DeliveryStatus.DELIVERED, 40, attempts=1)
    free = await _delivery(admin_session, tenant.id, hook, DeliveryStatus.DELIVERED, 40, attempts=1)

    async with admin_engine.connect() as other:
        # A repeat of the delivery's job holds its row (attempt_delivery locks it FOR UPDATE).
        await other.execute(text("SELECT 1 FROM webhook_deliveries WHERE id = :id FOR UPDATE"), {"id": locked})
        purged = await asyncio.wait_for(
            purge_webhook_deliveries(runtime_engine, cutoff_for(DAYS), pause_seconds=0), timeout=10
        )
        await other.rollback()

    assert purged.rows == 1
    deliveries, _ = await _remaining(admin_session)
    assert locked in deliveries and free not in deliveries


async def test_the_api_process_runs_both_retention_loops(settings: Settings, admin_engine: AsyncEngine) -> None:
    # notify declares its loop (the app starts every domain's); lib's is started by the server's core.
    assert run_webhook_retention in load().background
    app = create_app(settings)
    async with app.lifespan():
        loops = [task for task in asyncio.all_tasks() if task.get_name() == "outbox-retention"]
        assert len(loops) == 1 and not loops[0].done()
    await asyncio.sleep(0)
    assert loops[0].cancelled()  # and it ends with the process
