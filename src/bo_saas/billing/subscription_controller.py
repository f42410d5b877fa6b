"""``/api/v1/subscription``: the tenant's plan version and status; changing plan, previewing it, cancelling.

Clients see their own tenant's; staff name one with ``X-Tenant``. Client and
provider admins may change plan (and cancel); everyone who may see the subscription may
preview a change.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, delete, get, put
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing import plan_change
from bo_saas.billing.cancellation import cancel
from bo_saas.billing.invoices_controller import invoices_out
from bo_saas.billing.models import PlanVersion, Subscription
from bo_saas.billing.periods import current_period
from bo_saas.billing.plans_controller import plan_out
from bo_saas.billing.schemas import (
    CancellationOut,
    LineOut,
    PendingChangeOut,
    PlanChangeOut,
    SubscriptionChange,
    SubscriptionOut,
)
from bo_saas.billing.scope import tenant_in_scope
from bo_saas.billing.subscriptions import in_force
from bo_saas.lib import limits
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_admin
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write
from bo_saas.tenancy.models import Tenant


async def subscription_out(session: AsyncSession, tenant: Tenant, subscription: Subscription) -> SubscriptionOut:
    version = await session.get(PlanVersion, subscription.plan_version_id)
    assert version is not None
    period = current_period(subscription.current_period_start, utc_now(), tenant.timezone, version.interval)
    pending = None
    if subscription.pending_plan_version_id is not None and subscription.pending_from is not None:
        upcoming = await session.get(PlanVersion, subscription.pending_plan_version_id)
        assert upcoming is not None
        pending = PendingChangeOut(upcoming.plan_code, upcoming.version, subscription.pending_from)
    return SubscriptionOut(
        tenant_id=str(tenant.id),
        plan=plan_out(version),
        status=subscription.status.value,
        started_at=subscription.started_at,
        current_period_start=period.start,
        current_period_end=period.end,
        trial_ends_at=subscription.trial_ends_at,
        cancelled_at=subscription.cancelled_at,
        pending_change=pending,
    )


def change_out(planned: plan_change.PlanChange) -> PlanChangeOut:
    return PlanChangeOut(
        kind=planned.kind,
        plan=planned.target.plan_code,
        version=planned.target.version,
        effective_at=planned.effective_at,
        period=planned.period.label,
        currency=planned.target.currency,
        lines=[LineOut(line.description, line.quantity, line.unit_price, line.amount) for line in planned.lines],
        total=planned.total,
    )


class SubscriptionController(Controller):
    path = "/api/v1/subscription"
    tags = ["billing"]

    @get("/", summary="The tenant's subscription: plan version, status, period, a scheduled downgrade")
    async def get_subscription(self, db: AsyncSession, tenant_scope: TenantScope) -> SubscriptionOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        return await subscription_out(db, tenant, await in_force(db, tenant))

    @put(
        "/",
        guards=[requires_admin],
        summary="Change plan",
        description="An upgrade takes effect at once, its base fee and seats prorated by day on each version; "
        "a downgrade takes effect at the next period start. A change that would drop a service with open work "
        "is refused with 409.",
    )
    async def change_plan(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: SubscriptionChange
    ) -> PlanChangeOut:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        await db.refresh(tenant, with_for_update=True)
        subscription = await in_force(db, tenant)
        return change_out(await plan_change.change(db, request, tenant, subscription, data.plan, utc_now()))

    @get("/preview", summary="What changing to a plan would do: when, and the period's prorated charges")
    async def preview_change(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        plan: Annotated[str, QueryParameter(min_length=1, max_length=limits.CODE, description="the plan's code")],
    ) -> PlanChangeOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        subscription = await in_force(db, tenant)
        return change_out(await plan_change.preview(db, tenant, subscription, plan, utc_now()))

    @delete(
        "/",
        guards=[requires_admin],
        status_code=200,
        summary="Cancel the subscription at once",
        description="Its final invoice is made and finalized now: base fee and seats prorated to today, the "
        "period's usage so far, its one-off charges and SLA credits.",
    )
    async def cancel_subscription(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope
    ) -> CancellationOut:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        subscription, invoice = await cancel(db, request, tenant, utc_now())
        final = (await invoices_out(db, [invoice]))[0] if invoice is not None else None
        return CancellationOut(await subscription_out(db, tenant, subscription), final)
