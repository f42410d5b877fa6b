"""One-off charges: an amount a provider admin adds to a tenant's period, billed on that period's invoice.

A charge is in the subscription's currency (an invoice has one). A period whose
invoice is finalized takes no more charges: the charge would never be billed.
A draft takes them; the next billing run (or finalize's caller running one)
recomputes it.
"""

from __future__ import annotations

from uuid import uuid4

from litestar import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.billing.errors import InvalidBillingRequest, InvoiceFinalized
from bo_saas.billing.models import Invoice, InvoiceStatus, OneOffCharge, PlanVersion, Subscription
from bo_saas.billing.periods import parse_month
from bo_saas.lib.caller import Caller
from bo_saas.tenancy.models import Tenant


def checked_period(period: str) -> str:
    if parse_month(period) is None:
        raise InvalidBillingRequest(f"period: {period!r} is not a month written YYYY-MM (e.g. 2026-11)")
    return period


async def add_charge(
    session: AsyncSession,
    request: Request | None,
    caller: Caller,
    tenant: Tenant,
    *,
    period: str,
    description: str,
    amount: int,
) -> OneOffCharge:
    checked_period(period)
    description = description.strip()
    if not description:
        raise InvalidBillingRequest("description must not be blank")
    finalized = await session.scalar(
        select(Invoice.number).where(
            Invoice.tenant_id == tenant.id, Invoice.period == period, Invoice.status != InvoiceStatus.DRAFT
        )
    )
    if finalized is not None:
        raise InvoiceFinalized(f"period: the invoice for {period} is finalized ({finalized}); it takes no more charges")
    currency = await session.scalar(
        select(PlanVersion.currency)
        .join(Subscription, Subscription.plan_version_id == PlanVersion.id)
        .where(Subscription.tenant_id == tenant.id)
    )
    if currency is None:
        raise InvalidBillingRequest("This tenant has no subscription to charge")
    charge = OneOffCharge(
        tenant_id=tenant.id,
        id=uuid4(),
        period=period,
        description=description,
        amount=amount,
        currency=currency,
        created_by=caller.account_id,
    )
    session.add(charge)
    record_event(
        session,
        request,
        tenant_id=tenant.id,
        action="charge.added",
        subject_type="charge",
        subject_id=str(charge.id),
        changes={"period": period, "description": description, "amount": amount, "currency": currency},
    )
    await session.flush()
    return charge
