"""What notify keeps per tenant: webhook endpoints, their deliveries and attempts, in-app notifications.

All four tables are tenant-owned (``tenant_id`` leads every key, RLS forced in
migration 0002). A delivery is the unit a tenant sees and retries; each HTTP
try at it is an attempt, kept as an append-only log.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ARRAY, ForeignKey, ForeignKeyConstraint, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib import limits
from bo_saas.lib.clock import utc_now
from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookEndpoint(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """An HTTPS URL of the tenant's that receives the events it subscribes to."""

    __tablename__ = "webhook_endpoints"
    url: Mapped[str] = mapped_column(String(limits.URL))
    description: Mapped[str] = mapped_column(String(limits.DESCRIPTION), default="")
    # Empty means every event.
    events: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    # Kept in the clear: deliveries are signed with it.
    secret: Mapped[str] = mapped_column(String(128))
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[UUID | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))


class WebhookDelivery(TenantOwned, UUIDPrimaryKey, Base):
    """One event for one endpoint, tried until it is delivered or its attempts run out."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "endpoint_id"], ["webhook_endpoints.tenant_id", "webhook_endpoints.id"], ondelete="CASCADE"
        ),
    )
    endpoint_id: Mapped[UUID]
    event: Mapped[str] = mapped_column(String(80))
    # The JSON body every attempt sends, serialised the same way each time.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class WebhookAttempt(TenantOwned, UUIDPrimaryKey, Base):
    """One HTTP request of a delivery and what came back (the runtime role may only insert and read)."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "delivery_id"], ["webhook_deliveries.tenant_id", "webhook_deliveries.id"], ondelete="CASCADE"
        ),
    )
    delivery_id: Mapped[UUID]
    attempted_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)


class Notification(TenantOwned, UUIDPrimaryKey, Base):
    """A message for one person, shown in the app; it lives in the tenant it is about."""

    __tablename__ = "notifications"
    recipient_id: Mapped[UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # No foreign key: work items arrive in a later migration.
    work_item_id: Mapped[UUID | None]
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
    read_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
