"""The isolation walker's entries for contacts, invoices, bills, payments, aging and the book's settings."""

from __future__ import annotations

from datetime import date

from bo_saas.bookkeeping.books import find_book
from bo_saas.bookkeeping.contact_models import OpenItemKind
from bo_saas.bookkeeping.contacts import create_contact
from bo_saas.bookkeeping.contacts_schemas import AllocationIn, ContactIn, ItemLineIn, OpenItemIn, PaymentIn
from bo_saas.bookkeeping.open_items import create_item
from bo_saas.bookkeeping.payments import record_payment
from bo_saas.lib.clock import utc_now
from tests.isolation.walker import Entry

BOOKS = "/api/v1/books"
DAY = date(2026, 3, 10)


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


def _id(key: str, base: str):
    return lambda t, w: f"{base}/{t.work[key]}"


def _list(path: str) -> Entry:
    return Entry("GET", path, "client_member", lambda t, w: path, headers=_own, cross_status=(400,))


def _create(path: str, body) -> Entry:
    return Entry("POST", path, "agent", lambda t, w: path, body=body, own_status=201, lower="client_admin",
                 headers=_own, cross_status=(400,))  # fmt: skip


def _item_body(key: str, number: str, account: str):
    return lambda t, w: {"contact": str(t.work[key]), "number": f"{number}-{utc_now().timestamp()}",
                         "date": "2026-03-10", "lines": [{"account": account, "amount": 100}]}  # fmt: skip


ROUTES = [
    _list(f"{BOOKS}/contacts"),
    _create(f"{BOOKS}/contacts", lambda t, w: {"kind": "customer", "name": f"Walk {utc_now().timestamp()}"}),
    Entry("GET", f"{BOOKS}/contacts/{{contact_id:uuid}}", "client_member", _id("bkc_customer", f"{BOOKS}/contacts")),
    Entry("PATCH", f"{BOOKS}/contacts/{{contact_id:uuid}}", "agent", _id("bkc_customer", f"{BOOKS}/contacts"),
          body=lambda t, w: {"payment_terms_days": 10}, lower="client_admin"),
    _list(f"{BOOKS}/settings"),
    _list(f"{BOOKS}/invoices"),
    _create(f"{BOOKS}/invoices", _item_body("bkc_customer", "W", "4000")),
    Entry("GET", f"{BOOKS}/invoices/{{item_id:uuid}}", "client_member", _id("bkc_invoice", f"{BOOKS}/invoices")),
    _list(f"{BOOKS}/bills"),
    _create(f"{BOOKS}/bills", _item_body("bkc_vendor", "B", "6200")),
    Entry("GET", f"{BOOKS}/bills/{{item_id:uuid}}", "client_member", _id("bkc_bill", f"{BOOKS}/bills")),
    _list(f"{BOOKS}/payments"),
    _create(f"{BOOKS}/payments", lambda t, w: {"date": "2026-03-20", "account": "1010",
                                               "allocations": [{"item": str(t.work["bkc_invoice"]), "amount": 1}]}),
    Entry("GET", f"{BOOKS}/payments/{{payment_id:uuid}}", "client_member", _id("bkc_payment", f"{BOOKS}/payments")),
    _list(f"{BOOKS}/reports/ar-aging"),
    _list(f"{BOOKS}/reports/ap-aging"),
]  # fmt: skip


async def seed(session, t) -> None:
    """Per tenant (after the books fragment opened its book): a customer and a vendor, an invoice, a bill, a payment."""
    tenant_id = t.tenant.id
    book = await find_book(session, tenant_id)
    customer = await create_contact(session, tenant_id, ContactIn(kind="customer", name="Walk customer"))
    vendor = await create_contact(session, tenant_id, ContactIn(kind="vendor", name="Walk vendor"))
    lines = [ItemLineIn(account="4000", amount=500)]
    invoice = await create_item(session, book, OpenItemKind.INVOICE, customer,
                                OpenItemIn(contact=customer.id, number="I-1", date=DAY, lines=lines), maker_id=None,
                                now=utc_now())  # fmt: skip
    bill = await create_item(session, book, OpenItemKind.BILL, vendor,
                             OpenItemIn(contact=vendor.id, number="B-1", date=DAY,
                                        lines=[ItemLineIn(account="6200", amount=300)]),
                             maker_id=None, now=utc_now())  # fmt: skip
    payment = await record_payment(
        session, book, None,
        PaymentIn(date=DAY, account="1010", allocations=[AllocationIn(item=invoice.id, amount=100)]),
        maker_id=None, now=utc_now(),
    )  # fmt: skip
    await session.commit()
    t.work.update(bkc_customer=customer.id, bkc_vendor=vendor.id, bkc_invoice=invoice.id, bkc_bill=bill.id,
                  bkc_payment=payment.id)  # fmt: skip
