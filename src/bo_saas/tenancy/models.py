"""Tenants (provider-level) and what each tenant configures for itself."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import ARRAY, Date, Enum, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib import limits
from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey

SERVICE_CODES = ("data_entry", "bookkeeping", "hr", "support")


class TenantStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class Plan(Base):
    """Subscription plans: what a tenant may have; billing's plan versions (``plans/*.toml``) give them prices."""

    __tablename__ = "plans"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # The built-in services the plan includes, and whether a manifest may add custom ones.
    services: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    custom_services: Mapped[bool] = mapped_column(default=False)


class Tenant(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "tenants"
    slug: Mapped[str] = mapped_column(String(limits.SLUG), unique=True)
    name: Mapped[str] = mapped_column(String(limits.NAME))
    plan_code: Mapped[str] = mapped_column(ForeignKey("plans.code"))
    timezone: Mapped[str] = mapped_column(String(limits.TIMEZONE))
    status: Mapped[TenantStatus] = mapped_column(
        Enum(TenantStatus, name="tenant_status", values_callable=lambda e: [m.value for m in e]),
        default=TenantStatus.ACTIVE,
    )
    services: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    suspended_reason: Mapped[str | None] = mapped_column(String(limits.SUSPENSION_REASON))


class BusinessCalendar(TenantOwned, Timestamps, Base):
    """A tenant's business hours in its own time zone; SLA clocks run on it."""

    __tablename__ = "business_calendars"
    # {"mon": ["09:00-13:00", "14:00-18:00"], ...}; a day that is absent is closed.
    weekly_hours: Mapped[dict[str, list[str]]] = mapped_column(JSONB, default=dict)
    holidays: Mapped[list[date]] = mapped_column(ARRAY(Date), default=list)
    holiday_country: Mapped[str | None] = mapped_column(String(limits.COUNTRY))
