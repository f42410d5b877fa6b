"""A tenant changing plan: upgrades take effect at once (prorated by day), downgrades at the next period start.

Which way a change goes is decided by price: a plan whose base fee (per month)
is at least the current one's is an upgrade. Either way the tenant's services
must stay within the new plan: a change that would drop a service with open
work is refused with a 409 naming the service and how many items are open, so
nobody's work is stranded on a desk the tenant no longer pays for. A service
without open work is simply dropped when the change takes effect.

``preview`` and ``change`` compute the same ``PlanChange``; the preview writes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from litestar import Request
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.billing.errors import PlanChangeRefused, PlanNotFound
from bo_saas.billing.models import PlanVersion, Subscription
from bo_saas.billing.periods import Period, current_period, local_day
from bo_saas.billing.plan_apply import latest_version
from bo_saas.billing.pricing import Line
from bo_saas.billing.proration import Terms, upgrade_lines
from bo_saas.billing.seats import active_seats
from bo_saas.billing.subscriptions import plan_of
from bo_saas.tenancy.models import SERVICE_CODES, Tenant
from bo_saas.work.models import CustomServiceType, WorkItem
from bo_saas.work.states import OPEN_STATES


@dataclass(frozen=True)
class PlanChange:
    kind: str  # "upgrade" (now, prorated), "downgrade" (next period), "none" (already on it)
    current: PlanVersion
    target: PlanVersion
    effective_at: datetime
    period: Period
    lines: tuple[Line, ...]  # the period's base fee and seats, prorated, when the change is an upgrade

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


def _monthly_fee(version: PlanVersion) -> Fraction:
    return Fraction(version.base_fee, 12 if version.interval == "year" else 1)


def label(version: PlanVersion) -> str:
    return f"{plan_of(version).name} v{version.version}"


async def preview(
    session: AsyncSession, tenant: Tenant, subscription: Subscription, plan_code: str, now: datetime
) -> PlanChange:
    """What changing to ``plan_code`` would do, now; writes nothing."""
    target = await latest_version(session, plan_code)
    if target is None:
        raise PlanNotFound(f"plan: no plan {plan_code!r}")
    current = await session.get(PlanVersion, subscription.plan_version_id)
    assert current is not None
    if target.currency != current.currency:
        raise PlanChangeRefused(
            f"plan: {plan_code} is priced in {target.currency}, the subscription in {current.currency}; "
            "a change of currency is not made mid-subscription"
        )
    period = current_period(subscription.current_period_start, now, tenant.timezone, current.interval)
    if target.id == current.id:
        return PlanChange("none", current, target, now, period, ())
    if _monthly_fee(target) >= _monthly_fee(current):
        seats = await active_seats(session, tenant.id)
        lines = upgrade_lines(
            Terms(label(current), plan_of(current)),
            Terms(label(target), plan_of(target)),
            period.first_day,
            local_day(now, tenant.timezone),
            period.last_day,
            seats,
        )
        return PlanChange("upgrade", current, target, now, period, tuple(lines))
    return PlanChange("downgrade", current, target, period.end, period, ())


async def change(
    session: AsyncSession,
    request: Request | None,
    tenant: Tenant,
    subscription: Subscription,
    plan_code: str,
    now: datetime,
) -> PlanChange:
    """Make the change ``preview`` describes: at once for an upgrade, scheduled for a downgrade."""
    planned = await preview(session, tenant, subscription, plan_code, now)
    if planned.kind == "none":
        if subscription.pending_plan_version_id is not None:  # staying put cancels a scheduled downgrade
            subscription.pending_plan_version_id = subscription.pending_from = None
            _record(session, request, tenant, "subscription.downgrade_cancelled", {"plan": plan_code})
            await session.flush()
        return planned
    await _refuse_stranded_work(session, tenant, planned.target)
    if planned.kind == "upgrade":
        subscription.plan_version_id = planned.target.id
        subscription.pending_plan_version_id = subscription.pending_from = None
        tenant.plan_code = planned.target.plan_code
        tenant.services = [code for code in tenant.services if code in plan_of(planned.target).services]
    else:
        subscription.pending_plan_version_id = planned.target.id
        subscription.pending_from = planned.effective_at
    changes = {
        "plan": {"old": planned.current.plan_code, "new": planned.target.plan_code},
        "version": planned.target.version,
        "effective_at": planned.effective_at.isoformat(),
    }
    _record(session, request, tenant, f"subscription.{planned.kind}d", changes)
    await session.flush()
    return planned


async def _refuse_stranded_work(session: AsyncSession, tenant: Tenant, target: PlanVersion) -> None:
    plan = plan_of(target)
    dropped = [code for code in tenant.services if code not in plan.services]
    if not plan.custom_services:
        custom = select(CustomServiceType.code).where(CustomServiceType.tenant_id == tenant.id)
        dropped += [code for code in (await session.scalars(custom)) if code not in SERVICE_CODES]
    if not dropped:
        return
    rows = await session.execute(
        select(WorkItem.service_type, func.count())
        .where(WorkItem.tenant_id == tenant.id, WorkItem.service_type.in_(dropped), WorkItem.state.in_(OPEN_STATES))
        .group_by(WorkItem.service_type)
    )
    open_work = dict(rows.all())
    if open_work:
        named = ", ".join(f"{code} ({count} open item{'s' if count != 1 else ''})" for code, count in open_work.items())
        raise PlanChangeRefused(
            f"plan: {plan.name} does not include {named}; finish or cancel that work before changing plan",
            extra={"open_work": open_work},
        )


def _record(session: AsyncSession, request: Request | None, tenant: Tenant, action: str, changes: dict) -> None:
    record_event(
        session,
        request,
        tenant_id=tenant.id,
        action=action,
        subject_type="subscription",
        subject_id=str(tenant.id),
        changes=changes,
    )
