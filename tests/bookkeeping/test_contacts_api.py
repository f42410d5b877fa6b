"""Contacts, invoices, bills and payments through the API: each booked as a balanced entry, settled by payments.

An invoice debits receivables (1100) and credits its lines; a bill credits
payables (2000); payments settle items partially or in full, one payment
across several items; what is open follows, per item and per contact. Bad
input answers a clear 4xx and writes nothing; another tenant's ids answer 404.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bo_saas.bookkeeping.contact_models import OpenItem
from bo_saas.lib.caller import Role
from tests.auth import bearer
from tests.bookkeeping.helpers import ENTRIES, TRIAL_BALANCE, books_headers, runtime_session, tenant_with_books
from tests.factories import client_user

BOOKS = "/api/v1/books"


async def contact(client, desk, kind: str = "customer", name: str = "Acme Trading", **fields) -> dict:
    answer = await client.post(f"{BOOKS}/contacts", json={"kind": kind, "name": name, **fields},
                               headers=books_headers(desk, "agent"))  # fmt: skip
    assert answer.status_code == 201, answer.text
    return answer.json()


async def item(client, desk, who: dict, number: str, amount: int, *, kind: str = "invoices", day: str = "2026-03-10",
               account: str = "4000", **fields):  # fmt: skip
    body = {"contact": who["id"], "number": number, "date": day, "lines": [{"account": account, "amount": amount}],
            **fields}  # fmt: skip
    return await client.post(f"{BOOKS}/{kind}", json=body, headers=books_headers(desk, "agent"))


async def pay(client, desk, allocations: list[tuple[dict, int]], *, day: str = "2026-03-20", account: str = "1010"):
    body = {"date": day, "account": account, "reference": "TRF-1",
            "allocations": [{"item": i["id"], "amount": amount} for i, amount in allocations]}  # fmt: skip
    return await client.post(f"{BOOKS}/payments", json=body, headers=books_headers(desk, "agent"))


async def balances(client, desk, to: str = "2026-12-31") -> dict[str, int]:
    report = await client.get(TRIAL_BALANCE, params={"to": to}, headers=books_headers(desk, "member"))
    return {row["account"]: row["balance"] for row in report.json()["rows"]}


async def test_an_invoice_is_a_receivable_booked_as_a_balanced_posted_entry(client, desk):
    acme = await contact(client, desk, payment_terms_days=14)
    answer = await item(client, desk, acme, "INV-001", 11900, description="March consulting")
    assert answer.status_code == 201, answer.text
    invoice = answer.json()

    assert (invoice["amount"], invoice["open_amount"], invoice["status"]) == (11900, 11900, "open")
    assert invoice["due_date"] == "2026-03-24"  # the contact's 14 days of terms
    assert invoice["entry_number"].startswith("JE-2026-")
    entry = (await client.get(f"{ENTRIES}/{invoice['entry_id']}", headers=books_headers(desk, "member"))).json()
    assert entry["status"] == "posted"
    assert [(line["account"], line["debit"], line["credit"]) for line in entry["lines"]] == [
        ("1100", 11900, 0), ("4000", 0, 11900),
    ]  # fmt: skip
    assert await balances(client, desk) == {"1100": 11900, "4000": -11900}
    listed = (await client.get(f"{BOOKS}/contacts", params={"kind": "customer"},
                               headers=books_headers(desk, "member"))).json()  # fmt: skip
    assert [(c["name"], c["open_amount"]) for c in listed["items"]] == [("Acme Trading", 11900)]


async def test_payments_settle_invoices_partially_then_in_full_and_one_payment_spans_several(client, desk):
    acme = await contact(client, desk)
    first = (await item(client, desk, acme, "INV-1", 10000)).json()
    second = (await item(client, desk, acme, "INV-2", 5000)).json()

    partial = await pay(client, desk, [(first, 4000)])
    assert partial.status_code == 201, partial.text
    assert (partial.json()["kind"], partial.json()["amount"], partial.json()["status"]) == ("received", 4000, "posted")
    both = await pay(client, desk, [(first, 6000), (second, 2000)], day="2026-03-25")
    assert both.status_code == 201, both.text

    headers = books_headers(desk, "member")
    states = {i["number"]: (i["open_amount"], i["status"])
              for i in (await client.get(f"{BOOKS}/invoices", headers=headers)).json()["items"]}  # fmt: skip
    assert states == {"INV-1": (0, "paid"), "INV-2": (3000, "partially_paid")}
    still_open = (await client.get(f"{BOOKS}/invoices", params={"open": "true"}, headers=headers)).json()
    assert [i["number"] for i in still_open["items"]] == ["INV-2"]
    assert (await client.get(f"{BOOKS}/contacts/{acme['id']}", headers=headers)).json()["open_amount"] == 3000
    assert sorted((a["number"], a["amount"]) for a in both.json()["allocations"]) == [("INV-1", 6000), ("INV-2", 2000)]
    assert await balances(client, desk) == {"1010": 12000, "1100": 3000, "4000": -15000}


async def test_a_bill_is_a_payable_and_a_payment_made_settles_it(client, desk):
    supplier = await contact(client, desk, "vendor", "Paper Supplies")
    bill = (await item(client, desk, supplier, "V-77", 2500, kind="bills", account="6200")).json()
    paid = await pay(client, desk, [(bill, 2500)])

    assert paid.status_code == 201 and paid.json()["kind"] == "paid"
    got = (await client.get(f"{BOOKS}/bills/{bill['id']}", headers=books_headers(desk, "member"))).json()
    assert (got["status"], got["open_amount"]) == ("paid", 0)
    assert await balances(client, desk) == {"1010": -2500, "2000": 0, "6200": 2500}


async def test_paying_more_than_is_open_is_refused_and_writes_nothing(client, desk):
    acme = await contact(client, desk)
    invoice = (await item(client, desk, acme, "INV-1", 1000)).json()
    await pay(client, desk, [(invoice, 600)])

    over = await pay(client, desk, [(invoice, 500)])

    assert over.status_code == 409
    assert "has 400 open, not 500" in over.json()["extra"]["problems"][0]
    assert await balances(client, desk) == {"1010": 600, "1100": 400, "4000": -1000}
    assert (await client.get(f"{BOOKS}/payments", headers=books_headers(desk, "member"))).json()["total"] == 1


async def test_bad_invoices_and_payments_answer_a_clear_4xx(client, desk):
    acme = await contact(client, desk)
    other = await contact(client, desk, name="Beta Stores")
    supplier = await contact(client, desk, "vendor", "Paper Supplies")
    invoice = (await item(client, desk, acme, "INV-1", 1000)).json()
    beta_invoice = (await item(client, desk, other, "INV-2", 1000)).json()
    bill = (await item(client, desk, supplier, "V-1", 1000, kind="bills", account="6200")).json()

    assert (await item(client, desk, supplier, "INV-9", 100)).status_code == 400  # an invoice to a vendor
    assert (await item(client, desk, acme, "INV-1", 100)).status_code == 409  # its number again
    assert (await item(client, desk, acme, "INV-3", 100, account="1100")).status_code == 400  # the control account
    assert (await item(client, desk, acme, "INV-4", 100, account="9999")).status_code == 400  # no such account
    assert (await item(client, desk, acme, "INV-5", 0)).status_code == 400
    assert (await item(client, desk, acme, "INV-6", 100, due_date="2026-03-01")).status_code == 400
    assert (await pay(client, desk, [(invoice, 100), (beta_invoice, 100)])).status_code == 400  # two contacts
    assert (await pay(client, desk, [(invoice, 100), (bill, 100)])).status_code == 400  # both sides
    assert (await pay(client, desk, [(invoice, 100)], account="4000")).status_code == 400  # not a money account
    assert (await pay(client, desk, [(invoice, 100)], day="2026-03-01")).status_code == 409  # before the invoice
    assert (await pay(client, desk, [(invoice, 50), (invoice, 50)])).status_code == 400
    duplicate = await client.post(f"{BOOKS}/contacts", json={"kind": "customer", "name": "Acme Trading"},
                                  headers=books_headers(desk, "agent"))  # fmt: skip
    assert duplicate.status_code == 409
    member = await client.post(f"{BOOKS}/contacts", json={"kind": "customer", "name": "X"},
                               headers=books_headers(desk, "member"))  # fmt: skip
    assert member.status_code == 403
    assert await balances(client, desk) == {"1100": 2000, "2000": -1000, "4000": -2000, "6200": 1000}


async def test_another_tenants_contacts_invoices_and_payments_answer_404(client, desk, admin_session):
    acme = await contact(client, desk)
    invoice = (await item(client, desk, acme, "INV-1", 1000)).json()
    payment = (await pay(client, desk, [(invoice, 1000)])).json()
    other = await tenant_with_books(admin_session)
    outsider = await client_user(admin_session, other)
    headers = bearer(desk.app, outsider, Role.CLIENT_ADMIN, tenant_id=other.id)
    for path in (f"contacts/{acme['id']}", f"invoices/{invoice['id']}", f"payments/{payment['id']}"):
        assert (await client.get(f"{BOOKS}/{path}", headers=headers)).status_code == 404
    as_bill = await client.get(f"{BOOKS}/bills/{invoice['id']}", headers=books_headers(desk, "member"))
    assert as_bill.status_code == 404  # an invoice is not a bill


async def test_an_invoice_above_the_threshold_waits_for_approval_and_cannot_be_paid_until_then(client, desk):
    acme = await contact(client, desk)
    big = (await item(client, desk, acme, "INV-BIG", 2_000_000)).json()  # above the default 1 000 000
    assert big["status"] == "pending_approval"
    assert (await pay(client, desk, [(big, 100)])).status_code == 409
    approved = await client.post(f"{ENTRIES}/{big['entry_id']}/approve", headers=books_headers(desk, "admin"))
    assert approved.status_code == 200, approved.text
    assert (await pay(client, desk, [(big, 100)])).status_code == 201


async def test_reversing_an_invoices_entry_voids_it(client, desk):
    acme = await contact(client, desk)
    invoice = (await item(client, desk, acme, "INV-1", 1000)).json()
    reversed_ = await client.post(f"{ENTRIES}/{invoice['entry_id']}/reverse", json={"date": "2026-03-12"},
                                  headers=books_headers(desk, "agent"))  # fmt: skip
    assert reversed_.status_code == 201
    got = (await client.get(f"{BOOKS}/invoices/{invoice['id']}", headers=books_headers(desk, "member"))).json()
    assert (got["status"], got["open_amount"]) == ("void", 0)
    assert (await pay(client, desk, [(invoice, 100)])).status_code == 409


async def test_the_database_refuses_an_allocation_beyond_the_item_and_any_change_to_an_item(
    client, desk, runtime_sessionmaker
):
    acme = await contact(client, desk)
    invoice = (await item(client, desk, acme, "INV-1", 1000)).json()
    payment = (await pay(client, desk, [(invoice, 1000)])).json()
    async with runtime_session(runtime_sessionmaker, desk.tenant.id) as session:
        with pytest.raises(DBAPIError, match="would be settled"):
            await session.execute(
                text("INSERT INTO book_allocations (tenant_id, payment_id, open_item_id, amount) "
                     "VALUES (:t, :p, :i, 1)"),
                {"t": desk.tenant.id, "p": payment["id"], "i": invoice["id"]},
            )  # fmt: skip
    async with runtime_session(runtime_sessionmaker, desk.tenant.id) as session:
        with pytest.raises(DBAPIError, match="permission denied"):
            await session.execute(text("UPDATE book_open_items SET amount = 1"))
        await session.rollback()
        assert await session.scalar(select(func.count()).select_from(OpenItem)) == 1


async def test_the_books_settings_give_currency_fiscal_year_and_threshold(client, desk):
    answer = await client.get(f"{BOOKS}/settings", headers=books_headers(desk, "member"))
    assert answer.status_code == 200
    assert answer.json() == {"chart": "ifrs_sme", "base_currency": "USD", "fiscal_year_start": 1,
                             "approval_threshold": 1_000_000, "currency_digits": 2}  # fmt: skip
