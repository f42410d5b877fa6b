"""Changing an item's priority after it was queued: its SLA targets follow.

Targets are per plan × service × priority, so raising a ticket to urgent must bring
its due times forward (and lowering it push them back), counted from when the clocks
started, as if it had been queued at that priority. What already happened stands: a
first response given, the business minutes a paused resolution clock banked, a
breach recorded. The timers for the new due times are armed in the same transaction.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.tenancy.calendars import business_time_for
from bo_saas.tenancy.models import Tenant
from bo_saas.work import clocks
from bo_saas.work.lifecycle import sla_hooks
from bo_saas.work.models import Priority, WorkItem


async def change_priority(session: AsyncSession, item: WorkItem, priority: Priority) -> bool:
    """Set the item's priority and move its running SLA clocks to the new targets; whether anything changed."""
    if item.priority is priority:
        return False
    armed = clocks.due_instants(item)
    now = utc_now()
    item.priority = priority
    item.updated_at = now
    if item.sla_first_response_minutes is not None and item.state in clocks.OPEN_STATES:
        tenant = await session.get(Tenant, item.tenant_id)
        targets = await sla_hooks().targets_for(session, tenant, item.service_type, priority)
        clocks.retarget(item, targets, await business_time_for(session, item.tenant_id), now)
        await session.flush()
        await sla_hooks().due_times_changed(session, item, armed)
    return True
