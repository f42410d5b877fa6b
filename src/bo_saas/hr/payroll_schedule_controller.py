"""``/api/v1/hr/payroll-schedule``: the day of each month a tenant's draft payroll run is prepared on its own.

Read by whoever may see payroll (the tenant's client admin, provider staff with
the ``hr`` skill), set by the same people; each change is audited
(``hr.payroll_schedule_changed``). The manifest's ``[hr.payroll_schedule]``
sets the same row.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from litestar import Controller, Request, get, put
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.hr.access import one_tenant, require_keeper, tenant_today
from bo_saas.hr.payroll_controller import require_payroll_reader
from bo_saas.hr.payroll_schedule import set_schedule, view
from bo_saas.hr.payroll_schedule_models import FIRST_DAY, LAST_DAY, PayrollSchedule
from bo_saas.lib.tenant_scope import TenantScope

Day = Annotated[
    int,
    msgspec.Meta(ge=FIRST_DAY, le=LAST_DAY, description="day of the month (29-31: the month's last day when shorter)"),
]


class PayrollScheduleIn(msgspec.Struct, forbid_unknown_fields=True):
    day: Day
    enabled: bool = True


class PayrollScheduleOut(msgspec.Struct):
    day: int | None  # None: no schedule set
    enabled: bool
    last_period: str | None  # the period the schedule last prepared (or found prepared)
    next_date: dt.date | None  # the tenant's date the next run is prepared on; None when disabled


async def _shown(db: AsyncSession, tenant_id) -> PayrollScheduleOut:
    shown = view(await db.get(PayrollSchedule, tenant_id), await tenant_today(db, tenant_id))
    return PayrollScheduleOut(shown.day, shown.enabled, shown.last_period, shown.next_date)


class PayrollScheduleController(Controller):
    path = "/api/v1/hr/payroll-schedule"
    tags = ["hr"]

    @get("/", summary="The tenant's payroll schedule: the day its draft run is prepared, and the next date")
    async def get_payroll_schedule(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope
    ) -> PayrollScheduleOut:
        tenant_id = one_tenant(tenant_scope)
        await require_payroll_reader(db, request.user)
        return await _shown(db, tenant_id)

    @put(
        "/",
        summary="Set the payroll schedule: the draft run of each month prepared on this day (tenant's time zone)",
        description="The run waits for the checker as one prepared by hand; a period with a run already is skipped.",
    )
    async def put_payroll_schedule(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: PayrollScheduleIn
    ) -> PayrollScheduleOut:
        tenant = await require_keeper(db, request.user, tenant_scope)
        changes = await set_schedule(db, tenant.id, day=data.day, enabled=data.enabled)
        if changes:
            record_event(
                db, request, tenant_id=tenant.id, action="hr.payroll_schedule_changed",
                subject_type="hr_payroll_schedule", subject_id=str(tenant.id), changes=changes,
            )  # fmt: skip
        return await _shown(db, tenant.id)
