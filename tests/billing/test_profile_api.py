"""``/api/v1/billing/profile``: who invoices are made out to; a tax id checked where the country has a format."""

from __future__ import annotations

from sqlalchemy import select

from bo_saas.audit.models import AuditEvent
from bo_saas.billing.models import BillingProfile
from bo_saas.lib.caller import Role
from tests.auth import bearer
from tests.factories import TenantFactory, client_user, save

PROFILE = "/api/v1/billing/profile"
ACME = {
    "legal_name": "Acme Trading GmbH",
    "address": "Hauptstrasse 1\n10115 Berlin",
    "country": "DE",
    "tax_id": "DE 136,695,976",
    "billing_email": "Finance@Acme.example",
    "tax_rate_bp": 1900,
    "invoice_language": "en",
}


async def _admin_headers(app, admin_session) -> tuple[object, dict[str, str]]:
    tenant = TenantFactory()
    await save(admin_session, tenant)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    return tenant, bearer(app, admin, Role.CLIENT_ADMIN, tenant.id)


async def test_a_profile_is_empty_until_saved_and_then_keeps_the_tax_id_in_its_compact_form(app, client, admin_session):
    tenant, headers = await _admin_headers(app, admin_session)
    empty = await client.get(PROFILE, headers=headers)

    saved = await client.put(PROFILE, json=ACME, headers=headers)

    assert empty.status_code == 200 and empty.json()["legal_name"] is None and empty.json()["updated_at"] is None
    assert saved.status_code == 200, saved.text
    assert (saved.json()["tax_id"], saved.json()["billing_email"]) == ("136695976", "Finance@acme.example")
    assert (await client.get(PROFILE, headers=headers)).json() == saved.json()
    actions = await admin_session.scalars(select(AuditEvent.action).where(AuditEvent.tenant_id == tenant.id))
    assert list(actions) == ["billing_profile.saved"]


async def test_saving_the_same_profile_again_records_nothing(app, client, admin_session):
    tenant, headers = await _admin_headers(app, admin_session)
    await client.put(PROFILE, json=ACME, headers=headers)

    again = await client.put(PROFILE, json=ACME, headers=headers)

    assert again.status_code == 200
    events = await admin_session.scalars(select(AuditEvent.action).where(AuditEvent.tenant_id == tenant.id))
    assert len(list(events)) == 1


async def test_a_tax_id_that_is_not_one_for_its_country_is_refused_naming_the_field(app, client, admin_session):
    tenant, headers = await _admin_headers(app, admin_session)

    response = await client.put(PROFILE, json={**ACME, "tax_id": "DE 136,695,977"}, headers=headers)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("tax_id: 'DE 136,695,977' is not a valid DE tax number: ")
    assert await admin_session.get(BillingProfile, tenant.id) is None


async def test_a_country_without_a_vat_format_keeps_the_tax_id_as_typed_and_a_put_without_one_clears_it(
    app, client, admin_session
):
    _, headers = await _admin_headers(app, admin_session)
    saudi = {**ACME, "country": "SA", "tax_id": "300000000000003", "invoice_language": "ar", "tax_rate_bp": 1500}

    first = await client.put(PROFILE, json=saudi, headers=headers)
    cleared = await client.put(PROFILE, json={**saudi, "tax_id": None}, headers=headers)

    assert (first.json()["tax_id"], first.json()["invoice_language"]) == ("300000000000003", "ar")
    assert cleared.json()["tax_id"] is None


async def test_bad_values_are_refused_with_a_clear_400(app, client, admin_session):
    _, headers = await _admin_headers(app, admin_session)

    bad_rate = await client.put(PROFILE, json={**ACME, "tax_rate_bp": 10001}, headers=headers)
    bad_country = await client.put(PROFILE, json={**ACME, "country": "de"}, headers=headers)
    bad_email = await client.put(PROFILE, json={**ACME, "billing_email": "not an address"}, headers=headers)

    assert [r.status_code for r in (bad_rate, bad_country, bad_email)] == [400, 400, 400]
    assert bad_email.json()["detail"].startswith("billing_email: ")
