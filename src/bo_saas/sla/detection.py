"""Warnings and breaches: found by timers at the due time, and by a sweeper for whatever a timer missed.

When an item's due times are set or change, ``arm_timers`` queues (through the
outbox) one delayed ``sla_timer`` message per new due time. The timer
locks the item and calls ``detect``, which records every warning or breach
that is due by now. The sweeper (``run_sla_sweeper``, in the API process) runs
the same ``detect`` over items whose due time passed more than a moment ago
without a record: after a restart, or while the broker was down.

Both paths lock the item row before deciding, and ``sla_events`` has one row
per (item, clock, kind) at most, so an item is never warned or breached twice,
whichever path gets there first.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import dramatiq
import structlog
from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bo_saas.lib.business_time import BusinessTime
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import scoped_session
from bo_saas.lib.outbox import enqueue_messages, idempotent
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.notifications import notify
from bo_saas.notify.webhooks import publish_event
from bo_saas.sla.models import SlaEvent
from bo_saas.tenancy.calendars import business_time_for, business_times
from bo_saas.tenancy.models import Tenant
from bo_saas.work import clocks
from bo_saas.work.clocks import OPEN_STATES, due_instants
from bo_saas.work.models import SlaStatus, WorkItem

log = structlog.get_logger(__name__)

# dramatiq refuses delays of 7 days or more: a timer further out hops and re-arms itself.
TIMER_HOP = timedelta(days=6)
# The sweeper leaves a due time this long to its timer before treating it as missed.
SWEEP_GRACE = timedelta(seconds=1)
SWEEP_BATCH = 500
SWEEP_TENANT_CHUNK = 1000


async def arm_timers(session: AsyncSession, item: WorkItem, armed_before: set[datetime]) -> None:
    """Queue a timer for each due instant that is new since ``armed_before`` (in one outbox INSERT)."""
    await enqueue_messages(
        session, [_timer(item.tenant_id, item.id, due_at) for due_at in sorted(due_instants(item) - armed_before)]
    )


async def arm_started_clocks(session: AsyncSession, items: Sequence[WorkItem]) -> None:
    """``arm_timers`` for items whose clocks just started, nothing armed before: all their timers at once."""
    await enqueue_messages(
        session, [_timer(item.tenant_id, item.id, due_at) for item in items for due_at in sorted(due_instants(item))]
    )


async def arm_timer(session: AsyncSession, tenant_id: UUID, item_id: UUID, due_at: datetime) -> None:
    await enqueue_messages(session, [_timer(tenant_id, item_id, due_at)])


def _timer(tenant_id: UUID, item_id: UUID, due_at: datetime) -> dramatiq.Message[Any]:
    fire_at = min(due_at, utc_now() + TIMER_HOP)
    # Rounded up to the next millisecond, so the timer never runs a hair before its due time.
    eta_ms = math.ceil(fire_at.timestamp() * 1000) + 1
    return sla_timer.message_with_options(
        kwargs={"tenant_id": str(tenant_id), "work_item_id": str(item_id), "due_at": due_at.isoformat()}, eta=eta_ms
    )


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


async def detect(
    session: AsyncSession, item: WorkItem, calendar: BusinessTime, now: datetime, detected_by: str
) -> list[SlaEvent]:
    """Record every warning and breach of ``item`` that is due by ``now``; the item row must be locked."""
    recorded: list[SlaEvent] = []
    if item.state not in OPEN_STATES:
        return recorded
    if (
        item.first_responded_at is None
        and item.first_response_breached_at is None
        and item.first_response_due_at is not None
        and item.first_response_due_at <= now
    ):
        item.first_response_breached_at = item.first_response_due_at
        recorded += await _record(
            session, item, "first_response", "breach", item.first_response_due_at, now, detected_by
        )
    if (
        item.resolution_running_since is not None
        and item.resolution_breached_at is None
        and item.resolution_due_at is not None
        and item.resolution_due_at <= now
    ):
        item.resolution_breached_at = item.resolution_due_at
        recorded += await _record(session, item, "resolution", "breach", item.resolution_due_at, now, detected_by)
    while (pending := clocks.pending_warning(item, calendar, now)) is not None and pending[1] <= now:
        clock, due_at = pending
        setattr(item, f"{clock}_warned_at", now)
        recorded += await _record(session, item, clock, "warning", due_at, now, detected_by)
    if item.first_response_breached_at or item.resolution_breached_at:
        item.sla_status = SlaStatus.BREACHED
    elif item.first_response_warned_at or item.resolution_warned_at:
        item.sla_status = SlaStatus.WARNING
    before = due_instants(item)
    clocks.reschedule_warning(item, calendar, now)
    await arm_timers(session, item, before)
    return recorded


async def _record(
    session: AsyncSession,
    item: WorkItem,
    clock: str,
    kind: str,
    due_at: datetime,
    now: datetime,
    detected_by: str,
) -> list[SlaEvent]:
    event_id = await session.scalar(
        pg_insert(SlaEvent)
        .values(
            id=uuid4(),
            tenant_id=item.tenant_id,
            work_item_id=item.id,
            clock=clock,
            kind=kind,
            due_at=due_at,
            recorded_at=now,
            detected_by=detected_by,
        )
        .on_conflict_do_nothing(constraint="sla_events_once")
        .returning(SlaEvent.id)
    )
    if event_id is None:
        return []
    event = SlaEvent(
        id=event_id,
        tenant_id=item.tenant_id,
        work_item_id=item.id,
        clock=clock,
        kind=kind,
        due_at=due_at,
        recorded_at=now,
        detected_by=detected_by,
    )
    log.info("sla.recorded", work_item_id=str(item.id), clock=clock, kind=kind, delay_ms=_delay_ms(due_at, now))
    await _announce(session, item, event)
    return [event]


def _delay_ms(due_at: datetime, now: datetime) -> int:
    return int((now - due_at).total_seconds() * 1000)


CLOCK_NAMES = {"first_response": "first response", "resolution": "resolution"}


async def _announce(session: AsyncSession, item: WorkItem, event: SlaEvent) -> None:
    """Tell the assignee and the requester (in the app and by email) and the tenant's webhooks."""
    clock = CLOCK_NAMES[event.clock]
    if event.kind == "breach":
        title = f"SLA breached: {clock} for “{item.title}”"
        body = f"The {clock} target was due at {event.due_at:%Y-%m-%d %H:%M} UTC and was not met."
    else:
        title = f"SLA at risk: {clock} for “{item.title}”"
        body = f"{item.sla_warning_percent}% of the {clock} target is used; it is due soon."
    recipients = [r for r in (item.assignee_id, item.requester_id) if r is not None]
    await notify(
        session,
        tenant_id=item.tenant_id,
        recipient_ids=recipients,
        kind=f"sla.{'breached' if event.kind == 'breach' else 'warning'}",
        title=title,
        body=body,
        work_item_id=item.id,
        email=True,
    )
    await publish_event(
        session,
        item.tenant_id,
        "work_item.sla_breached" if event.kind == "breach" else "work_item.sla_warning",
        {
            "work_item_id": str(item.id),
            "title": item.title,
            "state": item.state.value,
            "clock": event.clock,
            "due_at": event.due_at.isoformat(),
            "recorded_at": event.recorded_at.isoformat(),
        },
    )


def _overdue(now: datetime) -> Any:
    cutoff = now - SWEEP_GRACE
    return or_(
        and_(
            WorkItem.first_responded_at.is_(None),
            WorkItem.first_response_breached_at.is_(None),
            WorkItem.first_response_due_at <= cutoff,
        ),
        and_(
            WorkItem.resolution_running_since.is_not(None),
            WorkItem.resolution_breached_at.is_(None),
            WorkItem.resolution_due_at <= cutoff,
        ),
        WorkItem.warning_due_at <= cutoff,
    )


async def sweep_sla(sessionmaker: async_sessionmaker[AsyncSession], now: datetime | None = None) -> int:
    """Record what is overdue and was not recorded, across every tenant; return how many events."""
    now = now or utc_now()
    async with sessionmaker() as session:
        tenant_ids = list((await session.execute(select(Tenant.id).order_by(Tenant.id))).scalars())
    recorded = 0
    for start in range(0, len(tenant_ids), SWEEP_TENANT_CHUNK):
        scope = TenantScope(frozenset(tenant_ids[start : start + SWEEP_TENANT_CHUNK]))
        while True:
            found, events = await _sweep_batch(sessionmaker, scope, now)
            recorded += events
            if found < SWEEP_BATCH:
                break
    if recorded:
        log.info("sla.swept", recorded=recorded)
    return recorded


async def _sweep_batch(
    sessionmaker: async_sessionmaker[AsyncSession], scope: TenantScope, now: datetime
) -> tuple[int, int]:
    async with scoped_session(sessionmaker, scope) as session:
        items: Sequence[WorkItem] = (
            (
                await session.execute(
                    select(WorkItem)
                    .where(WorkItem.state.in_(OPEN_STATES), _overdue(now))
                    .limit(SWEEP_BATCH)
                    .with_for_update(skip_locked=True)
                )
            )
            .scalars()
            .all()
        )
        calendars = await business_times(session, {item.tenant_id for item in items})
        events = 0
        for item in items:
            events += len(await detect(session, item, calendars[item.tenant_id], utc_now(), "sweeper"))
    return len(items), events


async def run_sla_sweeper(engine: AsyncEngine, every_seconds: float) -> None:
    """Sweep forever: a task in the API process's lifespan, cancelled at shutdown."""
    sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
    while True:
        await asyncio.sleep(every_seconds)
        try:
            await sweep_sla(sessionmaker)
        except Exception:
            # An outage must not end the loop; the next round retries.
            log.exception("sla.sweep_failed")
