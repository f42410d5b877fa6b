"""A client admin adds a card on the portal through the real form: Stripe.js (localstripe's) and our API.

The live server here is configured for payments against localstripe, started
by the test (tests/billing/conftest.py): the portal asks our API for a
SetupIntent, loads Stripe.js from where the API says, mounts its card field,
confirms the setup with Stripe, and tells our API, which asks Stripe and keeps
the card. A card declined on setup is said in words and the form stays open;
4242 4242 4242 4242 then saves and the card on file shows it, in English and
again (replacing it) in Arabic. Screens go to ``test-output/e2e/billing-card-*.png``.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from bo_saas.lib.caller import Role
from bo_saas.lib.settings import Settings
from bo_saas.server.worker import worker_environment
from tests.billing.conftest import localstripe  # noqa: F401  (the session's localstripe, started once)
from tests.billing.helpers import billing_profile, subscribed_tenant
from tests.billing.stripe_peer import API_KEY, DECLINES, PUBLISHABLE_KEY, VISA, WEBHOOK_SECRET
from tests.e2e.conftest import _environment, _stop, _wait_for, sign_in
from tests.e2e.test_billing_screens import _open_from_menu, _to_arabic, screenshot
from tests.factories import DEFAULT_PASSWORD, client_user
from tests.servers import free_port


@pytest.fixture(scope="module")
def live_server(settings: Settings, live_storage: Path, localstripe: str) -> Iterator[str]:  # noqa: F811
    """The live server and worker (as tests/e2e/conftest.py starts them), with payments through localstripe."""
    port = free_port()
    environment = {
        **_environment(settings, live_storage),
        "BO_STRIPE_API_KEY": API_KEY,
        "BO_STRIPE_API_BASE": localstripe,
        "BO_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "BO_STRIPE_PUBLISHABLE_KEY": PUBLISHABLE_KEY,
        "BO_STRIPE_JS_URL": f"{localstripe}/js.stripe.com/v3/",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bo_saas.server.app:app_from_environment", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=environment,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "dramatiq", "bo_saas.server.worker:boot", "--processes", "1", "--threads", "2"],
        env={**worker_environment(), **environment},
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/health", server)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(worker)
        _stop(server)


async def _enter_card(page: Page, number: str) -> None:
    """Type a card into Stripe.js's field (localstripe's stand-in draws plain inputs named by placeholder)."""
    field = page.get_by_test_id("card-field")
    await field.get_by_placeholder("number").fill(number)
    await field.get_by_placeholder("exp_month").fill("12")
    await field.get_by_placeholder("exp_year").fill("31")
    await field.get_by_placeholder("cvc").fill("123")


async def test_a_client_admin_adds_a_card_through_the_portal_form_in_english_and_in_arabic(
    browser, browser_context_args, admin_session, console_errors
):
    tenant = await subscribed_tenant(admin_session, "growth")
    await billing_profile(admin_session, tenant, 0)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    await admin_session.commit()

    context = await browser.new_context(**browser_context_args)
    page = await context.new_page()
    console_errors.watch(page)
    await sign_in(page, admin.email, DEFAULT_PASSWORD)
    await _open_from_menu(page, "Billing")
    card_on_file = page.get_by_test_id("card-on-file")
    await expect(card_on_file).to_have_text("No card on file: invoices are paid by bank transfer.")

    # A card the bank declines: said in words, nothing saved, the form stays open for another.
    await page.get_by_role("button", name="Add a card").click()
    await _enter_card(page, DECLINES)
    await page.get_by_role("button", name="Save card").click()
    await expect(page.get_by_test_id("card-problem")).to_contain_text(
        "Your card was declined. Please use another card or contact your bank."
    )
    await expect(card_on_file).to_have_text("No card on file: invoices are paid by bank transfer.")
    await screenshot(page, "billing-card-declined")

    await _enter_card(page, VISA)
    await page.get_by_role("button", name="Save card").click()
    await expect(page.get_by_test_id("card-form")).to_be_hidden()
    await expect(card_on_file).to_have_text("VISA ending in 4242, expires 12/2031")
    await screenshot(page, "billing-card-saved")

    # Arabic, right to left: the card is replaced through the same form.
    await _to_arabic(page)
    await page.get_by_role("button", name="استبدال البطاقة").click()
    await expect(page.get_by_test_id("card-field").get_by_placeholder("number")).to_be_visible()
    await screenshot(page, "billing-card-form-ar")
    await _enter_card(page, VISA)
    await page.get_by_role("button", name="حفظ البطاقة").click()
    await expect(page.get_by_test_id("card-form")).to_be_hidden()
    await expect(card_on_file).to_contain_text("4242")
    await expect(card_on_file).to_contain_text("12/2031")
    await screenshot(page, "billing-card-saved-ar")

    # The API keeps the card (it asked Stripe): a fresh page shows it too.
    await page.reload()
    await expect(page.get_by_test_id("card-on-file")).to_contain_text("4242")
    await context.close()
    # localstripe's Stripe.js logs its own notes; the declined setup's 402 is the browser's own line.
    assert [e for e in console_errors.errors if "402" not in e] == []
