"""The usage seam: metered facts, each recorded once with the effect that earned it.

``usage_records`` is append-only for the runtime role: a usage record is a fact
billing prices, so it is never updated or deleted. The unique key on
``(tenant_id, meter, idempotency_key)`` is what makes a retried, raced or
redelivered effect count once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from helpers import APPEND_ONLY, create_tenant_table

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tenant_table(
        "usage_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("meter", sa.String(60), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        # The work item that earned it, when one did; usage outlives nothing it points at (no cascade).
        sa.Column("work_item_id", sa.Uuid()),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "work_item_id"], ["work_items.tenant_id", "work_items.id"]),
        sa.UniqueConstraint("tenant_id", "meter", "idempotency_key", name="usage_records_once"),
        sa.CheckConstraint("quantity > 0", name="usage_records_quantity"),
        sa.CheckConstraint("char_length(idempotency_key) > 0", name="usage_records_key"),
        grant=APPEND_ONLY,
    )
    # Billing's read: one tenant's meter over a period.
    op.create_index("usage_records_period", "usage_records", ["tenant_id", "meter", "occurred_at"])


def downgrade() -> None:
    op.drop_table("usage_records")
