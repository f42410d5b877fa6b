"""Work items and what hangs off them: transitions, comments, attachments, QA reviews, usage.

Every table here is tenant-owned (``tenant_id`` leads the key, forced RLS);
rows that belong to a work item reference it with ``(tenant_id, work_item_id)``,
and so do a desk's own records (``DeskRecord``).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from bo_saas.lib import limits
from bo_saas.lib.clock import utc_now
from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey, value_enum


class WorkState(enum.StrEnum):
    NEW = "new"
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    WAITING_ON_CLIENT = "waiting_on_client"
    IN_REVIEW = "in_review"
    DONE = "done"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Priority(enum.StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class SlaStatus(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    BREACHED = "breached"
    MET = "met"


def _aware() -> Any:
    return mapped_column(DateTimeUTC(timezone=True), nullable=True)


class ServiceType(Base):
    """A built-in service of the provider's catalog."""

    __tablename__ = "service_types"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    skill_code: Mapped[str] = mapped_column(ForeignKey("skills.code"))
    form_schema: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)


class CustomServiceType(TenantOwned, Timestamps, Base):
    """A service a tenant's manifest defines, with its own request form."""

    __tablename__ = "custom_service_types"
    code: Mapped[str] = mapped_column(String(limits.CODE), primary_key=True)
    name: Mapped[str] = mapped_column(String(limits.SERVICE_TYPE_NAME))
    skill_code: Mapped[str] = mapped_column(ForeignKey("skills.code"))
    form_schema: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)


class QaSampling(TenantOwned, Timestamps, Base):
    """The share of a tenant's finished items of one service type that QA reviews."""

    __tablename__ = "qa_sampling"
    service_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    sample_percent: Mapped[int] = mapped_column(Integer)


class WorkItem(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "work_items"
    service_type: Mapped[str] = mapped_column(String(40))
    skill_code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(limits.TITLE))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    priority: Mapped[Priority] = mapped_column(value_enum(Priority, "work_priority"))
    state: Mapped[WorkState] = mapped_column(value_enum(WorkState, "work_state"))
    requester_id: Mapped[UUID | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    requester_client_id: Mapped[UUID | None]
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee_id: Mapped[UUID | None] = mapped_column(ForeignKey("staff_profiles.account_id", ondelete="SET NULL"))
    waiting_reason: Mapped[str | None] = mapped_column(String(limits.REASON))
    rework_count: Mapped[int] = mapped_column(Integer, default=0)
    qa_sampled: Mapped[bool | None]
    queued_at: Mapped[datetime | None] = _aware()
    started_at: Mapped[datetime | None] = _aware()
    first_responded_at: Mapped[datetime | None] = _aware()
    resolved_at: Mapped[datetime | None] = _aware()
    closed_at: Mapped[datetime | None] = _aware()
    sla_first_response_minutes: Mapped[int | None]
    sla_resolution_minutes: Mapped[int | None]
    sla_warning_percent: Mapped[int | None]
    first_response_due_at: Mapped[datetime | None] = _aware()
    resolution_due_at: Mapped[datetime | None] = _aware()
    warning_due_at: Mapped[datetime | None] = _aware()
    resolution_minutes_banked: Mapped[float] = mapped_column(Float, default=0.0)
    resolution_running_since: Mapped[datetime | None] = _aware()
    paused_at: Mapped[datetime | None] = _aware()
    sla_status: Mapped[SlaStatus] = mapped_column(value_enum(SlaStatus, "sla_status"), default=SlaStatus.OK)
    first_response_warned_at: Mapped[datetime | None] = _aware()
    resolution_warned_at: Mapped[datetime | None] = _aware()
    first_response_breached_at: Mapped[datetime | None] = _aware()
    resolution_breached_at: Mapped[datetime | None] = _aware()
    # For ?q= text search; deferred so that loading an item never drags the vector along.
    search: Mapped[Any] = mapped_column(
        TSVECTOR, Computed("to_tsvector('simple', title || ' ' || payload::text)"), deferred=True
    )
    queue_due_at: Mapped[datetime | None] = mapped_column(
        DateTimeUTC(timezone=True),
        Computed("CASE WHEN first_responded_at IS NULL THEN first_response_due_at ELSE resolution_due_at END"),
    )


class _ItemChild(TenantOwned, UUIDPrimaryKey):
    work_item_id: Mapped[UUID]


class WorkItemTransition(_ItemChild, Base):
    """One state change: who, when, from, to, why. Append-only."""

    __tablename__ = "work_item_transitions"
    from_state: Mapped[WorkState | None] = mapped_column(value_enum(WorkState, "work_state"))
    to_state: Mapped[WorkState] = mapped_column(value_enum(WorkState, "work_state"))
    actor_id: Mapped[UUID | None]
    actor_kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(limits.REASON))
    occurred_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class Comment(_ItemChild, Base):
    """A public reply (the client sees it) or an internal note (staff only). Append-only."""

    __tablename__ = "work_item_comments"
    author_id: Mapped[UUID | None]
    author_kind: Mapped[str] = mapped_column(String(20))
    author_name: Mapped[str] = mapped_column(String(limits.NAME))
    body: Mapped[str] = mapped_column(String(limits.BODY))
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class Attachment(_ItemChild, Base):
    """A file on a work item; its bytes live in file storage under ``storage_key``, never under its name."""

    __tablename__ = "attachments"
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))  # unique per tenant
    uploaded_by: Mapped[UUID | None]
    uploader_kind: Mapped[str] = mapped_column(String(20))
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class QaReview(_ItemChild, Base):
    __tablename__ = "qa_reviews"
    agent_id: Mapped[UUID]
    reviewer_id: Mapped[UUID]
    verdict: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


def work_item_key(ondelete: str = "CASCADE") -> ForeignKeyConstraint:
    """The reference to one work item, ``tenant_id`` included: a row can never point into another tenant."""
    return ForeignKeyConstraint(
        ["tenant_id", "work_item_id"], ["work_items.tenant_id", "work_items.id"], ondelete=ondelete
    )


class DeskRecord(TenantOwned, UUIDPrimaryKey):
    """A desk's own record (a batch chunk, a journal document, an HR case, a ticket) on one work item.

    Every desk's tables have the same shape: ``(tenant_id, id)`` key and
    ``(tenant_id, work_item_id)`` referencing ``work_items``. A desk that needs
    more table arguments writes ``__table_args__ = (work_item_key(), ...)``.
    """

    work_item_id: Mapped[UUID] = mapped_column(sort_order=-50)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (work_item_key(),)


class UsageRecord(TenantOwned, UUIDPrimaryKey, Base):
    """One metered fact (``work.usage.record_usage``): written with the effect that earned it, never changed."""

    __tablename__ = "usage_records"
    __table_args__ = (
        # What makes a retried or redelivered effect count once.
        UniqueConstraint("tenant_id", "meter", "idempotency_key", name="usage_records_once"),
        CheckConstraint("quantity > 0", name="usage_records_quantity"),
        ForeignKeyConstraint(["tenant_id", "work_item_id"], ["work_items.tenant_id", "work_items.id"]),
    )
    meter: Mapped[str] = mapped_column(String(60))
    quantity: Mapped[int] = mapped_column(BigInteger)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    work_item_id: Mapped[UUID | None]
    recorded_at: Mapped[datetime] = mapped_column(
        DateTimeUTC(timezone=True), default=utc_now, server_default=func.now()
    )
