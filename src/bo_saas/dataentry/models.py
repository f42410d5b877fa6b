"""The Data entry desk's records: schema versions, batches, their chunks (one work item each) and records.

Every table is tenant-owned: ``tenant_id`` leads the key, every reference and
unique constraint includes it, and migration 0013 forces RLS on it. A record is
keyed for the import by ``(tenant_id, batch_id, row_number)``: an import that is
run again after a crash stores each row once. A record belongs to the chunk of
its batch with its ``chunk_number``. A batch of documents (PDFs, images) has a
``Document`` per file, and each of its records names its document and page
(migration 0018).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib import limits
from bo_saas.lib.clock import utc_now
from bo_saas.lib.models import Base, TenantOwned, UUIDPrimaryKey, value_enum
from bo_saas.work.models import DeskRecord, work_item_key

FILENAME = 255
SHA256 = 64


class BatchStatus(enum.StrEnum):
    IMPORTING = "importing"  # the file is being read into records (in the background)
    READY = "ready"  # records stored and chunked; the chunks wait in the queue
    IN_PROGRESS = "in_progress"  # an agent has worked on one of its records
    DONE = "done"  # every chunk's work item is done
    FAILED = "failed"  # the file could not be read; ``error`` says why


class RecordStatus(enum.StrEnum):
    PENDING = "pending"  # waits for an agent: it has problems, or its schema is keyed by people
    AWAITING_SECOND_KEY = "awaiting_second_key"  # double keying: one pass keyed, the other not yet
    IN_ADJUDICATION = "in_adjudication"  # double keying: the passes disagree; a third person decides
    ACCEPTED = "accepted"  # its values are the ones the client gets


def _aware(nullable: bool = True) -> Any:
    return mapped_column(DateTimeUTC(timezone=True), nullable=nullable)


class RecordSchema(TenantOwned, UUIDPrimaryKey, Base):
    """One version of a tenant's record schema; a change makes the next version, batches keep theirs."""

    __tablename__ = "data_entry_schemas"
    __table_args__ = (UniqueConstraint("tenant_id", "code", "version", name="data_entry_schemas_version"),)
    code: Mapped[str] = mapped_column(String(limits.CODE))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(limits.NAME))
    double_key: Mapped[bool] = mapped_column(Boolean, default=False)
    chunk_size: Mapped[int] = mapped_column(Integer)
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)  # definitions.FieldDefinition, defaults left out
    created_by: Mapped[UUID | None]
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class Batch(TenantOwned, UUIDPrimaryKey, Base):
    """Rows a client sent in one file, imported into records against one schema version."""

    __tablename__ = "data_entry_batches"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "schema_id"], ["data_entry_schemas.tenant_id", "data_entry_schemas.id"]),
        # The same bytes sent again for the same schema are the same batch (idempotent upload).
        UniqueConstraint("tenant_id", "schema_code", "sha256", name="data_entry_batches_file"),
        Index("data_entry_batches_listed", "tenant_id", "created_at"),
    )
    schema_id: Mapped[UUID]
    schema_code: Mapped[str] = mapped_column(String(limits.CODE))
    status: Mapped[BatchStatus] = mapped_column(value_enum(BatchStatus, "data_entry_batch_status"))
    filename: Mapped[str] = mapped_column(String(FILENAME))
    file_format: Mapped[str] = mapped_column(String(10))  # "csv", "xlsx", or "documents" (see Document)
    storage_key: Mapped[str | None] = mapped_column(String(100))  # the rows file; None for documents
    sha256: Mapped[str] = mapped_column(String(SHA256))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    encoding: Mapped[str | None] = mapped_column(String(20))  # CSV only, as detected
    delimiter: Mapped[str | None] = mapped_column(String(1))  # CSV only, as sniffed
    columns: Mapped[list[str | None]] = mapped_column(JSONB)  # per file column, the field it fills (None: unused)
    rows_total: Mapped[int | None] = mapped_column(Integer)  # known once the file is read
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[UUID | None]
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now, onupdate=utc_now)
    completed_at: Mapped[datetime | None] = _aware()


class Chunk(DeskRecord, Base):
    """At most ``chunk_size`` of a batch's records, worked as one item of the ``data_entry`` service."""

    __tablename__ = "data_entry_chunks"
    __table_args__ = (
        work_item_key(),
        ForeignKeyConstraint(
            ["tenant_id", "batch_id"], ["data_entry_batches.tenant_id", "data_entry_batches.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("tenant_id", "batch_id", "number", name="data_entry_chunks_number"),
        UniqueConstraint("tenant_id", "work_item_id", name="data_entry_chunks_work_item"),
    )
    batch_id: Mapped[UUID]
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... in row order
    first_row: Mapped[int] = mapped_column(Integer)
    last_row: Mapped[int] = mapped_column(Integer)


class Document(TenantOwned, UUIDPrimaryKey, Base):
    """A file (PDF or image) of a documents batch; its records are keyed from it. Bytes in file storage."""

    __tablename__ = "data_entry_documents"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "batch_id"], ["data_entry_batches.tenant_id", "data_entry_batches.id"], ondelete="CASCADE"
        ),
        # The same file twice in one batch is kept once (migration 0018).
        UniqueConstraint("tenant_id", "batch_id", "sha256", name="data_entry_documents_file"),
        UniqueConstraint("tenant_id", "batch_id", "number", name="data_entry_documents_number"),
    )
    batch_id: Mapped[UUID]
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, ... in the order they were sent
    filename: Mapped[str] = mapped_column(String(FILENAME))
    content_type: Mapped[str] = mapped_column(String(100))  # from the bytes, never from the name
    pages: Mapped[int] = mapped_column(Integer)  # 1 for an image
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(SHA256))
    storage_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class Record(TenantOwned, UUIDPrimaryKey, Base):
    """One row of a batch: its values by field name and, while they fail their fields, the problems."""

    __tablename__ = "data_entry_records"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "batch_id"], ["data_entry_batches.tenant_id", "data_entry_batches.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["tenant_id", "document_id"],
            ["data_entry_documents.tenant_id", "data_entry_documents.id"],
            ondelete="CASCADE",
            name="data_entry_records_document",
        ),
        UniqueConstraint("tenant_id", "batch_id", "row_number", name="data_entry_records_row"),
        Index("data_entry_records_chunk", "tenant_id", "batch_id", "chunk_number", "status"),
    )
    batch_id: Mapped[UUID]
    row_number: Mapped[int] = mapped_column(Integer)  # 1 is the first row under the header
    # The chunk it falls in, (row_number - 1) // chunk_size + 1 of the batch's schema version, known as the
    # row is stored; the chunk row (with its work item) comes once the whole file is in, so this is no FK.
    chunk_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[RecordStatus] = mapped_column(value_enum(RecordStatus, "data_entry_record_status"))
    values: Mapped[dict[str, Any]] = mapped_column(JSONB)
    problems: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)  # field name -> what is wrong
    # The problems the import found, kept after an agent clears ``problems``: the batch report's rejected rows.
    import_problems: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    updated_by: Mapped[UUID | None]
    updated_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
    # A documents batch's record: the document it is keyed from and, for a PDF split per page, the page.
    document_id: Mapped[UUID | None]
    page: Mapped[int | None] = mapped_column(Integer)


class Keying(TenantOwned, UUIDPrimaryKey, Base):
    """One person's blind pass over a double-keyed record: the values they keyed, judged by the field rules.

    Two passes per record at most, by two different people (both unique with the record, migration 0015).
    """

    __tablename__ = "data_entry_keyings"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "record_id"], ["data_entry_records.tenant_id", "data_entry_records.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("tenant_id", "record_id", "pass_number", name="data_entry_keyings_pass"),
        UniqueConstraint("tenant_id", "record_id", "keyer_id", name="data_entry_keyings_keyer"),
        Index("data_entry_keyings_keyer_id", "tenant_id", "keyer_id"),
    )
    record_id: Mapped[UUID]
    pass_number: Mapped[int] = mapped_column(SmallInteger)  # 1 or 2, in the order the passes came in
    keyer_id: Mapped[UUID] = mapped_column(ForeignKey("accounts.id"))
    values: Mapped[dict[str, Any]] = mapped_column(JSONB)
    keyed_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
