"""The append-only audit trail: the runtime role may insert and read, never change."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib.clock import utc_now
from bo_saas.lib.models import Base, TenantOwned, UUIDPrimaryKey


class _EventColumns:
    occurred_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
    actor_id: Mapped[UUID | None]
    actor_kind: Mapped[str] = mapped_column(String(20))  # account, api_client, system, anonymous
    action: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(80))
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    ip: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))


class AuditEvent(TenantOwned, UUIDPrimaryKey, _EventColumns, Base):
    """Something that happened inside one tenant."""

    __tablename__ = "audit_events"


class ProviderAuditEvent(UUIDPrimaryKey, _EventColumns, Base):
    """Something that happened at provider level (staff, tenants, sign-ins not tied to a tenant)."""

    __tablename__ = "provider_audit_events"
