"""Billing's screens in the browser, against the real server and worker.

A client admin reads their plan and this month's usage, fills in the billing
profile (a tax number that is not one is refused at its field first), previews
an upgrade's prorated charges and confirms it; a provider admin reads the plans
and, on a tenant's page, is told why a downgrade that would strand open work is
refused; a provider admin starts a billing run and follows its progress bar to
its results, a tenant's failure named with its reason. The same screens in
Arabic, right to left. Screens are saved to ``test-output/e2e/billing-*.png``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Page, expect
from sqlalchemy import update

from bo_saas.audit.models import AuditEvent
from bo_saas.billing.models import PlanVersion, Subscription
from bo_saas.billing.periods import month_of
from bo_saas.billing.subscriptions import follow_plan
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from bo_saas.work.usage import record_usage
from tests.billing.helpers import BillingRunFactory, subscribed_tenant, version_of
from tests.desk import queued_item
from tests.e2e.conftest import screenshot as full_page_screenshot
from tests.e2e.conftest import sign_in
from tests.factories import DEFAULT_PASSWORD, TenantFactory, client_user, save, staff_user

TICKETS_THIS_MONTH = 250  # Starter includes 200, then 1.50 each: 75.00 so far


async def screenshot(page: Page, name: str) -> None:
    """From the top, once dialogs and notifications have finished moving."""
    await page.evaluate("window.scrollTo(0, 0)")
    await page.wait_for_function(
        "() => document.getAnimations().every((animation) => animation.playState !== 'running')"
    )
    await full_page_screenshot(page, name)


async def _to_arabic(page: Page) -> None:
    await page.locator("label", has_text="العربية").first.click()
    await expect(page.locator("html")).to_have_attribute("dir", "rtl")


async def _open_from_menu(page: Page, name: str) -> None:
    await page.get_by_role("navigation", name="main").get_by_role("link", name=name, exact=True).click()


@pytest.fixture
async def starter_tenant(admin_session):
    """A tenant on Starter (trialing) with support tickets this month, and its client admin."""
    tenant = TenantFactory(plan_code="starter", services=["support"])
    await save(admin_session, tenant)
    await follow_plan(admin_session, tenant)
    await record_usage(
        admin_session,
        tenant_id=tenant.id,
        meter="support.tickets",
        quantity=TICKETS_THIS_MONTH,
        idempotency_key="e2e-tickets",
        occurred_at=utc_now(),
    )
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    await admin_session.commit()
    tenant.admin = admin
    return tenant


@pytest.fixture
async def busy_growth_tenant(admin_session):
    """A tenant on Growth with an open bookkeeping request (Starter has no bookkeeping), and a provider admin."""
    tenant = TenantFactory(plan_code="growth", services=["support", "bookkeeping"])
    await save(admin_session, tenant)
    await follow_plan(admin_session, tenant)
    await save(admin_session, queued_item(tenant, skill="bookkeeping", title="Close the November books"))
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN, tenants=(tenant,))
    await admin_session.commit()
    tenant.provider_admin = provider_admin
    return tenant


async def test_a_client_admin_reads_plan_and_usage_saves_the_profile_and_upgrades(
    page: Page, starter_tenant, console_errors
):
    console_errors.watch(page)
    await sign_in(page, starter_tenant.admin.email, DEFAULT_PASSWORD)
    await _open_from_menu(page, "Billing")
    await expect(page).to_have_url(re.compile("/portal/billing$"))

    # The plan, what it includes and how it is priced.
    await expect(page.get_by_test_id("subscription-plan")).to_have_text("Starter")
    await expect(page.get_by_test_id("subscription-status")).to_have_text("Trial")
    details = page.get_by_test_id("plan-details")
    await expect(details.get_by_test_id("plan-base-fee")).to_have_text("US$299.00 a month")
    await expect(details).to_contain_text("Customer support")
    await expect(details).to_contain_text("3 users included, then US$19.00 per user")
    await expect(details.locator("[data-meter='support.tickets']")).to_contain_text(
        "Support tickets: 200 tickets included · US$1.50 each beyond what is included"
    )
    # This month's usage so far, and the estimate: 299.00 base + 0 seats + 50 tickets at 1.50.
    tickets = page.get_by_test_id("usage-table").locator("[data-meter='support.tickets']")
    await expect(tickets).to_contain_text("250")
    await expect(tickets.get_by_test_id("usage-amount")).to_have_text("US$75.00")
    await expect(page.get_by_test_id("usage-estimate")).to_have_text("US$374.00")
    this_month = month_of(utc_now(), starter_tenant.timezone).start.astimezone(ZoneInfo(starter_tenant.timezone))
    await expect(page.get_by_test_id("usage-month")).to_have_value(this_month.strftime("%B %Y"))
    await screenshot(page, "billing-portal")

    # The profile: a tax number that is not one is refused under its field, then a real one is kept compact.
    profile = page.get_by_test_id("billing-profile")
    await expect(profile.get_by_test_id("profile-empty")).to_be_visible()
    await profile.get_by_label("Legal name").fill("Acme Handel GmbH")
    await profile.get_by_role("textbox", name=re.compile("^Address")).fill("Hauptstraße 1\n10115 Berlin")
    await profile.get_by_label("Country").fill("de")
    await profile.get_by_label("Billing email").fill("rechnungen@acme-handel.de")
    tax_number = profile.get_by_label("Tax number")
    await tax_number.fill("DE123")
    await profile.get_by_label("Tax rate (%)").fill("19")
    await profile.get_by_role("button", name="Save profile").click()
    await expect(tax_number).to_have_attribute("aria-invalid", "true")
    await expect(profile).to_contain_text("'DE123' is not a valid DE tax number")
    await screenshot(page, "billing-profile-error")
    await tax_number.fill("DE 136,695 976")
    await profile.get_by_role("button", name="Save profile").click()
    await expect(page.get_by_text("Billing profile saved.")).to_be_visible()
    await expect(profile.get_by_label("Tax number")).to_have_value("136695976")
    await expect(profile.get_by_label("Country")).to_have_value("DE")
    await expect(profile.get_by_test_id("profile-updated")).to_contain_text("Last saved")

    # Change plan: the upgrade's prorated charges are shown before anything is changed.
    await page.get_by_role("button", name="Change plan").click()
    dialog = page.get_by_role("dialog", name="Change plan")
    confirm = dialog.get_by_role("button", name="Confirm the change")
    await expect(confirm).to_be_disabled()
    await dialog.get_by_role("radio", name="Growth", exact=True).check()
    preview = dialog.get_by_test_id("plan-preview")
    await expect(preview).to_have_attribute("data-kind", "upgrade")
    await expect(preview).to_contain_text("it takes effect now")
    await expect(dialog.get_by_test_id("plan-preview-total")).to_have_text(re.compile(r"^US\$[\d,]+\.\d\d$"))
    await screenshot(page, "billing-change-plan")
    await confirm.click()
    await expect(page.get_by_text("Plan changed to Growth.")).to_be_visible()
    await expect(dialog).to_have_count(0)
    await expect(page.get_by_test_id("subscription-plan")).to_have_text("Growth")
    await expect(page.get_by_test_id("plan-base-fee")).to_have_text("US$999.00 a month")
    # The 400 of the refused tax number prints "Failed to load resource"; nothing else may.
    assert [e for e in console_errors.errors if "Failed to load resource" not in e] == []


async def test_the_billing_page_in_arabic_runs_right_to_left(page: Page, starter_tenant, console_errors):
    console_errors.watch(page)
    await sign_in(page, starter_tenant.admin.email, DEFAULT_PASSWORD)
    await _to_arabic(page)
    await _open_from_menu(page, "الفوترة")
    await expect(page.get_by_role("heading", name="الفوترة", exact=True)).to_be_visible()
    await expect(page.get_by_test_id("subscription-status")).to_have_text("تجربة")
    await expect(page.get_by_test_id("plan-base-fee")).to_contain_text("٢٩٩٫٠٠")
    await expect(page.get_by_test_id("usage-estimate")).to_contain_text("٣٧٤٫٠٠")
    await expect(page.get_by_label("نسبة الضريبة (٪)")).to_be_visible()
    await screenshot(page, "billing-portal-ar")

    await page.get_by_role("button", name="تغيير الباقة").click()
    dialog = page.get_by_role("dialog", name="تغيير الباقة")
    await dialog.get_by_role("radio", name="النمو", exact=True).check()
    await expect(dialog.get_by_test_id("plan-preview")).to_have_attribute("data-kind", "upgrade")
    await expect(dialog).to_contain_text("ترقية")
    await screenshot(page, "billing-change-plan-ar")
    assert console_errors.errors == []


async def test_a_provider_admin_reads_the_plans_and_is_told_why_a_downgrade_is_refused(
    page: Page, busy_growth_tenant, console_errors
):
    tenant = busy_growth_tenant
    console_errors.watch(page)
    await sign_in(page, tenant.provider_admin.email, DEFAULT_PASSWORD)
    await _open_from_menu(page, "Plans")
    await expect(page).to_have_url(re.compile("/console/plans$"))
    cards = page.get_by_test_id("plan-details")
    await expect(cards).to_have_count(3)
    assert await cards.evaluate_all("cards => cards.map(card => card.dataset.plan)") == [
        "starter",
        "growth",
        "enterprise",
    ]
    enterprise = page.locator("[data-plan=enterprise]")
    await expect(enterprise.get_by_test_id("plan-base-fee")).to_have_text("US$3,999.00 a month")
    await expect(enterprise).to_contain_text("US$900.00 per started package of 500 beyond what is included")
    await expect(page.locator("[data-plan=growth]")).to_contain_text(
        "Graduated: each unit at the price of its tier (up to 4,000: US$1.20 each; above that: US$0.90 each)"
    )
    await screenshot(page, "billing-console-plans")

    # The tenant's page: its subscription, and a downgrade refused because bookkeeping still has open work.
    await page.goto(f"/console/tenants/{tenant.id}/users")
    await expect(page.get_by_test_id("subscription-plan")).to_have_text("Growth")
    await page.get_by_role("button", name="Change plan").click()
    dialog = page.get_by_role("dialog", name="Change plan")
    await dialog.get_by_role("radio", name="Starter", exact=True).check()
    await expect(dialog.get_by_test_id("plan-preview")).to_have_attribute("data-kind", "downgrade")
    await expect(dialog.get_by_test_id("plan-preview")).to_contain_text("start of the next period")
    await dialog.get_by_role("button", name="Confirm the change").click()
    await expect(dialog).to_contain_text("Starter does not include bookkeeping (1 open item)")
    await screenshot(page, "billing-console-refused")
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(page.get_by_test_id("subscription-plan")).to_have_text("Growth")

    await _to_arabic(page)
    await _open_from_menu(page, "الباقات")
    await expect(page.get_by_role("heading", name="الباقات", exact=True)).to_be_visible()
    await expect(page.locator("[data-plan=growth]")).to_contain_text("متدرّج")
    await screenshot(page, "billing-console-plans-ar")
    # The refused change prints "Failed to load resource" (409); nothing else may.
    assert [e for e in console_errors.errors if "Failed to load resource" not in e] == []


async def _billed_by_the_year(admin_session, slug: str):
    """A tenant whose plan version bills by the year: billing runs refuse its monthly invoice, and say why."""
    tenant = await subscribed_tenant(admin_session, "growth", slug=slug)
    growth = await version_of(admin_session, "growth")
    by_the_year = PlanVersion(
        plan_code="growth", version=99, definition={**growth.definition, "interval": "year"}, currency="USD",
        interval="year", base_fee=growth.base_fee, trial_days=0, seats_included=growth.seats_included,
        seat_unit_price=growth.seat_unit_price, content_hash="0" * 64,
    )  # fmt: skip
    admin_session.add(by_the_year)
    await admin_session.flush()
    await admin_session.execute(
        update(Subscription).where(Subscription.tenant_id == tenant.id).values(plan_version_id=by_the_year.id)
    )
    admin_session.add(
        AuditEvent(
            tenant_id=tenant.id, actor_kind="account", action="subscription.plan_changed", subject_type="subscription",
            subject_id=str(tenant.id), occurred_at=datetime(2026, 2, 1, tzinfo=UTC),
            changes={"plan": {"old": "growth", "new": "growth"}, "version": 99},
        )
    )  # fmt: skip
    await admin_session.commit()
    return tenant


async def test_a_provider_admin_follows_a_billing_run_to_its_results_and_reads_why_a_tenant_failed(
    page: Page, admin_session, console_errors
):
    for slug in ("alpha-trading", "beta-logistics"):
        await subscribed_tenant(admin_session, "growth", slug=slug)
    await _billed_by_the_year(admin_session, "yearly-co")
    # A scheduled run a worker is carrying out elsewhere: 15 of its 40 tenants billed so far.
    await save(
        admin_session,
        BillingRunFactory(period="2026-09", status="running", started_by="schedule", tenants_total=40,
                          tenants_done=15, created=15),
    )  # fmt: skip
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    await admin_session.commit()
    console_errors.watch(page)
    await sign_in(page, provider_admin.email, DEFAULT_PASSWORD)
    await _open_from_menu(page, "Billing runs")

    running = page.get_by_test_id("runs-table").locator("tbody tr").first
    await expect(running.get_by_test_id("run-row-progress")).to_have_text("15 / 40")
    await expect(running.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "38")
    await screenshot(page, "billing-run-progress")

    await page.get_by_label("Period").fill("2026-10")
    await page.get_by_role("button", name="Run billing").click()
    progress = page.get_by_test_id("run-progress")
    await expect(progress).to_be_visible()
    await expect(progress).to_have_attribute("data-status", "finished", timeout=30_000)
    await expect(progress.get_by_test_id("run-progress-count")).to_have_text("3 of 3 tenants billed")
    result = page.get_by_test_id("run-result")
    await expect(result).to_contain_text("2026-10: 2 invoices made, 0 recomputed, 0 unchanged, 0 skipped, 1 failed.")
    await expect(result.get_by_test_id("run-failures")).to_contain_text("yearly-co:")
    await expect(result.get_by_test_id("run-failures")).to_contain_text("billed by the year")
    await expect(page.get_by_test_id("runs-table").locator("tbody tr")).to_have_count(2)
    await screenshot(page, "billing-run-results")

    await _to_arabic(page)
    await expect(progress.get_by_test_id("run-progress-count")).to_have_text("صدرت فواتير ٣ من ٣ مستأجرين")
    await expect(result).to_contain_text("أُنشئت ٢ فواتير")
    await screenshot(page, "billing-run-results-ar")
    assert console_errors.errors == []
