"""Many work items of one service type for one tenant, created and submitted at once, in a few statements.

A desk that splits one upload into thousands of items (data entry's chunks)
gets from ``create_items`` what ``items.create_item(..., submit=True)`` gives
each item: the form checked, state ``queued`` with the history ``new ->
queued``, both SLA clocks started with the tenant's targets, the breach timers
armed and the ``work_item.created`` and ``work_item.state_changed`` events
published. The difference is the cost: the offer, the calendar and the targets
are read once; the items, their transitions and their timers (through the SLA
floor's ``clocks_started`` hook) each go in as one executemany instead of a
flush per item. The events still go through ``publish_event`` one by one: with
no webhook endpoint (read once per transaction) that writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import insert, inspect
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.notify.webhooks import publish_event
from bo_saas.tenancy.calendars import business_time_for
from bo_saas.tenancy.models import Tenant
from bo_saas.work import clocks
from bo_saas.work.catalog import offered_service
from bo_saas.work.errors import InvalidWorkRequest
from bo_saas.work.forms import FormError, clean_payload
from bo_saas.work.items import event_data, publish_state_change
from bo_saas.work.lifecycle import sla_hooks
from bo_saas.work.models import Priority, SlaStatus, WorkItem, WorkItemTransition, WorkState


@dataclass(frozen=True, slots=True)
class NewItem:
    title: str
    payload: dict[str, Any]


async def create_items(
    session: AsyncSession, tenant: Tenant, *, service_type: str, priority: Priority, new: Sequence[NewItem]
) -> list[UUID]:
    """Create and submit ``new`` as the platform on the tenant's behalf; their ids, in order."""
    if not new:
        return []
    offer = await offered_service(session, tenant, service_type)
    if offer is None:
        raise InvalidWorkRequest(
            f"Service {service_type!r} is not available to {tenant.name} (see GET /api/v1/service-types)"
        )
    cleaned = []
    for request in new:
        try:
            cleaned.append(clean_payload(offer.form_schema, request.payload))
        except FormError as exc:
            raise InvalidWorkRequest("The request does not match its form", extra={"problems": exc.problems}) from None
    calendar = await business_time_for(session, tenant.id)
    targets = await sla_hooks().targets_for(session, tenant, offer.code, priority)
    created_at = utc_now()
    queued_at = utc_now()
    made: list[WorkItem] = []
    created_events: list[dict[str, Any]] = []
    for request, payload in zip(new, cleaned, strict=True):
        item = WorkItem(
            id=uuid4(), tenant_id=tenant.id, service_type=offer.code, skill_code=offer.skill_code,
            title=request.title.strip(), payload=payload, priority=priority, state=WorkState.NEW,
            sla_status=SlaStatus.OK, requester_id=None, requester_client_id=None, created_at=created_at,
        )  # fmt: skip
        created_events.append(event_data(item))  # as created_item announces it: still ``new``
        item.state, item.queued_at, item.updated_at = WorkState.QUEUED, queued_at, queued_at
        clocks.start(item, targets, calendar, queued_at)
        made.append(item)
    # Never added to the session: the rows go in as one executemany, and nothing is flushed again later.
    await session.execute(insert(WorkItem), [_columns(item) for item in made])
    # The table's own INSERT: the ORM's would leave out the NULL ``from_state`` of each first step and split
    # the rows into a statement per change of shape.
    await session.execute(
        insert(WorkItemTransition.__table__),
        [
            _transition(item, source, to, at)
            for item in made
            for source, to, at in ((None, WorkState.NEW, created_at), (WorkState.NEW, WorkState.QUEUED, queued_at))
        ],
    )
    await sla_hooks().clocks_started(session, made)
    for item, created in zip(made, created_events, strict=True):
        await publish_event(session, tenant.id, "work_item.created", created)
        await publish_state_change(session, item, WorkState.NEW, None)
    return [item.id for item in made]


def _columns(item: WorkItem) -> dict[str, Any]:
    """The column values set on a transient item; the table's defaults fill the rest, as a flush does."""
    names = {column.key for column in inspect(WorkItem).column_attrs}
    return {name: value for name, value in inspect(item).dict.items() if name in names}


def _transition(item: WorkItem, source: WorkState | None, to: WorkState, at: datetime) -> dict[str, Any]:
    return {
        "id": uuid4(), "tenant_id": item.tenant_id, "work_item_id": item.id, "from_state": source, "to_state": to,
        "actor_id": None, "actor_kind": "system", "reason": None, "occurred_at": at,
    }  # fmt: skip
