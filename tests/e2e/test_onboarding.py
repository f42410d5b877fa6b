"""A provider admin onboards a tenant with its first admin from the console, then manages its people there.

The form offers only the plan's services; an address that already has an account is refused
beside the field (and no tenant is made), in the onboarding form and in the tenant's invite form.
"""

from __future__ import annotations

import re

from playwright.async_api import Page, expect
from sqlalchemy import select

from bo_saas.identity.models import Account, AccountStatus, Membership
from bo_saas.lib.caller import Role
from bo_saas.tenancy.models import Tenant
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import DEFAULT_PASSWORD, TenantFactory, client_user, save, staff_user
from tests.identity.emailed_links import emailed_links

TAKEN = "taken@elsewhere.example"
TAKEN_MESSAGE = f"an account with email {TAKEN} already exists"


async def _tenant(admin_session, slug: str) -> Tenant | None:
    admin_session.expire_all()
    return (await admin_session.execute(select(Tenant).where(Tenant.slug == slug))).scalar()


async def _account(admin_session, email: str) -> Account:
    admin_session.expire_all()
    return (await admin_session.execute(select(Account).where(Account.email == email))).scalar_one()


async def test_a_tenant_is_onboarded_with_its_first_admin_and_its_users_managed_from_the_console(
    page: Page, admin_session, console_errors
):
    console_errors.watch(page)
    elsewhere = TenantFactory(slug="elsewhere")
    await save(admin_session, elsewhere)
    await client_user(admin_session, elsewhere, Role.CLIENT_MEMBER, email=TAKEN)
    provider_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    email = provider_admin.email
    await admin_session.commit()
    await sign_in(page, email, DEFAULT_PASSWORD)

    await page.goto("/console/tenants")
    await page.get_by_role("button", name="Add tenant").click()
    form = page.get_by_role("dialog")
    await form.get_by_label(re.compile(r"^Name")).fill("Globex Trading")
    await expect(form.get_by_label("Slug")).to_have_value("globex-trading")
    await form.get_by_label("Time zone").fill("Riyadh")
    await page.get_by_role("option", name="Asia/Riyadh").click()

    # The starter plan's services only; HR comes with a bigger plan.
    await form.get_by_label("Services").click(force=True)  # Mantine's pill box takes the pointer
    await expect(page.get_by_role("option", name="Data entry")).to_be_visible()
    await expect(page.get_by_role("option", name="Customer support")).to_be_visible()
    await expect(page.get_by_role("option", name="HR")).to_have_count(0)
    await page.get_by_role("option", name="Customer support").click()
    await page.keyboard.press("Escape")

    await form.get_by_label("Admin's name").fill("Hana Haddad")
    await form.get_by_label("Admin's email").fill(TAKEN)
    await form.get_by_role("button", name="Add tenant").click()
    await expect(form.get_by_text(TAKEN_MESSAGE)).to_be_visible()
    assert await _tenant(admin_session, "globex-trading") is None  # refused as one: no tenant either

    await form.get_by_label("Admin's email").fill("hana@globex.example")
    await expect(form.get_by_text(TAKEN_MESSAGE)).to_have_count(0)  # about the old address, so gone
    await screenshot(page, "onboarding")
    await form.get_by_role("button", name="Add tenant").click()
    onboarded = "Globex Trading was added and an invitation was sent to hana@globex.example"
    await expect(page.get_by_text(onboarded)).to_be_visible()

    tenant = await _tenant(admin_session, "globex-trading")
    assert tenant is not None and tenant.services == ["support"] and tenant.timezone == "Asia/Riyadh"
    tenant_id = tenant.id  # read before the next expire_all() unloads it
    first_admin = await _account(admin_session, "hana@globex.example")
    [membership] = (await admin_session.execute(select(Membership).filter_by(account_id=first_admin.id))).scalars()
    assert membership.tenant_id == tenant_id and membership.role is Role.CLIENT_ADMIN
    assert first_admin.status is AccountStatus.INVITED
    assert [path for _base, path, _token in await emailed_links(admin_session, "hana@globex.example")] == [
        "/accept-invitation"
    ]

    # The tenant's users, from its row: the portal's screen, for this tenant.
    await page.locator('[data-tenant="globex-trading"]').get_by_role("link", name="Users").click()
    await page.wait_for_url(f"**/console/tenants/{tenant_id}/users")
    await expect(page.get_by_role("heading", name="Users of Globex Trading")).to_be_visible()
    await expect(page.locator('[data-user="hana@globex.example"]')).to_contain_text("Invited")

    await page.get_by_role("button", name="Invite a user").click()
    invite = page.get_by_role("dialog")
    await invite.get_by_label("Email").fill("omar@globex.example")
    await invite.get_by_label("Name").fill("Omar Saleh")
    await invite.get_by_role("button", name="Send invitation").click()
    await expect(page.get_by_text("Invitation sent to omar@globex.example")).to_be_visible()
    await expect(page.locator('[data-user="omar@globex.example"]')).to_contain_text("Member")

    await page.get_by_role("button", name="Invite a user").click()
    await invite.get_by_label("Email").fill(TAKEN)
    await invite.get_by_label("Name").fill("Twin")
    await invite.get_by_role("button", name="Send invitation").click()
    await expect(invite.get_by_text(TAKEN_MESSAGE)).to_be_visible()
    await expect(invite.get_by_text("Something went wrong")).to_have_count(0)
    await screenshot(page, "tenant-users")
    await invite.get_by_role("button", name="Cancel").click()

    # Change the role and deactivate, as in the portal.
    omar = page.locator('[data-user="omar@globex.example"]')
    await omar.get_by_role("button", name="Make admin").click()
    await page.get_by_role("dialog").get_by_role("button", name="Make admin").click()
    await expect(omar).to_contain_text("Admin")
    await omar.get_by_role("button", name="Deactivate").click()
    await page.get_by_role("dialog").get_by_role("button", name="Deactivate").click()
    await expect(omar).to_contain_text("Deactivated")
    assert (await _account(admin_session, "omar@globex.example")).status is AccountStatus.DEACTIVATED
    # The refused requests print "Failed to load resource"; nothing else may.
    assert [e for e in console_errors.errors if "Failed to load resource" not in e] == []
