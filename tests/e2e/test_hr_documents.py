"""Employee documents in the browser, against the real server: a client admin sees an expired document
highlighted, uploads a work permit with its expiry and sees it listed with its file, and a file the API refuses
shows the API's reason and records nothing; the card in Arabic, right to left. Screens are saved to
``test-output/e2e/hr-documents-*.png``.
"""

from __future__ import annotations

from datetime import date, timedelta

from playwright.async_api import Page, expect
from sqlalchemy import func, select

from bo_saas.hr.case_models import EmployeeDocument
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import DEFAULT_PASSWORD, BusinessCalendarFactory, EmployeeFactory, TenantFactory, client_user, save

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def test_a_client_admin_uploads_a_document_and_sees_it_listed_with_expiry_highlighted(
    page: Page, admin_session, live_server, console_errors
):
    tenant = TenantFactory(services=["hr"])
    await save(admin_session, tenant)
    await save(admin_session, BusinessCalendarFactory(tenant_id=tenant.id))
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    employee = EmployeeFactory(tenant_id=tenant.id, name="Noura Saleh", start_date=date(2025, 1, 1))
    await save(admin_session, employee)
    expired = EmployeeDocument(tenant_id=tenant.id, employee_id=employee.id, kind="visa",
                               expires_on=utc_now().date() - timedelta(days=3))  # fmt: skip
    await save(admin_session, expired)
    expires_on = (utc_now().date() + timedelta(days=400)).isoformat()
    console_errors.watch(page)

    await sign_in(page, admin.email, DEFAULT_PASSWORD)
    await page.goto(f"/portal/hr/employees/{employee.id}")
    documents = page.get_by_test_id("hr-documents")
    await expect(documents.locator("[data-expiry=expired]")).to_contain_text("Expired")

    await page.get_by_test_id("hr-document-kind").click()
    await page.get_by_role("option", name="Work permit").click()
    await page.get_by_test_id("hr-document-expires").fill(expires_on)
    file_input = documents.locator("input[type=file]")
    await file_input.set_input_files({"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a scan"})
    await page.get_by_test_id("hr-document-upload").click()
    await expect(page.get_by_test_id("hr-document-error")).to_contain_text("A document file is a PDF or an image")
    await screenshot(page, "hr-documents-refused-en")

    await file_input.set_input_files({"name": "permit.pdf", "mimeType": "application/pdf", "buffer": PDF})
    await page.get_by_test_id("hr-document-upload").click()
    listed = documents.locator("[data-expiry=ok]")
    await expect(listed).to_contain_text("Work permit")
    await expect(listed).to_contain_text("permit.pdf")
    await expect(page.get_by_test_id("hr-document-error")).to_have_count(0)
    await expect(documents.get_by_test_id("hr-document")).to_have_count(2)
    await screenshot(page, "hr-documents-uploaded-en")
    stored = await admin_session.scalar(
        select(func.count()).select_from(EmployeeDocument).where(EmployeeDocument.employee_id == employee.id)
    )
    assert stored == 2  # the refused upload left no record behind

    async with page.expect_download() as downloading:
        await listed.get_by_test_id("hr-document-download").click()
    assert (await downloading.value).suggested_filename == "permit.pdf"

    await page.locator("label", has_text="العربية").first.click()
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(documents).to_contain_text("رخصة العمل")
    await expect(documents).to_contain_text("منتهي")
    await screenshot(page, "hr-documents-ar")
