"""Late usage: work done in a period whose invoice was already finalized is billed on the next invoice, never lost.

A finalized invoice keeps, per period and meter, the quantities it billed
(``Invoice.usage_quantities``: its own period's usage, plus any late usage of
earlier periods it carried). An earlier period's usage now, less everything
finalized invoices billed of it, is late: the next draft carries it as a line of
its own that names the period, priced on that period's plan version as the
difference between the price of what there is now and the price of what was
billed (so tiers go on where the first invoice stopped, and no unit is billed
twice). Drafts re-read usage, so a draft period's usage is never late.

Usage recorded more than ``LOOKBACK_MONTHS`` after its period is not looked
for; ``bo-saas billing check`` still shows it against the work.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import Select, select

from bo_saas.billing.models import Invoice, InvoiceStatus, PlanVersion
from bo_saas.billing.periods import Period
from bo_saas.billing.plan_file import PlanFile
from bo_saas.billing.subscriptions import plan_of

LOOKBACK_MONTHS = 24


@dataclass(frozen=True, slots=True)
class LateUsage:
    period: str  # the period the usage belongs to (YYYY-MM)
    invoice_number: str | None  # the finalized invoice that billed that period
    plan: PlanFile  # the version that priced that period
    meter: str
    billed: int  # units of the period already billed by finalized invoices
    total: int  # units of the period now (more than billed)


def finalized_invoices(tenant_ids: Collection[UUID], period: Period) -> Select:
    """The finalized invoices late usage is measured against, for ``period``'s drafts of these tenants."""
    return (
        select(Invoice)
        .where(
            Invoice.tenant_id.in_(tenant_ids),
            Invoice.status != InvoiceStatus.DRAFT,
            Invoice.period >= _first_looked_at(period),
        )
        .order_by(Invoice.period)
    )


def windows_of(finalized: list[Invoice], period: Period) -> dict[str, tuple[datetime, datetime]]:
    """The periods before ``period`` that finalized invoices billed: the usage totals late usage needs."""
    return {
        invoice.period: (invoice.period_start, invoice.period_end)
        for invoice in finalized
        if invoice.period < period.label
    }


def late_usage_from(
    period: Period,
    finalized: list[Invoice],
    totals: Mapping[tuple[str, str], int],
    versions_by_id: Mapping[UUID, PlanVersion],
) -> tuple[LateUsage, ...]:
    """``late_usage`` from what it reads: the tenant's finalized invoices and its usage totals in their periods."""
    billed: dict[tuple[str, str], int] = defaultdict(int)
    for invoice in finalized:
        for label, quantities in invoice.usage_quantities.items():
            for meter, quantity in quantities.items():
                billed[(label, meter)] += quantity
    late = []
    for invoice in finalized:
        if invoice.period >= period.label:
            continue
        plan = plan_of(versions_by_id[invoice.plan_version_id])
        for meter in plan.meters:
            total = totals.get((invoice.period, meter.code), 0)
            already = billed[(invoice.period, meter.code)]
            if total > already:
                late.append(LateUsage(invoice.period, invoice.number, plan, meter.code, already, total))
    return tuple(late)


def _first_looked_at(period: Period) -> str:
    """The label of the month ``LOOKBACK_MONTHS`` before ``period`` (labels compare as text)."""
    year, month = period.first_day.year, period.first_day.month
    index = year * 12 + month - 1 - LOOKBACK_MONTHS
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
