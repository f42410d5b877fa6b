"""Billing's test factories and set-ups: invoices and their lines, charges, runs, and a tenant billed since January.

Kept here, beside billing's tests (tests/factories.py is shared); the
``*Factory`` classes build rows the database accepts as they stand.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy import select, update

from bo_saas.audit.models import AuditEvent
from bo_saas.billing.models import (
    BillingProfile,
    InvoiceLanguage,
    PlanVersion,
    Subscription,
    SubscriptionStatus,
)
from bo_saas.billing.periods import month_of
from bo_saas.billing.subscriptions import follow_plan
from bo_saas.lib.clock import utc_now
from bo_saas.sla.models import SlaEvent
from bo_saas.tenancy.models import Tenant
from bo_saas.work.usage import record_usage
from tests.desk import queued_item
from tests.factories import (  # noqa: F401 (re-exported for billing's tests)
    BillingRunFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    InvoiceNumberCounterFactory,
    OneOffChargeFactory,
    TenantFactory,
    save,
)

SINCE = datetime(2026, 1, 1, tzinfo=UTC)  # before every period the tests bill


async def upgrade_on(session, tenant: Tenant, old: str, new: str, effective_at: datetime) -> None:
    """What ``plan_change`` leaves behind after an upgrade at ``effective_at``: the subscription moved, on record."""
    target = await version_of(session, new)
    subscription = await session.scalar(select(Subscription).where(Subscription.tenant_id == tenant.id))
    subscription.plan_version_id = target.id
    session.add(
        AuditEvent(
            tenant_id=tenant.id, actor_kind="account", action="subscription.upgraded", subject_type="subscription",
            subject_id=str(tenant.id), occurred_at=effective_at,
            changes={"plan": {"old": old, "new": new}, "version": 1, "effective_at": effective_at.isoformat()},
        )
    )  # fmt: skip
    await session.commit()


async def version_of(session, plan: str, number: int = 1) -> PlanVersion:
    return await session.scalar(select(PlanVersion).where(PlanVersion.plan_code == plan, PlanVersion.version == number))


async def subscribed_tenant(session, plan: str = "growth", timezone: str = "Asia/Riyadh", **fields) -> Tenant:
    """A tenant on ``plan`` since January, out of trial: every month the tests bill is wholly its plan's."""
    tenant = TenantFactory(plan_code=plan, timezone=timezone, **fields)
    await save(session, tenant)
    await follow_plan(session, tenant)  # its "started" event is dated now: after the months billed
    subscription = await session.scalar(select(Subscription).where(Subscription.tenant_id == tenant.id))
    subscription.started_at = SINCE
    subscription.status = SubscriptionStatus.ACTIVE
    subscription.trial_ends_at = None
    subscription.current_period_start = month_of(utc_now(), timezone).start
    await session.execute(
        update(AuditEvent)
        .where(AuditEvent.tenant_id == tenant.id, AuditEvent.action == "subscription.started")
        .values(occurred_at=SINCE)
    )
    await session.commit()
    return tenant


async def billing_profile(session, tenant: Tenant, tax_rate_bp: int) -> None:
    await save(
        session,
        BillingProfile(
            tenant_id=tenant.id, legal_name="Acme LLC", address="1 Main St", country="SA",
            billing_email="billing@acme.example", tax_rate_bp=tax_rate_bp, invoice_language=InvoiceLanguage.EN,
        ),
    )  # fmt: skip


async def use(session, tenant: Tenant, meter: str, quantity: int, at: datetime) -> None:
    await record_usage(
        session, tenant_id=tenant.id, meter=meter, quantity=quantity, idempotency_key=uuid4().hex, occurred_at=at
    )
    await session.commit()


async def breach(session, tenant: Tenant, due_at: datetime, clock: str = "resolution") -> None:
    """A work item whose ``clock`` target was breached at ``due_at``."""
    item = queued_item(tenant)
    await save(session, item)
    await save(
        session,
        SlaEvent(
            tenant_id=tenant.id, id=uuid4(), work_item_id=item.id, clock=clock, kind="breach", due_at=due_at,
            recorded_at=due_at, detected_by="timer",
        ),
    )  # fmt: skip


RUNS = "/api/v1/billing/runs"


async def run_through_api(client, headers: dict, body: dict, *, timeout: float = 30.0):
    """The console's way: POST a run (202), then follow it until a worker (``job_worker``) has carried it out.

    Returns the POST's answer and the run as ``GET /{id}`` shows it once it is no longer running.
    """
    started = await client.post(RUNS, json=body, headers=headers)
    if started.status_code != 202:
        return started, None
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        shown = (await client.get(f"{RUNS}/{started.json()['id']}", headers=headers)).json()
        if shown["status"] != "running":
            return started, shown
        assert asyncio.get_running_loop().time() < deadline, f"the run is still running: {shown}"
        await asyncio.sleep(0.05)
