"""Admin forms say what is wrong instead of changing what was typed; a calendar resets to round the clock."""

from __future__ import annotations

from playwright.async_api import Page, expect
from sqlalchemy import select

from bo_saas.sla.models import SlaPolicy
from bo_saas.tenancy.models import BusinessCalendar
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import DEFAULT_PASSWORD, BusinessCalendarFactory, save

MINUTES_INVALID = "A whole number of minutes from 1 to 525,600"


async def _policy(admin_session, plan: str, service: str, priority: str) -> SlaPolicy:
    admin_session.expire_all()
    return (
        await admin_session.execute(
            select(SlaPolicy).where(
                SlaPolicy.plan_code == plan, SlaPolicy.service_type == service, SlaPolicy.priority == priority
            )
        )
    ).scalar_one()


async def test_the_policy_form_names_zero_and_negative_minutes_instead_of_clamping(
    page: Page, desk, admin_session, console_errors
):
    console_errors.watch(page)
    email = desk.provider_admin.email  # read before the session expires what it loaded
    before = (await _policy(admin_session, "starter", "*", "normal")).first_response_minutes
    await sign_in(page, email, DEFAULT_PASSWORD)
    await page.goto("/console/sla-policies")
    await page.get_by_role("button", name="Edit: Starter, Any service, Normal").click()
    dialog = page.get_by_role("dialog")
    first_response = dialog.get_by_label("First response (business minutes)")

    await first_response.fill("0")
    await first_response.blur()
    await expect(first_response).to_have_value("0")
    await expect(dialog.get_by_text(MINUTES_INVALID)).to_be_visible()

    await first_response.fill("-5")
    await first_response.blur()
    await expect(first_response).to_have_value("-5")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog.get_by_text(MINUTES_INVALID)).to_be_visible()
    await screenshot(page, "console-sla-policy-form-invalid")
    assert (await _policy(admin_session, "starter", "*", "normal")).first_response_minutes == before

    warning = dialog.get_by_label("Warn at")
    await warning.fill("100")
    await warning.blur()
    await expect(dialog.get_by_text("A whole percentage from 1 to 99")).to_be_visible()
    await warning.fill("80")
    await first_response.fill("45")
    await dialog.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("SLA targets saved")).to_be_visible()
    saved = await _policy(admin_session, "starter", "*", "normal")
    assert (saved.first_response_minutes, saved.warning_percent) == (45, 80)
    assert console_errors.errors == []


async def test_a_tenants_calendar_is_reset_to_round_the_clock(page: Page, desk, admin_session, console_errors):
    console_errors.watch(page)
    email, tenant_id = desk.provider_admin.email, desk.tenant.id  # read before save() expires them
    await save(admin_session, BusinessCalendarFactory(tenant_id=tenant_id))
    await sign_in(page, email, DEFAULT_PASSWORD)
    await page.goto(f"/console/calendars?tenant={tenant_id}")

    await page.get_by_role("button", name="Reset to round the clock").click()
    await page.get_by_role("dialog").get_by_role("button", name="Reset to round the clock").click()

    await expect(page.get_by_text("its SLA clocks run round the clock")).to_be_visible()
    await expect(page.get_by_role("button", name="Reset to round the clock")).to_have_count(0)
    await screenshot(page, "console-calendar-round-the-clock")
    admin_session.expire_all()
    assert await admin_session.get(BusinessCalendar, tenant_id) is None
    assert console_errors.errors == []
