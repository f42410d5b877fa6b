"""The Bank tab in the browser: a bank account added, a CSV statement mapped and imported, a suggestion accepted.

An agent adds the tenant's bank account on ledger account 1010, imports a CSV
statement whose columns are guessed from its header (and, the second time,
preselected from the mapping the first import saved, so every line is
skipped as known), sees a broken file refused with the row named, and
accepts the suggested match for a customer's payment; the bank fee with no
booking stays visible as unmatched. In Arabic the agent accepts a match the
same way and the tenant's member follows the reconciliation read-only in the
portal. Screens go to ``test-output/e2e/books-bank-*.png``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
from playwright.async_api import Page, expect

from tests.bookkeeping.helpers import books_headers, line
from tests.e2e.conftest import sign_in
from tests.e2e.test_bookkeeping_screens import _post, _to_arabic, screenshot
from tests.factories import DEFAULT_PASSWORD

BANK_ACCOUNTS = "/api/v1/books/bank-accounts"
ENTRIES = "/api/v1/books/journal-entries"
IBAN = "GB82 WEST 1234 5698 7654 32"


def statement(*rows: str) -> bytes:
    return ("Date,Details,Ref,Payee,Amount\n" + "\n".join(rows) + "\n").encode()


def today_rows() -> list[str]:
    today = date.today().isoformat()
    return [f"{today},Invoice payment,INV-7,Acme Trading,119.00", f"{today},Monthly fee,,,-5.00"]


async def _post_on(live_server: str, desk, day: date, lines: list[dict], memo: str) -> None:
    """An entry posted through the API on ``day`` (a later month's period is made when it is posted into)."""
    async with httpx.AsyncClient(base_url=live_server) as http:
        headers = books_headers(desk, "agent")
        draft = await http.post(ENTRIES, json={"date": day.isoformat(), "memo": memo, "lines": lines}, headers=headers)
        assert draft.status_code == 201, draft.text
        posted = await http.post(f"{ENTRIES}/{draft.json()['id']}/post", headers=headers)
        assert posted.status_code == 200, posted.text


async def _choose_file(page: Page, name: str, content: bytes) -> None:
    form = page.get_by_test_id("bank-import-form")
    await form.locator("input[type=file]").set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})


async def test_an_agent_adds_a_bank_account_imports_a_mapped_csv_and_accepts_a_suggested_match(
    page: Page, desk, live_server, console_errors
):
    console_errors.watch(page)
    await _post(live_server, desk, [line("1010", debit=11900), line("4000", credit=11900)], "Acme Trading INV-7")
    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await page.goto(f"/console/books/bank?tenant={desk.tenant.id}")
    await expect(page.get_by_text("No bank account yet.")).to_be_visible()

    await page.get_by_role("button", name="Add a bank account").click()
    form = page.get_by_test_id("bank-add-form")
    await form.get_by_label("Name").fill("Main USD")
    await form.get_by_label("IBAN (optional)").fill(IBAN)
    await expect(form.get_by_label("Currency")).to_have_value("USD")
    await form.get_by_test_id("bank-add-ledger").click()
    await page.get_by_role("option", name="1010 ·").click()
    await form.get_by_role("button", name="Add the bank account").click()
    account = page.locator("[data-testid=bank-account][data-name='Main USD']")
    await expect(account).to_contain_text("GB82WEST12345698765432")
    await expect(account.get_by_test_id("bank-balance")).to_have_text("US$119.00")

    # The columns are guessed from the header; the mapping goes with the file and is kept on the account.
    await _choose_file(page, "march.csv", statement(*today_rows()))
    mapping = page.get_by_test_id("bank-mapping")
    await expect(mapping).to_have_attribute("data-from-saved", "false")
    await expect(mapping.get_by_test_id("bank-map-counterparty")).to_have_value("Payee")
    await expect(mapping.get_by_test_id("bank-map-amount")).to_have_value("Amount")
    await screenshot(page, "books-bank-console-mapping")
    await page.get_by_role("button", name="Import", exact=True).click()
    result = page.get_by_test_id("bank-import-result")
    await expect(result).to_have_attribute("data-new", "2")
    await expect(result).to_contain_text("2 added, 0 already imported (skipped)")

    # The same file again: the saved mapping is preselected and both lines are known.
    await _choose_file(page, "march-again.csv", statement(*today_rows()))
    await expect(page.get_by_test_id("bank-mapping")).to_have_attribute("data-from-saved", "true")
    await page.get_by_role("button", name="Import", exact=True).click()
    await expect(result).to_contain_text("0 added, 2 already imported (skipped)")

    # A broken row imports nothing, and the server's words name the row.
    await _choose_file(page, "broken.csv", statement(f"{date.today().isoformat()},Fee,,,five"))
    await page.get_by_role("button", name="Import", exact=True).click()
    await expect(page.get_by_test_id("bank-import-error")).to_contain_text("Row 2: 'five' is not an amount")

    reconciliation = page.get_by_test_id("bank-reconciliation")
    payment = reconciliation.locator("[data-testid=bank-line][data-reference='INV-7']")
    fee = reconciliation.locator("[data-testid=bank-line][data-reference='']")
    await expect(payment).to_have_attribute("data-status", "suggested")
    await expect(payment.get_by_test_id("bank-line-amount")).to_have_text("US$119.00")
    suggestion = payment.get_by_test_id("bank-suggestion")
    await expect(suggestion.locator("[data-reason=amount]")).to_have_text("Exact amount")
    await expect(suggestion.locator("[data-reason=date]")).to_have_text("Same date")
    await expect(suggestion.locator("[data-reason=reference]")).to_be_visible()
    await expect(suggestion.locator("[data-reason=counterparty]")).to_be_visible()
    await expect(fee).to_have_attribute("data-status", "unmatched")
    await screenshot(page, "books-bank-console-reconcile")

    await suggestion.get_by_role("button", name="Accept").click()
    await expect(payment).to_have_attribute("data-status", "matched")
    await expect(payment).to_contain_text("A match is final")
    await page.get_by_test_id("bank-filter").get_by_text("Unmatched only").click()
    await expect(reconciliation.get_by_test_id("bank-line")).to_have_count(1)
    await expect(fee).to_have_attribute("data-status", "unmatched")
    await screenshot(page, "books-bank-console-matched")

    # The fee was booked 12 days later: outside the window, so never suggested, but matched by hand.
    fee_day = date.today() + timedelta(days=12)
    await _post_on(live_server, desk, fee_day, [line("6400", debit=500), line("1010", credit=500)], "Bank charges")
    await page.reload()
    await expect(fee).to_have_attribute("data-status", "unmatched")
    await fee.get_by_role("button", name="Match by hand").click()
    pick = fee.get_by_test_id("bank-pick")
    await pick.get_by_label("Bank charges").check()
    await expect(pick.get_by_test_id("bank-pick-total")).to_have_text("Picked -US$5.00 · left US$0.00")
    await screenshot(page, "books-bank-console-pick")
    await pick.get_by_role("button", name="Match the picked lines").click()
    await expect(fee).to_have_attribute("data-status", "matched")

    async with httpx.AsyncClient(base_url=live_server) as http:
        accounts = (await http.get(BANK_ACCOUNTS, headers=books_headers(desk, "agent"))).json()["items"]
        assert accounts[0]["csv_mapping"]["counterparty"] == "Payee"
        open_lines = await http.get(
            f"{BANK_ACCOUNTS}/{accounts[0]['id']}/reconciliation", headers=books_headers(desk, "agent")
        )
    # Both lines are reconciled now: the payment by its suggestion, the fee by hand.
    assert open_lines.json()["items"] == [] and open_lines.json()["total"] == 0
    # The broken file's 422 is the one failed request the browser reports.
    assert [error for error in console_errors.errors if "status of 422" not in error] == []


async def _bank_with_statement(live_server: str, desk) -> None:
    async with httpx.AsyncClient(base_url=live_server) as http:
        mapping = {"date": "Date", "amount": "Amount", "description": "Details", "reference": "Ref",
                   "counterparty": "Payee"}  # fmt: skip
        body = {"ledger_account": "1010", "name": "الحساب الجاري", "currency": "USD", "csv_mapping": mapping}
        made = await http.post(BANK_ACCOUNTS, json=body, headers=books_headers(desk, "agent"))
        assert made.status_code == 201, made.text
        sent = await http.post(
            f"{BANK_ACCOUNTS}/{made.json()['id']}/statements", files={"file": ("march.csv", statement(*today_rows()))},
            headers=books_headers(desk, "agent"),
        )  # fmt: skip
        assert sent.status_code == 201, sent.text


async def test_the_bank_screens_in_arabic(page: Page, desk, live_server, console_errors):
    console_errors.watch(page)
    await _post(live_server, desk, [line("1010", debit=11900), line("4000", credit=11900)], "Acme Trading INV-7")
    await _bank_with_statement(live_server, desk)

    await sign_in(page, desk.member.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await page.goto("/portal/books/bank")
    payment = page.locator("[data-testid=bank-line][data-reference='INV-7']")
    await expect(payment).to_have_attribute("data-status", "suggested")
    await expect(payment.get_by_test_id("bank-line-status")).to_have_text("مقترح")
    await expect(payment.get_by_role("button", name="قبول")).to_have_count(0)  # the portal reads
    await expect(page.get_by_test_id("bank-import-form")).to_have_count(0)
    await screenshot(page, "books-bank-portal-ar")
    await page.get_by_role("button", name="تسجيل الخروج").click()
    await page.locator("label", has_text="English").first.click()

    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await page.goto(f"/console/books/bank?tenant={desk.tenant.id}")
    await expect(payment.get_by_test_id("bank-suggestion").locator("[data-reason=date]")).to_have_text("التاريخ نفسه")
    await screenshot(page, "books-bank-console-reconcile-ar")
    # Auto-matching takes the payment (its reference INV-7 is in the entry) and leaves the fee for a person.
    await page.get_by_test_id("bank-auto-match").click()
    await expect(page.get_by_text("طوبق تلقائيًا ١؛ بقي ١ لمراجعة شخص")).to_be_visible()
    await expect(payment).to_have_attribute("data-status", "matched")
    await expect(payment.get_by_test_id("bank-line-status")).to_have_text("مطابق")
    await expect(payment).to_contain_text(re.compile(r"JE-\d{4}-\d{6}"))
    fee = page.locator("[data-testid=bank-line][data-reference='']")
    await expect(fee).to_have_attribute("data-status", "unmatched")
    await screenshot(page, "books-bank-console-matched-ar")
    assert console_errors.errors == []
