"""The payroll schedule's background tick: each tenant's draft run prepared on its day, once per period.

Every ``TICK_SECONDS`` the loop (one process of the fleet at a time,
``sole_owner``) finds the tenants with an enabled schedule and, for each in its
own transaction, locks the schedule row and, when the tenant's day has come in
its own time zone, prepares the period's run as the API's "prepare" does
(computed in the background, then a draft waiting for the checker). The lock
and the row's ``last_period`` make it once per period however many ticks run
at once; a period that already has a run (prepared by hand) is left as it is.
Tenants without the hr service, and suspended tenants, are left alone.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bo_saas.audit.record import record_event
from bo_saas.hr import payroll_runs
from bo_saas.hr.payroll_models import PayrollRun
from bo_saas.hr.payroll_schedule import due_period
from bo_saas.hr.payroll_schedule_models import PayrollSchedule
from bo_saas.hr.payroll_tasks import compute_payroll_run
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import make_sessionmaker, set_scope
from bo_saas.lib.outbox import enqueue
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant, TenantStatus
from bo_saas.work.catalog import offered_service

log = structlog.get_logger(__name__)

SERVICE_TYPE = "hr"
TICK_SECONDS = 1800  # the day starts at the tenant's midnight: its run is prepared within half an hour of it
TENANT_CHUNK = 500
SCHEDULE_ACTOR = (None, "system")


async def prepare_tenant(session: AsyncSession, tenant: Tenant, now: datetime) -> UUID | None:
    """Prepare the tenant's due run in the session's transaction; its id, or None when nothing was due."""
    schedule = await session.get(PayrollSchedule, tenant.id, with_for_update=True)  # a second tick waits here
    if schedule is None or not schedule.enabled or tenant.status is TenantStatus.SUSPENDED:
        return None
    today = now.astimezone(ZoneInfo(tenant.timezone or "UTC")).date()
    period = due_period(today, schedule.day, schedule.last_period)
    if period is None or await offered_service(session, tenant, SERVICE_TYPE) is None:
        return None
    schedule.last_period = period
    earlier = await session.scalar(
        select(PayrollRun.id).where(PayrollRun.tenant_id == tenant.id, PayrollRun.period == period)
    )
    if earlier is not None:  # prepared by hand before the day: the schedule has nothing to add
        return None
    run = await payroll_runs.create_run(session, tenant.id, period, prepared_by=None)
    await enqueue(session, compute_payroll_run, tenant_id=str(tenant.id), run_id=str(run.id))
    record_event(
        session, None, tenant_id=tenant.id, action="hr.payroll_run_prepared", subject_type="hr_payroll_run",
        subject_id=str(run.id), changes={"period": period, "scheduled": True, "day": schedule.day},
        actor=SCHEDULE_ACTOR,
    )  # fmt: skip
    return run.id


async def _scheduled_tenants(sessionmaker: async_sessionmaker[AsyncSession], ids: list[UUID]) -> list[UUID]:
    """Of ``ids``, the tenants with an enabled schedule: one query per chunk."""
    async with sessionmaker() as session:
        set_scope(session, TenantScope(frozenset(ids)))
        async with session.begin():
            rows = await session.scalars(
                select(PayrollSchedule.tenant_id).where(PayrollSchedule.enabled.is_(True)).order_by("tenant_id")
            )
            return list(rows)


async def payroll_schedule_tick(sessionmaker: async_sessionmaker[AsyncSession], *, now: datetime) -> list[UUID]:
    """One look at every tenant's schedule; the runs prepared. Each tenant in its own transaction."""
    async with sessionmaker() as session, session.begin():
        ids = list(await session.scalars(select(Tenant.id).order_by(Tenant.id)))
    prepared: list[UUID] = []
    for start in range(0, len(ids), TENANT_CHUNK):
        for tenant_id in await _scheduled_tenants(sessionmaker, ids[start : start + TENANT_CHUNK]):
            try:
                async with sessionmaker() as session:
                    set_scope(session, TenantScope.of(tenant_id))
                    async with session.begin():
                        tenant = await session.get(Tenant, tenant_id)
                        assert tenant is not None
                        run_id = await prepare_tenant(session, tenant, now)
            except Exception:  # one tenant's fault must not keep the others' payroll back
                log.exception("hr.payroll_schedule.tenant_failed", tenant=str(tenant_id))
                continue
            if run_id is not None:
                prepared.append(run_id)
    return prepared


async def run_payroll_schedule(engine: AsyncEngine, settings: Settings) -> None:
    """The loop, declared in the HR ``DOMAIN.background`` behind ``sole_owner``: a tick every ``TICK_SECONDS``."""
    sessionmaker = make_sessionmaker(engine)
    while True:
        await asyncio.sleep(TICK_SECONDS)  # sleep first: a process that just started does no sweep at once
        try:
            prepared = await payroll_schedule_tick(sessionmaker, now=utc_now())
        except Exception:  # an outage must not end the loop; the next tick does what this one could not
            log.exception("hr.payroll_schedule.failed")
        else:
            if prepared:
                log.info("hr.payroll_schedule.tick", prepared=len(prepared))
