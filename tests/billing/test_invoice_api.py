"""Invoices, one-off charges and billing runs through the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction

from bo_saas.billing.periods import local_day, month_of
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from tests.auth import bearer
from tests.billing.helpers import run_through_api, subscribed_tenant
from tests.factories import client_user, staff_user

INVOICES = "/api/v1/invoices"


async def _provider(app, admin_session, tenant) -> dict[str, str]:
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    return {**bearer(app, admin, Role.PROVIDER_ADMIN), "X-Tenant": str(tenant.id)}


async def test_a_provider_admin_charges_runs_billing_and_finalizes_with_gap_free_numbers(
    app, client, admin_session, job_worker
):
    tenant = await subscribed_tenant(admin_session, "growth")
    headers = await _provider(app, admin_session, tenant)
    charge = {"period": "2026-10", "description": "Data migration", "amount": 25000}

    added = await client.post("/api/v1/charges", json=charge, headers=headers)
    run, finished = await run_through_api(client, headers, {"period": "2026-10"})
    await run_through_api(client, headers, {"period": "2026-09"})
    drafts = (await client.get(INVOICES, headers=headers)).json()
    october, september = drafts["items"]
    finalized = await client.post(f"{INVOICES}/{september['id']}/finalize", headers=headers)
    second = await client.post(f"{INVOICES}/{october['id']}/finalize", headers=headers)
    again = await client.post(f"{INVOICES}/{october['id']}/finalize", headers=headers)

    assert added.status_code == 201, added.text
    assert run.status_code == 202, run.text
    assert (run.json()["status"], run.json()["tenants_total"], run.json()["tenants_done"]) == ("running", 1, 0)
    assert (finished["status"], finished["tenants_done"], finished["created"], finished["failures"]) == (
        "finished", 1, 1, [],
    )  # fmt: skip
    assert drafts["total"] == 2 and (drafts["limit"], drafts["offset"]) == (50, 0)
    assert list(october) == [
        "id", "number", "status", "period", "currency", "lines", "subtotal", "tax", "total", "amount_due",
        "issued_at", "due_at",
    ]  # fmt: skip
    assert october["lines"] == [
        {"kind": "base_fee", "description": "Growth v1 base fee", "quantity": 1, "unit_price": "999.00",
         "amount": 99900},
        {"kind": "charge", "description": "Data migration", "quantity": 1, "unit_price": "250.00", "amount": 25000},
    ]  # fmt: skip
    assert (october["status"], october["number"], october["total"], october["amount_due"]) == (
        "draft", None, 124900, 124900,
    )  # fmt: skip
    assert finalized.status_code == 200, finalized.text
    year = datetime.fromisoformat(finalized.json()["issued_at"]).year
    assert finalized.json()["number"] == f"INV-{year}-000001"
    assert second.json()["number"] == f"INV-{year}-000002"
    body = second.json()
    assert body["status"] == "open"
    issued, due = datetime.fromisoformat(body["issued_at"]), datetime.fromisoformat(body["due_at"])
    assert due - issued == timedelta(days=14)
    assert again.status_code == 409
    assert again.json()["detail"] == f"Invoice INV-{year}-000002 is already finalized (open)"


async def test_a_finalized_period_takes_no_more_charges_and_bad_charges_are_clear_400s(
    app, client, admin_session, job_worker
):
    tenant = await subscribed_tenant(admin_session, "growth")
    headers = await _provider(app, admin_session, tenant)
    await run_through_api(client, headers, {"period": "2026-10"})
    (invoice,) = (await client.get(INVOICES, headers=headers)).json()["items"]
    await client.post(f"{INVOICES}/{invoice['id']}/finalize", headers=headers)

    late = await client.post(
        "/api/v1/charges", json={"period": "2026-10", "description": "Late", "amount": 100}, headers=headers
    )
    zero = await client.post(
        "/api/v1/charges", json={"period": "2026-11", "description": "Free", "amount": 0}, headers=headers
    )
    month = await client.post(
        "/api/v1/charges", json={"period": "2026-13", "description": "Bad", "amount": 1}, headers=headers
    )

    assert late.status_code == 409
    assert late.json()["detail"].startswith("period: the invoice for 2026-10 is finalized (INV-")
    assert zero.status_code == 400 and "amount" in str(zero.json()["extra"])  # Litestar names the field
    assert month.status_code == 400 and "period" in str(month.json()["extra"])


async def test_a_run_for_a_period_not_ended_is_refused_and_clients_see_only_their_invoices(
    app, client, admin_session, job_worker
):
    tenant = await subscribed_tenant(admin_session, "growth")
    headers = await _provider(app, admin_session, tenant)
    client_admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    own = bearer(app, client_admin, Role.CLIENT_ADMIN, tenant.id)

    refused, _ = await run_through_api(client, headers, {"period": "2999-01"})
    await run_through_api(client, headers, {"period": "2026-10"})
    listed = await client.get(INVOICES, headers=own)
    (invoice,) = listed.json()["items"]
    one = await client.get(f"{INVOICES}/{invoice['id']}", headers=own)
    runs = await client.get("/api/v1/billing/runs", headers=headers)

    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("period: 2999-01 has not ended yet for ")
    assert one.json() == invoice and invoice["period"] == "2026-10"
    assert [(r["period"], r["created"]) for r in runs.json()["items"]] == [("2026-10", 1)]


async def test_cancelling_ends_the_subscription_at_once_with_a_finalized_final_invoice(app, client, admin_session):
    tenant = await subscribed_tenant(admin_session, "growth")
    client_admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    headers = bearer(app, client_admin, Role.CLIENT_ADMIN, tenant.id)
    today = local_day(utc_now(), tenant.timezone)
    period = month_of(utc_now(), tenant.timezone)
    days = (today - period.first_day).days + 1

    cancelled = await client.delete("/api/v1/subscription", headers=headers)
    again = await client.delete("/api/v1/subscription", headers=headers)

    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert body["subscription"]["status"] == "cancelled"
    final = body["final_invoice"]
    assert (final["status"], final["period"]) == ("open", period.label)
    assert final["number"].startswith("INV-")
    # Base fee to today, inclusive (the whole month on its last day); nothing used, no seats beyond growth's 10.
    described = "Growth v1 base fee" + (f", {days} of {period.days} days" if days < period.days else "")
    amount = round(Fraction(99900 * days, period.days))
    assert [(line["kind"], line["description"], line["amount"]) for line in final["lines"]] == [
        ("base_fee", described, amount)
    ]
    assert final["total"] == amount
    assert again.status_code == 409


async def test_an_invoice_downloads_as_a_pdf_in_the_profiles_language_and_another_tenants_is_404(
    app, client, admin_session, job_worker
):
    tenant = await subscribed_tenant(admin_session, "growth")
    other = await subscribed_tenant(admin_session, "starter")
    headers = await _provider(app, admin_session, tenant)
    profile = {"legal_name": "شركة أكمي للتجارة", "address": "Riyadh", "country": "SA", "tax_rate_bp": 1500,
               "invoice_language": "ar", "billing_email": "billing@acme.example"}  # fmt: skip
    await client.put("/api/v1/billing/profile", json=profile, headers=headers)
    await run_through_api(client, headers, {"period": "2026-10"})
    (invoice,) = (await client.get(INVOICES, headers=headers)).json()["items"]
    await client.post(f"{INVOICES}/{invoice['id']}/finalize", headers=headers)
    other_headers = {**headers, "X-Tenant": str(other.id)}

    pdf = await client.get(f"{INVOICES}/{invoice['id']}/pdf", headers=headers)
    across = await client.get(f"{INVOICES}/{invoice['id']}/pdf", headers=other_headers)

    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and b"Amiri" in pdf.content
    assert 'filename="INV-' in pdf.headers["content-disposition"]
    assert b"/Lang (ar)" in pdf.content
    assert across.status_code == 404
