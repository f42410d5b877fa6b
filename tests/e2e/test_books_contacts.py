"""Contacts, invoices, payments and aging in the browser, against the real server.

An agent with the bookkeeping skill adds a customer in the console, records
two invoices for it (a second with a number already taken is refused in the
server's words), settles one in full and the other in part with one payment,
reads the customer's balance and the receivables aging now and at an earlier
date — every amount in the book's currency. The client admin reads the same
screens in Arabic in the portal, and the agent pays a vendor's bill in Arabic.
Screens are saved to ``test-output/e2e/books-items-*.png``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
from playwright.async_api import Page, expect

from tests.bookkeeping.helpers import books_headers
from tests.e2e.conftest import sign_in
from tests.e2e.test_bookkeeping_screens import _to_arabic, screenshot
from tests.factories import DEFAULT_PASSWORD

TODAY = date.today()


def _days_ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


async def shot(page: Page, name: str) -> None:
    """The screen without the notifications stacked over it (each has been checked where it appeared)."""
    for close in await page.locator(".mantine-Notification-root button").all():
        await close.click()
    await expect(page.locator(".mantine-Notification-root")).to_have_count(0)
    await screenshot(page, name)


async def _new_invoice(page: Page, number: str, day: str, due: str, lines: list[tuple[str, str, str]]) -> None:
    await page.get_by_role("button", name="New invoice").click()
    form = page.get_by_test_id("books-item-form")
    await form.get_by_test_id("books-item-contact").click()
    await page.get_by_role("option", name="Noor Trading").click()
    await form.get_by_label("Number").fill(number)
    await form.get_by_label(re.compile("^Date")).fill(day)
    if due:
        await form.get_by_label("Due date").fill(due)
    for index, (account, amount, description) in enumerate(lines, start=1):
        if index > 1:
            await form.get_by_role("button", name="Add a line").click()
        await form.get_by_label(f"Account, line {index}").fill(account)
        await form.get_by_label(f"Amount, line {index}").fill(amount)
        await form.get_by_label(f"Description, line {index}").fill(description)


async def test_an_agent_adds_a_customer_invoices_it_records_a_payment_and_reads_the_aging(
    page: Page, desk, console_errors
):
    console_errors.watch(page)
    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await page.goto(f"/console/books/contacts?tenant={desk.tenant.id}")
    await expect(page.get_by_text("No contact yet.")).to_be_visible()

    # A customer, added in the form.
    await page.get_by_role("button", name="Add a contact").click()
    form = page.get_by_test_id("books-contact-form")
    await form.get_by_label("Name").fill("Noor Trading")
    await form.get_by_label("Email").fill("ap@noor.example")
    await form.get_by_label("Tax ID").fill("300123456700003")
    await form.get_by_label("Payment terms (days)").fill("14")
    await shot(page, "books-items-contact-form")
    await form.get_by_role("button", name="Save").click()
    customer = page.locator("[data-testid=books-contact][data-name='Noor Trading']")
    await expect(customer).to_contain_text("Customer")
    await expect(customer).to_contain_text("14 days")
    await expect(customer.get_by_test_id("books-contact-open")).to_have_text("US$0.00")

    # Two invoices: one long past due, one of today (due by the customer's terms).
    await page.get_by_role("tab", name="Invoices & bills").click()
    await expect(page.get_by_text("No sales invoice yet.")).to_be_visible()
    await _new_invoice(
        page, "INV-1001", _days_ago(80), _days_ago(75), [("4000", "1000", "Office chairs"), ("4100", "190", "Delivery")]
    )
    await expect(page.get_by_test_id("books-item-total")).to_have_text("Total: US$1,190.00")
    await shot(page, "books-items-invoice-form")
    await page.get_by_test_id("books-item-form").get_by_role("button", name="Record").click()
    await expect(page.get_by_text("Invoice INV-1001 recorded")).to_be_visible()
    first = page.locator("[data-testid=books-item][data-number='INV-1001']")
    await expect(first).to_have_attribute("data-status", "open")
    await expect(first.get_by_test_id("books-item-open")).to_have_text("US$1,190.00")

    # The same number again: the server's 409 is shown in its words, and the form stays open.
    await _new_invoice(page, "INV-1001", TODAY.isoformat(), "", [("4000", "500", "Desk")])
    await page.get_by_test_id("books-item-form").get_by_role("button", name="Record").click()
    await expect(page.get_by_test_id("books-item-form").get_by_role("alert")).to_contain_text(
        "Noor Trading already has invoice INV-1001"
    )
    await shot(page, "books-items-invoice-refused")
    await page.get_by_test_id("books-item-form").get_by_label("Number").fill("INV-1002")
    await page.get_by_test_id("books-item-form").get_by_role("button", name="Record").click()
    second = page.locator("[data-testid=books-item][data-number='INV-1002']")
    await expect(second).to_have_attribute("data-status", "open")
    await expect(second.get_by_test_id("books-item-open")).to_have_text("US$500.00")

    # One payment settles INV-1002 in full and INV-1001 in part.
    await page.get_by_role("checkbox", name="Choose INV-1001 for a payment").check()
    await page.get_by_role("checkbox", name="Choose INV-1002 for a payment").check()
    await expect(page.get_by_test_id("books-selection")).to_have_text("2 chosen, US$1,690.00 open")
    await page.get_by_role("button", name="Record a payment received").click()
    payment = page.get_by_test_id("books-payment-form")
    await payment.get_by_test_id("books-payment-account").click()
    await page.get_by_role("option", name="1010 · Bank").click()
    await payment.get_by_label("Reference").fill("Transfer 77")
    await payment.get_by_label("Amount paid on INV-1001").fill("1200")
    await expect(payment).to_contain_text("More than is open")
    await expect(payment.get_by_role("button", name="Record the payment")).to_be_disabled()
    await payment.get_by_label("Amount paid on INV-1001").fill("990")
    await expect(page.get_by_test_id("books-payment-total")).to_have_text("Total: US$1,490.00")
    await shot(page, "books-items-payment-form")
    await payment.get_by_role("button", name="Record the payment").click()
    await expect(page.get_by_text("Payment of US$1,490.00 recorded")).to_be_visible()
    await expect(second).to_have_attribute("data-status", "paid")
    await expect(first).to_have_attribute("data-status", "partially_paid")
    await expect(first.get_by_test_id("books-item-open")).to_have_text("US$200.00")
    await shot(page, "books-items-invoices")

    # The customer's balance and what it has open.
    await page.get_by_role("tab", name="Contacts").click()
    await expect(customer.get_by_test_id("books-contact-open")).to_have_text("US$200.00")
    await customer.get_by_role("button", name="Open items of Noor Trading").click()
    drawer = page.get_by_test_id("books-contact-items")
    await expect(drawer.get_by_test_id("books-contact-balance")).to_have_text("Balance: US$200.00")
    await expect(drawer.get_by_test_id("books-item")).to_have_count(1)
    await expect(drawer.get_by_test_id("books-item")).to_have_attribute("data-number", "INV-1001")
    await shot(page, "books-items-contact-balance")
    await page.keyboard.press("Escape")

    # The receivables aging now (61–90 days past due), then at a date before the payment (31–60 days).
    await page.get_by_role("tab", name="Aging").click()
    row = page.locator("[data-testid=books-aging-row][data-contact='Noor Trading']")
    await expect(row.locator("[data-bucket=days_61_90]")).to_have_text("US$200.00")
    await expect(page.get_by_test_id("books-aging-totals").locator("[data-bucket=total]")).to_have_text("US$200.00")
    await shot(page, "books-items-aging")
    await page.get_by_label("As of").fill(_days_ago(30))
    await expect(row.locator("[data-bucket=days_31_60]")).to_have_text("US$1,190.00")
    await expect(row.locator("[data-bucket=total]")).to_have_text("US$1,190.00")
    await shot(page, "books-items-aging-earlier")

    # The journal shows the invoices and the payment in the book's currency too.
    await page.get_by_role("tab", name="Journal entries").click()
    await expect(page.get_by_test_id("books-entries")).to_contain_text("US$1,490.00")
    assert all("409" in error for error in console_errors.errors), console_errors.errors


async def _seed(live_server: str, desk) -> None:
    """A customer with an invoice and a vendor with a bill, recorded by the agent through the API."""
    headers = books_headers(desk, "agent")
    async with httpx.AsyncClient(base_url=live_server) as http:
        for kind, name, path, number, account in (
            ("customer", "Noor Trading", "/api/v1/books/invoices", "INV-2001", "4000"),
            ("vendor", "Gulf Supplies", "/api/v1/books/bills", "BILL-88", "6100"),
        ):
            contact = await http.post("/api/v1/books/contacts", json={"kind": kind, "name": name}, headers=headers)
            assert contact.status_code == 201, contact.text
            body = {
                "contact": contact.json()["id"], "number": number, "date": _days_ago(40), "due_date": _days_ago(35),
                "lines": [{"account": account, "amount": 119000}],
            }  # fmt: skip
            item = await http.post(path, json=body, headers=headers)
            assert item.status_code == 201, item.text


async def test_the_contacts_invoices_and_aging_in_arabic(page: Page, desk, live_server, console_errors):
    await _seed(live_server, desk)
    console_errors.watch(page)
    await sign_in(page, desk.admin.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await page.goto("/portal/books/contacts")
    customer = page.locator("[data-testid=books-contact][data-name='Noor Trading']")
    await expect(customer).to_contain_text("عميل")
    await expect(customer.get_by_test_id("books-contact-open")).to_contain_text("١٬١٩٠٫٠٠")
    # The portal reads: no adding or changing.
    await expect(page.get_by_role("button", name="إضافة جهة")).to_have_count(0)
    await shot(page, "books-items-portal-contacts-ar")
    await page.get_by_role("tab", name="الفواتير").click()
    invoice = page.locator("[data-testid=books-item][data-number='INV-2001']")
    await expect(invoice).to_contain_text("مفتوحة")
    await expect(invoice.get_by_test_id("books-item-open")).to_contain_text("١٬١٩٠٫٠٠")
    await shot(page, "books-items-portal-invoices-ar")
    await page.get_by_role("tab", name="أعمار الذمم").click()
    row = page.locator("[data-testid=books-aging-row][data-contact='Noor Trading']")
    await expect(row.locator("[data-bucket=days_31_60]")).to_contain_text("١٬١٩٠٫٠٠")
    await shot(page, "books-items-portal-aging-ar")
    await page.get_by_text("الذمم الدائنة (الموردون)").click()
    await expect(page.locator("[data-testid=books-aging-row][data-contact='Gulf Supplies']")).to_be_visible()
    await page.get_by_role("button", name="تسجيل الخروج").click()
    await page.locator("label", has_text="English").first.click()

    # The agent pays the vendor's bill in Arabic.
    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await page.goto(f"/console/books/items?kind=bill&tenant={desk.tenant.id}")
    bill = page.locator("[data-testid=books-item][data-number='BILL-88']")
    await bill.get_by_role("checkbox", name="اختيار BILL-88 للسداد").check()
    await page.get_by_role("button", name="تسجيل دفعة مدفوعة").click()
    payment = page.get_by_test_id("books-payment-form")
    await payment.get_by_test_id("books-payment-account").click()
    await page.get_by_role("option", name="1010 · Bank").click()
    await shot(page, "books-items-console-payment-ar")
    await payment.get_by_role("button", name="تسجيل الدفعة").click()
    await expect(bill).to_have_attribute("data-status", "paid")
    await expect(bill).to_contain_text("مسددة")
    await shot(page, "books-items-console-bills-ar")
    assert console_errors.errors == []
