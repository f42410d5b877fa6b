"""Card payments left processing are settled from what localstripe says, and only from that."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bo_saas.audit.models import AuditEvent
from bo_saas.billing.models import Invoice, InvoicePayment, StripeCustomer
from bo_saas.billing.payment_reconciler import NEVER_REACHED_STRIPE, reconcile_payments
from bo_saas.billing.payments import idempotency_key
from bo_saas.billing.stripe_gateway import stripe_gateway
from bo_saas.lib.clock import utc_now
from tests.billing.stripe_peer import (
    DECLINES_WHEN_CHARGED,
    INVOICES,
    VISA,
    open_invoice,
    save_card,
    tenant_admin,
)
from tests.factories import InvoicePaymentFactory, save
from tests.servers import free_port

STALE = timedelta(minutes=20)  # past the default 15


async def _tenant_with_card(stripe_app, stripe_client, peer, session, number: str = VISA):
    tenant, headers = await tenant_admin(stripe_app, session)
    saved = await save_card(stripe_client, headers, peer, number)
    assert saved.status_code == 200, saved.text
    customer = await session.scalar(select(StripeCustomer).where(StripeCustomer.tenant_id == tenant.id))
    return tenant, headers, customer


async def _processing(session, tenant, invoice, *, age: timedelta = STALE, intent: str | None = None):
    """A card payment on record as processing since ``age`` ago: what pay_with_card commits before asking Stripe."""
    payment = InvoicePaymentFactory(
        tenant_id=tenant.id, invoice_id=invoice.id, amount=invoice.total, stripe_payment_intent_id=intent
    )
    await save(session, payment)
    await session.execute(
        update(InvoicePayment).where(InvoicePayment.id == payment.id).values(created_at=utc_now() - age)
    )
    await session.commit()
    return payment


async def _charge_then_crash(settings, customer, payment, invoice, card: str) -> str:
    """Our gateway's charge reaches Stripe; the process dies before it stores the answer. The PaymentIntent's id."""
    async with stripe_gateway(settings) as gateway:
        result = await gateway.charge(
            customer_id=customer.stripe_customer_id, payment_method_id=card, amount=payment.amount,
            currency=payment.currency, key=idempotency_key(invoice.id, payment.attempt),
            metadata={"bo_invoice_id": str(invoice.id), "bo_payment_id": str(payment.id)},
        )  # fmt: skip
    return result.payment_intent_id


async def _state(session, payment) -> tuple:
    row = await session.scalar(
        select(InvoicePayment).where(InvoicePayment.id == payment.id).execution_options(populate_existing=True)
    )
    invoice = await session.scalar(
        select(Invoice).where(Invoice.id == payment.invoice_id).execution_options(populate_existing=True)
    )
    await session.commit()
    return row.status.value, row.failure_message, row.stripe_payment_intent_id, invoice.status.value


async def _reconciled(session, payment) -> list[dict]:
    events = await session.scalars(
        select(AuditEvent).where(AuditEvent.action == "invoice.payment_reconciled").order_by(AuditEvent.occurred_at)
    )
    return [event.changes for event in events if event.changes["payment"] == str(payment.id)]


async def test_a_charge_that_never_reached_stripe_fails_and_the_next_attempt_charges(
    stripe_app, stripe_client, stripe_peer, admin_session, runtime_sessionmaker
):
    tenant, headers, _ = await _tenant_with_card(stripe_app, stripe_client, stripe_peer, admin_session)
    invoice = await open_invoice(admin_session, tenant)
    stuck = await _processing(admin_session, tenant, invoice)
    refused = await stripe_client.post(f"{INVOICES}/{invoice.id}/pay", headers=headers)

    resolved = await reconcile_payments(runtime_sessionmaker, stripe_app.state.settings, utc_now())
    paid = await stripe_client.post(f"{INVOICES}/{invoice.id}/pay", headers=headers)

    assert refused.status_code == 409 and "in flight" in refused.json()["detail"]
    assert [(r.status, r.stripe_status) for r in resolved] == [("failed", "missing")]
    assert await _state(admin_session, stuck) == ("failed", NEVER_REACHED_STRIPE, None, "paid")
    assert [(c["status"], c["stripe_status"], c["reason"]) for c in await _reconciled(admin_session, stuck)] == [
        ("failed", "missing", NEVER_REACHED_STRIPE)
    ]
    assert (paid.status_code, paid.json()["status"], paid.json()["attempt"]) == (201, "succeeded", 2)
    assert [intent["metadata"]["bo_payment_id"] for intent in stripe_peer.listed("payment_intents")] == [
        paid.json()["id"]
    ]


async def test_a_charge_that_reached_stripe_before_the_crash_takes_stripes_outcome(
    stripe_app, stripe_client, stripe_peer, admin_session, runtime_sessionmaker
):
    settings = stripe_app.state.settings
    tenant, _, customer = await _tenant_with_card(stripe_app, stripe_client, stripe_peer, admin_session)
    earlier = await open_invoice(admin_session, tenant, total=30000, period="2026-08")
    good = await open_invoice(admin_session, tenant, total=50000, period="2026-09")
    bad = await open_invoice(admin_session, tenant, total=70000, period="2026-10")
    # Another charge of the same customer, for another payment: found, looked at, and not taken for these.
    other = await _processing(admin_session, tenant, earlier, age=timedelta(0))
    await _charge_then_crash(settings, customer, other, earlier, customer.card_payment_method_id)
    paid = await _processing(admin_session, tenant, good)
    paid_intent = await _charge_then_crash(settings, customer, paid, good, customer.card_payment_method_id)
    declined = await _processing(admin_session, tenant, bad)
    await _charge_then_crash(settings, customer, declined, bad, stripe_peer.card(DECLINES_WHEN_CHARGED))
    # localstripe's decline does not name its PaymentIntent: the reconciler finds it by the payment's metadata.
    [declined_intent] = [
        i["id"] for i in stripe_peer.listed("payment_intents") if i["metadata"]["bo_payment_id"] == str(declined.id)
    ]

    resolved = await reconcile_payments(runtime_sessionmaker, settings, utc_now())
    again = await reconcile_payments(runtime_sessionmaker, settings, utc_now())

    assert sorted((r.status, r.stripe_status) for r in resolved) == [
        ("failed", "requires_payment_method"), ("succeeded", "succeeded")
    ]  # fmt: skip
    assert again == []
    assert await _state(admin_session, paid) == ("succeeded", None, paid_intent, "paid")
    assert await _state(admin_session, declined) == ("failed", "Your card was declined.", declined_intent, "open")
    assert (await _state(admin_session, other))[0] == "processing"  # younger than the stale age: not yet asked
    [changes] = await _reconciled(admin_session, paid)
    assert (changes["status"], changes["payment_intent"], changes["reason"]) == ("succeeded", paid_intent, None)
    assert len(await _reconciled(admin_session, declined)) == 1


async def test_a_stored_payment_intent_is_read_by_its_id_and_a_stripe_outage_decides_nothing(
    stripe_app, stripe_client, stripe_peer, admin_session, runtime_sessionmaker
):
    settings = stripe_app.state.settings
    tenant, _, customer = await _tenant_with_card(stripe_app, stripe_client, stripe_peer, admin_session)
    invoice = await open_invoice(admin_session, tenant)
    missing = await open_invoice(admin_session, tenant, period="2026-09")
    intent = stripe_peer.charge(customer.stripe_customer_id, customer.card_payment_method_id, invoice.total)
    known = await _processing(admin_session, tenant, invoice, intent=intent)  # its webhook was lost
    never = await _processing(admin_session, tenant, missing)
    away = settings.model_copy(update={"stripe_api_base": f"http://127.0.0.1:{free_port()}"})

    during_outage = await reconcile_payments(runtime_sessionmaker, away, utc_now())
    kept = (await _state(admin_session, known), await _state(admin_session, never))
    audited = await _reconciled(admin_session, known) + await _reconciled(admin_session, never)
    after = await reconcile_payments(runtime_sessionmaker, settings, utc_now())

    assert during_outage == []
    assert kept == (("processing", None, intent, "open"), ("processing", None, None, "open"))
    assert audited == []  # nothing decided, nothing audited, while Stripe cannot be asked
    assert sorted((r.status, r.stripe_status) for r in after) == [("failed", "missing"), ("succeeded", "succeeded")]
    assert await _state(admin_session, known) == ("succeeded", None, intent, "paid")
    assert (await _state(admin_session, never))[:2] == ("failed", NEVER_REACHED_STRIPE)
