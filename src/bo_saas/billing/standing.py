"""A tenant's standing: whether anything it was invoiced is overdue, and lifting what dunning did once nothing is.

``settle_if_paid`` runs in the transaction that credits an invoice (a card
payment, a bank transfer, a credit note): with nothing overdue left, a
``past_due`` or ``suspended`` subscription is active again and a suspension
that dunning made (its reason starts ``REASON_PREFIX``) is lifted at once. A
suspension a provider admin made for another reason is theirs to lift.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_provider_event
from bo_saas.billing.models import Invoice, InvoiceStatus, Subscription, SubscriptionStatus
from bo_saas.tenancy.models import Tenant, TenantStatus

REASON_PREFIX = "Unpaid invoice"  # a suspension dunning made, and so may lift
SYSTEM = (None, "system")  # the actor of what the platform does on its own


def overdue(now: datetime) -> tuple:
    """The conditions of an invoice that is overdue at ``now``: open, something due, past its due date."""
    return (
        Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE)),
        Invoice.amount_due > 0,
        Invoice.due_at < now,
    )


async def settle_if_paid(session: AsyncSession, tenant_id: UUID, now: datetime) -> bool:
    """After a payment or credit: with nothing overdue left, lift what dunning did; True if anything was lifted."""
    still_overdue = await session.scalar(
        select(func.count()).select_from(Invoice).where(Invoice.tenant_id == tenant_id, *overdue(now))
    )
    if still_overdue:
        return False
    lifted = False
    subscription = await session.scalar(select(Subscription).where(Subscription.tenant_id == tenant_id))
    if subscription is not None and subscription.status in (SubscriptionStatus.PAST_DUE, SubscriptionStatus.SUSPENDED):
        subscription.status, lifted = SubscriptionStatus.ACTIVE, True
    tenant = await session.get(Tenant, tenant_id, with_for_update=True)
    reason = (tenant.suspended_reason or "") if tenant is not None else ""
    if tenant is not None and tenant.status is TenantStatus.SUSPENDED and reason.startswith(REASON_PREFIX):
        tenant.status, tenant.suspended_reason, lifted = TenantStatus.ACTIVE, None, True
        record_provider_event(
            session, None, action="tenant.reactivated", subject_type="tenant", subject_id=str(tenant_id),
            changes={"status": {"old": "suspended", "new": "active"}, "reason": "everything overdue is paid"},
            actor=SYSTEM,
        )  # fmt: skip
    if lifted:
        await session.flush()
    return lifted
