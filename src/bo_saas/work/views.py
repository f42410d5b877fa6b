"""Work items as the API shows them, with their live SLA view, the people's names and the caller's next moves.

An item's fields are copied into the response structs one by one (for an ORM
item and for the hot list's light row alike); what the row cannot say is
computed here: the SLA view (``SlaOut``, declared once in ``work.schemas``),
the transitions the caller may ask for, and the desk that works the item.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from bo_saas.lib.business_time import BusinessTime
from bo_saas.lib.caller import Caller
from bo_saas.lib.listing import to_struct
from bo_saas.work import clocks, states
from bo_saas.work.desks import desk_for
from bo_saas.work.models import Comment, WorkItem, WorkItemTransition, WorkState
from bo_saas.work.schemas import CommentOut, DeskOut, SlaOut, SlaPolicyView, TransitionOut, WorkItemOut

# A WorkItem, or a row that carries the attributes these views read under the same names and types
# (``work.item_list.ItemRow``: ``state`` and ``sla_status`` as enum members, compared by identity).
ItemLike = WorkItem | Any


def sla_view(item: ItemLike, calendar: BusinessTime, now: datetime) -> SlaOut:
    """The ``sla`` object of a work item's JSON: its policy, due times, minutes used and status now."""
    policy = None
    if item.sla_first_response_minutes is not None:
        policy = SlaPolicyView(
            first_response_minutes=item.sla_first_response_minutes,
            resolution_minutes=item.sla_resolution_minutes,
            warning_percent=item.sla_warning_percent,
        )
    breaches = [t for t in (item.first_response_breached_at, item.resolution_breached_at) if t is not None]
    paused = item.state is WorkState.WAITING_ON_CLIENT and item.paused_at is not None
    return SlaOut(
        policy=policy,
        first_response_due_at=item.first_response_due_at,
        first_responded_at=item.first_responded_at,
        resolution_due_at=item.resolution_due_at,
        business_minutes_used=round(clocks.minutes_used(item, calendar, now), 2),
        paused=paused,
        pause_reason=item.waiting_reason if paused else None,
        status=str(item.sla_status),
        breached_at=min(breaches) if breaches else None,
        first_response_breached_at=item.first_response_breached_at,
        resolution_breached_at=item.resolution_breached_at,
    )


def item_out(
    item: WorkItem, calendar: BusinessTime, caller: Caller, now: datetime, names: Mapping[UUID, str]
) -> WorkItemOut:
    requester_name = names.get(item.requester_id or item.requester_client_id)
    return work_item_out(item, calendar, caller, now, requester_name, names.get(item.assignee_id))


def work_item_out(
    item: ItemLike,
    calendar: BusinessTime,
    caller: Caller,
    now: datetime,
    requester_name: str | None,
    assignee_name: str | None,
) -> WorkItemOut:
    """A work item's JSON from a ``WorkItem`` or a row with the same attribute names (the hot list's).

    Built field by field rather than converted: the list builds one per row, and conversion from
    attributes cost several times as much. ``str()`` turns an enum member into its value.
    """
    return WorkItemOut(
        id=item.id,
        tenant_id=item.tenant_id,
        service_type=item.service_type,
        title=item.title,
        payload=item.payload,
        priority=str(item.priority),
        state=str(item.state),
        requester_id=item.requester_id,
        requester_client_id=item.requester_client_id,
        requester_name=requester_name,
        shared=item.shared,
        assignee_id=item.assignee_id,
        assignee_name=assignee_name,
        waiting_reason=item.waiting_reason,
        rework_count=item.rework_count,
        created_at=item.created_at,
        updated_at=item.updated_at,
        queued_at=item.queued_at,
        resolved_at=item.resolved_at,
        closed_at=item.closed_at,
        sla=sla_view(item, calendar, now),
        allowed_transitions=[state.value for state in states.allowed_targets(caller, item)],
        desk=desk_view(item),
    )


def desk_view(item: ItemLike) -> DeskOut | None:
    """The desk that works the item and where its workspace is; None when no desk does."""
    desk = desk_for(item.service_type)
    return DeskOut(service_type=desk.service_type, workspace=desk.workspace_for(item.id)) if desk else None


def transition_out(row: WorkItemTransition, names: Mapping[UUID, str]) -> TransitionOut:
    return to_struct(row, TransitionOut, actor_name=names.get(row.actor_id))


def comment_out(row: Comment) -> CommentOut:
    return to_struct(row, CommentOut)
