"""Stripe's webhook: signatures, each event once, any order, the tenant found from our own records."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter

from sqlalchemy import func, select

from bo_saas.billing.models import Invoice, InvoicePayment, StripeCustomer, StripeEvent
from tests.billing.stripe_peer import (
    DECLINES_WHEN_CHARGED,
    EVENTS,
    INVOICES,
    METHOD,
    SETUP,
    VISA,
    open_invoice,
    save_card,
    signature,
    signed,
    tenant_admin,
)
from tests.factories import InvoicePaymentFactory, save


async def _customer(session, tenant) -> StripeCustomer:
    return await session.scalar(
        select(StripeCustomer).where(StripeCustomer.tenant_id == tenant.id).execution_options(populate_existing=True)
    )


async def _charged_in_flight(stripe_app, stripe_client, peer, session):
    """Two open invoices charged at localstripe (one card succeeds, one declines), our payments still processing."""
    tenant, headers = await tenant_admin(stripe_app, session)
    await save_card(stripe_client, headers, peer, VISA)
    customer = await _customer(session, tenant)
    good = await open_invoice(session, tenant, total=50000, period="2026-09")
    bad = await open_invoice(session, tenant, total=70000, period="2026-10")
    charges = [
        (good, peer.charge(customer.stripe_customer_id, customer.card_payment_method_id, good.total)),
        (bad, peer.charge(customer.stripe_customer_id, peer.card(DECLINES_WHEN_CHARGED), bad.total)),
    ]
    await save(
        session,
        *(
            InvoicePaymentFactory(tenant_id=tenant.id, invoice_id=i.id, amount=i.total, stripe_payment_intent_id=intent)
            for i, intent in charges
        ),
    )
    return good, bad, {intent for _, intent in charges}


def _with_processing(events: list[dict]) -> list[dict]:
    """Each event, and an older ``payment_intent.processing`` for the same PaymentIntent (Stripe may send both)."""
    older = [
        {
            **event,
            "id": f"{event['id']}_processing",
            "type": "payment_intent.processing",
            "created": event["created"] - 1,
            "data": {"object": {**event["data"]["object"], "status": "processing", "last_payment_error": None}},
        }
        for event in events
    ]
    return events + older


async def _state(session, invoice) -> tuple:
    payment = await session.scalar(
        select(InvoicePayment).where(InvoicePayment.invoice_id == invoice.id).execution_options(populate_existing=True)
    )
    stored = await session.scalar(
        select(Invoice).where(Invoice.id == invoice.id).execution_options(populate_existing=True)
    )
    await session.commit()
    return (payment.status.value, payment.failure_message, stored.status.value, stored.amount_paid, stored.amount_due)


async def test_events_replayed_shuffled_three_times_reach_the_same_state_and_each_is_applied_once(
    stripe_app, stripe_client, stripe_peer, admin_session
):
    finals, outcomes = [], []
    for seed in (1, 2, 3):
        good, bad, intents = await _charged_in_flight(stripe_app, stripe_client, stripe_peer, admin_session)
        events = [e for e in stripe_peer.listed("events") if e["data"]["object"].get("id") in intents]
        deliveries = _with_processing(events) * 2  # every event twice: Stripe delivers at least once
        random.Random(seed).shuffle(deliveries)

        answers = [await stripe_client.post(EVENTS, content=body, headers=h) for body, h in map(signed, deliveries)]

        assert sorted(e["type"] for e in events) == ["payment_intent.payment_failed", "payment_intent.succeeded"]
        assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
        outcomes.append(Counter(a.json()["outcome"] for a in answers))
        finals.append((await _state(admin_session, good), await _state(admin_session, bad)))

    assert (
        finals == [(("succeeded", None, "paid", 50000, 0), ("failed", "Your card was declined.", "open", 0, 70000))] * 3
    )
    assert outcomes == [Counter(processed=4, duplicate=4)] * 3
    assert await admin_session.scalar(select(func.count()).select_from(StripeEvent)) == 12
    assert await admin_session.scalar(select(func.count()).where(StripeEvent.processed_at.is_(None))) == 0


async def test_a_forged_stale_or_missing_signature_is_refused_and_nothing_is_written(
    stripe_app, stripe_client, stripe_peer, admin_session
):
    good, _, _ = await _charged_in_flight(stripe_app, stripe_client, stripe_peer, admin_session)
    (succeeded,) = [e for e in stripe_peer.listed("events", type="payment_intent.succeeded")]

    forged = await _post(stripe_client, *signed(succeeded, secret="whsec_someone_else"))
    stale = await _post(stripe_client, *signed(succeeded, at=int(time.time()) - 600))
    body, _ = signed(succeeded)
    missing = await _post(stripe_client, body, {"Content-Type": "application/json"})
    not_event = await _post(stripe_client, b"not json", signature(b"not json"))

    assert [r.status_code for r in (forged, stale, missing, not_event)] == [400, 400, 400, 400]
    assert forged.json()["detail"].startswith("The Stripe-Signature does not match this body, or is too old")
    assert missing.json()["detail"] == "The Stripe-Signature header is missing"
    assert not_event.json()["detail"] == "The body is not a Stripe event"
    assert await admin_session.scalar(select(func.count()).select_from(StripeEvent)) == 0
    assert (await _state(admin_session, good))[:3] == ("processing", None, "open")


async def _post(client, body: bytes, headers: dict):
    return await client.post(EVENTS, content=body, headers=headers)


async def test_an_event_about_a_payment_intent_we_never_made_is_stored_and_ignored(stripe_client, admin_session):
    event = {
        "id": "evt_not_ours", "object": "event", "type": "payment_intent.succeeded", "created": int(time.time()),
        "data": {"object": {"id": "pi_not_ours", "object": "payment_intent", "status": "succeeded"}},
    }  # fmt: skip
    body, headers = signed(event)

    answer = await stripe_client.post(EVENTS, content=body, headers=headers)

    assert (answer.status_code, answer.json()) == (200, {"outcome": "ignored"})
    stored = await admin_session.get(StripeEvent, "evt_not_ours")
    assert stored.processed_at is not None


async def test_setup_events_keep_the_newest_setups_card_whatever_order_they_arrive_in(
    stripe_app, stripe_client, stripe_peer, admin_session
):
    tenant, headers = await tenant_admin(stripe_app, admin_session)
    first = (await stripe_client.post(SETUP, headers=headers)).json()["setup_intent_id"]
    stripe_peer.confirm_setup(first, VISA)
    await asyncio.sleep(1.1)  # Stripe dates a setup to the second
    second = (await stripe_client.post(SETUP, headers=headers)).json()["setup_intent_id"]
    stripe_peer.confirm_setup(second, DECLINES_WHEN_CHARGED)
    newer, older = (_setup_event(stripe_peer.setup_intent(i)) for i in (second, first))

    answers = [await stripe_client.post(EVENTS, content=b, headers=h) for b, h in map(signed, (newer, older))]
    shown = await stripe_client.get(METHOD, headers=headers)

    assert [a.json()["outcome"] for a in answers] == ["processed", "processed"]
    assert shown.json()["card"]["last4"] == "0341"
    assert (await _customer(admin_session, tenant)).card_setup_intent_id == second


def _setup_event(setup_intent: dict) -> dict:
    return {
        "id": f"evt_{setup_intent['id']}", "object": "event", "type": "setup_intent.succeeded",
        "created": setup_intent["created"], "data": {"object": setup_intent},
    }  # fmt: skip


async def test_an_event_localstripe_delivers_is_accepted_as_signed(
    stripe_app, stripe_client, stripe_peer, admin_session, receiver
):
    tenant, headers = await tenant_admin(stripe_app, admin_session)
    await save_card(stripe_client, headers, stripe_peer, VISA)
    invoice = await open_invoice(admin_session, tenant)
    stripe_peer.register_webhook(f"{receiver.url}/stripe")

    paid = await stripe_client.post(f"{INVOICES}/{invoice.id}/pay", headers=headers)
    delivered = await _delivered(receiver, "payment_intent.succeeded")
    forwarded = await stripe_client.post(
        EVENTS,
        content=delivered.body,
        headers={"Stripe-Signature": delivered.headers["Stripe-Signature"], "Content-Type": "application/json"},
    )

    assert paid.json()["status"] == "succeeded"
    assert (forwarded.status_code, forwarded.json()) == (200, {"outcome": "processed"})
    payments = (await stripe_client.get(f"{INVOICES}/{invoice.id}/payments", headers=headers)).json()["items"]
    assert [(p["status"], p["amount"]) for p in payments] == [("succeeded", 124900)]


async def _delivered(receiver, event_type: str):
    """The first request localstripe posted with that event type (it sends about a second after the change)."""
    for _ in range(100):
        for request in receiver.on("/stripe"):
            if f'"type": "{event_type}"'.encode() in request.body:
                return request
        await asyncio.sleep(0.1)
    raise AssertionError(f"localstripe delivered no {event_type}")


async def test_an_event_before_the_charges_answer_was_stored_finds_the_payment_by_its_metadata(
    stripe_app, stripe_client, stripe_peer, admin_session
):
    """The charge is one create-and-confirm (off_session): its PaymentIntent's id may reach us first by event."""
    tenant, headers = await tenant_admin(stripe_app, admin_session)
    await save_card(stripe_client, headers, stripe_peer, VISA)
    customer = await _customer(admin_session, tenant)
    invoice = await open_invoice(admin_session, tenant, total=50000)
    payment = InvoicePaymentFactory(
        tenant_id=tenant.id, invoice_id=invoice.id, amount=invoice.total, stripe_payment_intent_id=None
    )
    await save(admin_session, payment)
    intent = stripe_peer.client.v1.payment_intents.create(
        {"amount": invoice.total, "currency": "usd", "customer": customer.stripe_customer_id,
         "payment_method": customer.card_payment_method_id, "confirm": True, "off_session": True,
         "metadata": {"bo_payment_id": str(payment.id)}}
    ).to_dict()  # fmt: skip
    event = {"id": "evt_metadata_first", "object": "event", "type": "payment_intent.succeeded",
             "created": int(time.time()), "data": {"object": intent}}  # fmt: skip

    answer = await stripe_client.post(EVENTS, content=(body := signed(event))[0], headers=body[1])

    assert answer.json() == {"outcome": "processed"}
    state = await _state(admin_session, invoice)
    assert state[0] == "succeeded" and state[3] == invoice.total
    stored = await admin_session.scalar(
        select(InvoicePayment.stripe_payment_intent_id).where(InvoicePayment.id == payment.id)
    )
    assert stored == intent["id"]
