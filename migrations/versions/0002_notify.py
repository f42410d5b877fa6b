"""Tenant webhooks and in-app notifications.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from helpers import APPEND_ONLY, create_tenant_table, timestamps
from sqlalchemy.dialects import postgresql as pg

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _aware(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _created_at() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    create_tenant_table(
        "webhook_endpoints",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("description", sa.String(500), nullable=False, server_default=""),
        sa.Column("events", pg.ARRAY(sa.Text()), nullable=False, server_default="{}"),
        sa.Column("secret", sa.String(128), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_by", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="SET NULL")),
        *timestamps(),
    )
    op.create_index("webhook_endpoints_recent", "webhook_endpoints", ["tenant_id", sa.text("created_at DESC")])

    create_tenant_table(
        "webhook_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("event", sa.String(80), nullable=False),
        sa.Column("payload", pg.JSONB(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        _aware("next_attempt_at"),
        _aware("delivered_at"),
        sa.Column("last_status_code", sa.Integer()),
        _created_at(),
        # Deleting an endpoint deletes its deliveries (and, below, their attempts).
        sa.ForeignKeyConstraint(
            ["tenant_id", "endpoint_id"],
            ["webhook_endpoints.tenant_id", "webhook_endpoints.id"],
            ondelete="CASCADE",
            name="webhook_deliveries_endpoint_fkey",
        ),
        sa.CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="webhook_deliveries_status"),
    )
    # An endpoint's deliveries, newest first; also serves the cascade from endpoints.
    op.create_index(
        "webhook_deliveries_recent", "webhook_deliveries", ["tenant_id", "endpoint_id", sa.text("created_at DESC")]
    )

    create_tenant_table(
        "webhook_attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("delivery_id", sa.Uuid(), nullable=False),
        _aware("attempted_at", nullable=False),
        sa.Column("status_code", sa.Integer()),
        sa.Column("response_body", sa.Text()),
        sa.Column("error", sa.Text()),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "delivery_id"],
            ["webhook_deliveries.tenant_id", "webhook_deliveries.id"],
            ondelete="CASCADE",
            name="webhook_attempts_delivery_fkey",
        ),
        grant=APPEND_ONLY,
    )
    op.create_index("webhook_attempts_delivery", "webhook_attempts", ["tenant_id", "delivery_id", "attempted_at"])

    create_tenant_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("recipient_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(80), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        # No foreign key: the work items table comes in a later migration.
        sa.Column("work_item_id", sa.Uuid()),
        _created_at(),
        _aware("read_at"),
    )
    op.create_index(
        "notifications_recipient_recent", "notifications", ["tenant_id", "recipient_id", sa.text("created_at DESC")]
    )
    # The unread count is polled by every open page; it reads only this small index.
    op.create_index(
        "notifications_recipient_unread",
        "notifications",
        ["tenant_id", "recipient_id"],
        postgresql_where=sa.text("read_at IS NULL"),
    )


def downgrade() -> None:
    for table in ("notifications", "webhook_attempts", "webhook_deliveries", "webhook_endpoints"):
        op.drop_table(table)
