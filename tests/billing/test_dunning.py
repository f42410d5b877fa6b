"""Dunning: reminders on the schedule's days, a card retried, suspension when long unpaid, reactivation on paying."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bo_saas.billing.dunning import due_step, dunning_tick
from bo_saas.billing.models import DunningStep, InvoiceStatus, Subscription, SubscriptionStatus
from bo_saas.lib.caller import Role
from bo_saas.lib.outbox_models import OutboxMessage
from bo_saas.tenancy.models import Tenant, TenantStatus
from tests.auth import bearer
from tests.billing.helpers import billing_profile, subscribed_tenant
from tests.billing.stripe_peer import API_KEY, DECLINES_WHEN_CHARGED, VISA, open_invoice, provider_headers, save_card
from tests.factories import client_user


def test_the_step_due_is_the_latest_day_reached():
    days = (1, 3, 7)
    assert [due_step(n, days) for n in (0, 1, 2, 3, 6, 7, 40)] == [None, 1, 1, 2, 2, 3, 3]


async def _standing(admin_session, tenant) -> tuple[SubscriptionStatus, TenantStatus, str | None]:
    subscription = await admin_session.scalar(
        select(Subscription).where(Subscription.tenant_id == tenant.id).execution_options(populate_existing=True)
    )
    row = await admin_session.get(Tenant, tenant.id, populate_existing=True)
    await admin_session.commit()
    return subscription.status, row.status, row.suspended_reason


async def _steps(admin_session, invoice) -> list[tuple[int, str]]:
    rows = await admin_session.execute(
        select(DunningStep.step, DunningStep.action).where(DunningStep.invoice_id == invoice.id).order_by(
            DunningStep.occurred_at, DunningStep.step)
    )  # fmt: skip
    await admin_session.commit()
    return [tuple(row) for row in rows]


async def test_an_unpaid_invoice_is_reminded_on_schedule_then_suspends_the_tenant_until_it_is_paid(
    app, client, admin_session, runtime_sessionmaker, settings
):
    tenant = await subscribed_tenant(admin_session, "growth")
    await billing_profile(admin_session, tenant, 0)
    invoice = await open_invoice(admin_session, tenant)
    due = invoice.due_at

    async def tick(days: float):
        return await dunning_tick(runtime_sessionmaker, settings, due + timedelta(days=days))

    before = await tick(0.5)
    first = await tick(1.1)
    again = await tick(1.2)
    # The process was down from day 2 to day 8: it takes the latest step due (day 7), not the missed day 3 too.
    late = await tick(8)
    suspended = await tick(30.5)

    assert before.steps == [] and again.steps == []
    assert first.steps == [(invoice.number, 1, "reminder")]
    assert late.steps == [(invoice.number, 3, "reminder")]
    assert suspended.steps == [(invoice.number, 0, "suspension")]
    assert await _steps(admin_session, invoice) == [(1, "reminder"), (3, "reminder"), (0, "suspension")]
    emails = (await admin_session.scalars(select(OutboxMessage).where(OutboxMessage.actor_name == "send_email"))).all()
    assert [m.message["kwargs"]["to"] for m in emails] == ["billing@acme.example"] * 3
    assert all(invoice.number in m.message["kwargs"]["subject"] for m in emails)
    status, tenant_status, reason = await _standing(admin_session, tenant)
    assert (status, tenant_status) == (SubscriptionStatus.SUSPENDED, TenantStatus.SUSPENDED)
    assert reason == f"Unpaid invoice {invoice.number} (30 days overdue)"
    # A suspended tenant's client admin can read but not write; a provider admin records the transfer.
    transfer = {"amount": invoice.total, "reference": "TRF-1", "received_on": "2026-12-01"}
    paid = await client.post(
        f"/api/v1/invoices/{invoice.id}/payments",
        json=transfer,
        headers=await provider_headers(app, admin_session, tenant),
    )
    assert paid.status_code == 201, paid.text
    assert await _standing(admin_session, tenant) == (SubscriptionStatus.ACTIVE, TenantStatus.ACTIVE, None)
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    shown = await client.get(f"/api/v1/invoices/{invoice.id}", headers=bearer(app, admin, Role.CLIENT_ADMIN, tenant.id))
    assert shown.json()["status"] == "paid"
    assert (await tick(31)).steps == []


async def test_a_card_on_file_is_retried_and_a_good_one_pays_and_settles_at_once(
    stripe_app, stripe_client, stripe_peer, admin_session, runtime_sessionmaker, settings, localstripe
):
    paying = await subscribed_tenant(admin_session, "growth")
    declining = await subscribed_tenant(admin_session, "growth")
    invoices = {}
    for tenant, card in ((paying, VISA), (declining, DECLINES_WHEN_CHARGED)):
        admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
        saved = await save_card(
            stripe_client, bearer(stripe_app, admin, Role.CLIENT_ADMIN, tenant.id), stripe_peer, card
        )
        assert saved.status_code == 200, saved.text
        invoices[tenant.id] = await open_invoice(admin_session, tenant)
    with_stripe = settings.model_copy(update={"stripe_api_key": API_KEY, "stripe_api_base": localstripe})
    due = max(invoice.due_at for invoice in invoices.values())

    tick = await dunning_tick(runtime_sessionmaker, with_stripe, due + timedelta(days=3, hours=1))

    assert sorted(action for _, _, action in tick.steps) == ["retry", "retry"]
    good, bad = invoices[paying.id], invoices[declining.id]
    await admin_session.refresh(good)
    await admin_session.refresh(bad)
    assert (good.status, good.amount_due) == (InvoiceStatus.PAID, 0)
    assert (bad.status, bad.amount_due) == (InvoiceStatus.OPEN, bad.total)
    assert (await _standing(admin_session, paying))[0] == SubscriptionStatus.ACTIVE
    assert (await _standing(admin_session, declining))[0] == SubscriptionStatus.PAST_DUE
