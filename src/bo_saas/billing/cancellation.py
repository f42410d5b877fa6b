"""Cancelling a subscription: it ends at once, and its final invoice is made and finalized in the same transaction.

The final invoice is the period's invoice cut short at the cancellation
(``invoice_builder.build_invoice(..., until=now)``): base fee and seats for the
local days up to and including today, the usage so far, the period's one-off
charges and SLA credits. It takes the period's one invoice slot, so the
period's billing run later finds it finalized and leaves it alone. A tenant
still in its trial owes nothing and gets no invoice.
"""

from __future__ import annotations

from datetime import datetime

from litestar import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.billing.errors import PlanChangeRefused, SubscriptionNotFound
from bo_saas.billing.invoice_builder import build_invoice
from bo_saas.billing.invoices import finalize, save_draft
from bo_saas.billing.models import Invoice, Subscription, SubscriptionStatus
from bo_saas.billing.periods import month_of
from bo_saas.tenancy.models import Tenant


async def cancel(
    session: AsyncSession, request: Request | None, tenant: Tenant, now: datetime
) -> tuple[Subscription, Invoice | None]:
    """The subscription cancelled now, and its final invoice (None in a trial); 409 if already cancelled."""
    subscription = await session.scalar(
        select(Subscription).where(Subscription.tenant_id == tenant.id).with_for_update()
    )
    if subscription is None:
        raise SubscriptionNotFound("This tenant has no subscription")
    if subscription.status is SubscriptionStatus.CANCELLED:
        raise PlanChangeRefused(f"The subscription was already cancelled at {subscription.cancelled_at.isoformat()}")
    subscription.status = SubscriptionStatus.CANCELLED
    subscription.cancelled_at = now
    subscription.pending_plan_version_id = subscription.pending_from = None
    await session.flush()
    invoice = None
    in_trial = subscription.trial_ends_at is not None and subscription.trial_ends_at > now
    period = month_of(now, tenant.timezone)
    built = None if in_trial else await build_invoice(session, tenant, subscription, period, now)
    if built is not None:
        draft, _ = await save_draft(session, tenant, built)
        invoice = await finalize(session, request, tenant, draft.id, now)
    record_event(
        session,
        request,
        tenant_id=tenant.id,
        action="subscription.cancelled",
        subject_type="subscription",
        subject_id=str(tenant.id),
        changes={"final_invoice": invoice.number if invoice is not None else None},
    )
    await session.flush()
    return subscription, invoice
