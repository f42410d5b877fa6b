"""Retention of webhook deliveries: delivered ones go after ``BO_RETENTION_DAYS``, with their attempts.

A delivery is deleted once it was delivered longer ago than the retention; its
attempts go with it through the foreign key's ``ON DELETE CASCADE`` (the
cascade runs with the table owner's rights, so the runtime role keeps its
insert-and-read-only grant on attempts; a batch's attempts are bounded by
``BO_WEBHOOK_MAX_ATTEMPTS`` per delivery). Pending deliveries, and failed ones a
tenant admin may still retry, are never purged, nor are their attempts.

The tables are tenant-owned under forced RLS and the purge runs as the runtime
role: like the SLA sweeper it walks the tenants in chunks, each chunk a scope
of its own, and purges each in small ``SKIP LOCKED`` batches
(``lib.retention.purge_in_batches``). A delivery being sent is locked by its
job and is left for a later run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Delete, and_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bo_saas.lib.retention import (
    BATCH_PAUSE_SECONDS,
    BATCH_SIZE,
    Purged,
    cutoff_for,
    oldest_first,
    purge_in_batches,
    run_retention,
)
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.models import DeliveryStatus, WebhookDelivery
from bo_saas.tenancy.models import Tenant

# As many tenants per scope as the SLA sweeper takes: the policy reads the set once per statement.
TENANT_CHUNK = 1000


def _delivered_before(cutoff: datetime) -> Callable[[int], Delete]:
    return oldest_first(
        WebhookDelivery,
        and_(WebhookDelivery.status == DeliveryStatus.DELIVERED, WebhookDelivery.delivered_at < cutoff),
        WebhookDelivery.delivered_at,
    )


async def purge_webhook_deliveries(
    engine: AsyncEngine,
    cutoff: datetime,
    *,
    batch_size: int = BATCH_SIZE,
    pause_seconds: float = BATCH_PAUSE_SECONDS,
) -> Purged:
    """Delete deliveries delivered before ``cutoff`` (and their attempts), across every tenant."""
    async with engine.connect() as connection:
        tenant_ids = list((await connection.execute(select(Tenant.id).order_by(Tenant.id))).scalars())
    rows = batches = 0
    for start in range(0, len(tenant_ids), TENANT_CHUNK):
        purged = await purge_in_batches(
            engine,
            _delivered_before(cutoff),
            batch_size=batch_size,
            pause_seconds=pause_seconds,
            scope=TenantScope(frozenset(tenant_ids[start : start + TENANT_CHUNK])),
        )
        rows += purged.rows
        batches += purged.batches
    return Purged(rows, batches)


async def run_webhook_retention(engine: AsyncEngine, settings: Settings) -> None:
    """notify's purge loop, declared in its ``DOMAIN.background``."""

    async def purge() -> dict[str, Purged]:
        cutoff = cutoff_for(settings.retention_days)
        return {"webhook_deliveries": await purge_webhook_deliveries(engine, cutoff)}

    await run_retention("webhooks", purge)
