"""Data entry batches of documents: the files a client sends to be keyed, and each record's document and page.

A batch may be documents (PDFs, images) instead of a file of rows: each
document is a row of ``data_entry_documents`` (its bytes in file storage under
``storage_key``), unique per batch by its sha256, so the same file sent twice
in one batch is kept once. A record keyed from a document points at it with
``(tenant_id, document_id)`` and, when a PDF was split per page, the page
(1-based). A documents batch has no rows file: its ``file_format`` is
``documents`` and its ``storage_key`` null.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tenant_table(
        "data_entry_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_key", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "batch_id"], ["data_entry_batches.tenant_id", "data_entry_batches.id"], ondelete="CASCADE"
        ),
        sa.UniqueConstraint("tenant_id", "batch_id", "sha256", name="data_entry_documents_file"),
        sa.UniqueConstraint("tenant_id", "batch_id", "number", name="data_entry_documents_number"),
        sa.CheckConstraint("pages >= 1", name="data_entry_documents_pages"),
    )
    op.add_column("data_entry_records", sa.Column("document_id", sa.Uuid(), nullable=True))
    op.add_column("data_entry_records", sa.Column("page", sa.Integer(), nullable=True))
    op.create_foreign_key(
        "data_entry_records_document",
        "data_entry_records",
        "data_entry_documents",
        ["tenant_id", "document_id"],
        ["tenant_id", "id"],
        ondelete="CASCADE",
    )
    op.create_check_constraint(
        "data_entry_records_page", "data_entry_records", "page IS NULL OR (document_id IS NOT NULL AND page >= 1)"
    )
    op.alter_column("data_entry_batches", "storage_key", nullable=True)
    op.drop_constraint(op.f("ck_data_entry_batches_data_entry_batches_format"), "data_entry_batches", type_="check")
    op.create_check_constraint(
        "data_entry_batches_format",
        "data_entry_batches",
        "file_format IN ('csv', 'xlsx') AND storage_key IS NOT NULL "
        "OR file_format = 'documents' AND storage_key IS NULL",
    )


def downgrade() -> None:
    op.execute("DELETE FROM data_entry_batches WHERE storage_key IS NULL")
    op.drop_constraint(op.f("ck_data_entry_batches_data_entry_batches_format"), "data_entry_batches", type_="check")
    op.create_check_constraint("data_entry_batches_format", "data_entry_batches", "file_format IN ('csv', 'xlsx')")
    op.alter_column("data_entry_batches", "storage_key", nullable=False)
    op.drop_constraint(op.f("ck_data_entry_records_data_entry_records_page"), "data_entry_records", type_="check")
    op.drop_constraint("data_entry_records_document", "data_entry_records")
    op.drop_column("data_entry_records", "page")
    op.drop_column("data_entry_records", "document_id")
    op.drop_table("data_entry_documents")
