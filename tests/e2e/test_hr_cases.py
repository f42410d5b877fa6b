"""The HR desk's employee, case and checklist screens in the browser, against the real server.

A client admin opens an employee, starts an onboarding case from a checklist
template, and ticks off a task the client owns on the case's page; the same
screens in Arabic, right to left. Screens are saved to
``test-output/e2e/hr-*.png``.
"""

from __future__ import annotations

from datetime import date

from playwright.async_api import Page, expect

from bo_saas.hr.case_models import ChecklistTemplate
from bo_saas.lib.caller import Role
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import (
    DEFAULT_PASSWORD,
    BusinessCalendarFactory,
    EmployeeFactory,
    TenantFactory,
    client_user,
    save,
)

TASKS = [
    {"title": "Order the laptop", "owner": "provider", "due_days": -1},
    {"title": "Sign the contract", "owner": "client", "due_days": 0},
    {"title": "Welcome lunch", "owner": "client", "due_days": 2},
]


async def _to_arabic(page: Page) -> None:
    await page.locator("label", has_text="العربية").first.click()
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")


async def test_a_client_admin_starts_an_onboarding_case_and_ticks_a_task_in_english_and_arabic(
    page: Page, admin_session, live_server, console_errors
):
    tenant = TenantFactory(services=["hr"])
    await save(admin_session, tenant)
    await save(admin_session, BusinessCalendarFactory(tenant_id=tenant.id))
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    employee = EmployeeFactory(tenant_id=tenant.id, name="Noura Saleh", start_date=date(2026, 2, 5))
    template = ChecklistTemplate(tenant_id=tenant.id, kind="onboarding", name="Standard onboarding", tasks=TASKS)
    await save(admin_session, employee, template)
    console_errors.watch(page)

    await sign_in(page, admin.email, DEFAULT_PASSWORD)
    await page.goto("/portal/hr/employees")
    await expect(page.get_by_test_id("hr-employees")).to_contain_text("Noura Saleh")
    await screenshot(page, "hr-portal-employees-en")
    await page.get_by_role("link", name="Noura Saleh").click()
    await expect(page.get_by_test_id("hr-employee-name")).to_have_text("Noura Saleh")
    await page.get_by_test_id("hr-case-template").click()
    await page.get_by_role("option", name="Onboarding: Standard onboarding").click()
    await screenshot(page, "hr-portal-employee-en")
    await page.get_by_test_id("hr-start-case").click()

    await page.wait_for_url("**/portal/hr/cases/*")
    await expect(page.get_by_test_id("hr-case-title")).to_have_text("Onboarding: Noura Saleh")
    await expect(page.get_by_test_id("hr-case-remaining")).to_have_text("3 tasks open")
    await expect(page.get_by_test_id("hr-task-0")).to_be_disabled()  # the provider's task
    await page.get_by_test_id("hr-task-1").click()
    await expect(page.get_by_test_id("hr-case-remaining")).to_have_text("2 tasks open")
    await expect(page.get_by_test_id("hr-task-1")).to_be_checked()
    await screenshot(page, "hr-portal-case-en")
    case_url = page.url

    await _to_arabic(page)
    await page.goto(case_url)
    await expect(page.get_by_test_id("hr-case-title")).to_have_text("تعيين: Noura Saleh")
    await page.get_by_test_id("hr-task-2").click()
    await expect(page.get_by_test_id("hr-case-remaining")).to_have_text("1 مهام مفتوحة")
    await screenshot(page, "hr-portal-case-ar")
    await page.goto("/portal/hr/checklists")
    await expect(page.get_by_test_id("hr-checklist")).to_contain_text("Standard onboarding")
    await screenshot(page, "hr-portal-checklists-ar")
    await page.goto(f"/portal/hr/employees/{employee.id}")
    await expect(page.get_by_test_id("hr-employee-name")).to_have_text("Noura Saleh")
    await screenshot(page, "hr-portal-employee-ar")
    await page.get_by_role("button", name="تسجيل الخروج").click()
    await page.locator("label", has_text="English").first.click()  # the sign-in page, for the next person

    assert console_errors.errors == []
