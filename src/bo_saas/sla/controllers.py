"""SLA routes: the provider's policies, a tenant's business calendar, and the board of warnings and breaches."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, delete, get, put
from litestar.params import QueryParameter
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event, record_provider_event
from bo_saas.lib.business_time import BusinessTime, CalendarError
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_admin, requires_provider_admin
from bo_saas.lib.listing import Sorting, list_page, to_struct
from bo_saas.lib.pagination import PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.sla.errors import InvalidSlaRequest, SlaNotFound
from bo_saas.sla.models import ANY_SERVICE, SlaEvent, SlaPolicy
from bo_saas.sla.schemas import CalendarOut, CalendarUpdate, SlaEventOut, SlaPolicyOut, SlaPolicyUpdate
from bo_saas.tenancy.access import tenant_for_write
from bo_saas.tenancy.models import BusinessCalendar, Plan, Tenant
from bo_saas.work.models import Priority, ServiceType, WorkItem
from bo_saas.work.repository import visible_items

PriorityName = Literal["low", "normal", "high", "urgent"]


POLICY_SORTING = Sorting(
    keys={
        "plan": (SlaPolicy.plan_code, SlaPolicy.service_type, SlaPolicy.priority.desc()),
        "service_type": (SlaPolicy.service_type, SlaPolicy.plan_code, SlaPolicy.priority.desc()),
    },
    default="plan",
)
EVENT_SORTING = Sorting(
    keys={"recorded_at": (SlaEvent.recorded_at,), "due_at": (SlaEvent.due_at,)},
    default="-recorded_at",
    tiebreak=(SlaEvent.id,),
)


def _policy_out(row: SlaPolicy) -> SlaPolicyOut:
    return to_struct(row, SlaPolicyOut, plan=row.plan_code)


class SlaPolicyController(Controller):
    """Provider-wide default targets; a tenant's manifest ``[sla]`` section overrides them for its items."""

    path = "/api/v1/sla/policies"
    tags = ["sla"]
    guards = [requires_provider_admin]

    @get("/", summary="SLA targets per plan tier, service type and priority (business minutes)")
    async def list_policies(
        self,
        db: AsyncSession,
        page: PageRequest,
        plan: str | None = None,
        service_type: str | None = None,
        sort: Annotated[str, POLICY_SORTING.parameter()] = POLICY_SORTING.default,
    ) -> OffsetPagination[SlaPolicyOut]:
        conditions = []
        if plan:
            conditions.append(SlaPolicy.plan_code == plan)
        if service_type:
            conditions.append(SlaPolicy.service_type == service_type)
        return await list_page(
            db,
            select(SlaPolicy),
            page,
            filters=conditions,
            sorting=POLICY_SORTING,
            sort=sort,
            into=lambda rows: [_policy_out(row) for row in rows],
        )

    @put(
        "/{plan:str}/{service_type:str}/{priority:str}",
        summary="Set the targets for one plan, service type ('*' for any) and priority",
        description="Applies to items queued from now on; an item's policy is fixed when it is queued.",
    )
    async def set_policy(
        self, request: Request, db: AsyncSession, plan: str, service_type: str, priority: str, data: SlaPolicyUpdate
    ) -> SlaPolicyOut:
        await _check_key(db, plan, service_type, priority)
        if data.resolution_minutes < data.first_response_minutes:
            raise InvalidSlaRequest("resolution_minutes must be at least first_response_minutes")
        values = {
            "first_response_minutes": data.first_response_minutes,
            "resolution_minutes": data.resolution_minutes,
            "warning_percent": data.warning_percent,
        }
        row = (
            await db.execute(
                pg_insert(SlaPolicy)
                .values(plan_code=plan, service_type=service_type, priority=Priority(priority), **values)
                .on_conflict_do_update(
                    index_elements=[SlaPolicy.plan_code, SlaPolicy.service_type, SlaPolicy.priority],
                    set_={**values, "updated_at": utc_now()},
                )
                .returning(SlaPolicy)
            )
        ).scalar_one()
        record_provider_event(
            db, request, action="sla.policy_set", subject_type="sla_policy",
            subject_id=f"{plan}/{service_type}/{priority}", changes=values,
        )  # fmt: skip
        return _policy_out(row)

    @delete(
        "/{plan:str}/{service_type:str}/{priority:str}",
        summary="Remove a service-specific target (the plan's '*' target then applies)",
    )
    async def delete_policy(
        self, request: Request, db: AsyncSession, plan: str, service_type: str, priority: str
    ) -> None:
        if service_type == ANY_SERVICE:
            raise InvalidSlaRequest("The '*' targets are every plan's fallback; change them instead of removing them")
        await _check_key(db, plan, service_type, priority)
        row = await db.get(SlaPolicy, (plan, service_type, Priority(priority)))
        if row is None:
            raise SlaNotFound("No such SLA policy")
        await db.delete(row)
        record_provider_event(
            db, request, action="sla.policy_removed", subject_type="sla_policy",
            subject_id=f"{plan}/{service_type}/{priority}",
        )  # fmt: skip


async def _check_key(db: AsyncSession, plan: str, service_type: str, priority: str) -> None:
    problems = []
    if await db.get(Plan, plan) is None:
        problems.append(f"no plan {plan!r}")
    if service_type != ANY_SERVICE and await db.get(ServiceType, service_type) is None:
        # Custom types are per tenant: their targets live in the tenant's manifest ([sla]).
        problems.append(f"no built-in service type {service_type!r} (use '*' for any, or a tenant's [sla] targets)")
    if priority not in Priority.__members__.values():
        problems.append(f"priority must be one of {', '.join(p.value for p in Priority)}")
    if problems:
        raise SlaNotFound("; ".join(problems))


def _one_tenant(scope: TenantScope) -> UUID:
    if not scope.tenant_ids:
        raise SlaNotFound("No such tenant")
    if len(scope.tenant_ids) != 1:
        raise InvalidSlaRequest("Choose one tenant with the X-Tenant header")
    (tenant_id,) = scope.tenant_ids
    return tenant_id


class CalendarController(Controller):
    """The business hours a tenant's SLA clocks run on (also set by its manifest's ``[calendar]``)."""

    path = "/api/v1/sla/calendar"
    tags = ["sla"]

    @get("/", summary="The tenant's business calendar")
    async def get_calendar(self, db: AsyncSession, tenant_scope: TenantScope) -> CalendarOut:
        tenant = await db.get(Tenant, _one_tenant(tenant_scope))
        if tenant is None:
            raise SlaNotFound("No such tenant")
        calendar = await db.get(BusinessCalendar, tenant.id)
        return _calendar_out(tenant, calendar)

    @put(
        "/",
        summary="Replace the tenant's business calendar",
        description="Applies to due times computed from now on (new items, pauses and resumes).",
        guards=[requires_admin],
    )
    async def set_calendar(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: CalendarUpdate
    ) -> CalendarOut:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        try:
            BusinessTime(
                timezone=tenant.timezone,
                weekly_hours=data.weekly_hours,
                holidays=frozenset(data.holidays),
                holiday_country=data.holiday_country,
            )
            if not any(data.weekly_hours.values()):
                raise CalendarError("no business hours: give at least one day with periods")
        except (CalendarError, ValueError) as exc:
            raise InvalidSlaRequest(f"calendar: {exc}") from None
        weekly_hours = {day: list(periods) for day, periods in data.weekly_hours.items() if periods}
        values = {
            "weekly_hours": weekly_hours,
            "holidays": sorted(set(data.holidays)),
            "holiday_country": data.holiday_country,
        }
        await db.execute(
            pg_insert(BusinessCalendar)
            .values(tenant_id=tenant.id, **values)
            .on_conflict_do_update(
                index_elements=[BusinessCalendar.tenant_id], set_={**values, "updated_at": utc_now()}
            )
        )
        record_event(
            db, request, tenant_id=tenant.id, action="sla.calendar_set", subject_type="tenant",
            subject_id=str(tenant.id),
            changes={"weekly_hours": weekly_hours, "holidays": [d.isoformat() for d in values["holidays"]],
                     "holiday_country": data.holiday_country},
        )  # fmt: skip
        return CalendarOut(tenant.id, tenant.timezone, weekly_hours, values["holidays"], data.holiday_country)

    @delete(
        "/",
        summary="Reset the tenant's calendar to round the clock",
        description="Removes its weekly hours and holidays: the clocks run 24x7 in the tenant's time zone, "
        "for due times computed from now on. A manifest that names [calendar] sets one again.",
        guards=[requires_admin],
    )
    async def clear_calendar(self, request: Request, db: AsyncSession, tenant_scope: TenantScope) -> None:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        calendar = await db.get(BusinessCalendar, tenant.id)
        if calendar is None:
            return  # round the clock already: the same answer, nothing to record
        await db.delete(calendar)
        record_event(
            db, request, tenant_id=tenant.id, action="sla.calendar_cleared", subject_type="tenant",
            subject_id=str(tenant.id),
            changes={"weekly_hours": None, "holidays": [], "holiday_country": None},
        )  # fmt: skip


def _calendar_out(tenant: Tenant, calendar: BusinessCalendar | None) -> CalendarOut:
    if calendar is None:
        return CalendarOut(tenant.id, tenant.timezone, None, [], None)
    return CalendarOut(
        tenant.id, tenant.timezone, calendar.weekly_hours, sorted(calendar.holidays or []), calendar.holiday_country
    )


class SlaEventController(Controller):
    """The SLA board: warnings and breaches across the caller's tenants, newest first."""

    path = "/api/v1/sla/events"
    tags = ["sla"]

    @get("/", summary="Warnings and breaches, newest first")
    async def list_events(
        self,
        request: Request,
        db: AsyncSession,
        page: PageRequest,
        kind: Annotated[Literal["warning", "breach"] | None, QueryParameter()] = None,
        sort: Annotated[str, EVENT_SORTING.parameter()] = EVENT_SORTING.default,
    ) -> OffsetPagination[SlaEventOut]:
        conditions = [visible_items(request.user)]
        if kind:
            conditions.append(SlaEvent.kind == kind)
        joined = select(SlaEvent, WorkItem.title, WorkItem.assignee_id).join(
            WorkItem, (WorkItem.tenant_id == SlaEvent.tenant_id) & (WorkItem.id == SlaEvent.work_item_id)
        )
        return await list_page(
            db,
            joined,
            page,
            filters=conditions,
            sorting=EVENT_SORTING,
            sort=sort,
            into=lambda rows: [
                to_struct(event, SlaEventOut, work_item_title=title, assignee_id=assignee_id)
                for event, title, assignee_id in rows
            ],
        )
