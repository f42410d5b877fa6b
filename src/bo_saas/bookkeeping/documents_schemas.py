"""Bodies of the documents-to-book and period-close routes (``/api/v1/books/documents``, ``/api/v1/books/closes``).

A document reads ``{"id", "work_item_id", "kind", "filename", "content_type",
"pages", "size_bytes", "note", "status", "entry", "uploaded_at",
"booked_at"}`` with ``status`` one of ``to_book``, ``pending_approval``,
``booked``, ``reversed`` and ``entry`` the journal entry that books it (or
null). A close reads ``{"id", "work_item_id", "period", "status", "checks",
"complete", "facts", ...}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from bo_saas.bookkeeping.models import MEMO
from bo_saas.bookkeeping.schemas import EntryOut, LineIn, PeriodOut
from bo_saas.lib import limits

DocumentKindName = Literal["bill", "receipt", "sales_invoice"]
DocumentStatusName = Literal["to_book", "pending_approval", "booked", "reversed"]
CloseStatusName = Literal["open", "closed", "cancelled"]
NOTE = 2000


class BookDocumentOut(msgspec.Struct):
    id: UUID
    work_item_id: UUID
    kind: DocumentKindName
    filename: str
    content_type: str
    pages: int
    size_bytes: int
    note: str
    status: DocumentStatusName
    entry: EntryOut | None
    uploaded_at: dt.datetime
    booked_at: dt.datetime | None


class DocumentBookingIn(msgspec.Struct, forbid_unknown_fields=True):
    """The entry that books the document: posted at once, or waiting for a second person above the threshold."""

    date: dt.date
    lines: Annotated[list[LineIn], msgspec.Meta(min_length=1, max_length=500)]
    memo: limits.text(MEMO) = ""  # blank: "<kind> <filename>"


class PeriodCloseIn(msgspec.Struct, forbid_unknown_fields=True):
    period: Annotated[str, msgspec.Meta(max_length=7, pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]  # "YYYY-MM"


class CloseCheckIn(msgspec.Struct, forbid_unknown_fields=True):
    done: bool


class CloseCheckOut(msgspec.Struct):
    code: str
    label: str
    done: bool
    done_by: UUID | None
    done_at: dt.datetime | None


class CloseFactsOut(msgspec.Struct):
    documents_to_book: int
    unreconciled_lines: int
    entries_pending_approval: int
    draft_entries: int


class PeriodCloseOut(msgspec.Struct):
    id: UUID
    work_item_id: UUID
    period: PeriodOut
    status: CloseStatusName
    checks: list[CloseCheckOut]
    complete: bool  # every check ticked: the period may be closed
    facts: CloseFactsOut
    started_at: dt.datetime
    closed_at: dt.datetime | None
