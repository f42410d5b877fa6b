"""The Bookkeeping desk's screens in the browser, against the real server.

An agent with the bookkeeping skill chooses the tenant in the console and keys
an entry with the keyboard: the difference shows while it does not balance and
it cannot be sent, then it balances and posts with the next number. The
tenant's member reads the trial balance and the profit and loss in the portal
and downloads the PDF; the client admin approves, in Arabic, an entry held for
approval. Screens are saved to ``test-output/e2e/books-*.png``.
"""

from __future__ import annotations

import re
from datetime import date

import httpx
from playwright.async_api import Page, expect

from tests.bookkeeping.helpers import ENTRIES, books_headers, line
from tests.e2e.conftest import screenshot as full_page_screenshot
from tests.e2e.conftest import sign_in
from tests.factories import DEFAULT_PASSWORD

ENTRY_NUMBER = re.compile(r"^JE-\d{4}-000001$")


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


async def _post(live_server: str, desk, lines: list[dict], memo: str) -> dict:
    """An entry made and posted by the agent through the API, dated today (the book's open period)."""
    async with httpx.AsyncClient(base_url=live_server) as http:
        headers = books_headers(desk, "agent")
        body = {"date": date.today().isoformat(), "memo": memo, "lines": lines}
        draft = await http.post(ENTRIES, json=body, headers=headers)
        assert draft.status_code == 201, draft.text
        posted = await http.post(f"{ENTRIES}/{draft.json()['id']}/post", headers=headers)
        assert posted.status_code == 200, posted.text
        return posted.json()


async def test_an_agent_keys_and_posts_an_entry_and_the_member_reads_the_reports(
    page: Page, desk, live_server, console_errors
):
    console_errors.watch(page)
    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await page.get_by_role("navigation", name="main").get_by_role("link", name="Bookkeeping").click()
    await expect(page.get_by_role("heading", name="Books")).to_be_visible()
    await expect(page.get_by_text("Choose the tenant whose books to keep.")).to_be_visible()
    await page.get_by_test_id("books-tenant").click()
    await page.get_by_role("option", name=desk.tenant.name).click()
    await expect(page.get_by_text("No journal entry yet.")).to_be_visible()

    # The new entry, keyed with the keyboard alone; unbalanced it cannot be sent.
    await page.get_by_role("link", name="New entry").click()
    form = page.get_by_test_id("books-entry-form")
    await form.get_by_label("Memo").fill("Counter sale")
    await form.get_by_label("Account, line 1").click()
    await page.keyboard.type("1000")
    await page.keyboard.press("Tab")
    await page.keyboard.type("1190.50")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    await page.keyboard.type("cash in")
    await page.keyboard.press("Tab")  # past line 1's remove button (out of the tab order) to line 2
    await expect(form.get_by_label("Account, line 2")).to_be_focused()
    await page.keyboard.type("4000")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    await page.keyboard.type("1190")
    await expect(page.get_by_test_id("books-difference")).to_have_text("Difference: US$0.50")
    await expect(page.get_by_test_id("books-entry-problem")).to_contain_text("Debits and credits differ by US$0.50")
    await expect(form.get_by_role("button", name="Save and post")).to_be_disabled()
    # Enter in the last line's last box adds a line and goes to it.
    await page.keyboard.press("Tab")
    await page.keyboard.type("sale")
    await page.keyboard.press("Enter")
    await expect(form.get_by_label("Account, line 3")).to_be_focused()
    await screenshot(page, "books-console-entry-unbalanced")
    await form.get_by_label("Credit, line 2").fill("1190.50")
    await expect(page.get_by_test_id("books-difference")).to_have_text("Balanced")
    await expect(page.get_by_test_id("books-total-credit")).to_have_text("US$1,190.50")
    await form.get_by_label("Credit, line 2").press("Control+Enter")

    # Posted, with the year's first number, in the list (the blank third line was left out).
    await expect(page).to_have_url(re.compile(r"/console/books/entries\?tenant="))
    row = page.get_by_test_id("books-entry").first
    await expect(row).to_have_attribute("data-status", "posted")
    await expect(row).to_have_attribute("data-number", ENTRY_NUMBER)
    await expect(row).to_contain_text("Counter sale")
    await expect(row.get_by_role("button", name="Reverse")).to_be_visible()
    await screenshot(page, "books-console-entries")
    await page.get_by_role("tab", name="Chart of accounts").click()
    await expect(page.locator("[data-testid=books-accounts] [data-code='1000']")).to_contain_text("Cash on hand")
    await page.get_by_role("tab", name="Periods").click()
    # The year's first month closes: nothing posts into it any more.
    first_month = page.get_by_test_id("books-periods").locator("tbody tr").last
    # Closing goes through the close checklist (a work item): every check ticked, then the lock.
    await first_month.get_by_role("button", name=re.compile("^Start closing ")).click()
    checklist = page.get_by_test_id("books-close")
    await expect(checklist.get_by_role("checkbox")).to_have_count(4)
    for box in await checklist.get_by_role("checkbox").all():
        await box.click()
        await expect(box).to_be_checked()
    await expect(checklist).to_have_attribute("data-complete", "true")
    await checklist.get_by_role("button", name="Close the period").click()
    await expect(checklist).to_have_attribute("data-status", "closed")
    await page.go_back()
    await expect(first_month).to_contain_text("Closed")
    await expect(first_month.get_by_role("button")).to_have_count(0)
    await screenshot(page, "books-console-periods")
    await page.get_by_role("button", name="Sign out").click()

    # The member reads the trial balance and the profit and loss, and downloads the PDF.
    await sign_in(page, desk.member.email, DEFAULT_PASSWORD)
    await page.get_by_role("navigation", name="main").get_by_role("link", name="Books").click()
    table = page.get_by_test_id("books-report-table")
    await expect(table).to_contain_text("Cash on hand")
    total = table.locator("[data-row-kind=total]")
    await expect(total).to_contain_text("1,190.50")
    await screenshot(page, "books-portal-trial-balance")
    await page.get_by_test_id("books-report").click()
    await page.get_by_role("option", name="Profit and loss").click()
    await expect(table.locator("[data-row-kind=total]").last).to_contain_text("Net result")
    await expect(table.locator("[data-row-kind=total]").last).to_contain_text("1,190.50")
    await screenshot(page, "books-portal-profit-and-loss")
    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Download as PDF").click()
    download = await download_info.value
    assert download.suggested_filename == "profit-and-loss.pdf"
    assert (await download.path()).read_bytes().startswith(b"%PDF")
    await page.get_by_role("tab", name="Journal").click()
    await expect(page.get_by_test_id("books-posted").get_by_test_id("books-entry")).to_have_count(1)
    await expect(page.get_by_text("Your client admin approves these entries.")).to_be_visible()
    assert console_errors.errors == []


async def test_the_client_admin_approves_a_held_entry_in_arabic(page: Page, desk, live_server, console_errors):
    # Above the approval threshold (10 000.00) the agent's posting waits for a second person.
    held = await _post(live_server, desk, [line("6100", debit=1_500_000), line("1010", credit=1_500_000)], "Rent")
    assert held["status"] == "pending_approval"
    console_errors.watch(page)
    await sign_in(page, desk.admin.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await page.goto("/portal/books/journal")
    await expect(page.get_by_role("heading", name="الدفاتر")).to_be_visible()
    pending = page.get_by_test_id("books-pending")
    await expect(pending.get_by_test_id("books-entry")).to_contain_text("١٥٬٠٠٠٫٠٠")
    await expect(page.get_by_test_id("books-posted")).to_contain_text("لا توجد قيود يومية بعد.")
    # Right to left: the first tab sits right of the last.
    first = await page.get_by_role("tab", name="التقارير").bounding_box()
    last = await page.get_by_role("tab", name="دفتر اليومية").bounding_box()
    assert first and last and first["x"] > last["x"]
    await screenshot(page, "books-portal-journal-ar")
    await pending.get_by_role("button", name="اعتماد").click()
    await expect(page.get_by_text("اعتُمد القيد ورُحّل")).to_be_visible()
    await expect(pending).to_contain_text("لا يوجد قيد بانتظار الاعتماد.")
    posted = page.get_by_test_id("books-posted").get_by_test_id("books-entry")
    await expect(posted).to_have_attribute("data-number", ENTRY_NUMBER)
    await page.get_by_role("tab", name="التقارير").click()
    await expect(page.get_by_test_id("books-report-table")).to_contain_text("١٥٬٠٠٠٫٠٠")
    await screenshot(page, "books-portal-trial-balance-ar")
    await page.get_by_role("button", name="تسجيل الخروج").click()
    await page.locator("label", has_text="English").first.click()

    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await page.goto(f"/console/books/entries/new?tenant={desk.tenant.id}")
    form = page.get_by_test_id("books-entry-form")
    await form.get_by_label("الحساب، البند 1").fill("1000")
    await form.get_by_label("مدين، البند 1").fill("١٠٠")
    await form.get_by_label("الحساب، البند 2").fill("4000")
    await form.get_by_label("دائن، البند 2").fill("90")
    await expect(page.get_by_test_id("books-difference")).to_contain_text("١٠٫٠٠")
    await expect(form.get_by_role("button", name="حفظ وترحيل")).to_be_disabled()
    await screenshot(page, "books-console-entry-ar")
    assert console_errors.errors == []
