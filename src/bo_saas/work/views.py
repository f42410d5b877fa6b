"""Work items as the API shows them, with their live SLA view, the people's names and the caller's next moves."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from uuid import UUID

from bo_saas.lib.business_time import BusinessTime
from bo_saas.lib.caller import Caller
from bo_saas.work import clocks, states
from bo_saas.work.models import Comment, WorkItem, WorkItemTransition
from bo_saas.work.schemas import CommentOut, SlaOut, SlaPolicyView, TransitionOut, WorkItemOut


def item_out(
    item: WorkItem, calendar: BusinessTime, caller: Caller, now: datetime, names: Mapping[UUID, str]
) -> WorkItemOut:
    sla = clocks.view(item, calendar, now)
    return WorkItemOut(
        id=item.id,
        tenant_id=item.tenant_id,
        service_type=item.service_type,
        title=item.title,
        payload=item.payload,
        priority=item.priority.value,
        state=item.state.value,
        requester_id=item.requester_id,
        requester_client_id=item.requester_client_id,
        requester_name=names.get(item.requester_id or item.requester_client_id),
        shared=item.shared,
        assignee_id=item.assignee_id,
        assignee_name=names.get(item.assignee_id),
        waiting_reason=item.waiting_reason,
        rework_count=item.rework_count,
        created_at=item.created_at,
        updated_at=item.updated_at,
        queued_at=item.queued_at,
        resolved_at=item.resolved_at,
        closed_at=item.closed_at,
        sla=SlaOut(
            policy=SlaPolicyView(**sla.policy) if sla.policy else None,
            first_response_due_at=sla.first_response_due_at,
            first_responded_at=sla.first_responded_at,
            resolution_due_at=sla.resolution_due_at,
            business_minutes_used=sla.business_minutes_used,
            paused=sla.paused,
            pause_reason=sla.pause_reason,
            status=sla.status,
            breached_at=sla.breached_at,
            first_response_breached_at=sla.first_response_breached_at,
            resolution_breached_at=sla.resolution_breached_at,
        ),
        allowed_transitions=[state.value for state in states.allowed_targets(caller, item)],
    )


def transition_out(row: WorkItemTransition, names: Mapping[UUID, str]) -> TransitionOut:
    return TransitionOut(
        id=row.id,
        actor_name=names.get(row.actor_id),
        from_state=row.from_state.value if row.from_state else None,
        to_state=row.to_state.value,
        actor_id=row.actor_id,
        actor_kind=row.actor_kind,
        reason=row.reason,
        occurred_at=row.occurred_at,
    )


def comment_out(row: Comment) -> CommentOut:
    return CommentOut(
        id=row.id,
        author_id=row.author_id,
        author_kind=row.author_kind,
        author_name=row.author_name,
        body=row.body,
        internal=row.internal,
        created_at=row.created_at,
    )
