"""Declarative bases shared by every domain.

Provider-level tables use advanced-alchemy's bases as they are. Tenant-owned
tables mix in ``TenantOwned``: ``tenant_id`` leads the primary key, and the
migration helper ``migrations/helpers.py`` gives the table forced RLS.
"""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID, uuid4

from advanced_alchemy.base import CommonTableAttributes, orm_registry
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Enum, ForeignKey, func
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from bo_saas.lib.clock import utc_now


class Base(CommonTableAttributes, DeclarativeBase):
    registry = orm_registry


class UUIDPrimaryKey:
    """A random UUID ``id`` (advanced-alchemy's mixin adds a sentinel column we don't migrate)."""

    id: Mapped[UUID] = mapped_column(default=uuid4, primary_key=True, sort_order=-100)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTimeUTC(timezone=True), default=utc_now, onupdate=utc_now, server_default=func.now()
    )


class TenantOwned:
    """``tenant_id`` first in the primary key; declare it before any other key column."""

    @declared_attr
    def tenant_id(cls) -> Mapped[UUID]:
        return mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True, sort_order=-200)


def value_enum(cls: type[enum.Enum], name: str) -> Enum:
    """A PostgreSQL enum type that stores the members' values (``"in_progress"``), not their names."""
    return Enum(cls, name=name, values_callable=lambda members: [m.value for m in members])


__all__ = ["Base", "TenantOwned", "Timestamps", "UUIDPrimaryKey", "utc_now", "value_enum"]
