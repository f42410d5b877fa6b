"""Request and response bodies of billing's routes; amounts are integer minor units, prices decimal strings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from bo_saas.lib import limits

Country = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$", min_length=2, max_length=2)]


class TierOut(msgspec.Struct):
    up_to: int | None
    unit_price: str


class MeterPriceOut(msgspec.Struct):
    code: str
    aggregation: str
    included: int
    model: str
    unit_price: str | None = None
    tiers: list[TierOut] | None = None
    package_size: int | None = None
    package_price: str | None = None


class SeatsOut(msgspec.Struct):
    included: int
    unit_price: str


class SlaCreditsOut(msgspec.Struct):
    percent_per_breach: int
    cap_percent: int


class PlanOut(msgspec.Struct):
    code: str
    name: str
    services: list[str]  # the built-in services a tenant on this plan may have
    custom_services: bool  # whether a manifest may add custom service types
    version: int  # the latest version: what a tenant starting or changing plan now gets
    currency: str
    interval: str
    base_fee: int
    trial_days: int
    seats: SeatsOut
    meters: list[MeterPriceOut]
    sla_credits: SlaCreditsOut


class PendingChangeOut(msgspec.Struct):
    plan: str
    version: int
    effective_at: datetime


class SubscriptionOut(msgspec.Struct):
    tenant_id: str
    plan: PlanOut  # the version the tenant is on (not necessarily the latest)
    status: str
    started_at: datetime
    current_period_start: datetime
    current_period_end: datetime
    trial_ends_at: datetime | None
    cancelled_at: datetime | None
    pending_change: PendingChangeOut | None


class SubscriptionChange(msgspec.Struct, forbid_unknown_fields=True):
    plan: limits.text(limits.CODE, min_length=1)


class LineOut(msgspec.Struct):
    description: str
    quantity: int
    unit_price: str
    amount: int


class PlanChangeOut(msgspec.Struct):
    kind: Literal["upgrade", "downgrade", "none"]
    plan: str
    version: int
    effective_at: datetime
    period: str  # YYYY-MM of the period the change falls in
    currency: str
    lines: list[LineOut]  # the period's base fee and seats prorated by day on each version (upgrades)
    total: int


class BillingProfileIn(msgspec.Struct, forbid_unknown_fields=True):
    legal_name: limits.text(limits.NAME, min_length=1)
    address: limits.text(limits.ADDRESS, min_length=1)
    country: Country
    billing_email: limits.text(limits.EMAIL, min_length=3)
    tax_id: limits.text(limits.TAX_ID) | None = None
    tax_rate_bp: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 0  # basis points: 1500 is 15%
    invoice_language: Literal["en", "ar"] = "en"


class BillingProfileOut(msgspec.Struct):
    legal_name: str | None
    address: str | None
    country: str | None
    billing_email: str | None
    tax_id: str | None
    tax_rate_bp: int
    invoice_language: str
    updated_at: datetime | None  # None: not filled in yet


class MeterUsageOut(msgspec.Struct):
    meter: str
    quantity: int
    included: int
    billable: int
    amount: int
    lines: list[LineOut]


class UsageOut(msgspec.Struct):
    period: str
    start: datetime
    end: datetime
    currency: str
    plan: str
    version: int
    base_fee: int
    meters: list[MeterUsageOut]
    seats: MeterUsageOut
    estimated_total: int  # base fee + seats + usage so far, before tax and credits
    as_of: datetime


class UsageRecordOut(msgspec.Struct):
    """One recorded unit (or several) of a meter, linked to the work item that earned it (null: none)."""

    id: UUID
    meter: str
    quantity: int
    occurred_at: datetime
    work_item_id: UUID | None
    work_item_title: str | None


Period = Annotated[
    str, msgspec.Meta(max_length=7, pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM", examples=["2026-11"])
]


class InvoiceLineOut(msgspec.Struct):
    kind: Literal["base_fee", "seats", "usage", "late_usage", "charge", "sla_credit"]
    description: str
    quantity: int
    unit_price: str  # major units, as priced (may be finer than the minor unit)
    amount: int  # minor units, rounded once


class InvoiceOut(msgspec.Struct):
    id: str
    number: str | None  # INV-YYYY-NNNNNN once finalized
    status: Literal["draft", "open", "paid", "void", "uncollectible"]
    period: str  # YYYY-MM in the tenant's time zone
    currency: str
    lines: list[InvoiceLineOut]
    subtotal: int
    tax: int
    total: int
    amount_due: int
    issued_at: datetime | None
    due_at: datetime | None


class ChargeIn(msgspec.Struct, forbid_unknown_fields=True):
    period: Period
    description: limits.text(300, min_length=1)
    amount: Annotated[int, msgspec.Meta(gt=0, le=10**12, description="minor units")]


class ChargeOut(msgspec.Struct):
    id: str
    period: str
    description: str
    amount: int
    currency: str
    created_at: datetime


class BillingRunIn(msgspec.Struct, forbid_unknown_fields=True):
    period: Period | None = None  # default: the last month ended in every time zone
    tenant: limits.text(limits.SLUG, min_length=1) | None = None  # one tenant's slug, or all
    dry_run: bool = False


class RunFailureOut(msgspec.Struct):
    tenant: str
    reason: str


class BillingRunOut(msgspec.Struct):
    id: str
    period: str
    tenant: str | None
    dry_run: bool
    status: Literal["running", "finished", "failed"]
    started_by: str
    started_at: datetime
    finished_at: datetime | None
    created: int
    recomputed: int
    unchanged: int
    skipped: int  # finalized invoices left alone, and tenants with nothing to bill
    failed: int
    failures: list[RunFailureOut]
    tenants_total: int  # the tenants the run bills
    tenants_done: int  # billed so far (every chunk finished); tenants_total once finished
    error: str | None  # why the run stopped as a whole (status failed)


class CancellationOut(msgspec.Struct):
    subscription: SubscriptionOut
    final_invoice: InvoiceOut | None  # finalized at once; None when cancelled in a trial
