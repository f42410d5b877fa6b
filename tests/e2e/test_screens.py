"""Every main screen opens without a script error, with real data; each is saved as a screenshot.

Also the dashboard's render time against a tenant with a realistic month of
work: reported (``test-output/e2e/timings.json``), not enforced.
"""

from __future__ import annotations

import json
import random
import re
import time
from datetime import timedelta

import pytest
from playwright.async_api import Page, expect

from bo_saas.lib.clock import utc_now
from bo_saas.server.registry import load as load_registry
from bo_saas.work.models import Priority, SlaStatus, WorkState
from tests.desk import queued_item
from tests.e2e.conftest import SCREENSHOTS, screenshot, sign_in
from tests.factories import DEFAULT_PASSWORD, save

OPEN_STATES = [WorkState.QUEUED, WorkState.IN_PROGRESS, WorkState.WAITING_ON_CLIENT, WorkState.IN_REVIEW]


@pytest.fixture
async def busy_desk(desk, admin_session):
    """60 items across states, priorities and SLA statuses, some done this month."""
    chance = random.Random(7)
    items = []
    for number in range(60):
        state = chance.choice([*OPEN_STATES, WorkState.DONE])
        item = queued_item(
            desk.tenant,
            title=f"Request {number + 1}",
            requester_id=desk.member.id,
            state=state,
            priority=chance.choice(list(Priority)),
            sla_status=chance.choice([SlaStatus.OK, SlaStatus.OK, SlaStatus.WARNING, SlaStatus.BREACHED]),
            due_in=timedelta(minutes=chance.randint(-120, 600)),
        )
        if state is not WorkState.QUEUED:
            item.assignee_id = desk.agent.id
            item.first_responded_at = utc_now()
        if state is WorkState.DONE:
            item.resolved_at = item.closed_at = utc_now()
            item.sla_status = SlaStatus.MET
        items.append(item)
    await save(admin_session, *items)
    return desk


def _registry_menu(role: str, services: list[str] | None = None) -> list[str]:
    """The paths the domain registry offers this role (and tenant's services), in menu order."""
    return [
        link.path
        for link in load_registry().navigation
        if role in link.roles and (link.service is None or services is None or link.service in services)
    ]


async def _expect_menu(page: Page, expected: list[str]) -> None:
    """The navigation shows exactly the registry's entries for the caller, in its order."""
    links = page.get_by_role("navigation", name="main").get_by_role("link")
    await expect(links).to_have_count(len(expected))
    assert await links.evaluate_all("links => links.map(link => link.getAttribute('href'))") == expected


def _record_timing(name: str, seconds: float) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / "timings.json"
    timings = json.loads(path.read_text()) if path.exists() else {}
    timings[name] = round(seconds, 3)
    path.write_text(json.dumps(timings, indent=2))


async def test_portal_screens_with_a_busy_tenant(page: Page, busy_desk, console_errors):
    console_errors.watch(page)
    await sign_in(page, busy_desk.admin.email, DEFAULT_PASSWORD)
    # The menu is the registry's: a client admin manages the tenant's users and API clients.
    expected = _registry_menu("client_admin", busy_desk.tenant.services)
    assert {"/portal/users", "/portal/api-clients"} <= set(expected)
    await _expect_menu(page, expected)
    menu = page.get_by_role("navigation", name="main")
    await expect(menu.get_by_role("link", name="Users")).to_be_visible()
    await page.get_by_role("link", name="Requests").first.click()
    await expect(page.get_by_test_id("item-row").first).to_be_visible()

    # From clicking "Dashboard" to every figure on the page.
    started = time.perf_counter()
    await page.get_by_role("link", name="Dashboard").click()
    for card in ("dashboard-open-count", "dashboard-at-risk-count", "dashboard-breached-count"):
        await expect(page.get_by_test_id(card)).to_have_text(re.compile(r"^\s*[1-9]\d*\s*$"))
    await expect(page.get_by_test_id("dashboard-urgent-items").get_by_test_id("item-row").first).to_be_visible()
    seconds = time.perf_counter() - started
    _record_timing("portal_dashboard_busy_seconds", seconds)
    print(f"portal dashboard with 60 items: data shown {seconds:.2f} s after navigation")
    await screenshot(page, "portal-dashboard-busy")

    for path, name in (
        ("/portal/items", "portal-items"),
        ("/portal/reports", "portal-report"),
        ("/portal/users", "portal-users"),
        ("/portal/api-clients", "portal-api-clients"),
    ):
        await page.goto(path)
        await expect(page.locator("main h2").first).to_be_visible()
        await page.wait_for_load_state("networkidle")
        await screenshot(page, name)
    assert console_errors.errors == []


async def test_console_screens_for_a_provider_admin(page: Page, busy_desk, console_errors):
    console_errors.watch(page)
    await sign_in(page, busy_desk.provider_admin.email, DEFAULT_PASSWORD)
    await _expect_menu(page, _registry_menu("provider_admin"))
    for path, name in (
        ("/console", "console-queue"),
        ("/console/qa", "console-qa"),
        ("/console/sla-board", "console-sla-board"),
        ("/console/reports", "console-report"),
        ("/console/tenants", "console-tenants"),
        ("/console/staff", "console-staff"),
        ("/console/sla-policies", "console-sla-policies"),
        ("/console/calendars", "console-calendars"),
        ("/console/audit", "console-audit"),
    ):
        await page.goto(path)
        await expect(page.locator("main h2").first).to_be_visible()
        await page.wait_for_load_state("networkidle")
        await screenshot(page, name)
    assert console_errors.errors == []


async def test_tablet_width_keeps_the_navigation_behind_a_menu(page: Page, busy_desk, console_errors):
    console_errors.watch(page)
    await page.set_viewport_size({"width": 820, "height": 1180})
    await sign_in(page, busy_desk.member.email, DEFAULT_PASSWORD)
    await expect(page.get_by_role("navigation", name="main")).not_to_be_in_viewport()
    await page.get_by_role("button", name="menu").click()
    # A member's menu is the registry's for members: no Users, no API clients.
    await _expect_menu(page, _registry_menu("client_member", busy_desk.tenant.services))
    menu = page.get_by_role("navigation", name="main")
    await expect(menu.get_by_role("link", name="Users")).to_have_count(0)
    await menu.get_by_role("link", name="Requests").click()
    await expect(page.get_by_test_id("item-row").first).to_be_visible()
    await screenshot(page, "portal-items-tablet")
    # An item's page marks Requests, the entry it belongs to, and not Dashboard.
    await page.get_by_test_id("item-row").first.get_by_role("link").click()
    await page.wait_for_url(re.compile(r"/portal/items/[0-9a-f-]{36}$"))
    await expect(menu.get_by_role("link", name="Requests")).to_have_attribute("aria-current", "page")
    await expect(menu.get_by_role("link", name="Dashboard")).not_to_have_attribute("aria-current", "page")
    assert console_errors.errors == []
