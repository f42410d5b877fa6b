"""The desk's own records on its work items: documents to book, and period closes with their checklist.

Both are ``DeskRecord`` rows, one per work item of the ``bookkeeping`` service.
A document (a bill, receipt or sales invoice a client sent) is booked when a
journal entry linked to it is posted; a close is the checklist a period is
locked by. Migration 0026 creates the tables with forced RLS; every reference
carries ``tenant_id``.
"""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import BigInteger, CheckConstraint, ForeignKeyConstraint, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib.clock import utc_now
from bo_saas.lib.models import Base
from bo_saas.work.models import DeskRecord, work_item_key

FILENAME = 255
SHA256 = 64
STORAGE_KEY = 100
KIND = 20


class DocumentKind(enum.StrEnum):
    BILL = "bill"  # a supplier's invoice: a payable
    RECEIPT = "receipt"  # something already paid
    SALES_INVOICE = "sales_invoice"  # the tenant's own invoice: a receivable


class BookDocument(DeskRecord, Base):
    """A file a client sent to be booked; ``entry_id`` is the journal entry that books it (None until then)."""

    __tablename__ = "book_documents"
    __table_args__ = (
        work_item_key(),
        ForeignKeyConstraint(["tenant_id", "entry_id"], ["journal_entries.tenant_id", "journal_entries.id"]),
        UniqueConstraint("tenant_id", "work_item_id", name="book_documents_work_item"),
        # The same file sent twice is the same document: booked once.
        UniqueConstraint("tenant_id", "sha256", name="book_documents_file"),
        UniqueConstraint("tenant_id", "entry_id", name="book_documents_entry"),
        CheckConstraint("kind IN ('bill', 'receipt', 'sales_invoice')", name="book_documents_kind"),
        CheckConstraint("(entry_id IS NULL) = (booked_at IS NULL)", name="book_documents_booked"),
    )
    kind: Mapped[str] = mapped_column(String(KIND))
    filename: Mapped[str] = mapped_column(String(FILENAME))
    content_type: Mapped[str] = mapped_column(String(100))  # read from the bytes, never from the name
    pages: Mapped[int] = mapped_column(Integer)  # 1 for an image
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(SHA256))
    storage_key: Mapped[str] = mapped_column(String(STORAGE_KEY))
    note: Mapped[str] = mapped_column(Text, default="")
    entry_id: Mapped[UUID | None]
    booked_by: Mapped[UUID | None]
    booked_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    uploaded_by: Mapped[UUID | None]
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class PeriodClose(DeskRecord, Base):
    """Closing one period: its checklist (``checks``: code -> who ticked it and when, or None), then the lock.

    At most one close of a period is open at a time (a partial unique index):
    open means neither locked by it (``closed_at``) nor abandoned with its work
    item (``cancelled_at``).
    """

    __tablename__ = "book_period_closes"
    __table_args__ = (
        work_item_key(),
        ForeignKeyConstraint(["tenant_id", "period_id"], ["book_periods.tenant_id", "book_periods.id"]),
        UniqueConstraint("tenant_id", "work_item_id", name="book_period_closes_work_item"),
        Index(
            "book_period_closes_open",
            "tenant_id",
            "period_id",
            unique=True,
            postgresql_where="closed_at IS NULL AND cancelled_at IS NULL",
        ),
    )
    period_id: Mapped[UUID]
    checks: Mapped[dict] = mapped_column(JSONB)  # {"bank_reconciled": {"by": "<uuid>", "at": "<iso>"} | None, ...}
    started_by: Mapped[UUID | None]
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)
    closed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


__all__ = ["BookDocument", "DocumentKind", "PeriodClose"]
