"""Saving a card and paying invoices through the API, against localstripe; bank transfers; refusals."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
import stripe
from sqlalchemy import func, select

from bo_saas.billing.models import InvoicePayment, StripeCustomer
from bo_saas.lib.clock import utc_now
from tests.billing.helpers import version_of
from tests.billing.stripe_peer import (
    DECLINES,
    DECLINES_WHEN_CHARGED,
    INVOICES,
    METHOD,
    SETUP,
    VISA,
    open_invoice,
    provider_headers,
    save_card,
    tenant_admin,
)
from tests.factories import InvoiceFactory, save


async def test_a_saved_visa_pays_an_open_invoice_and_the_tenant_has_one_stripe_customer(
    stripe_app, stripe_client, stripe_peer, admin_session
):
    tenant, headers = await tenant_admin(stripe_app, admin_session)
    invoice = await open_invoice(admin_session, tenant)

    second_setup = await stripe_client.post(SETUP, headers=headers)
    saved = await save_card(stripe_client, headers, stripe_peer, VISA)
    shown = await stripe_client.get(METHOD, headers=headers)
    paid = await stripe_client.post(f"{INVOICES}/{invoice.id}/pay", headers=headers)
    after = (await stripe_client.get(f"{INVOICES}/{invoice.id}", headers=headers)).json()
    payments = (await stripe_client.get(f"{INVOICES}/{invoice.id}/payments", headers=headers)).json()

    assert second_setup.json()["client_secret"].startswith(second_setup.json()["setup_intent_id"])
    assert saved.status_code == 200, saved.text
    assert shown.json() == {
        "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2031},
        "card_payments": True,
    }
    assert paid.status_code == 201, paid.text
    assert (paid.json()["status"], paid.json()["amount"], paid.json()["attempt"]) == ("succeeded", 124900, 1)
    assert (after["status"], after["amount_due"]) == ("paid", 0)
    assert [(p["method"], p["status"], p["amount"]) for p in payments["items"]] == [("card", "succeeded", 124900)]
    intents = stripe_peer.listed("payment_intents")
    assert len(intents) == 1, intents
    (intent,) = intents
    assert (intent["status"], intent["amount"], intent["currency"]) == ("succeeded", 124900, "usd")
    assert intent["metadata"]["bo_invoice_id"] == str(invoice.id)
    assert len(stripe_peer.listed("customers")) == 1
    assert await admin_session.scalar(select(func.count()).select_from(StripeCustomer)) == 1


async def test_a_card_that_declines_when_charged_fails_the_payment_and_the_invoice_stays_open(
    stripe_app, stripe_client, stripe_peer, admin_session
):
    tenant, headers = await tenant_admin(stripe_app, admin_session)
    invoice = await open_invoice(admin_session, tenant)
    saved = await save_card(stripe_client, headers, stripe_peer, DECLINES_WHEN_CHARGED)

    first = await stripe_client.post(f"{INVOICES}/{invoice.id}/pay", headers=headers)
    retry = await stripe_client.post(f"{INVOICES}/{invoice.id}/pay", headers=headers)
    after = (await stripe_client.get(f"{INVOICES}/{invoice.id}", headers=headers)).json()

    assert saved.json()["card"]["last4"] == "0341"
    assert (first.status_code, first.json()["status"]) == (201, "failed")
    assert first.json()["failure_message"] == "Your card was declined."
    assert (retry.json()["status"], retry.json()["attempt"]) == ("failed", 2)
    assert (after["status"], after["amount_due"]) == ("open", 124900)
    intents = stripe_peer.listed("payment_intents")
    assert sorted(i["status"] for i in intents) == ["requires_payment_method", "requires_payment_method"]


async def test_a_card_that_declines_at_once_is_never_saved_and_nothing_is_charged(
    stripe_app, stripe_client, stripe_peer, admin_session
):
    tenant, headers = await tenant_admin(stripe_app, admin_session)
    invoice = await open_invoice(admin_session, tenant)
    setup = (await stripe_client.post(SETUP, headers=headers)).json()

    with pytest.raises(stripe.CardError):
        stripe_peer.confirm_setup(setup["setup_intent_id"], DECLINES)
    confirmed = await stripe_client.post(METHOD, json={"setup_intent_id": setup["setup_intent_id"]}, headers=headers)
    shown = await stripe_client.get(METHOD, headers=headers)
    pay = await stripe_client.post(f"{INVOICES}/{invoice.id}/pay", headers=headers)

    assert confirmed.status_code == 409
    assert confirmed.json()["detail"] == "The card setup has not succeeded (it is canceled); confirm it first"
    assert shown.json() == {"card": None, "card_payments": True}
    assert (pay.status_code, pay.json()["detail"]) == (409, "No card on file: save a card first")
    assert stripe_peer.listed("payment_intents") == []


async def test_paying_twice_at_once_charges_once(stripe_app, stripe_client, stripe_peer, admin_session):
    tenant, headers = await tenant_admin(stripe_app, admin_session)
    invoice = await open_invoice(admin_session, tenant)
    await save_card(stripe_client, headers, stripe_peer, VISA)

    answers = await asyncio.gather(
        *(stripe_client.post(f"{INVOICES}/{invoice.id}/pay", headers=headers) for _ in range(2))
    )
    again = await stripe_client.post(f"{INVOICES}/{invoice.id}/pay", headers=headers)

    assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 409).json()["detail"]
    assert refused in (
        f"A payment of invoice {invoice.number} is in flight; wait for its outcome",
        f"Invoice {invoice.number} is paid: only open invoices take payments",
    )
    assert (again.status_code, again.json()["detail"]) == (
        409, f"Invoice {invoice.number} is paid: only open invoices take payments"
    )  # fmt: skip
    assert len(stripe_peer.listed("payment_intents")) == 1
    assert await admin_session.scalar(select(func.count()).select_from(InvoicePayment)) == 1


async def test_a_setup_of_another_tenant_and_another_tenants_invoice_answer_404(
    stripe_app, stripe_client, stripe_peer, admin_session
):
    tenant, headers = await tenant_admin(stripe_app, admin_session)
    other, other_headers = await tenant_admin(stripe_app, admin_session)
    theirs = await open_invoice(admin_session, other)
    await save_card(stripe_client, headers, stripe_peer, VISA)
    their_setup = (await stripe_client.post(SETUP, headers=other_headers)).json()["setup_intent_id"]
    stripe_peer.confirm_setup(their_setup, VISA)
    provider = await provider_headers(stripe_app, admin_session, tenant)

    taken = await stripe_client.post(METHOD, json={"setup_intent_id": their_setup}, headers=headers)
    unknown = await stripe_client.post(METHOD, json={"setup_intent_id": "seti_nosuchsetup"}, headers=headers)
    pay = await stripe_client.post(f"{INVOICES}/{theirs.id}/pay", headers=headers)
    listed = await stripe_client.get(f"{INVOICES}/{theirs.id}/payments", headers=headers)
    transfer = await stripe_client.post(
        f"{INVOICES}/{theirs.id}/payments",
        json={"amount": 100, "reference": "TRF-1", "received_on": utc_now().date().isoformat()},
        headers=provider,
    )

    assert [r.status_code for r in (taken, unknown, pay, listed, transfer)] == [404, 404, 404, 404, 404]
    assert (await stripe_client.get(METHOD, headers=other_headers)).json()["card"] is None
    assert stripe_peer.listed("payment_intents") == []
    assert await admin_session.scalar(select(func.count()).select_from(InvoicePayment)) == 0


async def test_bank_transfers_recorded_by_a_provider_admin_pay_the_invoice_and_more_is_refused(
    stripe_app, stripe_client, admin_session
):
    tenant, client_headers = await tenant_admin(stripe_app, admin_session)
    invoice = await open_invoice(admin_session, tenant, total=100000)
    headers = await provider_headers(stripe_app, admin_session, tenant)
    today = utc_now().date().isoformat()
    url = f"{INVOICES}/{invoice.id}/payments"

    by_client = await stripe_client.post(
        url, json={"amount": 100, "reference": "TRF-0", "received_on": today}, headers=client_headers
    )
    part = await stripe_client.post(
        url, json={"amount": 40000, "reference": "TRF-1", "received_on": today}, headers=headers
    )
    too_much = await stripe_client.post(
        url, json={"amount": 60001, "reference": "TRF-2", "received_on": today}, headers=headers
    )
    future = await stripe_client.post(
        url,
        json={"amount": 100, "reference": "TRF-3", "received_on": (utc_now() + timedelta(days=2)).date().isoformat()},
        headers=headers,
    )
    zero = await stripe_client.post(
        url, json={"amount": 0, "reference": "TRF-4", "received_on": today}, headers=headers
    )
    rest = await stripe_client.post(
        url, json={"amount": 60000, "reference": "TRF-5", "received_on": today}, headers=headers
    )
    after_paid = await stripe_client.post(
        url, json={"amount": 1, "reference": "TRF-6", "received_on": today}, headers=headers
    )
    invoice_now = (await stripe_client.get(f"{INVOICES}/{invoice.id}", headers=client_headers)).json()
    listed = (await stripe_client.get(url, headers=client_headers)).json()

    assert by_client.status_code == 403
    assert part.status_code == 201, part.text
    assert (part.json()["method"], part.json()["status"], part.json()["reference"]) == (
        "bank_transfer", "succeeded", "TRF-1"
    )  # fmt: skip
    assert too_much.status_code == 422
    assert too_much.json()["detail"] == (
        f"The transfer of 60001 is more than the 60000 still open on invoice {invoice.number}"
    )
    assert (future.status_code, zero.status_code) == (400, 400)
    assert rest.status_code == 201, rest.text
    assert after_paid.status_code == 409
    assert (invoice_now["status"], invoice_now["amount_due"]) == ("paid", 0)
    assert [(p["attempt"], p["amount"]) for p in listed["items"]] == [(1, 40000), (2, 60000)]
    assert listed["total"] == 2


async def test_a_draft_invoice_and_one_with_nothing_due_take_no_payment(stripe_app, stripe_client, admin_session):
    tenant, client_headers = await tenant_admin(stripe_app, admin_session)
    version = await version_of(admin_session, "growth")
    draft = InvoiceFactory(tenant_id=tenant.id, plan_version_id=version.id)
    await save(admin_session, draft)
    nothing_due = await open_invoice(admin_session, tenant, total=0, period="2026-11")
    headers = await provider_headers(stripe_app, admin_session, tenant)

    transfer = await stripe_client.post(
        f"{INVOICES}/{draft.id}/payments",
        json={"amount": 100, "reference": "TRF-1", "received_on": utc_now().date().isoformat()},
        headers=headers,
    )
    pay = await stripe_client.post(f"{INVOICES}/{nothing_due.id}/pay", headers=client_headers)

    assert transfer.status_code == 409
    assert transfer.json()["detail"] == "Invoice draft 2026-10 is draft: only open invoices take payments"
    assert (pay.status_code, pay.json()["detail"]) == (409, f"Invoice {nothing_due.number} has nothing left to pay")


async def test_without_stripe_configured_payment_routes_answer_503_and_the_card_says_cards_are_not_taken(
    app, client, admin_session
):
    tenant, headers = await tenant_admin(app, admin_session)
    invoice = await open_invoice(admin_session, tenant)

    setup = await client.post(SETUP, headers=headers)
    pay = await client.post(f"{INVOICES}/{invoice.id}/pay", headers=headers)
    event = await client.post("/api/v1/billing/stripe/events", content=b"{}", headers={"Stripe-Signature": "t=1,v1=0"})
    shown = await client.get(METHOD, headers=headers)

    assert (setup.status_code, setup.json()["detail"]) == (503, "Payments are not configured: set BO_STRIPE_API_KEY")
    assert (pay.status_code, pay.json()["detail"]) == (503, "Payments are not configured: set BO_STRIPE_API_KEY")
    assert (event.status_code, event.json()["detail"]) == (
        503, "Payments are not configured: set BO_STRIPE_WEBHOOK_SECRET"
    )  # fmt: skip
    assert shown.json() == {"card": None, "card_payments": False}
