"""Documents to key, in the browser: sent in the portal, shown beside the keying form in the console.

A client sends a two-page PDF split per page; an agent opens the chunk and
sees page 1 beside the form, pages and zooms with the keyboard while a field
has the focus, and keys both records, each opening the viewer at its own page.
The same screens in Arabic. Screens are saved to
``test-output/e2e/data-entry-documents-*.png``.
"""

from __future__ import annotations

import re

import httpx
import pytest
from fpdf import FPDF
from playwright.async_api import Page, expect
from sqlalchemy import select

from bo_saas.dataentry.models import Chunk
from tests.e2e.conftest import sign_in
from tests.e2e.test_data_entry_screens import screenshot
from tests.factories import DEFAULT_PASSWORD

INVOICES = {
    "code": "invoices",
    "name": "Supplier invoices",
    "chunk_size": 10,
    "fields": [
        {"name": "supplier", "label": "Supplier", "type": "text", "required": True},
        {"name": "total", "label": "Total", "type": "decimal", "required": True},
    ],
}
PAGES = [("Acme Trading", "120.50"), ("Noor Supplies", "75.00")]


def invoices_pdf() -> bytes:
    """Two pages, one invoice on each, large enough to read in a screenshot."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=28)
    for number, (supplier, total) in enumerate(PAGES, start=1):
        pdf.add_page()
        pdf.cell(text=f"Invoice {number} of {len(PAGES)}", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(text=f"Supplier: {supplier}", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(text=f"Total: {total}")
    return bytes(pdf.output())


@pytest.fixture
async def invoice_desk(desk, live_server):
    async with httpx.AsyncClient(base_url=live_server) as http:
        answer = await http.post("/api/v1/data-entry/schemas", json=INVOICES, headers=desk.as_("admin"))
        assert answer.status_code == 201, answer.text
    return desk


async def _chunk_item(admin_session, desk) -> str:
    chunk = (await admin_session.scalars(select(Chunk).where(Chunk.tenant_id == desk.tenant.id))).one()
    return str(chunk.work_item_id)


async def _send_in_the_portal(page: Page, *, schema: str, mode: str, split: str, submit: str, shot: str) -> None:
    form = page.get_by_test_id("upload-form")
    await form.get_by_test_id("upload-mode").get_by_text(mode).click()
    await form.get_by_label(schema).click()
    await page.get_by_role("option", name=re.compile("Supplier invoices")).click()
    await form.locator("input[type=file]").set_input_files(
        {"name": "invoices.pdf", "mimeType": "application/pdf", "buffer": invoices_pdf()}
    )
    await form.get_by_test_id("upload-split").get_by_text(split).click()
    await screenshot(page, shot)
    await form.get_by_role("button", name=submit).click()


async def _shows_page(page: Page, number: int) -> None:
    viewer = page.get_by_test_id("document-viewer")
    await expect(viewer).to_have_attribute("data-page", str(number))
    await expect(viewer.get_by_test_id("document-canvas")).to_have_attribute("data-drawn-page", str(number))


async def test_a_client_sends_a_pdf_per_page_and_an_agent_keys_it_beside_the_document(
    page: Page, invoice_desk, live_server, admin_session, console_errors
):
    desk = invoice_desk
    console_errors.watch(page)
    await sign_in(page, desk.member.email, DEFAULT_PASSWORD)
    await page.goto("/portal/data-entry")
    await _send_in_the_portal(
        page, schema="Record schema", mode="Documents to key", split="page", submit="Send the documents",
        shot="data-entry-documents-portal-upload",
    )  # fmt: skip
    await expect(page).to_have_url(re.compile(r"/portal/data-entry/batches/[0-9a-f-]+$"))
    await expect(page.get_by_test_id("batch-detail")).to_have_attribute("data-status", "ready")
    await expect(page.get_by_test_id("count-records")).to_have_text("2")
    await screenshot(page, "data-entry-documents-portal-batch")
    batch_id = page.url.rsplit("/", 1)[1]
    await page.get_by_role("button", name="Sign out").click()

    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await page.goto(f"/console/data-entry/items/{await _chunk_item(admin_session, desk)}")
    viewer = page.get_by_test_id("document-viewer")
    await expect(viewer).to_contain_text("invoices.pdf")
    await expect(viewer.get_by_test_id("document-page")).to_have_text("Page 1 of 2")
    await _shows_page(page, 1)
    supplier = page.locator("input[data-field=supplier]")
    await expect(supplier).to_be_focused()

    # Paging and zooming from the keyboard, the focus staying in the form.
    await page.keyboard.press("Alt+PageDown")
    await _shows_page(page, 2)
    await page.keyboard.press("Alt+PageUp")
    await _shows_page(page, 1)
    await page.keyboard.press("Alt+=")
    await expect(viewer).to_have_attribute("data-zoom", "1.25")
    await expect(viewer.get_by_test_id("document-zoom")).to_have_text("125%")
    await expect(supplier).to_be_focused()
    await expect(supplier).to_have_value("")  # the shortcut typed nothing into the field
    await screenshot(page, "data-entry-documents-console-keying")
    await page.keyboard.press("Alt+-")
    await expect(viewer).to_have_attribute("data-zoom", "1")

    # Each record keyed from its page; the next record opens the viewer at its own page.
    for number, (name, total) in enumerate(PAGES, start=1):
        await expect(page.get_by_test_id("keying")).to_have_attribute("data-row", str(number))
        await _shows_page(page, number)
        await page.keyboard.type(name)
        await page.keyboard.press("Enter")
        await page.keyboard.type(total)
        await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("keying-done")).to_be_visible()
    await screenshot(page, "data-entry-documents-console-keying-done")

    async with httpx.AsyncClient(base_url=live_server) as http:
        answer = await http.get(f"/api/v1/data-entry/batches/{batch_id}/records", headers=desk.as_("admin"))
    records = answer.json()["items"]
    assert [(r["values"]["supplier"], r["values"]["total"], r["status"]) for r in records] == [
        (name, total, "accepted") for name, total in PAGES
    ]
    assert [r["document"]["page"] for r in records] == [1, 2]
    assert console_errors.errors == []


async def test_the_documents_screens_in_arabic(page: Page, invoice_desk, admin_session, console_errors):
    desk = invoice_desk
    console_errors.watch(page)
    await sign_in(page, desk.admin.email, DEFAULT_PASSWORD)
    await page.locator("label", has_text="العربية").first.click()
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await page.goto("/portal/data-entry")
    await _send_in_the_portal(
        page, schema="مخطط السجلات", mode="مستندات للإدخال", split="صفحة", submit="إرسال المستندات",
        shot="data-entry-documents-portal-upload-ar",
    )  # fmt: skip
    await expect(page.get_by_test_id("batch-detail")).to_have_attribute("data-status", "ready")
    await expect(page.get_by_test_id("count-records")).to_have_text("٢")
    await screenshot(page, "data-entry-documents-portal-batch-ar")
    await page.get_by_role("button", name="تسجيل الخروج").click()
    await page.locator("label", has_text="English").first.click()

    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await page.locator("label", has_text="العربية").first.click()
    await page.goto(f"/console/data-entry/items/{await _chunk_item(admin_session, desk)}")
    viewer = page.get_by_test_id("document-viewer")
    await expect(viewer.get_by_test_id("document-page")).to_have_text("الصفحة ١ من ٢")
    await _shows_page(page, 1)
    await page.keyboard.press("Alt+PageDown")
    await expect(viewer.get_by_test_id("document-page")).to_have_text("الصفحة ٢ من ٢")
    await _shows_page(page, 2)
    await expect(page.get_by_test_id("keying-shortcuts")).to_contain_text("الصفحة التالية من المستند")
    await screenshot(page, "data-entry-documents-console-keying-ar")
    assert console_errors.errors == []
