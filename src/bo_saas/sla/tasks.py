"""SLA timer jobs: a delayed message per due time, queued by ``sla.detection.arm_timers``."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import dramatiq
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.outbox import idempotent
from bo_saas.sla.calendars import business_time_for
from bo_saas.sla.detection import arm_timer, detect, due_instants
from bo_saas.work.models import WorkItem

# Its own queue, so a backlog of emails or webhooks never holds a due time back.
QUEUE = "sla"


@dramatiq.actor(queue_name=QUEUE, max_retries=5, min_backoff=500, time_limit=60_000)
@idempotent
async def sla_timer(session: AsyncSession, *, tenant_id: str, work_item_id: str, due_at: str) -> None:
    """At ``due_at``, record whatever the item has due. A stale timer (its due time moved) does nothing."""
    item = (await session.execute(select(WorkItem).where(WorkItem.id == UUID(work_item_id)).with_for_update())).scalar()
    if item is None:
        return
    due = datetime.fromisoformat(due_at)
    now = utc_now()
    if due not in due_instants(item):
        return  # the due time moved or was met; the new one has its own timer
    if due > now:
        await arm_timer(session, item.tenant_id, item.id, due)  # a hop of a far-off timer
        return
    await detect(session, item, await business_time_for(session, item.tenant_id), now, "timer")
