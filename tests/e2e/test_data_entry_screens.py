"""The Data entry desk's screens in the browser, against the real server and worker.

A client sends a CSV in the portal: a header that does not fit the schema is
refused with its columns named, a good file becomes a batch whose records show
their problems; an agent keys a whole chunk in its workspace with the keyboard
alone and every record ends accepted; the same screens in Arabic, right to
left. Screens are saved to ``test-output/e2e/data-entry-*.png``.
"""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy import select

from bo_saas.dataentry.models import Chunk
from tests.dataentry.helpers import csv_bytes
from tests.e2e.conftest import screenshot as full_page_screenshot
from tests.e2e.conftest import sign_in
from tests.factories import DEFAULT_PASSWORD

# Single keyed: a row that passes is accepted as sent; the two that do not wait for an agent.
CONTACTS = {
    "code": "contacts",
    "name": "Supplier contacts",
    "chunk_size": 3,
    "fields": [
        {"name": "full_name", "label": "Full name", "type": "text", "required": True},
        {"name": "age", "type": "integer", "min": 0, "max": 130},
        {"name": "email", "label": "E-mail", "type": "email"},
        {"name": "balance", "type": "decimal"},
    ],
}
ROWS = [
    ["Full name", "age", "E-mail", "balance"],
    ["Ann Lee", "30", "ann@example.com", "10.50"],
    ["Bob Ray", "abc", "bob@example.com", "2"],
    ["Cy Noor", "40", "cy at example.com", ""],
]
WRONG_HEADER = [["Name", "age", "Colour"], ["Ann", "30", "red"]]


async def screenshot(page: Page, name: str) -> None:
    """From the top, once notifications have finished moving."""
    await page.evaluate("window.scrollTo(0, 0)")
    await page.wait_for_function(
        "() => document.getAnimations().every((animation) => animation.playState !== 'running')"
    )
    await full_page_screenshot(page, name)


async def _to_arabic(page: Page) -> None:
    await page.locator("label", has_text="العربية").first.click()
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")


@pytest.fixture
async def schema_desk(desk, live_server):
    async with httpx.AsyncClient(base_url=live_server) as http:
        answer = await http.post("/api/v1/data-entry/schemas", json=CONTACTS, headers=desk.as_("admin"))
        assert answer.status_code == 201, answer.text
    return desk


async def _batch_ready(http: httpx.AsyncClient, desk, batch_id: str, timeout: float = 30.0) -> dict:
    for _ in range(int(timeout * 10)):
        batch = (await http.get(f"/api/v1/data-entry/batches/{batch_id}", headers=desk.as_("admin"))).json()
        if batch["status"] != "importing":
            return batch
        await asyncio.sleep(0.1)
    raise AssertionError(f"the batch was still importing after {timeout} s")


@pytest.fixture
async def keyed_chunk(schema_desk, live_server, admin_session):
    """The three rows sent and imported by the worker: one chunk, rows 2 and 3 pending; its work item's id."""
    desk = schema_desk
    async with httpx.AsyncClient(base_url=live_server) as http:
        sent = await http.post(
            "/api/v1/data-entry/batches",
            data={"schema": "contacts"},
            files={"file": ("suppliers.csv", csv_bytes(ROWS), "text/csv")},
            headers=desk.as_("admin"),
        )
        assert sent.status_code == 201, sent.text
        batch = await _batch_ready(http, desk, sent.json()["id"])
    assert batch["status"] == "ready"
    chunk = (await admin_session.scalars(select(Chunk).where(Chunk.tenant_id == desk.tenant.id))).one()
    desk.batch_id = batch["id"]
    desk.item_id = str(chunk.work_item_id)
    return desk


async def _send(page: Page, filename: str, content: bytes) -> None:
    form = page.get_by_test_id("upload-form")
    await form.locator("input[type=file]").set_input_files(
        {"name": filename, "mimeType": "text/csv", "buffer": content}
    )
    await form.get_by_role("button", name=re.compile("Send the file|إرسال الملف")).click()


async def _choose_schema(page: Page, label: str) -> None:
    await page.get_by_test_id("upload-form").get_by_label(label).click()
    await page.get_by_role("option", name=re.compile("Supplier contacts")).click()


async def test_a_client_sends_a_csv_and_sees_the_batch_and_its_problems(page: Page, schema_desk, console_errors):
    desk = schema_desk
    console_errors.watch(page)
    await sign_in(page, desk.member.email, DEFAULT_PASSWORD)
    await page.goto("/portal/data-entry")
    await expect(page.get_by_role("heading", name="Data entry")).to_be_visible()
    await expect(page.get_by_text("No file has been sent yet.")).to_be_visible()

    # A header the schema does not know is refused whole, its columns named.
    await _choose_schema(page, "Record schema")
    await _send(page, "wrong.csv", csv_bytes(WRONG_HEADER))
    mismatch = page.get_by_test_id("upload-columns")
    await expect(mismatch).to_contain_text("The file's header does not match the schema")
    await expect(mismatch.locator("[data-problem=unknown]")).to_contain_text("Colour")
    await expect(mismatch.locator("[data-problem=missing]")).to_contain_text("Full name")
    await expect(mismatch.locator("[data-problem=expected]")).to_contain_text("Full name (required)")
    await screenshot(page, "data-entry-portal-upload-columns")

    # A good file becomes a batch: imported by the worker, its one bad value shown where it is.
    await _send(page, "suppliers.csv", csv_bytes(ROWS))
    await expect(page).to_have_url(re.compile(r"/portal/data-entry/batches/[0-9a-f-]+$"))
    detail = page.get_by_test_id("batch-detail")
    await expect(detail).to_have_attribute("data-status", "ready", timeout=30_000)
    await expect(page.get_by_test_id("count-records")).to_have_text("3")
    await expect(page.get_by_test_id("count-problems")).to_have_text("2")
    await expect(page.get_by_test_id("count-accepted")).to_have_text("1")
    await expect(page.get_by_test_id("record-row")).to_have_count(3)
    bob = page.locator("[data-testid=record-row][data-row='2']")
    await expect(bob.locator("[data-field=age]")).to_contain_text("is not a whole number")
    await screenshot(page, "data-entry-portal-batch")
    await page.get_by_label("Only records with problems").check()
    await expect(page.get_by_test_id("record-row")).to_have_count(2)

    # Back in the list, the batch with its status and rows.
    await page.get_by_role("link", name="All batches").click()
    row = page.locator("[data-testid=batch-row][data-filename='suppliers.csv']")
    await expect(row).to_contain_text("Ready")
    await expect(row.get_by_test_id("batch-rows")).to_have_text("3 of 3")
    await screenshot(page, "data-entry-portal-batches")
    # The refused header is the one failed request the browser logs.
    assert all("422" in error for error in console_errors.errors)


async def _key_whole_chunk(page: Page) -> None:
    """Enter through the fields of every record left; the bad values are corrected with the keyboard on the way."""
    keying = page.get_by_test_id("keying")
    # Resumes at the first record not accepted (row 2), at its field with a problem.
    await expect(keying).to_have_attribute("data-row", "2")
    age = page.locator("input[data-field=age]")
    await expect(age).to_be_focused()
    # A value the checks refuse is caught as typed, and the save at the last field is held back.
    await page.keyboard.press("Control+a")
    await page.keyboard.type("-5")
    await page.keyboard.press("Enter")
    await expect(keying.locator("[data-invalid=true][data-field=age]")).to_have_count(1)
    await expect(keying).to_contain_text("must be at least 0")
    await page.keyboard.press("Enter")
    await page.keyboard.press("Enter")  # the last field: not saved, back to age
    await expect(age).to_be_focused()
    await expect(keying).to_have_attribute("data-row", "2")
    await page.keyboard.press("Control+a")
    await page.keyboard.type("44")
    for _ in range(3):
        await page.keyboard.press("Enter")
    # Row 3 opens at its e-mail, the import's problem beside it.
    await expect(keying).to_have_attribute("data-row", "3")
    email = page.locator("input[data-field=email]")
    await expect(email).to_be_focused()
    await expect(keying).to_contain_text("is not an email address")
    await page.keyboard.press("Control+a")
    await page.keyboard.type("cy@example.com")
    await page.keyboard.press("Enter")
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("keying-done")).to_be_visible()


async def _records(live_server: str, desk) -> list[dict]:
    async with httpx.AsyncClient(base_url=live_server) as http:
        answer = await http.get(f"/api/v1/data-entry/batches/{desk.batch_id}/records", headers=desk.as_("admin"))
    return answer.json()["items"]


async def test_an_agent_keys_a_whole_chunk_with_the_keyboard_alone(
    page: Page, keyed_chunk, live_server, console_errors
):
    desk = keyed_chunk
    console_errors.watch(page)
    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await page.goto(f"/console/data-entry/items/{desk.item_id}")
    await expect(page.get_by_role("heading", name="Keying: chunk 1 of 1")).to_be_visible()
    await expect(page.get_by_test_id("keying-shortcuts")).to_contain_text("Next record")
    await expect(page.get_by_test_id("keying-progress")).to_have_text("1 of 3 accepted")
    await screenshot(page, "data-entry-console-keying")

    await _key_whole_chunk(page)
    await expect(page.get_by_test_id("keying-progress")).to_have_text("3 of 3 accepted")
    await screenshot(page, "data-entry-console-keying-done")

    records = await _records(live_server, desk)
    assert [record["status"] for record in records] == ["accepted"] * 3
    assert [record["values"]["age"] for record in records] == [30, 44, 40]
    assert records[2]["values"]["email"] == "cy@example.com"
    assert all(record["problems"] == {} for record in records)
    # A reload resumes nowhere new: the chunk is accepted throughout.
    await page.reload()
    await expect(page.get_by_test_id("keying-done")).to_be_visible()
    # The refused save never reached the server: no failed request at all.
    assert console_errors.errors == []


async def test_the_data_entry_screens_in_arabic_run_right_to_left(page: Page, keyed_chunk, console_errors):
    desk = keyed_chunk
    console_errors.watch(page)
    await sign_in(page, desk.admin.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await page.goto("/portal/data-entry")
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")
    await expect(page.get_by_role("heading", name="إدخال البيانات")).to_be_visible()
    row = page.locator("[data-testid=batch-row][data-filename='suppliers.csv']")
    await expect(row).to_contain_text("جاهزة")
    await expect(row.get_by_test_id("batch-rows")).to_have_text("٣ من ٣")
    # Right to left: the first tab sits right of the last.
    first = await page.get_by_role("tab", name="الدفعات").bounding_box()
    last = await page.get_by_role("tab", name="مخططات السجلات").bounding_box()
    assert first and last and first["x"] > last["x"]
    await screenshot(page, "data-entry-portal-batches-ar")
    await page.get_by_role("link", name="فتح الدفعة suppliers.csv").click()
    await expect(page.get_by_test_id("count-problems")).to_have_text("٢")
    await screenshot(page, "data-entry-portal-batch-ar")
    await page.get_by_role("tab", name="مخططات السجلات").click()
    await expect(page.locator("[data-testid=schema-card][data-code=contacts]")).to_contain_text("عدد صحيح")
    await screenshot(page, "data-entry-portal-schemas-ar")
    await page.get_by_role("button", name="تسجيل الخروج").click()
    await page.locator("label", has_text="English").first.click()

    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await page.goto(f"/console/data-entry/items/{desk.item_id}")
    await expect(page.get_by_role("heading", name="الإدخال: الجزء ١ من ١")).to_be_visible()
    await expect(page.get_by_test_id("keying-shortcuts")).to_contain_text("السجل التالي")
    await expect(page.locator("input[data-field=age]")).to_be_focused()
    await page.keyboard.press("Control+a")
    await page.keyboard.type("abc")
    await page.keyboard.press("Enter")
    await expect(page.locator("[data-field=age][data-invalid=true]")).to_have_count(1)
    await expect(page.get_by_test_id("keying")).to_contain_text("ليس عددًا صحيحًا")
    await screenshot(page, "data-entry-console-keying-ar")
    assert console_errors.errors == []
