"""Leave in the browser, against the real server: a client admin requests leave for an employee, approves it,
and sees them on the calendar of who is away; the same screen in Arabic, right to left. Provider staff with the
hr skill approve a request from the console on the client admin's behalf. Screens are saved to
``test-output/e2e/hr-leave-*.png``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from playwright.async_api import Page, expect

from bo_saas.hr.leave_models import LeaveRequest, LeaveType
from bo_saas.identity.models import StaffSkill
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
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


def _next_sunday() -> date:
    today = utc_now().date()
    return today + timedelta(days=(6 - today.weekday()) % 7 or 7)


async def test_a_client_admin_requests_and_approves_leave_and_sees_who_is_away_in_english_and_arabic(
    page: Page, admin_session, live_server, console_errors
):
    tenant = TenantFactory(services=["hr"])
    await save(admin_session, tenant)
    await save(admin_session, BusinessCalendarFactory(tenant_id=tenant.id))  # Sunday to Thursday
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    employee = EmployeeFactory(tenant_id=tenant.id, name="Noura Saleh", start_date=date(2025, 1, 1))
    annual = LeaveType(tenant_id=tenant.id, code="annual", name="Annual leave", kind="annual", accrual="yearly",
                       days_per_year=Decimal(21), carry_over_cap=Decimal(5), carry_over_expiry_months=0,
                       allow_negative=False, active=True)  # fmt: skip
    await save(admin_session, employee, annual)
    start = _next_sunday()
    console_errors.watch(page)

    await sign_in(page, admin.email, DEFAULT_PASSWORD)
    await page.goto("/portal/hr/leave")
    await page.get_by_test_id("leave-employee").click()
    await page.get_by_role("option", name="Noura Saleh").click()
    await page.get_by_test_id("leave-type").click()
    await page.get_by_role("option", name="Annual leave").click()
    await page.get_by_test_id("leave-from").fill(start.isoformat())
    await page.get_by_test_id("leave-to").fill((start + timedelta(days=1)).isoformat())
    await page.get_by_test_id("leave-submit").click()
    await expect(page.get_by_text("Leave requested: 2 working days")).to_be_visible()
    await expect(page.get_by_test_id("leave-requests")).to_contain_text("Pending")
    await screenshot(page, "hr-leave-requested-en")

    await page.get_by_test_id("leave-approve").click()
    await expect(page.get_by_test_id("leave-requests")).to_contain_text("Approved")
    await expect(page.get_by_test_id("leave-calendar")).to_contain_text("Noura Saleh")
    await screenshot(page, "hr-leave-approved-en")

    await page.locator("label", has_text="العربية").first.click()
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.get_by_test_id("leave-requests")).to_contain_text("معتمدة")
    await expect(page.get_by_test_id("leave-calendar")).to_contain_text("من هو في إجازة")
    await screenshot(page, "hr-leave-calendar-ar")


async def test_hr_staff_approve_a_request_from_the_console_on_the_client_admins_behalf(
    page: Page, admin_session, live_server, console_errors
):
    tenant = TenantFactory(services=["hr"])
    await save(admin_session, tenant)
    await save(admin_session, BusinessCalendarFactory(tenant_id=tenant.id))
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN, name="Layla Haddad")
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(tenant,))
    await save(admin_session, StaffSkill(account_id=agent.id, skill_code="hr"))
    employee = EmployeeFactory(tenant_id=tenant.id, name="Omar Farouk", start_date=date(2025, 1, 1))
    annual = LeaveType(tenant_id=tenant.id, code="annual", name="Annual leave", kind="annual", accrual="yearly",
                       days_per_year=Decimal(21), carry_over_cap=Decimal(5), carry_over_expiry_months=0,
                       allow_negative=False, active=True)  # fmt: skip
    await save(admin_session, employee, annual)
    start = _next_sunday()
    pending = LeaveRequest(tenant_id=tenant.id, employee_id=employee.id, leave_type_id=annual.id, start_date=start,
                           end_date=start + timedelta(days=1), days=Decimal(2), status="pending",
                           requested_by=admin.id)  # fmt: skip
    await save(admin_session, pending)
    console_errors.watch(page)

    await sign_in(page, agent.email, DEFAULT_PASSWORD)
    await page.goto(f"/console/hr/leave?tenant={tenant.id}")
    await expect(page.get_by_test_id("leave-requests")).to_contain_text("Omar Farouk")
    await page.get_by_test_id("leave-console-approve").click()
    await expect(page.get_by_test_id("leave-on-behalf-note")).to_be_visible()
    await expect(page.get_by_test_id("leave-on-behalf-of")).to_have_value(f"Layla Haddad <{admin.email}>")
    await screenshot(page, "hr-leave-console-approve-en")
    await page.get_by_test_id("leave-decision-confirm").click()

    await expect(page.get_by_test_id("leave-requests")).to_contain_text("Approved")
    await expect(page.get_by_test_id("leave-decided-on-behalf")).to_be_visible()
    await screenshot(page, "hr-leave-console-approved-en")
    await admin_session.refresh(pending)
    assert pending.status == "approved" and pending.decided_on_behalf_of == admin.id and pending.decided_by == agent.id
