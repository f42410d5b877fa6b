"""Dunning: an overdue invoice is retried on a schedule, with an email each time; unpaid long enough, suspension.

On each of ``BO_BILLING_DUNNING_DAYS`` (default 1, 3 and 7) past an open
invoice's due date, one step: the subscription is marked ``past_due``, the
billing email gets a reminder, and the card on file (if any) is charged again
(``payments.pay_with_card``; a card that still declines leaves a failed payment
on record). A process that was down for days takes only the latest step due,
not every one it missed. ``BO_BILLING_SUSPEND_AFTER_DAYS`` (default 30) past
the due date, the tenant is suspended (read-only, as a provider admin's
suspension) with the invoice named as the reason. Before that, past
``BO_BILLING_DEPRIORITIZE_AFTER_DAYS`` (default 14), its queued work whose SLA
is not yet due ranks after paying tenants' in claim-next
(``standing.deprioritize_work``; never past an SLA due time).

Paying everything that is overdue (a card, a bank transfer, a credit note)
reactivates at once: ``settle_if_paid`` runs in the transaction that credits
the invoice, and lifts a suspension only if dunning made it.

Each pass first resolves card payments left processing (``payment_reconciler``:
Stripe is asked how they stand), so a charge that never got its answer does not
block the retry for ever.

Each step is a ``dunning_steps`` row, unique per invoice and step, written in
the transaction that takes the step: two API processes ticking at once take it
once. Every step is in the audit trail.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

import structlog
from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bo_saas.audit.record import record_event, record_provider_event
from bo_saas.billing.across_tenants import invoices_of_every_tenant
from bo_saas.billing.currencies import exponent
from bo_saas.billing.models import BillingProfile, DunningStep, Invoice, Subscription, SubscriptionStatus
from bo_saas.billing.payment_methods import stripe_customer
from bo_saas.billing.payment_reconciler import reconcile_payments
from bo_saas.billing.payments import pay_with_card
from bo_saas.billing.standing import REASON_PREFIX, SYSTEM, deprioritize_work, overdue
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import make_sessionmaker, set_scope
from bo_saas.lib.email import send_email
from bo_saas.lib.errors import DomainError
from bo_saas.lib.locale_text import money
from bo_saas.lib.outbox import enqueue
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant, TenantStatus

log = structlog.get_logger(__name__)

SUSPENSION_STEP = 0


@dataclass
class DunningTick:
    steps: list[tuple[str, int, str]] = field(default_factory=list)  # (invoice number, step, action)
    deprioritized: list[UUID] = field(default_factory=list)  # tenants whose work this pass ranked lower


def due_step(days_overdue: int, days: tuple[int, ...]) -> int | None:
    """The latest retry step due after ``days_overdue`` days (1-based), or None before the first."""
    reached = [index for index, day in enumerate(days, start=1) if day <= days_overdue]
    return reached[-1] if reached else None


async def _remind(session: AsyncSession, settings: Settings, tenant: Tenant, invoice: Invoice, text: str) -> str:
    profile = await session.get(BillingProfile, tenant.id)
    if profile is None:
        return "no billing email on file"
    subject = f"Invoice {invoice.number} is overdue"
    body = f"{text}\n\nSee and pay it in the portal: {settings.public_url or ''}/portal/billing\n"
    await enqueue(session, send_email, to=profile.billing_email, subject=subject, body=body)
    return f"email sent to {profile.billing_email}"


async def _take_step(
    session: AsyncSession, settings: Settings, tenant: Tenant, invoice_id: UUID, step: int, now: datetime
) -> str | None:
    """Take ``step`` on the invoice in the caller's transaction (scoped to the tenant); its action, or None if not."""
    invoice = await session.scalar(
        select(Invoice).where(Invoice.tenant_id == tenant.id, Invoice.id == invoice_id, *overdue(now)).with_for_update()
    )
    if invoice is None:
        return None  # paid or credited meanwhile
    if step != SUSPENSION_STEP:
        later = await session.scalar(
            select(
                exists().where(
                    DunningStep.tenant_id == tenant.id, DunningStep.invoice_id == invoice.id, DunningStep.step >= step
                )
            )  # fmt: skip
        )
        if later:
            return None
    days = (now - invoice.due_at).days
    customer = await stripe_customer(session, tenant)
    card = customer is not None and customer.card_payment_method_id is not None
    if step == SUSPENSION_STEP:
        action = "suspension"
        text = f"Invoice {invoice.number} has been unpaid for {days} days: {tenant.name} is suspended until it is paid."
    else:
        action = "retry" if card else "reminder"
        due = money(invoice.amount_due, invoice.currency, "en", exponent=exponent(invoice.currency))
        text = f"Invoice {invoice.number} was due {days} days ago; {due} is still open."
    outcome = await _remind(session, settings, tenant, invoice, text)
    taken = await session.scalar(
        insert(DunningStep)
        .values(
            tenant_id=tenant.id,
            id=uuid4(),
            invoice_id=invoice.id,
            step=step,
            days_overdue=days,
            action=action,
            outcome=outcome,
            occurred_at=now,
        )  # fmt: skip
        .on_conflict_do_nothing(constraint="dunning_steps_once")
        .returning(DunningStep.id)
    )
    if taken is None:
        raise _AlreadyTaken  # another process took it: undo this one's email
    subscription = await session.scalar(
        select(Subscription).where(Subscription.tenant_id == tenant.id).with_for_update()
    )
    if subscription is not None and subscription.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING):
        subscription.status = SubscriptionStatus.PAST_DUE
    if step == SUSPENSION_STEP:
        await _suspend(session, tenant, invoice, subscription, days)
    record_event(
        session, None, tenant_id=tenant.id, action=f"invoice.dunning_{action}", subject_type="invoice",
        subject_id=str(invoice.id), changes={"number": invoice.number, "step": step, "days_overdue": days,
                                             "outcome": outcome}, actor=SYSTEM,
    )  # fmt: skip
    return action


class _AlreadyTaken(Exception):
    pass


async def _suspend(
    session: AsyncSession, tenant: Tenant, invoice: Invoice, subscription: Subscription | None, days: int
) -> None:
    locked = await session.get(Tenant, tenant.id, with_for_update=True, populate_existing=True)
    assert locked is not None
    if subscription is not None and subscription.status is not SubscriptionStatus.CANCELLED:
        subscription.status = SubscriptionStatus.SUSPENDED
    if locked.status is TenantStatus.SUSPENDED:
        return  # already suspended (by a provider admin, or for another invoice)
    reason = f"{REASON_PREFIX} {invoice.number} ({days} days overdue)"
    locked.status, locked.suspended_reason = TenantStatus.SUSPENDED, reason
    record_provider_event(
        session, None, action="tenant.suspended", subject_type="tenant", subject_id=str(tenant.id),
        changes={"status": {"old": "active", "new": "suspended"}, "reason": reason}, actor=SYSTEM,
    )  # fmt: skip


async def dunning_tick(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, now: datetime
) -> DunningTick:
    """One pass over every overdue invoice: the step due (if not taken), then the card retry it asks for."""
    tick = DunningTick()
    seen: set[UUID] = set()
    for tenant, invoice in await invoices_of_every_tenant(sessionmaker, overdue(now), (Invoice.due_at,)):
        days = (now - invoice.due_at).days
        if days >= settings.billing_deprioritize_after_days and tenant.id not in seen:
            seen.add(tenant.id)
            async with sessionmaker() as session:
                set_scope(session, TenantScope.of(tenant.id))
                async with session.begin():
                    if await deprioritize_work(session, tenant.id, now, invoice.number):
                        tick.deprioritized.append(tenant.id)
        steps = [step for step in (due_step(days, settings.billing_dunning_days),) if step is not None]
        if days >= settings.billing_suspend_after_days:
            steps.append(SUSPENSION_STEP)
        for step in steps:
            async with sessionmaker() as session:
                set_scope(session, TenantScope.of(tenant.id))
                try:
                    async with session.begin():
                        action = await _take_step(session, settings, tenant, invoice.id, step, now)
                except _AlreadyTaken:
                    action = None
                if action is None:
                    continue
                tick.steps.append((invoice.number or "", step, action))
                if action == "retry":
                    await _retry_card(session, settings, tenant, invoice)
    return tick


async def _retry_card(session: AsyncSession, settings: Settings, tenant: Tenant, invoice: Invoice) -> None:
    """Charge the card on file again; what Stripe says is on the payment (failed, succeeded or processing)."""
    try:
        await pay_with_card(session, None, settings, tenant, invoice.id)
        await session.commit()
    except DomainError as exc:  # no card any more, a payment in flight, Stripe not configured or unreachable
        await session.rollback()
        log.info("billing.dunning.retry_skipped", tenant=tenant.slug, invoice=invoice.number, reason=exc.message)


async def run_dunning(engine: AsyncEngine, settings: Settings) -> None:
    """billing's dunning loop (and payment reconciler), in ``DOMAIN.background``: every ``billing_schedule_seconds``."""
    sessionmaker = make_sessionmaker(engine)
    while True:
        await asyncio.sleep(settings.billing_schedule_seconds)
        try:
            # First: a payment settled here no longer blocks the card retry below ("a payment is in flight").
            await reconcile_payments(sessionmaker, settings, utc_now())
        except Exception:  # Stripe or the database away: the next pass looks again
            log.exception("billing.reconcile.failed")
        try:
            tick = await dunning_tick(sessionmaker, settings, utc_now())
        except Exception:  # an outage must not end the loop; the next pass takes what this one could not
            log.exception("billing.dunning.failed")
            continue
        log.info("billing.dunning.pass", steps=len(tick.steps))
