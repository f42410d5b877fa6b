"""The facts an invoice is priced from, read for one tenant and one period; ``invoice_pricing`` prices them.

What it reads, and from where: the plan versions in force on each day
(``plan_history``), the active client users (``seats``), each meter's usage
only through the usage seam (``work.usage.usage_totals``), the provider's
one-off charges for the period, the resolution breaches whose due time fell
in the period (``sla_events``: billing sits above sla and only reads it), and
the billing profile's tax rate, and the late usage of earlier periods
(``late_usage``). Usage is priced, and the SLA credit ruled, by
the version in force at the period's end. ``until`` ends the period early for
a cancelled subscription's final invoice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.errors import InvoiceNotBuildable
from bo_saas.billing.invoice_pricing import InForce, InvoiceFacts, PricedInvoice, price_invoice
from bo_saas.billing.late_usage import late_usage
from bo_saas.billing.models import BillingProfile, OneOffCharge, PlanVersion, Subscription
from bo_saas.billing.periods import Period
from bo_saas.billing.plan_change import label
from bo_saas.billing.plan_history import segments
from bo_saas.billing.proration import Terms
from bo_saas.billing.seats import active_seats
from bo_saas.billing.subscriptions import plan_of
from bo_saas.sla.models import SlaEvent
from bo_saas.tenancy.models import Tenant
from bo_saas.work.usage import usage_totals


@dataclass(frozen=True)
class BuiltInvoice:
    period: Period
    version: PlanVersion  # in force at the period's end
    priced: PricedInvoice
    tax_rate_bp: int
    # What this invoice bills of each period's usage, per meter: its own period's, and late usage's
    # (kept on the invoice, so the next one knows what is late: ``late_usage``).
    usage_quantities: dict[str, dict[str, int]]

    @property
    def currency(self) -> str:
        return self.version.currency


async def resolution_breaches(session: AsyncSession, tenant: Tenant, start: datetime, end: datetime) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(
                SlaEvent.tenant_id == tenant.id,
                SlaEvent.clock == "resolution",
                SlaEvent.kind == "breach",
                SlaEvent.due_at >= start,
                SlaEvent.due_at < end,
            )
        )
        or 0
    )


async def build_invoice(
    session: AsyncSession, tenant: Tenant, subscription: Subscription, period: Period, until: datetime | None = None
) -> BuiltInvoice | None:
    """The period's invoice as it stands; None when the subscription covered no day of the period."""
    end = period.end if until is None else min(until, period.end)
    parts = await segments(session, tenant.id, tenant.timezone, subscription, period, end)
    if not parts:
        return None
    for part in parts:
        if part.version.interval != "month":
            raise InvoiceNotBuildable(
                f"{label(part.version)} is billed by the year; monthly invoices cover monthly plans only"
            )
    version = parts[-1].version
    plan = plan_of(version)
    usage = {meter.code: await usage_totals(session, tenant.id, meter.code, period.start, end) for meter in plan.meters}
    charges = await session.execute(
        select(OneOffCharge.description, OneOffCharge.amount)
        .where(OneOffCharge.tenant_id == tenant.id, OneOffCharge.period == period.label)
        .order_by(OneOffCharge.created_at, OneOffCharge.id)
    )
    late = await late_usage(session, tenant, period)
    profile = await session.get(BillingProfile, tenant.id)
    tax_rate_bp = profile.tax_rate_bp if profile is not None else 0
    facts = InvoiceFacts(
        currency=version.currency,
        period_days=period.days,
        in_force=tuple(InForce(Terms(label(part.version), plan_of(part.version)), part.days) for part in parts),
        seats=await active_seats(session, tenant.id),
        usage_plan=plan,
        usage=usage,
        charges=tuple((row.description, row.amount) for row in charges),
        resolution_breaches=await resolution_breaches(session, tenant, period.start, end),
        tax_rate_bp=tax_rate_bp,
        late_usage=late,
    )
    quantities = {period.label: {code: quantity for code, quantity in usage.items() if quantity}}
    for item in late:
        quantities.setdefault(item.period, {})[item.meter] = item.total - item.billed
    return BuiltInvoice(period, version, price_invoice(facts), tax_rate_bp, quantities)
