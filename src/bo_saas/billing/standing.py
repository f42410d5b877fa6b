"""A tenant's standing: whether anything it was invoiced is overdue, and lifting what dunning did once nothing is.

``settle_if_paid`` runs in the transaction that credits an invoice (a card
payment, a bank transfer, a credit note): with nothing overdue left, a
``past_due`` or ``suspended`` subscription is active again and a suspension
that dunning made (its reason starts ``REASON_PREFIX``) is lifted at once. A
suspension a provider admin made for another reason is theirs to lift.

Deprioritized work: past ``BO_BILLING_DEPRIORITIZE_AFTER_DAYS`` overdue, dunning
marks the tenant (``tenants.work_deprioritized_at``, migration 0025) and
claim-next ranks its queued work whose SLA is not yet due after paying tenants'
work; ``settle_if_paid`` clears the mark with the rest. The mark is a column
the claim reads through a partial index, not a look at invoices per claim.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_provider_event
from bo_saas.billing.models import Invoice, InvoiceStatus, Subscription, SubscriptionStatus
from bo_saas.tenancy.models import Tenant, TenantStatus

REASON_PREFIX = "Unpaid invoice"  # a suspension dunning made, and so may lift
SYSTEM = (None, "system")  # the actor of what the platform does on its own

# Not on the Tenant model: only dunning writes it and only the claim function reads it.
_TENANT_WORK_RANK = sa.table("tenants", sa.column("id", sa.Uuid()), sa.column("work_deprioritized_at"))


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
    lifted = await _restore_work_rank(session, tenant_id)
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


async def deprioritize_work(session: AsyncSession, tenant_id: UUID, now: datetime, invoice_number: str | None) -> bool:
    """Mark the tenant's queued work to rank after paying tenants' (claim-next); True if it was not marked yet."""
    marked = await session.scalar(
        sa.update(_TENANT_WORK_RANK)
        .where(_TENANT_WORK_RANK.c.id == tenant_id, _TENANT_WORK_RANK.c.work_deprioritized_at.is_(None))
        .values(work_deprioritized_at=now)
        .returning(_TENANT_WORK_RANK.c.id)
    )
    if marked is None:
        return False
    record_provider_event(
        session, None, action="tenant.work_deprioritized", subject_type="tenant", subject_id=str(tenant_id),
        changes={"work_deprioritized": {"old": False, "new": True}, "invoice": invoice_number}, actor=SYSTEM,
    )  # fmt: skip
    return True


async def _restore_work_rank(session: AsyncSession, tenant_id: UUID) -> bool:
    restored = await session.scalar(
        sa.update(_TENANT_WORK_RANK)
        .where(_TENANT_WORK_RANK.c.id == tenant_id, _TENANT_WORK_RANK.c.work_deprioritized_at.is_not(None))
        .values(work_deprioritized_at=None)
        .returning(_TENANT_WORK_RANK.c.id)
    )
    if restored is None:
        return False
    record_provider_event(
        session, None, action="tenant.work_restored", subject_type="tenant", subject_id=str(tenant_id),
        changes={"work_deprioritized": {"old": True, "new": False}, "reason": "everything overdue is paid"},
        actor=SYSTEM,
    )  # fmt: skip
    return True
