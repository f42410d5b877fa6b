"""Billing, first part: plan versions, a subscription per tenant, billing profiles.

Plans become versioned: each ``plan_versions`` row is one applied plan file
(``plans/*.toml``), immutable, with the validated file as JSON and the columns
billing queries. Version 1 of starter, growth and enterprise is written here
with exactly the definitions the shipped files validate to (the same content
hash), so ``bo-saas plans apply plans/`` on a migrated database says
"unchanged" (tests/billing/test_plan_apply.py keeps the two in step).

Every existing tenant gets its subscription, active, on version 1 of its plan,
its period starting at the current calendar month in its own time zone.
Subscriptions and billing profiles are tenant-owned (forced RLS); plan
versions are provider-level: the runtime role reads them and ``plans apply``
adds them (and creates or renames the plan rows they belong to).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

import hashlib
import json
import uuid

import sqlalchemy as sa
from alembic import op
from helpers import RUNTIME_GROUP, create_provider_table, create_tenant_table, timestamps
from sqlalchemy.dialects import postgresql as pg

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SUBSCRIPTION_STATUS = pg.ENUM(
    "trialing", "active", "past_due", "suspended", "cancelled", name="subscription_status", create_type=False
)
INVOICE_LANGUAGE = pg.ENUM("en", "ar", name="invoice_language", create_type=False)

ALL_SERVICES = ["data_entry", "bookkeeping", "hr", "support"]
# plans/*.toml as ``PlanFile.definition()`` gives them: change a file and a new version is applied, not this.
VERSION_ONE = [
    {
        "code": "starter", "name": "Starter", "currency": "USD", "interval": "month", "base_fee": 29900,
        "trial_days": 14, "services": ["data_entry", "support"], "custom_services": False,
        "seats": {"included": 3, "unit_price": "19.00"},
        "meters": [
            {"code": "data_entry.records", "aggregation": "sum", "included": 2000, "model": "per_unit",
             "unit_price": "0.05"},
            {"code": "support.tickets", "aggregation": "sum", "included": 200, "model": "per_unit",
             "unit_price": "1.50"},
        ],
        "sla_credits": {"percent_per_breach": 1, "cap_percent": 10},
    },
    {
        "code": "growth", "name": "Growth", "currency": "USD", "interval": "month", "base_fee": 99900,
        "trial_days": 14, "services": ALL_SERVICES, "custom_services": True,
        "seats": {"included": 10, "unit_price": "29.00"},
        "meters": [
            {"code": "data_entry.records", "aggregation": "sum", "included": 5000, "model": "graduated",
             "tiers": [{"up_to": 20000, "unit_price": "0.04"}, {"unit_price": "0.03"}]},
            {"code": "support.tickets", "aggregation": "sum", "included": 1000, "model": "graduated",
             "tiers": [{"up_to": 4000, "unit_price": "1.20"}, {"unit_price": "0.90"}]},
            {"code": "work.items", "aggregation": "sum", "included": 200, "model": "volume",
             "tiers": [{"up_to": 1000, "unit_price": "3.00"}, {"up_to": 5000, "unit_price": "2.50"},
                       {"unit_price": "2.00"}]},
        ],
        "sla_credits": {"percent_per_breach": 2, "cap_percent": 20},
    },
    {
        "code": "enterprise", "name": "Enterprise", "currency": "USD", "interval": "month", "base_fee": 399900,
        "trial_days": 0, "services": ALL_SERVICES, "custom_services": True,
        "seats": {"included": 50, "unit_price": "24.50"},
        "meters": [
            {"code": "data_entry.records", "aggregation": "sum", "included": 50000, "model": "graduated",
             "tiers": [{"up_to": 200000, "unit_price": "0.025"}, {"unit_price": "0.02"}]},
            {"code": "support.tickets", "aggregation": "sum", "included": 10000, "model": "graduated",
             "tiers": [{"up_to": 40000, "unit_price": "0.80"}, {"unit_price": "0.60"}]},
            {"code": "work.items", "aggregation": "sum", "included": 2000, "model": "package",
             "package_size": 500, "package_price": "900.00"},
        ],
        "sla_credits": {"percent_per_breach": 5, "cap_percent": 30},
    },
]  # fmt: skip


def _content_hash(definition: dict) -> str:
    # billing.plan_file.content_hash, written out: a migration never imports code that may change after it.
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _aware(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    SUBSCRIPTION_STATUS.create(op.get_bind())
    INVOICE_LANGUAGE.create(op.get_bind())
    op.execute(f"GRANT INSERT, UPDATE ON plans TO {RUNTIME_GROUP}")  # `plans apply` adds and renames plans

    create_provider_table(
        "plan_versions",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("plan_code", sa.String(40), sa.ForeignKey("plans.code"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("definition", pg.JSONB(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("interval", sa.String(5), nullable=False),
        sa.Column("base_fee", sa.BigInteger(), nullable=False),
        sa.Column("trial_days", sa.Integer(), nullable=False),
        sa.Column("seats_included", sa.BigInteger(), nullable=False),
        sa.Column("seat_unit_price", sa.Numeric(16, 6), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("plan_code", "version", name="plan_versions_number"),
        sa.CheckConstraint("version >= 1", name="plan_versions_version_positive"),
        sa.CheckConstraint("interval IN ('month', 'year')", name="plan_versions_interval"),
        sa.CheckConstraint(
            "base_fee >= 0 AND seats_included >= 0 AND seat_unit_price >= 0", name="plan_versions_money"
        ),
        grant="SELECT, INSERT",  # a version never changes: a changed plan is a new version
    )
    versions = sa.table(
        "plan_versions",
        *(sa.column(name) for name in ("id", "plan_code", "version", "currency", "interval", "base_fee")),
        *(sa.column(name) for name in ("trial_days", "seats_included", "seat_unit_price", "content_hash")),
        sa.column("definition", pg.JSONB()),
    )
    op.bulk_insert(
        versions,
        [
            {
                "id": uuid.uuid4(),
                "plan_code": plan["code"],
                "version": 1,
                "definition": plan,
                "currency": plan["currency"],
                "interval": plan["interval"],
                "base_fee": plan["base_fee"],
                "trial_days": plan["trial_days"],
                "seats_included": plan["seats"]["included"],
                "seat_unit_price": plan["seats"]["unit_price"],
                "content_hash": _content_hash(plan),
            }
            for plan in VERSION_ONE
        ],
    )

    create_tenant_table(
        "subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("plan_version_id", sa.Uuid(), sa.ForeignKey("plan_versions.id"), nullable=False),
        sa.Column("status", SUBSCRIPTION_STATUS, nullable=False),
        _aware("started_at", nullable=False),
        _aware("current_period_start", nullable=False),
        _aware("trial_ends_at"),
        _aware("cancelled_at"),
        sa.Column("pending_plan_version_id", sa.Uuid(), sa.ForeignKey("plan_versions.id")),
        _aware("pending_from"),
        *timestamps(),
        sa.UniqueConstraint("tenant_id", name="subscriptions_one_per_tenant"),
        sa.CheckConstraint(
            "(pending_plan_version_id IS NULL) = (pending_from IS NULL)", name="subscriptions_pending_whole"
        ),
        sa.CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="subscriptions_cancelled_at"),
    )
    # Forced RLS applies to the owner too (unless a superuser runs this): allow every tenant for this insert.
    op.execute(
        "SELECT set_config('bo.tenant_ids', coalesce((SELECT string_agg(id::text, ',') FROM tenants), ''), true)"
    )
    op.execute(
        """INSERT INTO subscriptions (tenant_id, id, plan_version_id, status, started_at, current_period_start)
           SELECT t.id, gen_random_uuid(), v.id, 'active', t.created_at,
                  date_trunc('month', now() AT TIME ZONE t.timezone) AT TIME ZONE t.timezone
           FROM tenants t JOIN plan_versions v ON v.plan_code = t.plan_code AND v.version = 1"""
    )
    op.execute("SELECT set_config('bo.tenant_ids', '', true)")

    create_tenant_table(
        "billing_profiles",
        sa.Column("legal_name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(1000), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("tax_id", sa.String(40)),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("invoice_language", INVOICE_LANGUAGE, nullable=False, server_default="en"),
        sa.Column("billing_email", sa.String(320), nullable=False),
        *timestamps(),
        sa.CheckConstraint("tax_rate_bp BETWEEN 0 AND 10000", name="billing_profiles_tax_rate"),
        sa.CheckConstraint("country ~ '^[A-Z]{2}$'", name="billing_profiles_country"),
        key=(),
    )


def downgrade() -> None:
    op.drop_table("billing_profiles")
    op.drop_table("subscriptions")
    op.drop_table("plan_versions")
    op.execute(f"REVOKE INSERT, UPDATE ON plans FROM {RUNTIME_GROUP}")
    INVOICE_LANGUAGE.drop(op.get_bind())
    SUBSCRIPTION_STATUS.drop(op.get_bind())
