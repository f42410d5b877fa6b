"""Billing's tables: plan versions, runs and number counters (provider-level); subscriptions, profiles, invoices.

A plan version is immutable: a changed plan file makes a new one, so a
subscription keeps the prices it was sold until it is moved on purpose. The
version keeps the whole validated file as JSON (what invoices explain) and, as
columns, what billing queries by.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import BigInteger, ForeignKey, ForeignKeyConstraint, Numeric, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib import limits
from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey, utc_now, value_enum


class SubscriptionStatus(enum.StrEnum):
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class InvoiceLanguage(enum.StrEnum):
    EN = "en"
    AR = "ar"


class PlanVersion(Base):
    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_code", "version", name="plan_versions_number"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    plan_code: Mapped[str] = mapped_column(ForeignKey("plans.code"))
    version: Mapped[int]
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)  # billing.plan_file.PlanFile.definition()
    currency: Mapped[str] = mapped_column(String(3))
    interval: Mapped[str] = mapped_column(String(5))
    base_fee: Mapped[int] = mapped_column(BigInteger)  # minor units per interval
    trial_days: Mapped[int]
    seats_included: Mapped[int] = mapped_column(BigInteger)
    seat_unit_price: Mapped[Decimal] = mapped_column(Numeric(16, 6))  # major units
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class Subscription(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """A tenant's one subscription: the plan version in force, and a downgrade waiting for the next period."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("tenant_id", name="subscriptions_one_per_tenant"),)

    plan_version_id: Mapped[UUID] = mapped_column(ForeignKey("plan_versions.id"))
    status: Mapped[SubscriptionStatus] = mapped_column(value_enum(SubscriptionStatus, "subscription_status"))
    started_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    current_period_start: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    trial_ends_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    # A downgrade takes effect at the next period start: which version, and when.
    pending_plan_version_id: Mapped[UUID | None] = mapped_column(ForeignKey("plan_versions.id"))
    pending_from: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class BillingProfile(TenantOwned, Timestamps, Base):
    """Who the tenant's invoices are made out to; one per tenant."""

    __tablename__ = "billing_profiles"

    legal_name: Mapped[str] = mapped_column(String(limits.NAME))
    address: Mapped[str] = mapped_column(String(limits.ADDRESS))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    tax_id: Mapped[str | None] = mapped_column(String(limits.TAX_ID))
    tax_rate_bp: Mapped[int] = mapped_column(default=0)  # basis points: 1500 is 15%
    invoice_language: Mapped[InvoiceLanguage] = mapped_column(value_enum(InvoiceLanguage, "invoice_language"))
    billing_email: Mapped[str] = mapped_column(String(limits.EMAIL))


class InvoiceStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PAID = "paid"
    VOID = "void"
    UNCOLLECTIBLE = "uncollectible"


class Invoice(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """A tenant's bill for one period; a draft until finalized, then frozen by the database (migration 0014)."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("tenant_id", "period", name="invoices_one_per_period"),
        UniqueConstraint("tenant_id", "number", name="invoices_number"),
    )

    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM in the tenant's time zone
    period_start: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    period_end: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    status: Mapped[InvoiceStatus] = mapped_column(value_enum(InvoiceStatus, "invoice_status"))
    currency: Mapped[str] = mapped_column(String(3))
    plan_version_id: Mapped[UUID] = mapped_column(ForeignKey("plan_versions.id"))  # in force at the period's end
    subtotal: Mapped[int] = mapped_column(BigInteger)
    tax_rate_bp: Mapped[int]
    tax: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    amount_paid: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_due: Mapped[int] = mapped_column(BigInteger)
    number: Mapped[str | None] = mapped_column(String(20))  # INV-YYYY-NNNNNN, given at finalize
    issued_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    # Units billed per period and meter ({"2026-11": {"support.tickets": 40}}): frozen with the invoice.
    usage_quantities: Mapped[dict[str, dict[str, int]]] = mapped_column(JSONB, default=dict)


class InvoiceLine(TenantOwned, Base):
    __tablename__ = "invoice_lines"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"], ondelete="CASCADE"),
    )

    invoice_id: Mapped[UUID] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # base_fee | seats | usage | late_usage | charge | sla_credit
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(BigInteger)
    unit_price: Mapped[str] = mapped_column(String(40))  # major units, as priced
    amount: Mapped[int] = mapped_column(BigInteger)


class OneOffCharge(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """A charge a provider admin adds to a tenant's period (an onboarding fee, a rush job)."""

    __tablename__ = "one_off_charges"

    period: Mapped[str] = mapped_column(String(7))
    description: Mapped[str] = mapped_column(String(300))
    amount: Mapped[int] = mapped_column(BigInteger)  # minor units, > 0
    currency: Mapped[str] = mapped_column(String(3))
    created_by: Mapped[UUID | None]


class BillingRun(Base):
    """One run of ``bo-saas billing run`` (or its HTTP and scheduled twins) and what it did; provider-level."""

    __tablename__ = "billing_runs"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid4)
    period: Mapped[str] = mapped_column(String(7))
    tenant_slug: Mapped[str | None] = mapped_column(String(63))
    dry_run: Mapped[bool]
    status: Mapped[str] = mapped_column(String(10))  # running | finished | failed
    started_by: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    created: Mapped[int] = mapped_column(default=0)
    recomputed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    failures: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)


class InvoiceNumberCounter(Base):
    """The last invoice number given in a year; its row lock makes numbers gap-free (migration 0014)."""

    __tablename__ = "invoice_number_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int]
