"""A request's whole life in the browser: asked in the portal, claimed and worked in the console, reviewed, done.

Three people, each in their own browser context (as on their own machines):
a client member, an agent and a reviewer. QA samples every data-entry item of
this tenant, so "done" goes through review. Screens are saved as screenshots.
"""

from __future__ import annotations

import json
import time

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from bo_saas.work.models import QaSampling
from tests.e2e.conftest import SCREENSHOTS, ConsoleWatch, screenshot, sign_in
from tests.factories import DEFAULT_PASSWORD, save

QUESTION = "Which currency are the invoices in?"


@pytest.fixture
async def sampled_desk(desk, admin_session):
    await save(admin_session, QaSampling(tenant_id=desk.tenant.id, service_type="data_entry", sample_percent=100))
    return desk


async def _person(browser: Browser, browser_context_args: dict, watch: ConsoleWatch, email: str):
    context: BrowserContext = await browser.new_context(**browser_context_args)
    page = await context.new_page()
    watch.watch(page)
    await sign_in(page, email, DEFAULT_PASSWORD)
    return context, page


async def _act(page: Page, action: str, words: str | None = None) -> None:
    """Press an action button on the item page and confirm its dialog (writing `words` when asked)."""
    await page.get_by_role("button", name=action, exact=True).first.click()
    dialog = page.get_by_role("dialog")
    if words is not None:
        await dialog.get_by_role("textbox").fill(words)
    await dialog.get_by_role("button", name=action, exact=True).click()
    await expect(dialog).to_have_count(0)


async def test_a_request_goes_from_the_portal_through_the_console_and_qa_to_done_with_the_sla_met(
    browser: Browser, browser_context_args: dict, sampled_desk, console_errors
):
    desk = sampled_desk
    member_context, member = await _person(browser, browser_context_args, console_errors, desk.member.email)
    agent_context, agent = await _person(browser, browser_context_args, console_errors, desk.agent.email)

    # The client asks for data entry through the form drawn from the service's schema.
    started = time.perf_counter()
    await member.goto("/portal")
    await expect(member.get_by_test_id("dashboard-open-count")).to_contain_text("0")
    dashboard_seconds = time.perf_counter() - started
    await screenshot(member, "portal-dashboard")
    await member.goto("/portal/items/new")
    await member.get_by_role("combobox", name="What do you need?").click()
    await member.get_by_role("option", name="Data entry").click()
    await member.get_by_label("Title").fill("Key in November invoices")
    await member.get_by_label("What to key in").fill("42 supplier invoices, PDF")
    await screenshot(member, "portal-new-request")
    await member.get_by_role("button", name="Send request").click()
    await member.wait_for_url("**/portal/items/*-*")
    item_url = member.url
    item_id = item_url.rsplit("/", 1)[-1]
    await expect(member.get_by_text("Key in November invoices").first).to_be_visible()
    await expect(member.locator("[data-work-state]").first).to_have_attribute("data-work-state", "queued")
    await screenshot(member, "portal-item-queued")

    # The agent claims the next item with the keyboard shortcut, and asks the client a question.
    await agent.goto("/console")
    await expect(agent.get_by_role("button", name="Claim next")).to_be_visible()
    await screenshot(agent, "console-queue")
    await agent.keyboard.press("Shift+C")
    await agent.wait_for_url(f"**/console/items/{item_id}")
    await expect(agent.locator("[data-work-state]").first).to_have_attribute("data-work-state", "in_progress")
    await _act(agent, "Ask the client", QUESTION)
    await expect(agent.locator("[data-work-state]").first).to_have_attribute("data-work-state", "waiting_on_client")
    # The agent waits on the client (not "on you"), and the question is in the conversation.
    await expect(agent.locator("[data-work-state]").first).to_have_text("Waiting on the client")
    await expect(agent.get_by_test_id("comment").filter(has_text=QUESTION)).to_have_count(1)
    await screenshot(agent, "console-workspace-waiting")

    # The client sees the question, in the conversation too, answers it; the work continues.
    await member.reload()
    await expect(member.get_by_text(QUESTION).first).to_be_visible()
    await expect(member.locator("[data-work-state]").first).to_have_text("Waiting on you")
    await expect(member.get_by_test_id("comment").filter(has_text=QUESTION)).to_have_count(1)
    await screenshot(member, "portal-item-question")
    await member.get_by_label("Your answer").fill("All in SAR.")
    await member.get_by_role("button", name="Send answer").click()
    await expect(member.locator("[data-work-state]").first).to_have_attribute("data-work-state", "in_progress")

    # The agent finishes; QA samples this service, so the item goes to review.
    await agent.reload()
    await expect(agent.get_by_text("All in SAR.").first).to_be_visible()
    await _act(agent, "Mark done")
    await expect(agent.locator("[data-work-state]").first).to_have_attribute("data-work-state", "in_review")

    # A reviewer (not the agent) accepts it from the QA list.
    reviewer_context, reviewer = await _person(browser, browser_context_args, console_errors, desk.reviewer.email)
    await reviewer.goto("/console/qa")
    await reviewer.get_by_role("link", name="Key in November invoices").click()
    await reviewer.wait_for_url(f"**/console/items/{item_id}")
    await screenshot(reviewer, "console-qa-review")
    await _act(reviewer, "Accept")
    await expect(reviewer.locator("[data-work-state]").first).to_have_attribute("data-work-state", "done")

    # The client sees it done, with the SLA met.
    await member.reload()
    await expect(member.locator("[data-work-state]").first).to_have_attribute("data-work-state", "done")
    await expect(member.locator("[data-sla]").first).to_have_attribute("data-sla", "met")
    await screenshot(member, "portal-item-done")
    await member.goto("/portal/items")
    await expect(member.get_by_test_id("item-row")).to_have_count(1)
    await screenshot(member, "portal-items")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "timings.json").write_text(json.dumps({"portal_dashboard_seconds": round(dashboard_seconds, 3)}))
    print(f"portal dashboard rendered its data {dashboard_seconds:.2f} s after navigation")
    for context in (member_context, agent_context, reviewer_context):
        await context.close()
    # The browser logs the API's deliberate answers (e.g. a 204 or 404) as network lines, not script errors.
    assert [e for e in console_errors.errors if "Failed to load resource" not in e] == []
