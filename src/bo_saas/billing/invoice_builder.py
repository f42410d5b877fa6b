"""An invoice from its facts: the plan versions in force, seats, usage, charges, breaches, tax and late usage.

``invoice_inputs`` reads the facts (for one tenant or a whole chunk of them);
``build_from`` turns one tenant's into the lines ``invoice_pricing`` prices:
the plan versions in force on each day (``plan_history``), the active client
users, each meter's usage (through the usage seam), the provider's one-off
charges for the period, the resolution breaches whose due time fell in the
period, the billing profile's tax rate, and the late usage of earlier periods
(``late_usage``). Usage is priced, and the SLA credit ruled, by the version in
force at the period's end. ``until`` ends the period early for a cancelled
subscription's final invoice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.errors import InvoiceNotBuildable
from bo_saas.billing.invoice_inputs import InvoiceInputs, Wanted, all_versions, read_inputs
from bo_saas.billing.invoice_pricing import InForce, InvoiceFacts, PricedInvoice, price_invoice
from bo_saas.billing.late_usage import late_usage_from
from bo_saas.billing.models import PlanVersion, Subscription
from bo_saas.billing.periods import Period
from bo_saas.billing.plan_change import label
from bo_saas.billing.plan_history import segments_from
from bo_saas.billing.proration import Terms
from bo_saas.billing.subscriptions import plan_of
from bo_saas.tenancy.models import Tenant


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


async def build_invoice(
    session: AsyncSession, tenant: Tenant, subscription: Subscription, period: Period, until: datetime | None = None
) -> BuiltInvoice | None:
    """The period's invoice as it stands; None when the subscription covered no day of the period."""
    end = period.end if until is None else min(until, period.end)
    wanted = Wanted(tenant, period, subscription, end)
    inputs = await read_inputs(session, [wanted])
    return build_from(inputs[tenant.id], await all_versions(session))


def build_from(inputs: InvoiceInputs, versions: Mapping[UUID, PlanVersion]) -> BuiltInvoice | None:
    """The invoice ``inputs`` make (``invoice_inputs.read_inputs`` read them); None when no day was subscribed."""
    tenant, period, subscription, end = (
        inputs.wanted.tenant, inputs.wanted.period, inputs.wanted.subscription, inputs.wanted.end,
    )  # fmt: skip
    parts = segments_from(inputs.events, versions, tenant.timezone, subscription, period, end)
    if not parts:
        return None
    for part in parts:
        if part.version.interval != "month":
            raise InvoiceNotBuildable(
                f"{label(part.version)} is billed by the year; monthly invoices cover monthly plans only"
            )
    version = parts[-1].version
    plan = plan_of(version)
    usage = {meter.code: inputs.usage.get(meter.code, 0) for meter in plan.meters}
    late = late_usage_from(period, inputs.finalized, inputs.late_totals, versions)
    facts = InvoiceFacts(
        currency=version.currency,
        period_days=period.days,
        in_force=tuple(InForce(Terms(label(part.version), plan_of(part.version)), part.days) for part in parts),
        seats=inputs.seats,
        usage_plan=plan,
        usage=usage,
        charges=tuple(inputs.charges),
        resolution_breaches=inputs.breaches,
        tax_rate_bp=inputs.tax_rate_bp,
        late_usage=late,
    )
    quantities = {period.label: {code: quantity for code, quantity in usage.items() if quantity}}
    for item in late:
        quantities.setdefault(item.period, {})[item.meter] = item.total - item.billed
    return BuiltInvoice(period, version, price_invoice(facts), inputs.tax_rate_bp, quantities)
