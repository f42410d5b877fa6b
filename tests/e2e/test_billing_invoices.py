"""Invoices in the browser: a billing run, finalizing, a credit note, receivables, the portal's PDF, a bank transfer.

A provider admin runs billing for November for one tenant, finalizes the draft
on the tenant's page and issues a partial credit note; receivables show it as
not yet due beside an older invoice 45 days overdue; the tenant's client admin
sees the invoice and the credit note on the portal, the month's usage unit by unit
linked to its request, and downloads the PDF; the
provider admin records a bank transfer for what is due and the invoice is paid.
Then the same screens in Arabic. Screens go to ``test-output/e2e/billing-*.png``.
The live server has no Stripe key: the portal offers no card form and says to pay by bank
transfer, and nothing is paid by card here (tests/billing/test_payments*.py pay against localstripe).
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.async_api import expect

from bo_saas.billing.models import InvoiceStatus
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from bo_saas.work.usage import record_usage
from tests.billing.helpers import InvoiceFactory, billing_profile, save, subscribed_tenant, version_of
from tests.desk import queued_item
from tests.e2e.conftest import sign_in
from tests.e2e.test_billing_screens import _open_from_menu, _to_arabic, screenshot
from tests.factories import DEFAULT_PASSWORD, client_user, staff_user

PERIOD = "2026-11"
YEAR = utc_now().year


async def _seed(admin_session):
    """A Growth tenant (no tax) with an older open invoice 45 days overdue, its client admin and a provider admin."""
    tenant = await subscribed_tenant(admin_session, "growth")
    await billing_profile(admin_session, tenant, 0)
    version = await version_of(admin_session, "growth")
    now = utc_now()
    overdue = InvoiceFactory(
        tenant_id=tenant.id, plan_version_id=version.id, period="2026-08", status=InvoiceStatus.OPEN,
        number=f"INV-{YEAR - 1}-000001", issued_at=now - timedelta(days=59), due_at=now - timedelta(days=45),
    )  # fmt: skip
    await save(admin_session, overdue)
    # A support ticket done this month: one unit of usage the portal links to its request.
    ticket = queued_item(tenant, skill="support", title="Printer on floor 2")
    await save(admin_session, ticket)
    await record_usage(
        admin_session, tenant_id=tenant.id, meter="support.tickets", quantity=1, idempotency_key="e2e-ticket",
        occurred_at=now, work_item_id=ticket.id,
    )  # fmt: skip
    tenant.ticket_id = ticket.id
    client_admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    await admin_session.commit()
    return tenant, client_admin, provider_admin


async def test_a_run_a_finalized_invoice_a_credit_note_the_portal_pdf_and_a_bank_transfer(
    browser, browser_context_args, admin_session, console_errors
):
    tenant, client_admin, provider_admin = await _seed(admin_session)
    number, credit_number = f"INV-{YEAR}-000001", f"CN-{YEAR}-000001"

    console_context = await browser.new_context(**browser_context_args)
    console = await console_context.new_page()
    console_errors.watch(console)
    await sign_in(console, provider_admin.email, DEFAULT_PASSWORD)

    # A run for November, for this tenant only.
    await _open_from_menu(console, "Billing runs")
    await expect(console).to_have_url(re.compile("/console/billing/runs$"))
    await console.get_by_label("Period").fill(PERIOD)
    await console.get_by_label("Tenant", exact=True).fill(tenant.slug)
    await console.get_by_role("button", name="Run billing").click()
    # The run answers at once; the live server's worker bills the tenant and the page follows it to the end.
    await expect(console.get_by_test_id("run-progress")).to_have_attribute("data-status", "finished", timeout=30_000)
    await expect(console.get_by_test_id("run-progress-count")).to_have_text("1 of 1 tenants billed")
    await expect(console.get_by_test_id("run-result")).to_contain_text(f"{PERIOD}: 1 invoices made")
    await expect(console.get_by_test_id("runs-table").locator("tbody tr")).to_have_count(1)
    await expect(console.get_by_test_id("runs-table")).to_contain_text(tenant.slug)
    await screenshot(console, "billing-runs")

    # Finalize the draft on the tenant's page, then credit 100.00 of it.
    await console.goto(f"/console/tenants/{tenant.id}/users")
    invoices = console.get_by_test_id("invoices-table")
    await invoices.locator("tr[data-status=draft]").get_by_role("button", name="Finalize").click()
    row = invoices.locator(f"tr[data-invoice='{number}']")
    await expect(row).to_have_attribute("data-status", "open")
    await expect(row.get_by_test_id("invoice-amount-due")).to_have_text("US$999.00")
    await row.get_by_role("button", name="Credit note").click()
    dialog = console.get_by_role("dialog")
    await dialog.get_by_label("Credit everything not yet credited").uncheck()
    await dialog.get_by_label("Amount before tax (USD)").fill("100")
    await dialog.get_by_label("Reason").fill("Two days of downtime")
    await dialog.get_by_role("button", name="Issue credit note").click()
    await expect(dialog).to_be_hidden()
    await expect(row.get_by_test_id("invoice-amount-due")).to_have_text("US$899.00")
    await expect(console.get_by_test_id("credit-notes-table")).to_contain_text(credit_number)
    await screenshot(console, "billing-tenant-invoices")

    # Receivables: this invoice is not yet due; the older one is 45 days overdue.
    await _open_from_menu(console, "Receivables")
    buckets = console.get_by_test_id("buckets-USD")
    await expect(buckets.locator("[data-bucket=current]").get_by_test_id("bucket-amount")).to_have_text("US$899.00")
    await expect(buckets.locator("[data-bucket='31-60']").get_by_test_id("bucket-amount")).to_have_text("US$999.00")
    await expect(buckets.locator("[data-bucket='1-30']").get_by_test_id("bucket-amount")).to_have_text("US$0.00")
    receivable = console.get_by_test_id("receivables-table").locator("tbody tr")
    await expect(receivable).to_have_count(2)
    await expect(receivable.first).to_have_attribute("data-bucket", "31-60")
    await expect(receivable.first).to_contain_text("45")
    await screenshot(console, "billing-receivables")

    # The tenant's client admin sees the invoice and the credit note, and downloads the invoice's PDF.
    portal_context = await browser.new_context(**browser_context_args)
    portal = await portal_context.new_page()
    console_errors.watch(portal)
    await sign_in(portal, client_admin.email, DEFAULT_PASSWORD)
    await _open_from_menu(portal, "Billing")
    mine = portal.get_by_test_id("invoices-table").locator(f"tr[data-invoice='{number}']")
    await expect(mine.get_by_test_id("invoice-status")).to_have_text("Open")
    await expect(mine.get_by_test_id("invoice-amount-due")).to_have_text("US$899.00")
    await expect(portal.get_by_test_id("credit-notes-table")).to_contain_text(credit_number)
    await expect(portal.get_by_test_id("credit-notes-table")).to_contain_text("Two days of downtime")
    # No Stripe here: no card form and no Pay now that could not work, and the way to pay said instead.
    await expect(portal.get_by_test_id("card-on-file")).to_have_text(
        "Card payments are not set up yet; pay by bank transfer to the account named on the invoice."
    )
    await expect(mine.get_by_role("button", name="Pay now")).to_have_count(0)
    await expect(portal.get_by_role("button", name="Add a card")).to_have_count(0)
    unit = portal.get_by_test_id("usage-records-table").get_by_role("link", name="Printer on floor 2")
    await expect(unit).to_have_attribute("href", f"/portal/items/{tenant.ticket_id}")
    async with portal.expect_download() as download_info:
        await mine.get_by_role("button", name=f"Download {number} as PDF").click()
    download = await download_info.value
    assert download.suggested_filename == f"{number}.pdf"
    assert (await download.path()).read_bytes().startswith(b"%PDF")
    await screenshot(portal, "billing-portal-invoices")

    # A bank transfer for what is due marks the invoice paid.
    await console.goto(f"/console/tenants/{tenant.id}/users")
    row = console.get_by_test_id("invoices-table").locator(f"tr[data-invoice='{number}']")
    await row.get_by_role("button", name="Bank transfer").click()
    dialog = console.get_by_role("dialog")
    await expect(dialog.get_by_label("Amount (USD)")).to_have_value("899")
    await dialog.get_by_label("Bank reference").fill("TRF-2026-1201")
    await dialog.get_by_role("button", name="Record payment").click()
    await expect(dialog).to_be_hidden()
    await expect(row).to_have_attribute("data-status", "paid")
    await expect(row.get_by_test_id("invoice-amount-due")).to_have_text("US$0.00")
    await expect(row.get_by_test_id("payment-state")).to_have_text("Payment succeeded")

    # The same screens in Arabic, right to left.
    await _to_arabic(console)
    await _open_from_menu(console, "الذمم المدينة")
    await expect(console.get_by_test_id("receivables-table").locator("tbody tr")).to_have_count(1)
    await screenshot(console, "billing-receivables-ar")
    await _open_from_menu(console, "دورات الفوترة")
    await expect(console.get_by_test_id("runs-table")).to_contain_text(tenant.slug)
    await screenshot(console, "billing-runs-ar")
    await console.goto(f"/console/tenants/{tenant.id}/users")
    await expect(console.get_by_test_id("invoice-status").first).to_be_visible()
    await screenshot(console, "billing-tenant-invoices-ar")
    await _to_arabic(portal)
    await portal.reload()
    paid = portal.get_by_test_id("invoices-table").locator(f"tr[data-invoice='{number}']")
    await expect(paid.get_by_test_id("invoice-status")).to_have_text("مدفوعة")
    await screenshot(portal, "billing-portal-invoices-ar")

    await console_context.close()
    await portal_context.close()
    assert console_errors.errors == []
