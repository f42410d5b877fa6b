"""The isolation walker's entries for documents to book and period closes (``/api/v1/books/documents``, ``closes``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from bo_saas.bookkeeping.books import ensure_period
from bo_saas.bookkeeping.close import CHECKS
from bo_saas.bookkeeping.models import Period
from bo_saas.tenancy.models import Tenant
from bo_saas.work.models import Attachment
from tests.desk import queued_item
from tests.factories import BookDocumentFactory, PeriodCloseFactory, save
from tests.isolation.walker import Entry

DOCUMENTS = "/api/v1/books/documents"
DOCUMENT = DOCUMENTS + "/{document_id:uuid}"
CLOSES = "/api/v1/books/closes"
CLOSE = CLOSES + "/{close_id:uuid}"
WALK_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
BOOKING = {
    "date": "2026-03-10",
    "lines": [{"account": "1000", "debit": 100, "credit": 0}, {"account": "4000", "debit": 0, "credit": 100}],
}


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


def _id(key: str, base: str, suffix: str = ""):
    return lambda t, w: f"{base}/{t.work[key]}{suffix}"


def _list(path: str) -> Entry:
    # Books are one tenant's: a scope without exactly one tenant answers 400.
    return Entry("GET", path, "client_member", lambda t, w: path, headers=_own, cross_status=(400,))


ROUTES = [
    _list(DOCUMENTS),
    Entry(
        "POST", DOCUMENTS, "client_member", lambda t, w: DOCUMENTS, body=lambda t, w: {"kind": "receipt"},
        files={"file": ("walk.png", WALK_PNG, "image/png")}, own_status=201, headers=_own, cross_status=(400,),
    ),
    Entry("GET", DOCUMENT, "client_member", _id("bkdoc_document", DOCUMENTS)),
    Entry("GET", DOCUMENT + "/file", "client_member", _id("bkdoc_document", DOCUMENTS, "/file")),
    Entry("POST", DOCUMENT + "/book", "agent", _id("bkdoc_document", DOCUMENTS, "/book"),
          body=lambda t, w: BOOKING, own_status=201, lower="client_admin"),
    _list(CLOSES),
    Entry(
        "POST", CLOSES, "agent", lambda t, w: CLOSES, body=lambda t, w: {"period": "2026-08"}, own_status=201,
        lower="client_admin", headers=_own, cross_status=(400,),
    ),
    Entry("GET", CLOSE, "client_member", _id("bkdoc_close", CLOSES)),
    Entry("PUT", CLOSE + "/checks/{code:str}", "agent", _id("bkdoc_close", CLOSES, "/checks/bank_reconciled"),
          body=lambda t, w: {"done": True}, lower="client_admin"),
]  # fmt: skip


async def _period(session, tenant_id, month: date):
    await ensure_period(session, tenant_id, month)
    return await session.scalar(select(Period).where(Period.tenant_id == tenant_id, Period.month == month))


async def seed(session, t) -> None:
    """Per tenant: a bill to book (its bytes are the walk's attachment file), an open close of July with nothing
    ticked, and a complete close of May, so the bookkeeping walk's ``POST /periods/{May}/close`` may lock it."""
    tenant_id = t.tenant.id
    # Sending a document or starting a close makes a bookkeeping item: the tenant needs the service.
    services = await session.scalar(select(Tenant.services).where(Tenant.id == tenant_id))
    if "bookkeeping" not in services:
        await session.execute(update(Tenant).where(Tenant.id == tenant_id).values(services=[*services, "bookkeeping"]))
    file = await session.get(Attachment, (tenant_id, t.attachment_id))
    document_item = queued_item(t.tenant, skill="bookkeeping", requester_id=t.member.id)
    july_item = queued_item(t.tenant, skill="bookkeeping")
    may_item = queued_item(t.tenant, skill="bookkeeping")
    await save(session, document_item, july_item, may_item)
    document = BookDocumentFactory(
        tenant_id=tenant_id, work_item_id=document_item.id, storage_key=file.storage_key, size_bytes=file.size_bytes
    )
    july = await _period(session, tenant_id, date(2026, 7, 1))
    may = await _period(session, tenant_id, date(2026, 5, 1))
    ticked = {code: {"by": None, "at": "2026-05-31T12:00:00+00:00"} for code in CHECKS}
    close = PeriodCloseFactory(tenant_id=tenant_id, work_item_id=july_item.id, period_id=july.id)
    complete = PeriodCloseFactory(tenant_id=tenant_id, work_item_id=may_item.id, period_id=may.id, checks=ticked)
    await save(session, document, close, complete)
    t.work.update(bkdoc_document=document.id, bkdoc_close=close.id)
