"""SLA targets (provider defaults and a tenant's contract) and the warnings and breaches recorded."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey, value_enum
from bo_saas.work.models import Priority

ANY_SERVICE = "*"


class SlaPolicy(Timestamps, Base):
    """Provider-wide targets per plan tier x service type x priority, in business minutes."""

    __tablename__ = "sla_policies"
    plan_code: Mapped[str] = mapped_column(ForeignKey("plans.code", ondelete="CASCADE"), primary_key=True)
    service_type: Mapped[str] = mapped_column(String(40), primary_key=True)  # or ANY_SERVICE
    priority: Mapped[Priority] = mapped_column(value_enum(Priority, "work_priority"), primary_key=True)
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)
    warning_percent: Mapped[int] = mapped_column(Integer, default=75)


class SlaTarget(TenantOwned, Timestamps, Base):
    """A tenant's contracted targets, overriding the provider's policy for its items."""

    __tablename__ = "sla_targets"
    service_type: Mapped[str] = mapped_column(String(40), primary_key=True)  # or ANY_SERVICE
    priority: Mapped[Priority] = mapped_column(value_enum(Priority, "work_priority"), primary_key=True)
    first_response_minutes: Mapped[int] = mapped_column(Integer)
    resolution_minutes: Mapped[int] = mapped_column(Integer)


class SlaEvent(TenantOwned, UUIDPrimaryKey, Base):
    """A warning or breach of one clock of one item; unique per (item, clock, kind)."""

    __tablename__ = "sla_events"
    work_item_id: Mapped[UUID]
    clock: Mapped[str] = mapped_column(String(20))  # first_response | resolution
    kind: Mapped[str] = mapped_column(String(10))  # warning | breach
    due_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    detected_by: Mapped[str] = mapped_column(String(20))  # timer | sweeper
