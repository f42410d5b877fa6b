"""The Support desk's screens in the browser, against the real server and worker.

An agent answers a customer's email from the ticket's workspace (a macro picked
with the keyboard, sent with Ctrl+Enter) and the answer really leaves as email;
a client admin sets up a channel (its secret shown once), a macro, and reads the
month's report; the same screens in Arabic, right to left. Screens are saved to
``test-output/e2e/support-*.png``.
"""

from __future__ import annotations

import asyncio
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from playwright.async_api import Page, expect
from sqlalchemy import update

from bo_saas.support.models import Ticket
from bo_saas.support.signatures import signature_header
from tests.e2e.conftest import screenshot as full_page_screenshot
from tests.e2e.conftest import sign_in
from tests.factories import DEFAULT_PASSWORD, SUPPORT_CHANNEL_SECRET, CsatRatingFactory, MacroFactory, save
from tests.support.helpers import CUSTOMER, a_channel, mail

SUBJECT = "My lamp has not arrived"
INVOICE = b"%PDF-1.4\n% the customer's invoice\n"
MACRO_BODY = (
    "Hello {customer_name}, your order is on its way; quote {ticket_reference} if you write again. {agent_name}"
)


async def screenshot(page: Page, name: str) -> None:
    """From the top (a page scrolled to the reply box would draw its fixed header mid-picture), once dialogs have
    finished opening or closing."""
    await page.evaluate("window.scrollTo(0, 0)")
    await page.wait_for_function(
        "() => document.getAnimations().every((animation) => animation.playState !== 'running')"
    )
    await full_page_screenshot(page, name)


async def _post_mail(live_server: str, channel_id, raw: bytes) -> dict:
    """Mail into a channel as the tenant's mail gateway does: the raw message, signed with the channel's secret."""
    async with httpx.AsyncClient(base_url=live_server) as http:
        answer = await http.post(
            f"/api/v1/support/inbound/{channel_id}",
            content=raw,
            headers={
                "Content-Type": "message/rfc822",
                "X-BO-Signature": signature_header(SUPPORT_CHANNEL_SECRET, raw),
            },
        )
    assert answer.status_code == 202, answer.text
    return answer.json()


@pytest.fixture
async def support_desk(desk, admin_session, live_server):
    """A channel on the desk's tenant, two macros, and a ticket: the customer's mail (with an invoice attached),
    an out-of-office in the thread, and a follow-up (with the quoted history) from someone neither the customer
    nor on copy."""
    channel = await a_channel(admin_session, desk.tenant, name="Help", signature="The Acme team")
    await save(
        admin_session,
        MacroFactory(tenant_id=desk.tenant.id, name="Refund issued", body="We have refunded you, {customer_name}."),
        MacroFactory(tenant_id=desk.tenant.id, name="Shipping delay", body=MACRO_BODY),
    )
    first_id = "lamp-1@customer.example.test"
    first = message_from_bytes(
        mail(to=channel.address, subject=SUBJECT, message_id=first_id, body="I ordered a lamp two weeks ago."),
        policy=policy.default,
    )
    first.add_attachment(INVOICE, maintype="application", subtype="pdf", filename="invoice.pdf")
    opened = await _post_mail(live_server, channel.id, bytes(first))
    assert opened["outcome"] == "created"
    away = mail(
        to=channel.address,
        subject=f"Re: {SUBJECT}",
        in_reply_to=first_id,
        references=(first_id,),
        body="I am away until Monday.",
        headers={"Auto-Submitted": "auto-replied"},
    )
    await _post_mail(live_server, channel.id, away)
    stranger = mail(
        to=channel.address,
        sender="sami@elsewhere.example.test",
        sender_name="Sami Stranger",
        subject=f"Re: {SUBJECT}",
        in_reply_to=first_id,
        references=(first_id,),
        body="Please send it to my address instead.\n\nOn Monday, Layla Haddad wrote:\n"
        "> I ordered a lamp two weeks ago.",
    )
    assert (await _post_mail(live_server, channel.id, stranger))["outcome"] == "appended"
    # For the month's report: a tag and the customer's rating.
    ticket_id = UUID(opened["ticket_id"])
    await admin_session.execute(update(Ticket).where(Ticket.id == ticket_id).values(tags=["shipping"]))
    await save(admin_session, CsatRatingFactory(tenant_id=desk.tenant.id, ticket_id=ticket_id, rating=4))
    desk.channel = channel
    desk.ticket_id = opened["ticket_id"]
    desk.first_message_id = first_id
    return desk


async def _sent_reply(mail_dir: Path, words: str, timeout: float = 20.0) -> EmailMessage:
    """The .eml the worker wrote for the reply holding ``words`` (the e2e server has no SMTP host)."""
    for _ in range(int(timeout * 10)):
        for path in sorted(mail_dir.glob("*.eml")) if mail_dir.exists() else []:
            message = message_from_bytes(path.read_bytes(), policy=policy.default)
            body = message.get_body(preferencelist=("plain",))
            if body is not None and words in body.get_content():
                return message
        await asyncio.sleep(0.1)
    raise AssertionError(f"no email with {words!r} in {mail_dir} within {timeout} s")


async def _open_ticket_as_agent(page: Page, desk, *, arabic: bool = False) -> None:
    await sign_in(page, desk.agent.email, DEFAULT_PASSWORD)
    if arabic:
        await _to_arabic(page)
    await page.get_by_role("navigation", name="main").get_by_role("link", name=re.compile("Support|الدعم")).click()
    await expect(page.get_by_test_id("ticket-row")).to_have_count(1)


async def test_an_agent_answers_a_mailed_ticket_with_a_macro_by_keyboard_and_the_email_is_sent(
    page: Page, support_desk, live_mail_dir, console_errors
):
    desk = support_desk
    console_errors.watch(page)
    await _open_ticket_as_agent(page, desk)
    await screenshot(page, "support-console-tickets")
    await page.get_by_role("link", name=re.compile(SUBJECT)).click()

    workspace = page.get_by_role("region", name="Desk workspace")
    await expect(workspace.get_by_test_id("ticket-customer")).to_contain_text(f"Layla Haddad <{CUSTOMER}>")
    await expect(workspace.get_by_test_id("ticket-reference")).to_have_text(re.compile(r"^T-\d{6}$"))
    reference = (await workspace.get_by_test_id("ticket-reference").inner_text()).strip()
    tags = workspace.get_by_label("Tags", exact=True)
    await tags.fill("Urgent")
    await tags.press("Enter")
    await expect(page.get_by_text("Tags saved")).to_be_visible()

    # The thread: the customer's mail, the desk's acknowledgement, the out-of-office, the stranger's follow-up.
    messages = workspace.get_by_test_id("support-message")
    await expect(messages).to_have_count(4)
    await expect(messages.first).to_contain_text("I ordered a lamp two weeks ago.")
    await expect(workspace.locator("[data-mark=acknowledgement]")).to_have_count(1)
    await expect(workspace.locator("[data-mark=automatic]")).to_have_count(1)
    flagged = workspace.locator("[data-testid=support-message][data-flagged]")
    await expect(flagged).to_have_count(1)
    await expect(flagged).to_contain_text("Not the customer or on copy")
    # Only the new part shows until the quoted history is asked for.
    await expect(flagged.get_by_test_id("support-message-body")).to_have_text("Please send it to my address instead.")
    await flagged.get_by_role("button", name="Show quoted history").click()
    await expect(flagged).to_contain_text("> I ordered a lamp two weeks ago.")
    await expect(flagged.get_by_role("button", name="Hide quoted history")).to_have_attribute("aria-expanded", "true")
    # The invoice the customer attached shows under their mail, and only there, and downloads.
    files = workspace.get_by_test_id("support-message-files")
    await expect(files).to_have_count(1)
    await expect(messages.first.get_by_role("list", name="Attachments")).to_contain_text("invoice.pdf")
    async with page.expect_download() as download:
        await messages.first.get_by_role("button", name="Download invoice.pdf").click()
    saved = await download.value
    assert saved.suggested_filename == "invoice.pdf"
    assert Path(await saved.path()).read_bytes() == INVOICE
    await screenshot(page, "support-console-message-files")

    # The macro, by keyboard alone: "/" in the empty reply opens the picker, typing filters, arrows and Enter pick.
    reply = workspace.get_by_role("textbox", name="Reply", exact=True)
    await reply.focus()
    await page.keyboard.press("/")
    picker = page.get_by_role("dialog", name="Pick a macro")
    await expect(picker).to_be_visible()
    await expect(picker.get_by_role("option")).to_have_count(2)
    await page.keyboard.type("de")  # "Shipping delay" by name; "Refund issued" by its body ("refunded")
    await expect(picker.get_by_role("option")).to_have_count(2)
    await expect(picker.get_by_role("option", selected=True)).to_contain_text("Shipping delay")
    await page.keyboard.press("ArrowDown")
    await expect(picker.get_by_role("option", selected=True)).to_contain_text("Refund issued")
    await page.keyboard.press("ArrowDown")
    await expect(picker.get_by_role("option", selected=True)).to_contain_text("Shipping delay")
    await screenshot(page, "support-console-macro-picker")
    await page.keyboard.press("Enter")
    await expect(picker).to_have_count(0)
    preview = workspace.get_by_test_id("macro-preview")
    await expect(preview).to_contain_text(f"Hello Layla Haddad, your order is on its way; quote {reference}")
    await expect(preview).to_contain_text(desk.agent.name)

    # Back in the reply (focus returns there), a line of the agent's own, then Ctrl+Enter sends.
    await expect(workspace.get_by_role("textbox", name="Added after the macro (optional)")).to_be_focused()
    await page.keyboard.type("It left our warehouse yesterday.")
    await page.keyboard.press("Control+Enter")

    await expect(messages).to_have_count(5)
    sent = messages.last
    await expect(sent).to_have_attribute("data-direction", "outbound")
    await expect(sent).to_contain_text("Hello Layla Haddad, your order is on its way")
    await expect(sent).to_contain_text("It left our warehouse yesterday.")
    await expect(preview).to_have_count(0)

    email = await _sent_reply(live_mail_dir, "It left our warehouse yesterday.")
    assert CUSTOMER in email["To"]
    assert f"[{reference}]" in email["Subject"]
    # Threaded: it answers the thread's latest inbound mail, and its references start at the customer's first.
    assert email["In-Reply-To"].endswith("@customer.example.test>")
    assert f"<{desk.first_message_id}>" in email["References"]
    text = email.get_body(preferencelist=("plain",)).get_content()
    assert f"Hello Layla Haddad, your order is on its way; quote {reference}" in text
    assert "The Acme team" in text  # the channel's signature closes it
    # Sent: the thread says when, no longer "Sending…", without a reload.
    await expect(sent).not_to_contain_text("Sending…")
    # The tags were saved on the ticket: the list filters by them.
    await page.goto("/console/support/tickets?tag=urgent")
    await expect(page.get_by_test_id("ticket-row")).to_have_count(1)
    await page.goto("/console/support/tickets?tag=refund")
    await expect(page.get_by_text("No ticket matches these filters.")).to_be_visible()
    await page.go_back()
    await page.go_back()
    await screenshot(page, "support-console-ticket")
    assert console_errors.errors == []


async def test_a_client_admin_sets_up_a_channel_and_a_macro_and_reads_the_report(
    page: Page, support_desk, console_errors
):
    desk = support_desk
    console_errors.watch(page)
    await sign_in(page, desk.admin.email, DEFAULT_PASSWORD)
    await page.get_by_role("navigation", name="main").get_by_role("link", name="Support desk").click()
    await expect(page).to_have_url(re.compile("/portal/support/channels$"))
    await expect(page.get_by_role("tab", name="Channels")).to_have_attribute("aria-selected", "true")

    # A new channel: its secret shows once, with a warning and a copy button.
    await page.get_by_role("button", name="Add channel").click()
    form = page.get_by_role("dialog", name="Add a channel")
    await form.get_by_role("textbox", name=re.compile("^Name")).fill("Orders")
    await form.get_by_label("Inbound address").fill("orders@in.acme.example.test")
    await form.get_by_label("Sender name").fill("Acme Orders")
    await form.get_by_label("Sender address").fill("orders@acme.example.test")
    await form.get_by_label("Signature").fill("Acme — orders team")
    await form.get_by_role("button", name="Add channel").click()
    shown = page.get_by_role("dialog", name="The channel's secret")
    await expect(shown.get_by_role("alert")).to_contain_text("shown this once")
    await expect(shown.get_by_role("button", name="Copy the secret")).to_be_visible()
    secret = (await shown.get_by_test_id("channel-secret").inner_text()).strip()
    assert len(secret) >= 20
    await expect(shown.get_by_test_id("channel-url")).to_contain_text("/api/v1/support/inbound/")
    await screenshot(page, "support-portal-channel-secret")
    await shown.get_by_role("button", name="I have saved the secret").click()
    await expect(shown).to_have_count(0)
    await expect(page.locator("tr[data-channel=Orders]")).to_contain_text("orders@in.acme.example.test")
    assert secret not in await page.content()

    # The channel with a ticket stays, and says why.
    await page.get_by_role("group", name="Actions for Help").get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("dialog", name="Delete Help?")
    await confirm.get_by_role("button", name="Delete").click()
    await expect(confirm.get_by_role("alert")).to_contain_text("This channel has tickets, so it cannot be deleted.")
    await confirm.get_by_role("button", name="Cancel").click()
    await screenshot(page, "support-portal-channels")

    # A macro, with the placeholders listed where it is written.
    await page.get_by_role("tab", name="Macros").click()
    await expect(page.locator("tr[data-macro='Shipping delay']")).to_be_visible()
    await page.get_by_role("button", name="Add macro").click()
    form = page.get_by_role("dialog", name="Add a macro")
    await expect(form.get_by_test_id("macro-placeholders")).to_contain_text("{customer_name}")
    await form.get_by_role("textbox", name=re.compile("^Name")).fill("Welcome")
    await form.get_by_role("textbox", name=re.compile("^Text")).fill("Dear {name}")
    await expect(form).to_contain_text("Unknown placeholder: {name}")
    await form.get_by_role("textbox", name=re.compile("^Text")).fill("Dear ")
    await form.get_by_role("button", name="Insert {customer_name}").click()
    await expect(form.get_by_role("textbox", name=re.compile("^Text"))).to_have_value("Dear {customer_name}")
    await form.get_by_role("button", name="Add macro").click()
    await expect(form).to_have_count(0)
    await expect(page.locator("tr[data-macro=Welcome]")).to_contain_text("Dear {customer_name}")
    await screenshot(page, "support-portal-macros")

    # The month's report counts the ticket that came in.
    await page.get_by_role("tab", name="Report").click()
    await expect(page.get_by_test_id("support-report-in")).to_have_text("1")
    await expect(page.get_by_test_id("support-report-solved")).to_have_text("0")
    await expect(page.get_by_test_id("support-report-csat")).to_have_text("4.0")
    await expect(page.get_by_test_id("support-report-chart")).to_be_visible()
    await expect(page.get_by_test_id("support-report-tags")).to_contain_text("shipping")
    await expect(page.get_by_role("button", name="Download CSV")).to_be_visible()
    async with page.expect_download() as download:
        await page.get_by_role("button", name="Download CSV").click()
    assert re.fullmatch(r"support-\d{4}-\d{2}\.csv", (await download.value).suggested_filename)
    await screenshot(page, "support-portal-report")
    # The refused delete is the one failed request the browser logs.
    assert all("409" in error for error in console_errors.errors)


async def _to_arabic(page: Page) -> None:
    await page.locator("label", has_text="العربية").first.click()
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")


async def test_the_support_screens_in_arabic_run_right_to_left(page: Page, support_desk, console_errors):
    desk = support_desk
    console_errors.watch(page)
    await sign_in(page, desk.admin.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await page.get_by_role("navigation", name="main").get_by_role("link", name="مكتب الدعم").click()
    await expect(page.get_by_role("heading", name="القنوات")).to_be_visible()
    # Right to left: the first tab sits right of the last.
    first = await page.get_by_role("tab", name="القنوات").bounding_box()
    last = await page.get_by_role("tab", name="التقرير").bounding_box()
    assert first and last and first["x"] > last["x"]
    await expect(page.locator("tr[data-channel=Help]")).to_contain_text("مفعّل")
    await screenshot(page, "support-portal-channels-ar")
    await page.get_by_role("tab", name="الردود الجاهزة").click()
    await expect(page.locator("tr[data-macro='Shipping delay']")).to_be_visible()
    await page.get_by_role("button", name="إضافة رد جاهز").click()
    await expect(page.get_by_role("dialog", name="إضافة رد جاهز").get_by_test_id("macro-placeholders")).to_contain_text(
        "المتغيرات"
    )
    await screenshot(page, "support-portal-macro-form-ar")
    await page.keyboard.press("Escape")
    await screenshot(page, "support-portal-macros-ar")
    await page.get_by_role("tab", name="التقرير").click()
    await expect(page.get_by_test_id("support-report-in")).to_have_text("١")
    await screenshot(page, "support-portal-report-ar")
    await page.get_by_role("button", name="تسجيل الخروج").click()
    await page.locator("label", has_text="English").first.click()  # the sign-in page, for the next person

    await _open_ticket_as_agent(page, desk, arabic=True)
    await screenshot(page, "support-console-tickets-ar")
    await page.get_by_role("link", name=re.compile(SUBJECT)).click()
    workspace = page.get_by_role("region", name="مساحة عمل المكتب")
    await expect(workspace.get_by_test_id("support-message")).to_have_count(4)
    await expect(workspace.locator("[data-flagged]")).to_contain_text("ليس صاحب الطلب ولا في النسخة")
    await expect(workspace.get_by_role("list", name="المرفقات")).to_contain_text("invoice.pdf")
    await workspace.get_by_role("textbox", name="الرد", exact=True).focus()
    await page.keyboard.press("Control+m")
    picker = page.get_by_role("dialog", name="اختيار رد جاهز")
    await expect(picker.get_by_role("option")).to_have_count(2)
    await screenshot(page, "support-console-macro-picker-ar")
    await page.keyboard.press("Enter")
    await expect(workspace.get_by_test_id("macro-preview")).to_contain_text("We have refunded you, Layla Haddad.")
    await screenshot(page, "support-console-ticket-ar")
    assert console_errors.errors == []
