"""Work items as the API shows them, with their live SLA view, the people's names and the caller's next moves.

Fields the row carries under the response's names are converted from its
attributes (``lib.listing.to_struct``); only what the row cannot say is
computed here: the SLA view (``SlaOut``, declared once in ``work.schemas``),
names, the transitions the caller may ask for, and the desk that works the item.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import UUID

from bo_saas.lib.business_time import BusinessTime
from bo_saas.lib.caller import Caller
from bo_saas.lib.listing import to_struct
from bo_saas.work import clocks, states
from bo_saas.work.desks import desk_for
from bo_saas.work.models import Comment, WorkItem, WorkItemTransition, WorkState
from bo_saas.work.schemas import CommentOut, DeskOut, SlaOut, SlaPolicyView, TransitionOut, WorkItemOut


def sla_view(item: WorkItem, calendar: BusinessTime, now: datetime) -> SlaOut:
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
    return to_struct(
        item,
        SlaOut,
        policy=policy,
        business_minutes_used=round(clocks.minutes_used(item, calendar, now), 2),
        paused=paused,
        pause_reason=item.waiting_reason if paused else None,
        status=item.sla_status.value,
        breached_at=min(breaches) if breaches else None,
    )


def item_out(
    item: WorkItem, calendar: BusinessTime, caller: Caller, now: datetime, names: Mapping[UUID, str]
) -> WorkItemOut:
    return to_struct(
        item,
        WorkItemOut,
        requester_name=names.get(item.requester_id or item.requester_client_id),
        assignee_name=names.get(item.assignee_id),
        sla=sla_view(item, calendar, now),
        allowed_transitions=[state.value for state in states.allowed_targets(caller, item)],
        desk=desk_view(item),
    )


def desk_view(item: WorkItem) -> DeskOut | None:
    """The desk that works the item and where its workspace is; None when no desk does."""
    desk = desk_for(item.service_type)
    return DeskOut(service_type=desk.service_type, workspace=desk.workspace_for(item.id)) if desk else None


def transition_out(row: WorkItemTransition, names: Mapping[UUID, str]) -> TransitionOut:
    return to_struct(row, TransitionOut, actor_name=names.get(row.actor_id))


def comment_out(row: Comment) -> CommentOut:
    return to_struct(row, CommentOut)
