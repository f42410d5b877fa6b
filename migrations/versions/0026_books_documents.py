"""Documents to book and the period close checklist: the bookkeeping desk's records on its work items.

- ``book_documents``: a bill, receipt or sales invoice a client sent (the
  bytes in file storage), one per work item; ``entry_id`` links the journal
  entry that books it. The same file is one document per tenant, and an entry
  books at most one document.
- ``book_period_closes``: closing one period, one per work item, with its
  checklist (JSONB). At most one open close per period (partial unique index).
- The ``bookkeeping`` service's portal form learns the task ``close_period``.

Both tables are tenant-owned with forced RLS (``create_tenant_table``); every
reference includes ``tenant_id``. Rows are never deleted by the runtime role
(they go with their work item).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05
"""

import json

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table
from sqlalchemy.dialects import postgresql as pg

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

CLOSE_TASK = "close_period"


def _work_item_key() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", "work_item_id"], ["work_items.tenant_id", "work_items.id"], ondelete="CASCADE"
    )


def _aware(name: str, **kwargs) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), **kwargs)


def _task_choices(change) -> None:
    """Add or take away ``close_period`` among the bookkeeping form's task choices."""
    bind = op.get_bind()
    form = bind.execute(sa.text("SELECT form_schema FROM service_types WHERE code = 'bookkeeping'")).scalar()
    if form is None:
        return
    for field in form:
        if field.get("name") == "task":
            field["choices"] = change(list(field.get("choices") or []))
    bind.execute(
        sa.text("UPDATE service_types SET form_schema = CAST(:form AS jsonb) WHERE code = 'bookkeeping'"),
        {"form": json.dumps(form)},
    )


def upgrade() -> None:
    create_tenant_table(
        "book_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("work_item_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_key", sa.String(100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("entry_id", sa.Uuid()),
        sa.Column("booked_by", sa.Uuid()),
        _aware("booked_at"),
        sa.Column("uploaded_by", sa.Uuid()),
        _aware("created_at", nullable=False, server_default=sa.func.now()),
        _work_item_key(),
        sa.ForeignKeyConstraint(["tenant_id", "entry_id"], ["journal_entries.tenant_id", "journal_entries.id"]),
        sa.UniqueConstraint("tenant_id", "work_item_id", name="book_documents_work_item"),
        sa.UniqueConstraint("tenant_id", "sha256", name="book_documents_file"),
        sa.UniqueConstraint("tenant_id", "entry_id", name="book_documents_entry"),
        sa.CheckConstraint("kind IN ('bill', 'receipt', 'sales_invoice')", name="book_documents_kind"),
        sa.CheckConstraint("(entry_id IS NULL) = (booked_at IS NULL)", name="book_documents_booked"),
        grant="SELECT, INSERT, UPDATE",
    )
    # The documents screen lists a tenant's documents newest first.
    op.create_index("book_documents_created", "book_documents", ["tenant_id", "created_at"])

    create_tenant_table(
        "book_period_closes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("work_item_id", sa.Uuid(), nullable=False),
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("checks", pg.JSONB(), nullable=False),
        sa.Column("started_by", sa.Uuid()),
        _aware("created_at", nullable=False, server_default=sa.func.now()),
        _aware("closed_at"),
        _aware("cancelled_at"),
        _work_item_key(),
        sa.ForeignKeyConstraint(["tenant_id", "period_id"], ["book_periods.tenant_id", "book_periods.id"]),
        sa.UniqueConstraint("tenant_id", "work_item_id", name="book_period_closes_work_item"),
        grant="SELECT, INSERT, UPDATE",
    )
    op.create_index(
        "book_period_closes_open", "book_period_closes", ["tenant_id", "period_id"], unique=True,
        postgresql_where=sa.text("closed_at IS NULL AND cancelled_at IS NULL"),
    )  # fmt: skip
    _task_choices(lambda choices: choices if CLOSE_TASK in choices else [*choices, CLOSE_TASK])


def downgrade() -> None:
    _task_choices(lambda choices: [choice for choice in choices if choice != CLOSE_TASK])
    op.drop_table("book_period_closes")
    op.drop_table("book_documents")
