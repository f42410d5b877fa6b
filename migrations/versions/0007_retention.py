"""Retention: indexes that let the purge find old rows without scanning the hot tables.

The purge (``bo_saas.lib.retention``, ``bo_saas.notify.retention``) deletes, in
small ``SKIP LOCKED`` batches, outbox rows sent before the cutoff,
processed-message records older than it and webhook deliveries delivered
before it. Each batch picks its rows by walking one of these indexes from its old end.

No grant changes: the runtime role already may delete from outbox_messages,
processed_messages and webhook_deliveries, and a delivery's attempts go through
the foreign key's ON DELETE CASCADE, which PostgreSQL runs with the table
owner's rights, so attempts stay insert-and-read-only for the runtime role. The
purge walks tenants in chunks with a declared scope; nothing bypasses RLS.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Unsent rows have their own partial index (outbox_unsent); this one holds only the sent.
    op.create_index("outbox_sent_at", "outbox_messages", ["sent_at"], postgresql_where=sa.text("sent_at IS NOT NULL"))
    op.create_index("processed_messages_processed_at", "processed_messages", ["processed_at"])
    # Only delivered deliveries have delivered_at: pending and failed ones are not in this index.
    # (A predicate on delivered_at, not on status: the purge's "delivered_at < $1" proves it even in a
    # generic plan, where "status = $2" would not.)
    op.create_index(
        "webhook_deliveries_delivered",
        "webhook_deliveries",
        ["delivered_at"],
        postgresql_where=sa.text("delivered_at IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("webhook_deliveries_delivered", table_name="webhook_deliveries")
    op.drop_index("processed_messages_processed_at", table_name="processed_messages")
    op.drop_index("outbox_sent_at", table_name="outbox_messages")
