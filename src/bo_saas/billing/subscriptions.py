"""A tenant's one subscription: started with the tenant, kept in step with its plan, rolled on by period.

Tenancy calls ``follow_plan`` (its plan-chosen hook, ``tenancy/plan_choice.py``)
whenever it creates a tenant or moves it to another plan: a new tenant starts
on its plan's latest version (trialing when the plan has trial days), and a
tenant moved by a provider admin's tenant edit or manifest is moved at once.
Plan changes a tenant asks for through billing (upgrades now, downgrades next
period) are ``plan_change``'s.

``in_force`` is how every reader gets the subscription: it first makes a
downgrade whose period has come take effect and moves the period on, so no
reader ever sees a stale plan.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.billing.errors import SubscriptionNotFound
from bo_saas.billing.models import PlanVersion, Subscription, SubscriptionStatus
from bo_saas.billing.periods import current_period, month_of
from bo_saas.billing.plan_apply import latest_version
from bo_saas.billing.plan_file import PlanFile
from bo_saas.lib.clock import utc_now
from bo_saas.tenancy.manifest_sections import SYSTEM_ACTOR
from bo_saas.tenancy.models import Tenant

_definitions: dict[UUID, PlanFile] = {}


def plan_of(version: PlanVersion) -> PlanFile:
    """A version's validated definition; versions never change, so each is read once per process."""
    plan = _definitions.get(version.id)
    if plan is None:
        # Validated when applied; the meters are not checked again (a retired meter must not break old versions).
        plan = _definitions[version.id] = PlanFile.model_validate(version.definition)
    return plan


async def latest_of(session: AsyncSession, plan_code: str) -> PlanVersion:
    version = await latest_version(session, plan_code)
    if version is None:
        # Migration 0012 gives every seeded plan a version and `plans apply` every new one: a broken install.
        raise RuntimeError(f"Plan {plan_code!r} has no version: apply the plan files (bo-saas plans apply plans/)")
    return version


async def follow_plan(session: AsyncSession, tenant: Tenant) -> None:
    """Tenancy's plan-chosen hook: the tenant's subscription on the latest version of ``tenant.plan_code``."""
    now = utc_now()
    version = await latest_of(session, tenant.plan_code)
    subscription = await session.scalar(select(Subscription).where(Subscription.tenant_id == tenant.id))
    if subscription is None:
        trial = plan_of(version).trial_days
        subscription = Subscription(
            tenant_id=tenant.id,
            plan_version_id=version.id,
            status=SubscriptionStatus.TRIALING if trial else SubscriptionStatus.ACTIVE,
            started_at=now,
            current_period_start=month_of(now, tenant.timezone).start,
            trial_ends_at=now + timedelta(days=trial) if trial else None,
        )
        session.add(subscription)
        _record(session, tenant.id, "subscription.started", {"plan": tenant.plan_code, "version": version.version})
    else:
        current = await session.get(PlanVersion, subscription.plan_version_id)
        if current is not None and current.plan_code == tenant.plan_code:
            return  # the plan did not change: its version stays as sold
        subscription.plan_version_id = version.id
        subscription.pending_plan_version_id = subscription.pending_from = None
        changes = {"plan": {"old": current.plan_code if current else None, "new": tenant.plan_code}}
        _record(session, tenant.id, "subscription.plan_changed", {**changes, "version": version.version})
    await session.flush()


async def in_force(session: AsyncSession, tenant: Tenant, now: datetime | None = None) -> Subscription:
    """The tenant's subscription as it stands now: a due downgrade applied, the period moved on."""
    now = now or utc_now()
    subscription = await session.scalar(
        select(Subscription).where(Subscription.tenant_id == tenant.id).with_for_update()
    )
    if subscription is None:
        raise SubscriptionNotFound("This tenant has no subscription")
    version = await session.get(PlanVersion, subscription.plan_version_id)
    assert version is not None  # a foreign key
    if subscription.pending_from is not None and subscription.pending_from <= now:
        pending = await session.get(PlanVersion, subscription.pending_plan_version_id)
        assert pending is not None
        subscription.plan_version_id = pending.id
        subscription.current_period_start = subscription.pending_from
        subscription.pending_plan_version_id = subscription.pending_from = None
        tenant.plan_code = pending.plan_code
        tenant.services = [code for code in tenant.services if code in plan_of(pending).services]
        _record(session, tenant.id, "subscription.downgraded", {"plan": pending.plan_code, "version": pending.version})
        version = pending
    period = current_period(subscription.current_period_start, now, tenant.timezone, version.interval)
    if period.start != subscription.current_period_start:
        subscription.current_period_start = period.start
    if subscription.status is SubscriptionStatus.TRIALING and subscription.trial_ends_at <= now:
        subscription.status = SubscriptionStatus.ACTIVE
    await session.flush()
    return subscription


def _record(session: AsyncSession, tenant_id: UUID, action: str, changes: dict) -> None:
    record_event(
        session,
        None,
        tenant_id=tenant_id,
        action=action,
        subject_type="subscription",
        subject_id=str(tenant_id),
        changes=changes,
        actor=SYSTEM_ACTOR,
    )
