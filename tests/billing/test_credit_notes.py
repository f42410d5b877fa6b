"""Credit notes: partial or full corrections of a finalized invoice, never more than invoiced, gap-free numbers."""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bo_saas.billing.models import CreditNote, Invoice, InvoiceLanguage
from bo_saas.lib.caller import Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from tests.auth import bearer
from tests.billing.helpers import billing_profile, run_through_api, subscribed_tenant
from tests.factories import client_user, staff_user

# Each test bills through the API: a worker carries the runs out.
pytestmark = pytest.mark.usefixtures("job_worker")

INVOICES = "/api/v1/invoices"
CREDIT_NOTES = "/api/v1/credit-notes"


async def _finalized_invoice(app, client, admin_session, tax_rate_bp: int = 1500):
    """A growth tenant's October invoice (999.00 + tax), finalized; with a provider admin's headers for it."""
    tenant = await subscribed_tenant(admin_session, "growth")
    await billing_profile(admin_session, tenant, tax_rate_bp)
    admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    headers = {**bearer(app, admin, Role.PROVIDER_ADMIN), "X-Tenant": str(tenant.id)}
    await run_through_api(client, headers, {"period": "2026-10"})
    [draft] = (await client.get(INVOICES, headers=headers)).json()["items"]
    finalized = await client.post(f"{INVOICES}/{draft['id']}/finalize", headers=headers)
    assert finalized.status_code == 200, finalized.text
    return tenant, headers, finalized.json()


async def test_a_partial_then_a_full_credit_note_credit_the_invoice_exactly_and_void_it(app, client, admin_session):
    tenant, headers, invoice = await _finalized_invoice(app, client, admin_session)
    assert (invoice["subtotal"], invoice["tax"], invoice["total"]) == (99900, 14985, 114885)

    partial = await client.post(
        CREDIT_NOTES, json={"invoice_id": invoice["id"], "amount": 10000, "reason": "Two days of downtime"},
        headers=headers,
    )  # fmt: skip
    after_partial = (await client.get(f"{INVOICES}/{invoice['id']}", headers=headers)).json()
    full = await client.post(
        CREDIT_NOTES, json={"invoice_id": invoice["id"], "reason": "Billed in error"}, headers=headers
    )
    after_full = (await client.get(f"{INVOICES}/{invoice['id']}", headers=headers)).json()
    again = await client.post(CREDIT_NOTES, json={"invoice_id": invoice["id"], "reason": "Once more"}, headers=headers)

    assert partial.status_code == 201, partial.text
    year = utc_now().year
    body = partial.json()
    assert (body["number"], body["invoice_number"], body["subtotal"], body["tax"], body["total"], body["full"]) == (
        f"CN-{year}-000001", invoice["number"], 10000, 1500, 11500, False,
    )  # fmt: skip
    assert (after_partial["status"], after_partial["amount_due"]) == ("open", 114885 - 11500)
    assert full.status_code == 201, full.text
    assert (full.json()["number"], full.json()["subtotal"], full.json()["tax"], full.json()["full"]) == (
        f"CN-{year}-000002", 89900, 13485, True,
    )  # fmt: skip
    assert (after_full["status"], after_full["amount_due"]) == ("void", 0)
    assert again.status_code == 409 and "void" in again.json()["detail"]
    listed = (await client.get(CREDIT_NOTES, headers=headers)).json()
    assert [note["number"] for note in listed["items"]] == [f"CN-{year}-000002", f"CN-{year}-000001"]
    client_admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    mine = await client.get(CREDIT_NOTES, headers=bearer(app, client_admin, Role.CLIENT_ADMIN, tenant.id))
    assert mine.json()["total"] == 2


async def test_more_than_invoiced_a_draft_and_another_tenants_invoice_are_refused_and_nothing_is_written(
    app, client, admin_session
):
    _, headers, invoice = await _finalized_invoice(app, client, admin_session)
    other = await subscribed_tenant(admin_session, "growth")
    other_admin = await staff_user(admin_session, Role.PROVIDER_ADMIN)
    other_headers = {**bearer(app, other_admin, Role.PROVIDER_ADMIN), "X-Tenant": str(other.id)}
    await run_through_api(client, headers, {"period": "2026-09"})
    draft = next(i for i in (await client.get(INVOICES, headers=headers)).json()["items"] if i["status"] == "draft")

    too_much = await client.post(
        CREDIT_NOTES, json={"invoice_id": invoice["id"], "amount": 99901, "reason": "x"}, headers=headers
    )
    on_draft = await client.post(CREDIT_NOTES, json={"invoice_id": draft["id"], "reason": "x"}, headers=headers)
    elsewhere = await client.post(
        CREDIT_NOTES, json={"invoice_id": invoice["id"], "reason": "x"}, headers=other_headers
    )
    no_reason = await client.post(CREDIT_NOTES, json={"invoice_id": invoice["id"], "reason": ""}, headers=headers)
    not_an_id = await client.post(CREDIT_NOTES, json={"invoice_id": "nope", "reason": "x"}, headers=headers)

    assert too_much.status_code == 400 and too_much.json()["extra"] == {"field": "amount", "most": 99900}
    assert on_draft.status_code == 409 and "draft" in on_draft.json()["detail"]
    assert elsewhere.status_code == 404
    assert no_reason.status_code == 400
    assert not_an_id.status_code == 404
    assert await admin_session.scalar(select(func.count()).select_from(CreditNote)) == 0
    unchanged = (await client.get(f"{INVOICES}/{invoice['id']}", headers=headers)).json()
    assert (unchanged["status"], unchanged["amount_due"]) == ("open", invoice["total"])


async def test_the_database_refuses_a_credit_past_the_total_and_any_change_to_an_issued_note(
    app, client, admin_session, runtime_sessionmaker
):
    tenant, headers, invoice = await _finalized_invoice(app, client, admin_session)
    issued = await client.post(CREDIT_NOTES, json={"invoice_id": invoice["id"], "amount": 100, "reason": "x"},
                               headers=headers)  # fmt: skip
    note_id = issued.json()["id"]

    async def as_runtime(statement: str, **values) -> None:
        async with runtime_sessionmaker() as session:
            set_scope(session, TenantScope.of(tenant.id))
            async with session.begin():
                await session.execute(text(statement), values)

    with pytest.raises(DBAPIError, match="would come to"):
        await as_runtime(
            "INSERT INTO credit_notes (tenant_id, id, invoice_id, number, reason, currency, subtotal, tax_rate_bp,"
            " tax, total, \"full\", issued_at) VALUES (:t, :id, :invoice, 'CN-2026-999999', 'x', 'USD', :total, 0,"
            " 0, :total, false, now())",
            t=tenant.id, id=uuid4(), invoice=invoice["id"], total=invoice["total"],
        )  # fmt: skip
    # The runtime role may not even try; the owner (migrations, an operator's psql) is refused by the trigger.
    with pytest.raises(DBAPIError, match="permission denied"):
        await as_runtime("UPDATE credit_notes SET reason = 'changed' WHERE id = :id", id=note_id)
    for statement in ("UPDATE credit_notes SET reason = 'changed' WHERE id = :id",
                      "DELETE FROM credit_notes WHERE id = :id"):  # fmt: skip
        with pytest.raises(DBAPIError, match="never changes"):
            await admin_session.execute(text(statement), {"id": note_id})
        await admin_session.rollback()
    amounts = await admin_session.execute(
        select(Invoice.amount_credited, Invoice.amount_due).where(Invoice.id == invoice["id"])
    )
    assert amounts.one() == (115, invoice["total"] - 115)


@pytest.mark.parametrize("language", [InvoiceLanguage.EN, InvoiceLanguage.AR])
async def test_a_credit_note_pdf_is_written_in_the_profiles_language(app, client, admin_session, language):
    tenant, headers, invoice = await _finalized_invoice(app, client, admin_session)
    await admin_session.execute(
        text("UPDATE billing_profiles SET invoice_language = :language WHERE tenant_id = :t"),
        {"language": language.value, "t": tenant.id},
    )
    await admin_session.commit()
    issued = await client.post(CREDIT_NOTES, json={"invoice_id": invoice["id"], "reason": "Refund"}, headers=headers)

    pdf = await client.get(f"{CREDIT_NOTES}/{issued.json()['id']}/pdf", headers=headers)

    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 2000
    assert issued.json()["number"] in pdf.headers["content-disposition"]
