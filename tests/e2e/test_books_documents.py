"""Documents to book, in the browser: sent in the portal, booked beside the document in the console workspace.

A client member sends a bill (PDF) from the portal's Books > Documents; an
agent opens the item's booking workspace, sees the bill drawn beside the
journal-entry form, books it, and the document reads booked in the portal.
The same screens in Arabic. Screens go to ``test-output/e2e/books-documents-*.png``.
"""

from __future__ import annotations

import httpx
from fpdf import FPDF
from playwright.async_api import Page, expect
from sqlalchemy import select

from bo_saas.bookkeeping.document_models import BookDocument
from tests.e2e.conftest import sign_in
from tests.e2e.test_data_entry_screens import screenshot
from tests.factories import DEFAULT_PASSWORD


def bill(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=26)
    pdf.cell(text=text, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(text="Office chairs      1,190.00")
    return bytes(pdf.output())


async def _send(page: Page, filename: str, text: str, send: str, shot: str) -> None:
    form = page.get_by_test_id("books-send-form")
    await form.locator("input[type=file]").set_input_files(
        {"name": filename, "mimeType": "application/pdf", "buffer": bill(text)}
    )
    await screenshot(page, shot)
    await form.get_by_role("button", name=send).click()
    row = page.locator(f"[data-testid=books-document][data-filename='{filename}']")
    await expect(row).to_have_attribute("data-status", "to_book")


async def _item_of(admin_session, desk, filename: str) -> str:
    document = await admin_session.scalar(
        select(BookDocument).where(BookDocument.tenant_id == desk.tenant.id, BookDocument.filename == filename)
    )
    await admin_session.commit()
    return str(document.work_item_id)


async def _book(page: Page, labels: dict[str, str]) -> None:
    booking = page.get_by_test_id("books-booking")
    await expect(booking.get_by_test_id("document-canvas")).to_have_attribute("data-drawn-page", "1")
    for line, (account, debit, credit) in enumerate((("5000", "1190.00", ""), ("2000", "", "1190.00")), start=1):
        await page.get_by_label(labels["account"].format(line=line)).fill(account)
        if debit:
            await page.get_by_label(labels["debit"].format(line=line)).fill(debit)
        if credit:
            await page.get_by_label(labels["credit"].format(line=line)).fill(credit)


async def test_a_client_sends_a_bill_and_an_agent_books_it_beside_the_document(
    page: Page, desk, live_server, admin_session, console_errors
):
    console_errors.watch(page)
    await sign_in(page, desk.member.email, DEFAULT_PASSWORD)
    await page.goto("/portal/books/documents")
    await _send(page, "bill-42.pdf", "Bill 42 from Noor Supplies", "Send to book", "books-documents-portal-send")
    await screenshot(page, "books-documents-portal-list")
    await page.get_by_role("button", name="Sign out").click()

    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    item_id = await _item_of(admin_session, desk, "bill-42.pdf")
    await page.goto(f"/console/items/{item_id}")
    await page.get_by_test_id("books-desk-workspace").get_by_role("link", name="Open the booking workspace").click()
    await expect(page.get_by_test_id("document-viewer")).to_contain_text("bill-42.pdf")
    labels = {"account": "Account, line {line}", "debit": "Debit, line {line}", "credit": "Credit, line {line}"}
    await _book(page, labels)
    await expect(page.get_by_test_id("books-difference")).to_contain_text("Balanced")
    await screenshot(page, "books-documents-console-booking")
    await page.get_by_role("button", name="Save and post").click()
    await expect(page.get_by_test_id("books-booking")).to_have_attribute("data-status", "booked")
    await expect(page.get_by_test_id("books-booked")).to_contain_text("JE-")
    await screenshot(page, "books-documents-console-booked")

    async with httpx.AsyncClient(base_url=live_server) as http:
        answer = await http.get(
            "/api/v1/books/documents", headers={**desk.as_("member"), "X-Tenant": str(desk.tenant.id)}
        )
    document = answer.json()["items"][0]
    assert document["status"] == "booked" and document["entry"]["status"] == "posted"
    assert [(ln["account"], ln["debit"], ln["credit"]) for ln in document["entry"]["lines"]] == [
        ("5000", 119000, 0),
        ("2000", 0, 119000),
    ]
    assert console_errors.errors == []


async def test_the_documents_screens_in_arabic(page: Page, desk, admin_session, console_errors):
    console_errors.watch(page)
    await sign_in(page, desk.admin.email, DEFAULT_PASSWORD)
    await page.locator("label", has_text="العربية").first.click()
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await page.goto("/portal/books/documents")
    await _send(page, "bill-43.pdf", "Bill 43 from Noor Supplies", "إرسال للقيد", "books-documents-portal-send-ar")
    await screenshot(page, "books-documents-portal-list-ar")
    await page.get_by_role("button", name="تسجيل الخروج").click()
    await page.locator("label", has_text="English").first.click()

    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await page.locator("label", has_text="العربية").first.click()
    await page.goto(f"/console/books/work/{await _item_of(admin_session, desk, 'bill-43.pdf')}")
    labels = {"account": "الحساب، البند {line}", "debit": "مدين، البند {line}", "credit": "دائن، البند {line}"}
    await _book(page, labels)
    await screenshot(page, "books-documents-console-booking-ar")
    await page.get_by_role("button", name="حفظ وترحيل").click()
    await expect(page.get_by_test_id("books-booking")).to_have_attribute("data-status", "booked")
    await screenshot(page, "books-documents-console-booked-ar")
    assert console_errors.errors == []
