"""Arabic is a choice per person, and it turns the whole app right to left."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.e2e.conftest import screenshot, sign_in
from tests.factories import DEFAULT_PASSWORD


async def test_switching_to_arabic_lays_the_app_out_right_to_left_and_is_remembered(page: Page, desk, console_errors):
    console_errors.watch(page)
    await sign_in(page, desk.admin.email, DEFAULT_PASSWORD)
    await expect(page.locator("html")).to_have_attribute("dir", "ltr")

    await page.locator("label", has_text="العربية").first.click()

    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.locator("html")).to_have_attribute("lang", "ar")
    await expect(page.get_by_role("button", name="تسجيل الخروج")).to_be_visible()
    # The navigation sits on the right in a right-to-left layout.
    navigation = await page.get_by_role("navigation", name="main").bounding_box()
    assert navigation is not None and navigation["x"] > 1280 / 2
    await screenshot(page, "portal-dashboard-arabic")

    # Chosen per person: a new sign-in (another tab, no stored choice) comes back in Arabic.
    await page.get_by_role("button", name="تسجيل الخروج").click()
    await page.evaluate("localStorage.clear()")
    await page.locator("label", has_text="English").first.click()
    await sign_in(page, desk.admin.email, DEFAULT_PASSWORD)
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert console_errors.errors == []
