"""Data entry double keying: each keyer's pass of a record, the statuses between, and the import's problems kept.

A double-keyed record is keyed twice, blind, by two different people: one row
per pass in ``data_entry_keyings``, unique per ``(tenant_id, record_id,
pass_number)`` and per ``(tenant_id, record_id, keyer_id)``, so one person can
never key both passes. Records gain two statuses: ``awaiting_second_key``
(one pass in) and ``in_adjudication`` (the passes disagree on some field).

``import_problems`` keeps what the import found wrong with a row: ``problems``
is cleared when an agent corrects the record, and the batch report still has to
say which rows came in rejected and why.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table
from sqlalchemy.dialects import postgresql as pg

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

NEW_STATUSES = ("awaiting_second_key", "in_adjudication")


def upgrade() -> None:
    for status in NEW_STATUSES:
        # Added values cannot be used in the transaction that adds them; nothing below uses them.
        op.execute(f"ALTER TYPE data_entry_record_status ADD VALUE IF NOT EXISTS '{status}'")
    op.add_column(
        "data_entry_records",
        sa.Column("import_problems", pg.JSONB(), nullable=False, server_default="{}"),
    )
    op.execute("UPDATE data_entry_records SET import_problems = problems")

    create_tenant_table(
        "data_entry_keyings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("pass_number", sa.SmallInteger(), nullable=False),
        sa.Column("keyer_id", sa.Uuid(), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("values", pg.JSONB(), nullable=False),
        sa.Column("keyed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "record_id"], ["data_entry_records.tenant_id", "data_entry_records.id"], ondelete="CASCADE"
        ),
        sa.UniqueConstraint("tenant_id", "record_id", "pass_number", name="data_entry_keyings_pass"),
        sa.UniqueConstraint("tenant_id", "record_id", "keyer_id", name="data_entry_keyings_keyer"),
        sa.CheckConstraint("pass_number IN (1, 2)", name="data_entry_keyings_pass_number"),
    )
    # Accuracy per agent reads every pass of one keyer.
    op.create_index("data_entry_keyings_keyer_id", "data_entry_keyings", ["tenant_id", "keyer_id"])


def downgrade() -> None:
    op.drop_table("data_entry_keyings")
    op.drop_column("data_entry_records", "import_problems")
    # PostgreSQL cannot drop an enum value: rebuild the type without the two, records in them back to pending.
    op.execute("ALTER TABLE data_entry_records ALTER COLUMN status TYPE text")
    op.execute(f"UPDATE data_entry_records SET status = 'pending' WHERE status IN {NEW_STATUSES!r}")
    op.execute("DROP TYPE data_entry_record_status")
    op.execute("CREATE TYPE data_entry_record_status AS ENUM ('pending', 'accepted')")
    op.execute(
        "ALTER TABLE data_entry_records ALTER COLUMN status TYPE data_entry_record_status "
        "USING status::data_entry_record_status"
    )
