"""Payroll in the browser, against the real server and worker: four eyes from pay components to the books.

Provider staff with the hr skill (the preparer) set up pay components in the console, prepare a month's
run, adjust one payslip, recompute (the adjustment stays), and are refused when they try to approve. The
client's admin (the checker) approves in the portal, is told which employee has no bank account when
finalizing, finalizes once it is fixed, downloads a payslip PDF and the bank file, and posts the run to
the books; the same screens in Arabic, right to left. Screens are saved to ``test-output/e2e/hr-payroll-*.png``.
"""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID

from playwright.async_api import Page, expect
from sqlalchemy import select

from bo_saas.hr.crypto import keyring
from bo_saas.hr.payroll_models import PayrollRun
from bo_saas.hr.personal import Personal, seal_onto
from bo_saas.identity.models import StaffSkill
from bo_saas.lib.caller import Role
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import (
    DEFAULT_PASSWORD,
    BusinessCalendarFactory,
    EmployeeFactory,
    TenantFactory,
    client_user,
    save,
    staff_user,
)

IBAN = "DE89370400440532013000"
PERIOD = "2026-11"
# The browser prints a console error for every 4xx answer; the refusals this test provokes are expected.
EXPECTED_REFUSALS = ("status of 403", "status of 422")


async def _add_component(
    page: Page, code: str, name: str, kind: str, percent: str, *, name_ar: str = "", hidden: bool = False
) -> None:
    await page.get_by_test_id("payroll-component-add").click()
    form = page.get_by_test_id("payroll-component-form")
    await form.get_by_test_id("component-code").fill(code)
    await form.get_by_test_id("component-name").fill(name)
    await form.get_by_test_id("component-name-ar").fill(name_ar)
    await form.get_by_test_id("component-kind").click()
    await page.get_by_role("option", name=kind).click()
    await form.get_by_test_id("component-calculation").click()
    await page.get_by_role("option", name="Percentage of other components").click()
    await form.get_by_test_id("component-percent").fill(percent)  # of the salary ("base", the default)
    if hidden:
        await form.get_by_test_id("component-hidden").check()
    await form.get_by_test_id("component-save").click()
    await expect(page.get_by_test_id(f"payroll-component-{code}")).to_be_visible()


async def _shot(page: Page, name: str) -> None:
    """A full-page screenshot from the top (scrolled down, the fixed header would land mid-page)."""
    await page.evaluate("window.scrollTo(0, 0)")
    await screenshot(page, name)


async def _wait_for_draft(admin_session, run_id) -> None:
    """The worker has computed the run again (the page polls; this waits on the database itself)."""
    for _ in range(300):
        await admin_session.commit()
        status = await admin_session.scalar(select(PayrollRun.status).where(PayrollRun.id == run_id))
        if status == "draft":
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the run is still {status}")


async def test_staff_prepare_and_a_client_admin_checks_payroll_from_components_to_books_in_english_and_arabic(
    page: Page, admin_session, live_server, console_errors, settings
):
    tenant = TenantFactory(services=["hr", "bookkeeping"])
    await save(admin_session, tenant)
    await save(admin_session, BusinessCalendarFactory(tenant_id=tenant.id))
    checker = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    preparer = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(tenant,))
    await save(admin_session, StaffSkill(account_id=preparer.id, skill_code="hr"))
    ring = keyring(settings)
    started = date(2025, 1, 1)
    noura = EmployeeFactory(tenant_id=tenant.id, employee_number="E001", name="Noura Saleh", start_date=started)
    omar = EmployeeFactory(tenant_id=tenant.id, employee_number="E002", name="Omar Haddad", start_date=started)
    seal_onto(ring, noura, Personal(iban=IBAN, salary=1_000_000, currency="SAR"))
    seal_onto(ring, omar, Personal(salary=800_000, currency="SAR"))  # no bank account yet
    await save(admin_session, noura, omar)
    console_errors.watch(page)

    # The preparer: provider staff with the hr skill, in the console, for the client chosen in the address.
    await sign_in(page, preparer.email, DEFAULT_PASSWORD)
    await page.goto(f"/console/hr/payroll?tenant={tenant.id}")
    await expect(page.get_by_role("tab", name="Payroll")).to_have_attribute("aria-selected", "true")
    await _add_component(page, "housing", "Housing allowance", "Earning", "25", name_ar="بدل سكن")
    await _add_component(page, "pension", "Pension", "Deduction (employee contribution)", "10")
    await _add_component(page, "pension_employer", "Employer pension", "Employer contribution", "12", hidden=True)
    # Edit: housing is 20% after all.
    await page.get_by_test_id("payroll-component-housing").get_by_role("button", name="Edit").click()
    form = page.get_by_test_id("payroll-component-form")
    await expect(form.get_by_test_id("component-code")).to_be_disabled()
    await form.get_by_test_id("component-percent").fill("20")
    await form.get_by_test_id("component-save").click()
    await expect(page.get_by_test_id("payroll-component-housing")).to_contain_text("20% of base")
    await expect(page.get_by_test_id("payroll-component-pension")).to_contain_text("Deduction")
    # Transport: a fixed amount only for employees given their own, here Noura's 500.
    await page.get_by_test_id("payroll-component-add").click()
    form = page.get_by_test_id("payroll-component-form")
    await form.get_by_test_id("component-code").fill("transport")
    await form.get_by_test_id("component-name").fill("Transport")
    await form.get_by_test_id("component-amount").fill("0")
    await form.get_by_test_id("component-applies-to-all").uncheck()
    await form.get_by_test_id("component-save").click()
    transport = page.get_by_test_id("payroll-component-transport")
    await expect(transport).to_contain_text("Only employees given an amount")
    await transport.get_by_role("button", name="Employees").click()
    own = page.get_by_test_id("payroll-employee-pay")
    await own.get_by_test_id("employee-pay-employee").click()
    await page.get_by_role("option", name="E001 Noura Saleh").click()
    await own.get_by_test_id("employee-pay-value").fill("500")
    await own.get_by_test_id("employee-pay-set").click()
    await expect(own.get_by_test_id("employee-pay-rows")).to_contain_text("500.00")
    await page.keyboard.press("Escape")
    await _shot(page, "hr-payroll-components-en")

    # The schedule: each month's draft prepared on its own on the 28th, as the server says back.
    schedule = page.get_by_test_id("payroll-schedule")
    await expect(schedule.get_by_test_id("payroll-schedule-status")).to_have_text(
        "No schedule: runs are prepared by hand."
    )
    await schedule.get_by_test_id("payroll-schedule-day").fill("32")
    await expect(schedule.get_by_text("A whole day from 1 to 31")).to_be_visible()
    await expect(schedule.get_by_test_id("payroll-schedule-save")).to_be_disabled()
    await schedule.get_by_test_id("payroll-schedule-day").fill("28")
    await schedule.get_by_test_id("payroll-schedule-save").click()
    await expect(schedule.get_by_test_id("payroll-schedule-status")).to_contain_text(
        "The draft run is prepared on day 28 of each month; next on "
    )

    await page.get_by_test_id("payroll-period").fill(PERIOD)
    await page.get_by_test_id("payroll-start").click()
    await page.wait_for_url("**/console/hr/payroll/*")
    await expect(page.get_by_test_id("run-status")).to_have_text("Draft", timeout=30_000)
    run_id = page.url.split("/payroll/")[1].split("?")[0]
    await expect(page.get_by_test_id("run-title")).to_have_text("Payroll November 2026")
    # 10,000 salary + 2,000 housing + 500 transport - 1,000 pension
    await expect(page.get_by_test_id("payslip-net-E001")).to_contain_text("11,500.00")
    await page.get_by_test_id("payslip-details-E001").click()
    lines = page.get_by_test_id("payslip-lines-E001")
    await expect(lines).to_contain_text("Housing allowance")
    await expect(lines).to_contain_text("Transport")
    await expect(lines).to_contain_text("hidden on the payslip")  # the employer's pension, paid but not shown

    await page.get_by_test_id("payslip-adjust-E001").click()
    adjust = page.get_by_test_id("payslip-adjust-form")
    await adjust.get_by_test_id("adjust-description").fill("Overtime in November")
    await adjust.get_by_test_id("adjust-amount").fill("250")
    await adjust.get_by_test_id("adjust-save").click()
    await expect(page.get_by_text("Adjustment added: net is now")).to_be_visible()
    await expect(page.get_by_test_id("payslip-net-E001")).to_contain_text("11,750.00")
    await expect(lines).to_contain_text("Overtime in November")

    await page.get_by_test_id("run-recompute").click()
    await expect(page.get_by_text("Recomputing: adjustments are kept")).to_be_visible()
    await _wait_for_draft(admin_session, UUID(run_id))
    await page.reload()
    await expect(page.get_by_test_id("run-status")).to_have_text("Draft")
    await expect(page.get_by_test_id("payslip-net-E001")).to_contain_text("11,750.00")  # the adjustment stayed
    await page.get_by_test_id("payslip-details-E001").click()
    await expect(page.get_by_test_id("payslip-lines-E001")).to_contain_text("Overtime in November")
    await page.get_by_test_id("payslip-review-E001").click()
    await expect(page.get_by_test_id("payslip-E001")).to_contain_text("Reviewed")
    await _shot(page, "hr-payroll-draft-en")

    await page.get_by_test_id("run-approve").click()  # the preparer is not the checker
    await expect(page.get_by_test_id("payroll-error")).to_contain_text(
        "The checker who approves a payroll run is the tenant's client admin"
    )
    await expect(page.get_by_test_id("run-status")).to_have_text("Draft")
    await _shot(page, "hr-payroll-preparer-refused-en")
    await page.get_by_role("button", name="Sign out").click()

    # The checker: the client's admin, in the portal.
    await sign_in(page, checker.email, DEFAULT_PASSWORD)
    await page.goto("/portal/hr/payroll")
    await page.get_by_test_id("payroll-run-rows").get_by_role("link", name="November 2026").click()
    await expect(page.get_by_test_id("run-status")).to_have_text("Draft")
    await page.get_by_test_id("run-approve").click()
    await expect(page.get_by_test_id("run-status")).to_have_text("Approved")
    await page.get_by_test_id("run-finalize").click()
    error = page.get_by_test_id("payroll-error")
    await expect(error).to_contain_text("1 employee(s) have no bank account to pay into: E002")
    await expect(error).to_contain_text("E002 Omar Haddad")
    await _shot(page, "hr-payroll-finalize-refused-en")

    seal_onto(ring, omar, Personal(iban=IBAN, salary=800_000, currency="SAR"))  # the client records the account
    await save(admin_session, omar)
    await page.get_by_test_id("run-finalize").click()
    await expect(page.get_by_test_id("run-status")).to_have_text("Finalized")
    await expect(page.get_by_test_id("payroll-error")).to_have_count(0)
    await expect(page.get_by_test_id("payslip-E001")).to_contain_text("PS-2026-")

    async with page.expect_download() as pdf_download:
        await page.get_by_test_id("payslip-pdf-en-E001").click()
    pdf = await pdf_download.value
    assert pdf.suggested_filename.startswith("PS-2026-") and pdf.suggested_filename.endswith("-en.pdf")
    assert (await _read(pdf)).startswith(b"%PDF")
    async with page.expect_download() as csv_download:
        await page.get_by_test_id("run-bank-csv").click()
    bank = await csv_download.value
    assert bank.suggested_filename == f"payroll-{PERIOD}.csv"
    assert IBAN.encode() in await _read(bank)

    await page.get_by_test_id("run-post").click()
    await expect(page.get_by_test_id("run-journal-entry")).to_be_visible()
    await expect(page.get_by_test_id("run-post")).to_have_count(0)  # posted once
    await _shot(page, "hr-payroll-finalized-en")

    await page.locator("label", has_text="العربية").first.click()
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.get_by_test_id("run-status")).to_have_text("نهائي")
    await expect(page.get_by_test_id("run-title")).to_have_text("رواتب نوفمبر ٢٠٢٦")
    async with page.expect_download() as arabic_download:
        await page.get_by_test_id("payslip-pdf-ar-E001").click()
    arabic = await arabic_download.value
    assert arabic.suggested_filename.endswith("-ar.pdf") and (await _read(arabic)).startswith(b"%PDF")
    await page.get_by_test_id("payslip-details-E001").click()
    await expect(page.get_by_test_id("payslip-lines-E001")).to_contain_text("الاستحقاقات")
    await _shot(page, "hr-payroll-finalized-ar")
    await page.goto("/portal/hr/payroll")
    await expect(page.get_by_test_id("payroll-components")).to_contain_text("مكوّنات الراتب")
    await expect(page.get_by_test_id("payroll-component-housing")).to_contain_text("بدل سكن")
    await expect(page.get_by_test_id("payroll-run-rows")).to_contain_text("نهائي")
    await expect(page.get_by_test_id("payroll-schedule-status")).to_contain_text("في اليوم ٢٨ من كل شهر")
    await _shot(page, "hr-payroll-runs-ar")

    unexpected = [error for error in console_errors.errors if not any(s in error for s in EXPECTED_REFUSALS)]
    assert unexpected == []


async def _read(download) -> bytes:
    path = await download.path()
    return path.read_bytes()
