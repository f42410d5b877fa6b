"""Request and response bodies of the work routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from bo_saas.lib import limits

Title = limits.text(limits.TITLE, min_length=1)
Reason = limits.text(limits.REASON, min_length=1)
Body = limits.text(limits.BODY, min_length=1)
Code = limits.text(limits.CODE, min_length=1)
ReviewReason = limits.text(limits.REVIEW_REASON, min_length=1)
PriorityName = Literal["low", "normal", "high", "urgent"]
StateName = Literal[
    "new", "queued", "in_progress", "waiting_on_client", "in_review", "done", "rejected", "cancelled"
]  # fmt: skip


class ServiceTypeOut(msgspec.Struct):
    code: str
    name: str
    custom: bool
    fields: list[dict[str, Any]]


class SlaPolicyView(msgspec.Struct):
    first_response_minutes: int
    resolution_minutes: int
    warning_percent: int


class SlaOut(msgspec.Struct):
    policy: SlaPolicyView | None
    first_response_due_at: datetime | None
    first_responded_at: datetime | None
    resolution_due_at: datetime | None
    business_minutes_used: float
    paused: bool
    pause_reason: str | None
    status: str
    breached_at: datetime | None
    first_response_breached_at: datetime | None
    resolution_breached_at: datetime | None


class DeskOut(msgspec.Struct):
    """The desk that works an item: the console opens its workspace beside the conversation."""

    service_type: str
    workspace: str  # the web app's route of the desk's workspace for this item


class WorkItemOut(msgspec.Struct):
    id: UUID
    tenant_id: UUID
    service_type: str
    title: str
    payload: dict[str, Any]
    priority: str
    state: str
    requester_id: UUID | None
    requester_client_id: UUID | None
    requester_name: str | None
    shared: bool
    assignee_id: UUID | None
    assignee_name: str | None
    waiting_reason: str | None
    rework_count: int
    created_at: datetime
    updated_at: datetime
    queued_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    sla: SlaOut
    # What the caller may do next through POST .../transitions.
    allowed_transitions: list[str]
    # Null for an item no desk works (a custom service, or a built-in whose desk has not landed).
    desk: DeskOut | None


class WorkItemCreate(msgspec.Struct, forbid_unknown_fields=True):
    service_type: Code
    title: Title
    payload: dict[str, Any] = {}
    priority: PriorityName = "normal"
    # False keeps the item in ``new`` (to add files first); submit it with a transition to ``queued``.
    submit: bool = True


class WorkItemUpdate(msgspec.Struct, forbid_unknown_fields=True):
    title: Title | None = None
    shared: bool | None = None


class TransitionCreate(msgspec.Struct, forbid_unknown_fields=True):
    to: StateName
    reason: Reason | None = None


class TransitionOut(msgspec.Struct):
    id: UUID
    actor_name: str | None
    from_state: str | None
    to_state: str
    actor_id: UUID | None
    actor_kind: str
    reason: str | None
    occurred_at: datetime


class CommentCreate(msgspec.Struct, forbid_unknown_fields=True):
    body: Body
    internal: bool = False


class CommentOut(msgspec.Struct):
    id: UUID
    author_id: UUID | None
    author_kind: str
    author_name: str
    body: str
    internal: bool
    created_at: datetime


class AnswerCreate(msgspec.Struct, forbid_unknown_fields=True):
    body: Body


class AssigneeUpdate(msgspec.Struct, forbid_unknown_fields=True):
    assignee_id: UUID


class ReviewCreate(msgspec.Struct, forbid_unknown_fields=True):
    verdict: Literal["accept", "reject"]
    reasons: list[ReviewReason] = []


class ReviewOut(msgspec.Struct):
    id: UUID
    work_item_id: UUID
    agent_id: UUID
    reviewer_id: UUID
    verdict: str
    reasons: list[str]
    created_at: datetime


class AttachmentOut(msgspec.Struct):
    id: UUID
    work_item_id: UUID
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    internal: bool
    uploaded_by: UUID | None
    created_at: datetime


class QueueCount(msgspec.Struct):
    tenant_id: UUID
    tenant_slug: str
    service_type: str
    sla_status: str
    state: str
    items: int


class QueueSummary(msgspec.Struct):
    queued: int
    in_progress: int
    breached: int
    at_risk: int
    counts: list[QueueCount]


class QaSamplingOut(msgspec.Struct):
    tenant_id: UUID
    service_type: str
    sample_percent: int


class QaSamplingUpdate(msgspec.Struct, forbid_unknown_fields=True):
    service_type: Code
    sample_percent: Annotated[int, msgspec.Meta(ge=0, le=100)]


class AgentQuality(msgspec.Struct):
    agent_id: UUID
    agent_name: str
    reviewed: int
    accepted: int
    rejected: int
    rework_rate: float
