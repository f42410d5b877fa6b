"""Scheduled billing: drafts once a period has ended everywhere and its grace time passed, finalized after review.

Two steps, each on its own clock, so provider admins review drafts before they
go out (issue 11: "drafts are reviewed"):

1. ``draft_grace`` after a month has ended in every time zone, the schedule
   runs billing for it (``runs.run_billing``, ``started_by="schedule"``): a
   draft per tenant. Once a scheduled run of that period has finished, the
   schedule does not run it again; a provider admin may still rerun by hand.
2. ``review`` after that, every draft of that period or an earlier one is
   recomputed (a draft re-reads usage, so nothing recorded meanwhile is lost)
   and finalized on its own (``invoices.finalize``: a gap-free number, frozen,
   audited). Admins can add charges or finalize early during the review.

One process of the fleet runs the loop (``sole_owner``: the holder of its
advisory lock); every step is idempotent all the same: two ticking at once make no second
invoice (``save_draft``) and no second number (``finalize`` locks the draft
and refuses a finalized one, which this treats as done by the other).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bo_saas.billing.across_tenants import invoices_of_every_tenant
from bo_saas.billing.errors import InvoiceFinalized
from bo_saas.billing.invoices import finalize
from bo_saas.billing.models import BillingRun, Invoice, InvoiceStatus
from bo_saas.billing.periods import parse_month, period_starting
from bo_saas.billing.runs import bill_tenant, default_period, run_billing
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import make_sessionmaker, set_scope
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant

log = structlog.get_logger(__name__)

SCHEDULE = "schedule"


@dataclass
class Tick:
    drafted: str | None = None  # the period a scheduled run drafted in this tick
    finalized: list[str] = field(default_factory=list)  # invoice numbers given in this tick


async def _scheduled_run_finished(session: AsyncSession, label: str) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    BillingRun.period == label,
                    BillingRun.started_by == SCHEDULE,
                    BillingRun.dry_run.is_(False),
                    BillingRun.status == "finished",
                )
            )
        )
    )


async def _drafts_due(sessionmaker: async_sessionmaker[AsyncSession], label: str) -> list[tuple[Tenant, Invoice]]:
    """Draft invoices of period ``label`` or earlier, of every tenant."""
    conditions = (Invoice.status == InvoiceStatus.DRAFT, Invoice.period <= label)
    return await invoices_of_every_tenant(sessionmaker, conditions, (Invoice.period, Invoice.tenant_id))


async def _recompute_and_finalize(
    sessionmaker: async_sessionmaker[AsyncSession], tenant: Tenant, draft: Invoice, now: datetime
) -> str | None:
    first_day = parse_month(draft.period)
    assert first_day is not None  # the table's check constraint
    async with sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant.id))
        try:
            async with session.begin():
                await bill_tenant(session, tenant, period_starting(first_day, tenant.timezone))
                return (await finalize(session, None, tenant, draft.id, now)).number
        except InvoiceFinalized:
            return None  # another process finalized it first


async def billing_tick(
    sessionmaker: async_sessionmaker[AsyncSession], *, now: datetime, draft_grace: timedelta, review: timedelta
) -> Tick:
    """One look at the calendar: draft the period whose grace has passed, finalize drafts whose review has."""
    tick = Tick()
    label = default_period(now - draft_grace)
    async with sessionmaker() as session, session.begin():
        already = await _scheduled_run_finished(session, label)
    if not already:
        await run_billing(sessionmaker, period=label, started_by=SCHEDULE, now=now)
        tick.drafted = label
    for tenant, draft in await _drafts_due(sessionmaker, default_period(now - draft_grace - review)):
        try:
            number = await _recompute_and_finalize(sessionmaker, tenant, draft, now)
        except Exception:  # one tenant's fault must not keep the others' invoices from going out
            log.exception("billing.schedule.finalize_failed", tenant=tenant.slug, period=draft.period)
            continue
        if number is not None:
            tick.finalized.append(number)
    return tick


async def run_billing_schedule(engine: AsyncEngine, settings: Settings) -> None:
    """billing's loop, declared in its ``DOMAIN.background``: a tick every ``billing_schedule_seconds``."""
    sessionmaker = make_sessionmaker(engine)
    while True:
        await asyncio.sleep(settings.billing_schedule_seconds)
        try:
            tick = await billing_tick(
                sessionmaker,
                now=utc_now(),
                draft_grace=timedelta(hours=settings.billing_draft_grace_hours),
                review=timedelta(hours=settings.billing_review_hours),
            )
        except Exception:  # an outage must not end the loop; the next tick does what this one could not
            log.exception("billing.schedule.failed")
            continue
        log.info("billing.schedule.tick", drafted=tick.drafted, finalized=len(tick.finalized))
