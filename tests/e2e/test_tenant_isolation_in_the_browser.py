"""A tenant's person who types another tenant's item URL sees "not found", never the item."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from bo_saas.lib.caller import Role
from tests.desk import queued_item
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import DEFAULT_PASSWORD, TenantFactory, client_user, save


@pytest.fixture
async def acme_item(desk, admin_session):
    item = queued_item(desk.tenant, title="Acme payroll secrets", requester_id=desk.member.id)
    await save(admin_session, item)
    return item


@pytest.fixture
async def globex_admin(admin_session):
    other = TenantFactory(name="Globex Trading LLC", services=["data_entry"])
    await save(admin_session, other)
    return await client_user(admin_session, other, Role.CLIENT_ADMIN)


async def test_another_tenants_item_url_shows_not_found(page: Page, acme_item, globex_admin, console_errors):
    console_errors.watch(page)
    await sign_in(page, globex_admin.email, DEFAULT_PASSWORD)
    await page.goto(f"/portal/items/{acme_item.id}")

    await expect(page.get_by_text("This item does not exist, or it is not yours to see.")).to_be_visible()
    await expect(page.get_by_text("Acme payroll secrets")).to_have_count(0)
    await screenshot(page, "cross-tenant-item-not-found")
    # The API's 404 is expected in the log; nothing else may go wrong on the page.
    assert [e for e in console_errors.errors if "404" not in e] == []
