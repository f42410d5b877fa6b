"""Data entry desk: record schema versions, batches, chunks (one work item each), records.

Every table is tenant-owned with forced RLS (``create_tenant_table``); every
reference carries ``tenant_id``. A record is unique on ``(tenant_id, batch_id,
row_number)``, which is what lets an interrupted import run again without
storing a row twice. A record names its chunk by number (known when the row is
stored; the chunk and its work item come once the whole file is in).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table
from sqlalchemy.dialects import postgresql as pg

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

BATCH_STATUS = pg.ENUM(
    "importing", "ready", "in_progress", "done", "failed", name="data_entry_batch_status", create_type=False
)
RECORD_STATUS = pg.ENUM("pending", "accepted", name="data_entry_record_status", create_type=False)


def _aware(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _now(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    bind = op.get_bind()
    BATCH_STATUS.create(bind)
    RECORD_STATUS.create(bind)

    create_tenant_table(
        "data_entry_schemas",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("double_key", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("chunk_size", sa.Integer(), nullable=False),
        sa.Column("fields", pg.JSONB(), nullable=False),
        sa.Column("created_by", sa.Uuid()),
        _now("created_at"),
        sa.UniqueConstraint("tenant_id", "code", "version", name="data_entry_schemas_version"),
        sa.CheckConstraint("version >= 1", name="data_entry_schemas_version_positive"),
        sa.CheckConstraint("chunk_size BETWEEN 1 AND 1000", name="data_entry_schemas_chunk_size"),
    )

    create_tenant_table(
        "data_entry_batches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("schema_id", sa.Uuid(), nullable=False),
        sa.Column("schema_code", sa.String(40), nullable=False),
        sa.Column("status", BATCH_STATUS, nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("file_format", sa.String(10), nullable=False),
        sa.Column("storage_key", sa.String(100), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("encoding", sa.String(20)),
        sa.Column("delimiter", sa.String(1)),
        sa.Column("columns", pg.JSONB(), nullable=False),
        sa.Column("rows_total", sa.Integer()),
        sa.Column("rows_imported", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("error", sa.Text()),
        sa.Column("created_by", sa.Uuid()),
        _now("created_at"),
        _now("updated_at"),
        _aware("completed_at"),
        sa.ForeignKeyConstraint(["tenant_id", "schema_id"], ["data_entry_schemas.tenant_id", "data_entry_schemas.id"]),
        sa.UniqueConstraint("tenant_id", "schema_code", "sha256", name="data_entry_batches_file"),
        sa.CheckConstraint("file_format IN ('csv', 'xlsx')", name="data_entry_batches_format"),
    )
    op.create_index("data_entry_batches_listed", "data_entry_batches", ["tenant_id", "created_at"])

    create_tenant_table(
        "data_entry_chunks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("work_item_id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("first_row", sa.Integer(), nullable=False),
        sa.Column("last_row", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "work_item_id"], ["work_items.tenant_id", "work_items.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "batch_id"], ["data_entry_batches.tenant_id", "data_entry_batches.id"], ondelete="CASCADE"
        ),
        sa.UniqueConstraint("tenant_id", "batch_id", "number", name="data_entry_chunks_number"),
        sa.UniqueConstraint("tenant_id", "work_item_id", name="data_entry_chunks_work_item"),
    )

    create_tenant_table(
        "data_entry_records",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("chunk_number", sa.Integer(), nullable=False),
        sa.Column("status", RECORD_STATUS, nullable=False),
        sa.Column("values", pg.JSONB(), nullable=False),
        sa.Column("problems", pg.JSONB(), nullable=False, server_default="{}"),
        sa.Column("updated_by", sa.Uuid()),
        _now("updated_at"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "batch_id"], ["data_entry_batches.tenant_id", "data_entry_batches.id"], ondelete="CASCADE"
        ),
        sa.UniqueConstraint("tenant_id", "batch_id", "row_number", name="data_entry_records_row"),
    )
    op.create_index(
        "data_entry_records_chunk", "data_entry_records", ["tenant_id", "batch_id", "chunk_number", "status"]
    )


def downgrade() -> None:
    for table in ("data_entry_records", "data_entry_chunks", "data_entry_batches", "data_entry_schemas"):
        op.drop_table(table)
    RECORD_STATUS.drop(op.get_bind())
    BATCH_STATUS.drop(op.get_bind())
