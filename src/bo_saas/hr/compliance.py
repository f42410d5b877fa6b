"""Compliance reminders: a work item raised a set number of days before an employee's document expires.

The HR desk's background job (``DOMAIN.background``) looks every
``TICK_SECONDS`` at every tenant's documents with an expiry date, and for each
document whose reminder day has come (``expires_on`` minus the tenant's
``compliance_reminder_days``, default 30, in the tenant's own time zone) raises
one ``hr`` work item asking for it to be renewed. A reminder is a row unique
on ``(tenant_id, document_id, expires_on)``, inserted first with ``ON CONFLICT
DO NOTHING``: two processes ticking at once, or a tick repeated, raise one item
per document and expiry. A renewed document (a later expiry) is reminded again.
A leaver's documents (end date passed) and tenants without the hr service are
left alone.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bo_saas.hr.case_models import DEFAULT_REMINDER_DAYS, ComplianceReminder, EmployeeDocument, HrSettings
from bo_saas.hr.models import Employee
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import make_sessionmaker, set_scope
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant
from bo_saas.work import items
from bo_saas.work.catalog import offered_service
from bo_saas.work.models import Priority

log = structlog.get_logger(__name__)

SERVICE_TYPE = "hr"
TICK_SECONDS = 3600  # expiry is counted in days: an hourly look is plenty and costs one query per tenant chunk
TENANT_CHUNK = 500
# The longest a reminder may come ahead (the manifest's bound) plus a day for time zones ahead of UTC.
WIDEST_WINDOW_DAYS = 366
KIND_LABELS = {"national_id": "national id", "visa": "visa", "work_permit": "work permit", "contract": "contract"}


@dataclass
class ComplianceTick:
    raised: list[UUID] = field(default_factory=list)  # the reminders' work item ids


def reminder_day(expires_on: date, days_before: int) -> date:
    return expires_on - timedelta(days=days_before)


async def _raise_reminder(
    session: AsyncSession, tenant: Tenant, document: EmployeeDocument, employee: Employee, now: datetime
) -> UUID | None:
    """Record the reminder and raise its work item; None when this document and expiry was reminded already."""
    assert document.expires_on is not None
    reminder_id = await session.scalar(
        insert(ComplianceReminder)
        .values(id=uuid4(), tenant_id=tenant.id, document_id=document.id, expires_on=document.expires_on,
                created_at=now)
        .on_conflict_do_nothing(constraint="hr_compliance_reminders_once")
        .returning(ComplianceReminder.id)
    )  # fmt: skip
    if reminder_id is None:
        return None
    what = KIND_LABELS.get(document.kind, document.kind)
    item = await items.create_item(
        session, None, tenant, service_type=SERVICE_TYPE,
        title=f"Compliance: {employee.name}'s {what} expires {document.expires_on.isoformat()}",
        payload={"request": "compliance", "employee": f"{employee.employee_number} {employee.name}"[:200],
                 "effective_date": document.expires_on.isoformat(),
                 "details": f"The {what}{' (' + document.title + ')' if document.title else ''} of {employee.name} "
                            f"expires on {document.expires_on.isoformat()}: renew it and record the new expiry."},
        priority=Priority.NORMAL, submit=True,
    )  # fmt: skip
    reminder = await session.get(ComplianceReminder, (tenant.id, reminder_id))
    assert reminder is not None
    reminder.work_item_id = item.id
    await session.flush()
    return item.id


async def remind_tenant(session: AsyncSession, tenant: Tenant, now: datetime) -> list[UUID]:
    """Raise the tenant's due reminders in the session's transaction; the work items raised."""
    if await offered_service(session, tenant, SERVICE_TYPE) is None:
        return []
    today = now.astimezone(ZoneInfo(tenant.timezone or "UTC")).date()
    days_before = await session.scalar(
        select(HrSettings.compliance_reminder_days).where(HrSettings.tenant_id == tenant.id)
    )
    days_before = DEFAULT_REMINDER_DAYS if days_before is None else days_before
    reminded = exists().where(
        ComplianceReminder.tenant_id == EmployeeDocument.tenant_id,
        ComplianceReminder.document_id == EmployeeDocument.id,
        ComplianceReminder.expires_on == EmployeeDocument.expires_on,
    )
    rows = await session.execute(
        select(EmployeeDocument, Employee)
        .join(
            Employee,
            and_(Employee.tenant_id == EmployeeDocument.tenant_id, Employee.id == EmployeeDocument.employee_id),
        )
        .where(
            EmployeeDocument.tenant_id == tenant.id,
            EmployeeDocument.expires_on.is_not(None),
            EmployeeDocument.expires_on <= today + timedelta(days=days_before),
            or_(Employee.end_date.is_(None), Employee.end_date >= today),
            ~reminded,
        )
        .order_by(EmployeeDocument.expires_on, EmployeeDocument.id)
    )
    raised = []
    for document, employee in rows.all():
        item_id = await _raise_reminder(session, tenant, document, employee, now)
        if item_id is not None:
            raised.append(item_id)
    return raised


async def _tenants_with_due_documents(sessionmaker: async_sessionmaker[AsyncSession], ids: list[UUID]) -> set[UUID]:
    """Of ``ids``, the tenants having some unreminded document expiring within the widest window: one query."""
    async with sessionmaker() as session:
        set_scope(session, TenantScope(frozenset(ids)))
        async with session.begin():
            horizon = utc_now().date() + timedelta(days=WIDEST_WINDOW_DAYS)
            reminded = exists().where(
                ComplianceReminder.tenant_id == EmployeeDocument.tenant_id,
                ComplianceReminder.document_id == EmployeeDocument.id,
                ComplianceReminder.expires_on == EmployeeDocument.expires_on,
            )
            rows = await session.scalars(
                select(EmployeeDocument.tenant_id)
                .where(EmployeeDocument.expires_on.is_not(None), EmployeeDocument.expires_on <= horizon, ~reminded)
                .distinct()
            )
            return set(rows)


async def compliance_tick(sessionmaker: async_sessionmaker[AsyncSession], *, now: datetime) -> ComplianceTick:
    """One look at every tenant's documents; each tenant in its own transaction, so one's fault spares the rest."""
    tick = ComplianceTick()
    async with sessionmaker() as session, session.begin():
        tenants = {tenant.id: tenant for tenant in await session.scalars(select(Tenant).order_by(Tenant.id))}
    ids = list(tenants)
    for start in range(0, len(ids), TENANT_CHUNK):
        for tenant_id in sorted(await _tenants_with_due_documents(sessionmaker, ids[start : start + TENANT_CHUNK])):
            try:
                async with sessionmaker() as session:
                    set_scope(session, TenantScope.of(tenant_id))
                    async with session.begin():
                        tenant = await session.get(Tenant, tenant_id)
                        assert tenant is not None
                        tick.raised += await remind_tenant(session, tenant, now)
            except Exception:  # one tenant's fault must not keep the others' reminders back
                log.exception("hr.compliance.tenant_failed", tenant=tenants[tenant_id].slug)
    return tick


async def run_compliance_reminders(engine: AsyncEngine, settings: Settings) -> None:
    """The HR desk's loop, declared in its ``DOMAIN.background``: a look every ``TICK_SECONDS``."""
    sessionmaker = make_sessionmaker(engine)
    while True:
        # Sleep first, as billing's schedule does: a process that just started (or a test app) does no sweep at once.
        await asyncio.sleep(TICK_SECONDS)
        try:
            tick = await compliance_tick(sessionmaker, now=utc_now())
        except Exception:  # an outage must not end the loop; the next tick does what this one could not
            log.exception("hr.compliance.failed")
        else:
            if tick.raised:
                log.info("hr.compliance.tick", raised=len(tick.raised))
