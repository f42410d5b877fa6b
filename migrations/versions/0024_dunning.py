"""Dunning steps: each reminder, retry and suspension of an overdue invoice, taken once.

Issue 11: an unpaid invoice is retried on a schedule with emails, and the
tenant is suspended past a number of days. A step is a row, unique per invoice
and step number, so two API processes ticking at once take it once; the row
is the record of what was done and when (the audit trail has it too).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tenant_table(
        "dunning_steps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),  # 1.. the retry days; 0 the suspension
        sa.Column("days_overdue", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("outcome", sa.String(300), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        sa.UniqueConstraint("tenant_id", "invoice_id", "step", name="dunning_steps_once"),
        sa.CheckConstraint("action IN ('reminder', 'retry', 'suspension')", name="dunning_steps_action"),
        grant="SELECT, INSERT",
    )


def downgrade() -> None:
    op.drop_table("dunning_steps")
