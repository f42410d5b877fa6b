"""Invitations and forgotten passwords in the browser: each emailed link opens a page that sets a
password and lands the person signed in; a locked sign-in says when to try again."""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from bo_saas.lib.caller import Role
from tests.auth import bearer
from tests.e2e.conftest import screenshot
from tests.factories import TenantFactory, client_user, save
from tests.identity.emailed_links import emailed_links

PASSWORD = "chosen-in-the-browser"


async def _set_password(page: Page, password: str, button: str) -> None:
    await page.get_by_label("New password").fill(password)
    await page.get_by_label("Repeat the password").fill(password)
    await page.get_by_role("button", name=button).click()


async def test_an_invited_person_sets_a_password_from_the_link_and_lands_signed_in(
    page: Page, live_server, app, admin_session, settings, console_errors
):
    console_errors.watch(page)
    tenant = TenantFactory(name="Acme Trading")
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    async with httpx.AsyncClient(base_url=live_server) as api:
        invited = await api.post(
            "/api/v1/users",
            json={"email": "invited@example.test", "name": "Ina Invited"},
            headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id),
        )
    assert invited.status_code == 201, invited.text
    [(_, path, token)] = await emailed_links(admin_session, "invited@example.test", settings)

    await page.goto(f"{path}#token={token}")
    await expect(page.get_by_role("heading", name="Welcome! Choose your password")).to_be_visible()
    await screenshot(page, "accept-invitation")
    await _set_password(page, PASSWORD, "Set password and sign in")

    await page.wait_for_url(lambda url: "/portal" in url)
    await expect(page.get_by_role("navigation", name="main")).to_be_visible()
    # Let the portal's first requests finish before the tables are emptied for the next test.
    await page.wait_for_load_state("networkidle")
    assert console_errors.errors == []


async def test_forgot_password_sends_a_link_whose_page_sets_a_new_password(
    page: Page, live_server, admin_session, settings, console_errors
):
    console_errors.watch(page)
    tenant = TenantFactory()
    await save(admin_session, tenant)
    person = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)

    await page.goto("/sign-in")
    await page.get_by_role("link", name="Forgot password?").click()
    # The sign-in page has an Email field too: fill the reset page's, once it is there.
    await expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    await page.get_by_label("Email").fill(person.email)
    await screenshot(page, "forgot-password")
    await page.get_by_role("button", name="Send reset link").click()
    await expect(page.get_by_role("status")).to_contain_text(
        "a link to reset its password is on its way", timeout=15_000
    )
    [(_, path, token)] = await emailed_links(admin_session, person.email, settings)

    await page.goto(f"{path}#token={token}")
    await expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    await _set_password(page, "short", "Save password and sign in")
    await expect(page.get_by_role("alert")).to_contain_text("at least 10 characters")
    await screenshot(page, "reset-password")
    await _set_password(page, PASSWORD, "Save password and sign in")

    await page.wait_for_url(lambda url: "/portal" in url)
    await expect(page.get_by_role("navigation", name="main")).to_be_visible()
    # Let the portal's first requests finish before the tables are emptied for the next test.
    await page.wait_for_load_state("networkidle")
    # The 400 the weak password drew is the only error the page printed (the browser logs it).
    assert all("400" in error for error in console_errors.errors)


async def test_a_locked_sign_in_says_when_to_try_again_even_for_an_unknown_address(page: Page, live_server):
    await page.goto("/sign-in")
    await page.get_by_label("Email").fill("nobody-at-all@example.test")
    for _ in range(6):
        await page.locator("input[type=password]").fill("not-the-password")
        async with page.expect_response("**/api/v1/auth/token"):
            await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-ins with this email. Try again in")
    await screenshot(page, "sign-in-locked")
