"""Support desk: which message brought which file.

A customer's attachments are stored as the ticket's work-item files (the work
domain's ``attachments``), so the queue, QA and downloads treat them like any
upload. This table says which message each came with, so the conversation can
show a file under the mail that carried it. It is the desk's own table: the
work domain's tables are not changed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tenant_table(
        "support_message_attachments",
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("attachment_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "message_id"], ["support_messages.tenant_id", "support_messages.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "attachment_id"], ["attachments.tenant_id", "attachments.id"], ondelete="CASCADE"
        ),
        key=("message_id", "attachment_id"),
    )
    # An attachment belongs to one message at most.
    op.create_unique_constraint(
        "support_message_attachments_attachment", "support_message_attachments", ["tenant_id", "attachment_id"]
    )


def downgrade() -> None:
    op.drop_table("support_message_attachments")
