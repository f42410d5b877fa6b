"""Blind double keying, adjudication and accuracy in the browser, against the real server and worker.

Two agents key the same record of a double-keyed schema in the console, each
seeing no trace of the other's values; a third member of staff, refused to
either keyer, settles the disagreement with the keyboard; the per-agent
accuracy page names both agents; the client sees accuracy and agreement on
the portal's batch page and downloads the CSV. The same screens in Arabic.
Screens are saved to ``test-output/e2e/data-entry-*.png``.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from bo_saas.dataentry.models import Chunk
from tests.dataentry.helpers import csv_bytes
from tests.e2e.conftest import sign_in
from tests.e2e.test_data_entry_screens import _batch_ready, _to_arabic, screenshot
from tests.factories import DEFAULT_PASSWORD

INVOICES = {
    "code": "invoices",
    "name": "Invoices, double keyed",
    "chunk_size": 10,
    "double_key": True,
    "fields": [
        {"name": "full_name", "label": "Full name", "type": "text", "required": True},
        {"name": "age", "type": "integer", "min": 0, "max": 130},
        {"name": "email", "label": "E-mail", "type": "email"},
    ],
}
ROWS = [["Full name", "age", "E-mail"], ["Ann Lee", "31", "ann@example.com"]]
FIRST_AGENTS_NAME = "Ann Leighton"  # only the first agent ever types it


@pytest.fixture
async def double_keyed(desk, live_server, admin_session):
    """The one-row batch imported by the worker: its id, its record's and its chunk's work item's."""
    async with httpx.AsyncClient(base_url=live_server) as http:
        schema = await http.post("/api/v1/data-entry/schemas", json=INVOICES, headers=desk.as_("admin"))
        assert schema.status_code == 201, schema.text
        sent = await http.post(
            "/api/v1/data-entry/batches",
            data={"schema": "invoices"},
            files={"file": ("invoices.csv", csv_bytes(ROWS), "text/csv")},
            headers=desk.as_("admin"),
        )
        assert sent.status_code == 201, sent.text
        batch = await _batch_ready(http, desk, sent.json()["id"])
        records = await http.get(f"/api/v1/data-entry/batches/{batch['id']}/records", headers=desk.as_("admin"))
    chunk = (await admin_session.scalars(select(Chunk).where(Chunk.tenant_id == desk.tenant.id))).one()
    desk.batch_id, desk.item_id = batch["id"], str(chunk.work_item_id)
    desk.record_id = records.json()["items"][0]["id"]
    return desk


async def _sign_out(page: Page, label: str = "Sign out") -> None:
    await page.get_by_role("button", name=label).click()
    await expect(page).to_have_url(re.compile("/sign-in"))


async def _key(page: Page, values: dict[str, str]) -> None:
    """Key the open record: each field in turn, Enter to the next, Enter at the last saves it."""
    for name in ("full_name", "age", "email"):
        field = page.locator(f"input[data-field={name}]")
        await expect(field).to_be_focused()
        if name in values:
            await page.keyboard.press("Control+a")
            await page.keyboard.type(values[name])
        await page.keyboard.press("Enter")


async def test_two_agents_key_blind_a_third_adjudicates_and_the_client_sees_accuracy_and_downloads(
    page: Page, double_keyed, console_errors
):
    desk = double_keyed
    console_errors.watch(page)
    keying = page.get_by_test_id("keying")

    # The first agent keys the record: told it is blind, then shown it waits for the second key.
    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await page.goto(f"/console/items/{desk.item_id}")
    await expect(page.get_by_test_id("data-entry-workspace")).to_contain_text("Keying: chunk 1 of 1")
    await page.get_by_test_id("data-entry-workspace").get_by_role("link", name="Key the chunk").click()
    await expect(page.get_by_test_id("keying-blind")).to_be_visible()
    await expect(page.locator("input[data-field=age]")).to_have_value("31")  # the imported row, to start from
    await page.locator("input[data-field=full_name]").focus()
    await _key(page, {"full_name": FIRST_AGENTS_NAME, "age": "40"})
    await expect(page.get_by_test_id("keying-done")).to_be_visible()
    await expect(
        keying.locator("[data-testid=keying-records] [role=listitem][data-status=awaiting_second_key]")
    ).to_be_visible()
    await expect(page.get_by_test_id("keyed-by-me")).to_have_count(1)
    await expect(page.locator("input[data-field=full_name]")).to_have_value(FIRST_AGENTS_NAME)  # their own pass
    await screenshot(page, "data-entry-console-keying-blind")
    await _sign_out(page)

    # The second agent starts from the imported row: no trace of the first pass anywhere on the page.
    await sign_in(page, desk.reviewer.email, DEFAULT_PASSWORD)
    await page.goto(f"/console/data-entry/items/{desk.item_id}")
    await expect(page.locator("input[data-field=full_name]")).to_have_value("Ann Lee")
    await expect(page.locator("input[data-field=age]")).to_have_value("31")
    await expect(page.get_by_test_id("keyed-by-me")).to_have_count(0)
    assert FIRST_AGENTS_NAME not in await page.content() and "40" not in await page.input_value("input[data-field=age]")
    await page.locator("input[data-field=full_name]").focus()
    await _key(page, {"age": "41"})
    await expect(
        keying.locator("[data-testid=keying-records] [role=listitem][data-status=in_adjudication]")
    ).to_be_visible()
    await expect(page.get_by_test_id("keying-pass-note")).to_contain_text("an adjudicator settles this record")
    assert FIRST_AGENTS_NAME not in await page.content()
    await screenshot(page, "data-entry-console-keying-in-adjudication")

    # A keyer may not settle it: the API's refusal, said plainly.
    await page.goto(f"/console/data-entry/adjudication/{desk.record_id}")
    await expect(page.get_by_test_id("adjudication-refused")).to_contain_text("You keyed one of this record's passes")
    await _sign_out(page)

    # A third member of staff settles it with the keyboard alone.
    await sign_in(page, desk.provider_admin.email, DEFAULT_PASSWORD)
    await page.get_by_role("navigation", name="main").get_by_role("link", name="Adjudication").click()
    await expect(page.get_by_test_id("adjudication-row")).to_have_count(1)
    await screenshot(page, "data-entry-console-adjudication-list")
    await page.get_by_role("link", name="Adjudicate row 1").click()
    table = page.get_by_test_id("adjudication")
    await expect(table.locator("[data-differs=true]")).to_have_count(2)  # full name and age; e-mail agreed
    await expect(table.locator("[data-field=full_name][data-differs=true]")).to_contain_text(FIRST_AGENTS_NAME)
    await expect(table.locator("[data-field=email]")).not_to_have_attribute("data-differs", "true")
    name_value = table.locator("input[data-field=full_name]")
    await expect(name_value).to_be_focused()
    await page.keyboard.press("Alt+2")  # the second pass's "Ann Lee"
    await expect(name_value).to_have_value("Ann Lee")
    await page.keyboard.press("Enter")
    await expect(table.locator("input[data-field=age]")).to_be_focused()
    await page.keyboard.type("42")  # neither pass had it right
    await screenshot(page, "data-entry-console-adjudication")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/console/data-entry/adjudication$"))
    await expect(page.get_by_text("No record waits for adjudication.")).to_be_visible()

    # Accuracy per agent names both keyers.
    await page.get_by_role("navigation", name="main").get_by_role("link", name="Keying accuracy").click()
    agents = page.get_by_test_id("accuracy-agents")
    await expect(agents.get_by_test_id("accuracy-agent")).to_have_count(2)
    await expect(agents).to_contain_text(desk.agent.name)
    await expect(agents).to_contain_text(desk.reviewer.name)
    # Of three fields each: the first agent missed the name and the age, the second only the age.
    first = agents.locator(f"[data-agent='{desk.agent.id}']")
    await expect(first.get_by_test_id("agent-error-rate")).to_have_text("66.7%")
    await expect(agents.locator(f"[data-agent='{desk.reviewer.id}']").get_by_test_id("agent-accuracy")).to_have_text(
        "66.7%"
    )
    await expect(page.get_by_test_id("accuracy-fields").locator("[data-key=email]")).to_contain_text("100%")
    await screenshot(page, "data-entry-console-accuracy")
    await _sign_out(page)

    # The client's batch page: the report with accuracy and agreement, and the CSV of the accepted values.
    await sign_in(page, desk.admin.email, DEFAULT_PASSWORD)
    await page.goto(f"/portal/data-entry/batches/{desk.batch_id}")
    report = page.get_by_test_id("batch-report")
    await expect(report.get_by_test_id("report-accepted")).to_have_text("1")
    await expect(report.get_by_test_id("report-in_adjudication")).to_have_text("0")
    await expect(report.get_by_test_id("report-accuracy")).to_contain_text("Accuracy 50%")
    await expect(report.get_by_test_id("report-fields").locator("[data-key=age]")).to_contain_text("0%")
    await expect(report.get_by_test_id("report-fields").locator("[data-key=email]")).to_contain_text("100%")
    await screenshot(page, "data-entry-portal-batch-report")
    async with page.expect_download() as download_info:
        await page.get_by_test_id("batch-downloads").get_by_role("button", name="CSV").click()
    download = await download_info.value
    assert download.suggested_filename == f"data-entry-batch-{desk.batch_id}.csv"
    content = (await download.path()).read_text(encoding="utf-8-sig")
    assert "Ann Lee" in content and "42" in content and FIRST_AGENTS_NAME not in content
    # The keyer's refused adjudication is the one failed request the browser logs.
    assert all("403" in error for error in console_errors.errors), console_errors.errors


async def _two_disagreeing_passes(live_server: str, desk) -> None:
    async with httpx.AsyncClient(base_url=live_server) as http:
        for who, age in (("agent", "40"), ("reviewer", "41")):
            keyed = await http.put(
                f"/api/v1/data-entry/records/{desk.record_id}", json={"values": {"age": age}}, headers=desk.as_(who)
            )
            assert keyed.status_code == 200, keyed.text


async def test_adjudication_and_accuracy_in_arabic_run_right_to_left(
    page: Page, double_keyed, live_server, console_errors
):
    desk = double_keyed
    console_errors.watch(page)
    await _two_disagreeing_passes(live_server, desk)
    await sign_in(page, desk.provider_admin.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await page.get_by_role("navigation", name="main").get_by_role("link", name="الفصل في الإدخال").click()
    await expect(page.get_by_role("heading", name="الفصل", exact=True)).to_be_visible()
    await page.get_by_role("link", name="الفصل في الصف ١").click()
    table = page.get_by_test_id("adjudication")
    await expect(table.locator("[data-differs=true]")).to_have_count(1)
    # Right to left: the first pass's column sits right of the second's.
    first = await table.get_by_role("columnheader", name="الإدخال الأول").bounding_box()
    second = await table.get_by_role("columnheader", name="الإدخال الثاني").bounding_box()
    assert first and second and first["x"] > second["x"]
    await expect(table.locator("input[data-field=age]")).to_be_focused()
    await page.keyboard.press("Alt+1")
    await expect(table.locator("input[data-field=age]")).to_have_value("40")
    await screenshot(page, "data-entry-console-adjudication-ar")
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("لا يوجد سجل بانتظار الفصل.")).to_be_visible()
    await page.get_by_role("navigation", name="main").get_by_role("link", name="دقة الإدخال").click()
    await expect(page.get_by_test_id("accuracy-agent")).to_have_count(2)
    await screenshot(page, "data-entry-console-accuracy-ar")
    await page.get_by_role("button", name="تسجيل الخروج").click()
    await page.locator("label", has_text="English").first.click()

    await sign_in(page, desk.admin.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await page.goto(f"/portal/data-entry/batches/{desk.batch_id}")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.get_by_test_id("report-accepted")).to_have_text("١")
    await expect(page.get_by_test_id("report-accuracy")).to_contain_text("الدقة")
    await screenshot(page, "data-entry-portal-batch-report-ar")
    assert console_errors.errors == []
