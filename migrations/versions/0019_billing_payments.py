"""Billing, payments: each tenant's Stripe customer and card on file, invoice payments, Stripe event ids.

``stripe_customers`` and ``invoice_payments`` are tenant-owned (forced RLS,
keys and foreign keys led by ``tenant_id``). ``stripe_events`` is
provider-level: an event id is stored once, before any work on it, so a
redelivered event finds its row and does nothing.

Stripe's webhook arrives with no signed-in user. Its one pre-tenant question
(which tenant does this PaymentIntent, or this Stripe customer, belong to?) is
answered from our own rows by ``bo_billing_stripe_tenant``, a narrow SECURITY
DEFINER lookup that returns a tenant id and nothing else; the request then
works in that tenant's scope only. Tenant ids in an event's body are never read.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import RUNTIME_GROUP, create_provider_table, create_tenant_table, timestamps
from sqlalchemy.dialects import postgresql as pg

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

PAYMENT_METHOD_KIND = pg.ENUM("card", "bank_transfer", name="payment_method_kind", create_type=False)
PAYMENT_STATUS = pg.ENUM("processing", "failed", "succeeded", name="payment_status", create_type=False)

TENANT_LOOKUP = """
CREATE FUNCTION bo_billing_stripe_tenant(p_payment_intent text, p_customer text)
RETURNS TABLE (tenant_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    (SELECT p.tenant_id FROM invoice_payments p WHERE p.stripe_payment_intent_id = p_payment_intent
     UNION ALL
     SELECT c.tenant_id FROM stripe_customers c WHERE c.stripe_customer_id = p_customer)
    LIMIT 1
$$
"""


def _aware(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    PAYMENT_METHOD_KIND.create(op.get_bind())
    PAYMENT_STATUS.create(op.get_bind())

    create_tenant_table(
        "stripe_customers",
        sa.Column("stripe_customer_id", sa.String(255), nullable=False),
        sa.Column("card_payment_method_id", sa.String(255)),
        sa.Column("card_brand", sa.String(40)),
        sa.Column("card_last4", sa.String(4)),
        sa.Column("card_exp_month", sa.Integer()),
        sa.Column("card_exp_year", sa.Integer()),
        sa.Column("card_setup_intent_id", sa.String(255)),
        _aware("card_setup_created_at"),
        *timestamps(),
        sa.CheckConstraint(
            "(card_payment_method_id IS NULL) = (card_last4 IS NULL)", name="stripe_customers_card_whole"
        ),
        key=(),
    )
    # The webhook's lookup by customer id (a plain index: uniqueness across tenants is Stripe's to keep).
    op.create_index("stripe_customers_by_customer", "stripe_customers", ["stripe_customer_id"])

    create_tenant_table(
        "invoice_payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("method", PAYMENT_METHOD_KIND, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", PAYMENT_STATUS, nullable=False),
        sa.Column("stripe_payment_intent_id", sa.String(255)),
        sa.Column("stripe_payment_method_id", sa.String(255)),
        sa.Column("failure_message", sa.String(500)),
        sa.Column("reference", sa.String(200)),
        sa.Column("received_on", sa.Date()),
        sa.Column("recorded_by", sa.Uuid()),
        *timestamps(),
        sa.ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        sa.UniqueConstraint("tenant_id", "invoice_id", "attempt", name="invoice_payments_attempt"),
        sa.CheckConstraint("amount > 0", name="invoice_payments_amount_positive"),
        sa.CheckConstraint("attempt >= 1", name="invoice_payments_attempt_positive"),
        sa.CheckConstraint(
            "method <> 'bank_transfer' OR (status = 'succeeded' AND reference IS NOT NULL AND received_on IS NOT NULL)",
            name="invoice_payments_transfer_whole",
        ),
    )
    op.create_index(
        "invoice_payments_by_intent",
        "invoice_payments",
        ["stripe_payment_intent_id"],
        postgresql_where=sa.text("stripe_payment_intent_id IS NOT NULL"),
    )

    create_provider_table(
        "stripe_events",
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column("type", sa.String(80), nullable=False),
        _aware("received_at", nullable=False),
        _aware("processed_at"),
        grant="SELECT, INSERT, UPDATE",
    )

    op.execute(TENANT_LOOKUP)
    op.execute("REVOKE ALL ON FUNCTION bo_billing_stripe_tenant(text, text) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION bo_billing_stripe_tenant(text, text) TO {RUNTIME_GROUP}")


def downgrade() -> None:
    op.execute("DROP FUNCTION bo_billing_stripe_tenant(text, text)")
    op.drop_table("stripe_events")
    op.drop_table("invoice_payments")
    op.drop_table("stripe_customers")
    PAYMENT_STATUS.drop(op.get_bind())
    PAYMENT_METHOD_KIND.drop(op.get_bind())
