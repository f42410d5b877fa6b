"""What invoices are built from, read for many tenants at once: a fixed number of queries however many tenants.

A billing run over ten thousand tenants cannot afford a dozen queries per
tenant, so every fact the builder needs is read with one grouped query per
kind for a whole chunk of tenants, each tenant with its own period (its own
time zone) and its own end (a cancellation ends it early): subscription
changes, usage (the period's and the late periods'), active seats, one-off
charges, tax rates, resolution breaches, finalized invoices. A single tenant's
invoice (a cancellation, the schedule's recompute) is the same read with one
tenant in it, so a run and a single invoice can never disagree.

Usage is read only through the usage seam (``work.usage.usage_totals_in_windows``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from sqlalchemy import DateTime, Uuid, column, func, select, values
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.models import AuditEvent
from bo_saas.billing.late_usage import finalized_invoices, windows_of
from bo_saas.billing.models import BillingProfile, Invoice, OneOffCharge, PlanVersion, Subscription
from bo_saas.billing.periods import Period
from bo_saas.billing.plan_history import subscription_events
from bo_saas.identity.models import Account, AccountStatus, Membership
from bo_saas.lib.caller import CLIENT_ROLES
from bo_saas.sla.models import SlaEvent
from bo_saas.tenancy.models import Tenant
from bo_saas.work.usage import usage_totals_in_windows


@dataclass(frozen=True, slots=True)
class Wanted:
    """One invoice to build: the tenant, its period, its subscription, and where the period ends for it."""

    tenant: Tenant
    period: Period
    subscription: Subscription
    end: datetime  # the period's end, or earlier (a cancellation)


@dataclass
class InvoiceInputs:
    wanted: Wanted
    events: list[AuditEvent] = field(default_factory=list)  # subscription changes, oldest first
    usage: dict[str, int] = field(default_factory=dict)  # meter -> quantity in [period start, end)
    seats: int = 0  # active client users
    charges: list[tuple[str, int]] = field(default_factory=list)  # one-off charges: (description, amount)
    tax_rate_bp: int = 0
    breaches: int = 0  # resolution targets breached with a due time in [period start, end)
    finalized: list[Invoice] = field(default_factory=list)  # what late usage is measured against
    late_totals: dict[tuple[str, str], int] = field(default_factory=dict)  # (period, meter) -> quantity now


async def all_versions(session: AsyncSession) -> dict[UUID, PlanVersion]:
    """Every plan version (a few per plan; they never change)."""
    return {row.id: row for row in await session.scalars(select(PlanVersion))}


def _bounds(wanted: Sequence[Wanted]):
    return values(
        column("tenant_id", Uuid), column("start", DateTime(timezone=True)), column("end", DateTime(timezone=True)),
        name="bounds",
    ).data([(w.tenant.id, w.period.start, w.end) for w in wanted])  # fmt: skip


async def read_inputs(session: AsyncSession, wanted: Sequence[Wanted]) -> dict[UUID, InvoiceInputs]:
    """Each wanted tenant's inputs, keyed by tenant id, in the caller's transaction (its scope must cover them)."""
    inputs = {w.tenant.id: InvoiceInputs(w) for w in wanted}
    if not inputs:
        return inputs
    ids = list(inputs)
    latest_end = max(w.end for w in wanted)

    for event in await session.scalars(subscription_events(ids, latest_end)):
        inputs[event.tenant_id].events.append(event)

    for invoice in await session.scalars(finalized_invoices(ids, wanted[0].period)):
        inputs[invoice.tenant_id].finalized.append(invoice)
    windows: dict[tuple[UUID, str], tuple[datetime, datetime]] = {}
    for tenant_id, found in inputs.items():
        period = found.wanted.period
        windows[(tenant_id, period.label)] = (period.start, found.wanted.end)
        windows |= {(tenant_id, label): bounds for label, bounds in windows_of(found.finalized, period).items()}
    late: dict[UUID, dict[tuple[str, str], int]] = defaultdict(dict)
    for (tenant_id, label, meter), quantity in (await usage_totals_in_windows(session, windows)).items():
        if label == inputs[tenant_id].wanted.period.label:
            inputs[tenant_id].usage[meter] = quantity
        else:
            late[tenant_id][(label, meter)] = quantity
    for tenant_id, totals in late.items():
        inputs[tenant_id].late_totals = totals

    seats = await session.execute(
        select(Membership.tenant_id, func.count())
        .join(Account, Account.id == Membership.account_id)
        .where(Membership.tenant_id.in_(ids), Membership.role.in_(CLIENT_ROLES), Account.status == AccountStatus.ACTIVE)
        .group_by(Membership.tenant_id)
    )
    for tenant_id, count in seats:
        inputs[tenant_id].seats = int(count)

    labels = {w.period.label for w in wanted}
    charges = await session.execute(
        select(OneOffCharge.tenant_id, OneOffCharge.period, OneOffCharge.description, OneOffCharge.amount)
        .where(OneOffCharge.tenant_id.in_(ids), OneOffCharge.period.in_(labels))
        .order_by(OneOffCharge.created_at, OneOffCharge.id)
    )
    for tenant_id, label, description, amount in charges:
        if label == inputs[tenant_id].wanted.period.label:
            inputs[tenant_id].charges.append((description, amount))

    rates = await session.execute(
        select(BillingProfile.tenant_id, BillingProfile.tax_rate_bp).where(BillingProfile.tenant_id.in_(ids))
    )
    for tenant_id, rate in rates:
        inputs[tenant_id].tax_rate_bp = rate

    bounds = _bounds(wanted)
    breaches = await session.execute(
        select(SlaEvent.tenant_id, func.count())
        .join(
            bounds,
            (SlaEvent.tenant_id == bounds.c.tenant_id)
            & (SlaEvent.due_at >= bounds.c.start)
            & (SlaEvent.due_at < bounds.c.end),
        )
        .where(SlaEvent.clock == "resolution", SlaEvent.kind == "breach")
        .group_by(SlaEvent.tenant_id)
    )
    for tenant_id, count in breaches:
        inputs[tenant_id].breaches = int(count)
    return inputs
