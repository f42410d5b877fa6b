"""The console's "All items": staff see every item of the tenants they serve, open one without
claiming it, and a provider admin hands it to an agent from the item page."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from bo_saas.work.models import WorkState
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import DEFAULT_PASSWORD
from tests.work.helpers import work_item


async def test_staff_browse_all_items_open_one_unclaimed_and_an_admin_assigns_it(
    browser: Browser, browser_context_args: dict, desk, admin_session, console_errors
):
    queued = await work_item(admin_session, desk.tenant, title="Payroll for March", requester_id=desk.member.id)
    await work_item(
        admin_session,
        desk.tenant,
        title="Bank feed for February",
        state=WorkState.IN_PROGRESS,
        assignee_id=desk.reviewer.id,
        requester_id=desk.member.id,
    )

    agent_context = await browser.new_context(**browser_context_args)
    agent = await agent_context.new_page()
    console_errors.watch(agent)
    await sign_in(agent, desk.agent.email, DEFAULT_PASSWORD)
    await agent.get_by_role("link", name="All items").click()
    await agent.wait_for_url("**/console/items")
    await expect(agent.get_by_test_id("item-row")).to_have_count(2)
    await expect(agent.get_by_text(desk.tenant.name).first).to_be_visible()  # the tenant column
    await screenshot(agent, "console-all-items")

    await agent.get_by_label("Search").fill("payroll")
    await expect(agent.get_by_test_id("item-row")).to_have_count(1)
    await agent.get_by_role("link", name="Payroll for March").click()
    await agent.wait_for_url(f"**/console/items/{queued.id}")
    await expect(agent.locator("[data-work-state]").first).to_have_attribute("data-work-state", "queued")  # not claimed
    await expect(agent.get_by_test_id("assign-agent")).to_have_count(0)  # agents do not hand work out
    await agent_context.close()

    admin_context = await browser.new_context(**browser_context_args)
    admin = await admin_context.new_page()
    console_errors.watch(admin)
    await sign_in(admin, desk.provider_admin.email, DEFAULT_PASSWORD)
    await admin.goto(f"/console/items/{queued.id}")
    panel = admin.get_by_test_id("assign-agent")
    await panel.get_by_label("Assign to").click()
    await admin.get_by_role("option", name=desk.agent.name).click()
    await panel.get_by_role("button", name="Assign").click()
    await expect(admin.locator("[data-work-state]").first).to_have_attribute("data-work-state", "in_progress")
    await expect(admin.get_by_text(desk.agent.name).first).to_be_visible()
    await screenshot(admin, "console-item-assigned")
    await admin_context.close()
    assert [e for e in console_errors.errors if "Failed to load resource" not in e] == []
