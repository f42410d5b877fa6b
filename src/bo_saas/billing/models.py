"""Billing's tables: plan versions, runs and number counters (provider-level); subscriptions, profiles, invoices.

A plan version is immutable: a changed plan file makes a new one, so a
subscription keeps the prices it was sold until it is moved on purpose. The
version keeps the whole validated file as JSON (what invoices explain) and, as
columns, what billing queries by.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
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
    amount_credited: Mapped[int] = mapped_column(BigInteger, default=0)  # credit notes' totals (migration 0021)
    amount_due: Mapped[int] = mapped_column(BigInteger)  # total - paid - credited
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


class CreditNote(TenantOwned, UUIDPrimaryKey, Base):
    """A correction of a finalized invoice: issued once, never changed (migration 0021's triggers)."""

    __tablename__ = "credit_notes"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        UniqueConstraint("tenant_id", "number", name="credit_notes_number"),
    )

    invoice_id: Mapped[UUID]
    number: Mapped[str] = mapped_column(String(20))  # CN-YYYY-NNNNNN
    reason: Mapped[str] = mapped_column(String(500))
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[int] = mapped_column(BigInteger)
    tax_rate_bp: Mapped[int]
    tax: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    full: Mapped[bool]  # the whole rest of the invoice was credited
    issued_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    created_by: Mapped[UUID | None]


class CreditNoteNumberCounter(Base):
    """The last credit note number given in a year; locked while a note is issued, so numbers are gap-free."""

    __tablename__ = "credit_note_number_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int]


class DunningStep(TenantOwned, UUIDPrimaryKey, Base):
    """One step taken on an overdue invoice (a reminder, a card retry, the suspension); once each (0024)."""

    __tablename__ = "dunning_steps"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        UniqueConstraint("tenant_id", "invoice_id", "step", name="dunning_steps_once"),
    )

    invoice_id: Mapped[UUID]
    step: Mapped[int]  # 1.. for the retry days, 0 for the suspension
    days_overdue: Mapped[int]
    action: Mapped[str] = mapped_column(String(20))  # reminder | retry | suspension
    outcome: Mapped[str] = mapped_column(String(300))
    occurred_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


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
    # Progress, as chunks of tenants finish (migration 0032); error: why the run stopped as a whole.
    tenants_total: Mapped[int] = mapped_column(default=0)
    tenants_done: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(500))


class InvoiceNumberCounter(Base):
    """The last invoice number given in a year; its row lock makes numbers gap-free (migration 0014)."""

    __tablename__ = "invoice_number_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int]


class PaymentMethodKind(enum.StrEnum):
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"


class PaymentStatus(enum.StrEnum):
    """Where a payment stands; it only moves forward (processing -> failed -> succeeded), and succeeded is final."""

    PROCESSING = "processing"
    FAILED = "failed"
    SUCCEEDED = "succeeded"


class StripeCustomer(TenantOwned, Timestamps, Base):
    """The tenant's customer at Stripe (made once) and the card saved on it, as our own record of it."""

    __tablename__ = "stripe_customers"

    stripe_customer_id: Mapped[str] = mapped_column(String(255))
    card_payment_method_id: Mapped[str | None] = mapped_column(String(255))
    card_brand: Mapped[str | None] = mapped_column(String(40))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    card_exp_month: Mapped[int | None]
    card_exp_year: Mapped[int | None]
    # The SetupIntent the card came from, and when Stripe made it: a late event for an older one never wins.
    card_setup_intent_id: Mapped[str | None] = mapped_column(String(255))
    card_setup_created_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class InvoicePayment(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """One attempt to pay an invoice: a card charge through Stripe, or a bank transfer a provider admin saw arrive."""

    __tablename__ = "invoice_payments"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        UniqueConstraint("tenant_id", "invoice_id", "attempt", name="invoice_payments_attempt"),
    )

    invoice_id: Mapped[UUID]
    attempt: Mapped[int]  # 1, 2, ... per invoice; a card charge's idempotency key is made from it
    method: Mapped[PaymentMethodKind] = mapped_column(value_enum(PaymentMethodKind, "payment_method_kind"))
    amount: Mapped[int] = mapped_column(BigInteger)  # minor units of the invoice's currency
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[PaymentStatus] = mapped_column(value_enum(PaymentStatus, "payment_status"))
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(255))
    stripe_payment_method_id: Mapped[str | None] = mapped_column(String(255))
    failure_message: Mapped[str | None] = mapped_column(String(500))
    reference: Mapped[str | None] = mapped_column(String(200))  # a bank transfer's reference
    received_on: Mapped[date | None]  # the day a bank transfer arrived
    recorded_by: Mapped[UUID | None]  # the account that asked for the charge or recorded the transfer


class StripeEvent(Base):
    """A Stripe event id, stored once before any work on it: a redelivery finds it and does nothing."""

    __tablename__ = "stripe_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
    processed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
