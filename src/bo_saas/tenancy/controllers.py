"""``/api/v1/tenants``: provider admins onboard and suspend tenants; others see theirs."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID, uuid4

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, patch, post
from litestar.params import QueryParameter
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_provider_event
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.changes import apply_changes
from bo_saas.lib.db import set_scope
from bo_saas.lib.guards import requires_provider_admin
from bo_saas.lib.listing import Sorting, list_page, to_struct
from bo_saas.lib.pagination import PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import assigned_tenant_ids
from bo_saas.tenancy.errors import InvalidTenant, TenantConflict, TenantNotFound
from bo_saas.tenancy.models import Plan, Tenant, TenantStatus
from bo_saas.tenancy.onboarding import FirstAdmin, invite_first_admin_hook
from bo_saas.tenancy.plan_choice import plan_chosen_hook
from bo_saas.tenancy.rules import services_outside_plan, services_problem, timezone_problem
from bo_saas.tenancy.schemas import Suspension, TenantCreate, TenantOut, TenantUpdate

SORTING = Sorting(
    keys={"slug": (Tenant.slug,), "name": (Tenant.name,), "created_at": (Tenant.created_at,)},
    default="slug",
    tiebreak=(Tenant.id,),
)


def tenant_out(tenant: Tenant) -> TenantOut:
    return to_struct(tenant, TenantOut, plan=tenant.plan_code)


async def _visible_tenant_ids(session: AsyncSession, caller: Caller) -> set[UUID] | None:
    """None means every tenant (a provider admin); otherwise the caller's own or assigned ones."""
    if caller.tenant_id is not None:
        return {caller.tenant_id}
    if caller.role is Role.PROVIDER_ADMIN:
        return None
    return await assigned_tenant_ids(session, caller.account_id)


async def _get_visible(session: AsyncSession, caller: Caller, tenant_id: UUID, *, for_update: bool = False) -> Tenant:
    visible = await _visible_tenant_ids(session, caller)
    tenant = await session.get(Tenant, tenant_id, with_for_update=for_update)
    if tenant is None or (visible is not None and tenant.id not in visible):
        raise TenantNotFound("No such tenant")
    return tenant


async def _check(session: AsyncSession, *, timezone: str | None, plan: str | None, services: list[str] | None) -> None:
    problems = []
    if timezone is not None and (problem := timezone_problem(timezone)):
        problems.append(f"timezone: {problem}")
    if services is not None and (problem := services_problem(services)):
        problems.append(f"services: {problem}")
    plan_row = await session.get(Plan, plan) if plan is not None else None
    if plan is not None and plan_row is None:
        plans = (await session.execute(select(Plan.code).order_by(Plan.code))).scalars()
        problems.append(f"plan: unknown plan {plan!r}; choose from {', '.join(plans)}")
    elif plan_row is not None and services is not None and not services_problem(services):
        # The same rule as manifests: a service the plan lacks is refused, not silently never offered.
        for index, reason in services_outside_plan(services, plan_row.code, frozenset(plan_row.services or ())):
            problems.append(f"services[{index}]: {reason}")
    if problems:
        raise InvalidTenant("; ".join(problems), extra={"problems": problems})


class TenantController(Controller):
    path = "/api/v1/tenants"
    tags = ["tenancy"]

    @get("/", summary="Tenants the caller may see")
    async def list_tenants(
        self,
        request: Request,
        db_session: AsyncSession,
        page: PageRequest,
        status: Annotated[TenantStatus | None, QueryParameter()] = None,
        q: Annotated[str | None, QueryParameter(max_length=100, description="slug or name contains")] = None,
        sort: Annotated[str, SORTING.parameter()] = SORTING.default,
    ) -> OffsetPagination[TenantOut]:
        visible = await _visible_tenant_ids(db_session, request.user)
        statement = select(Tenant)
        if visible is not None:
            statement = statement.where(Tenant.id.in_(visible))
        if status is not None:
            statement = statement.where(Tenant.status == status)
        if q:
            pattern = f"%{q.lower()}%"
            statement = statement.where(or_(Tenant.slug.like(pattern), func.lower(Tenant.name).like(pattern)))
        return await list_page(
            db_session, statement, page, sorting=SORTING, sort=sort, into=lambda rows: [tenant_out(t) for t in rows]
        )

    @post("/", guards=[requires_provider_admin], summary="Onboard a tenant, optionally inviting its first admin")
    async def create_tenant(self, request: Request, db_session: AsyncSession, data: TenantCreate) -> TenantOut:
        # The first admin's membership is a row of the new tenant, so the one transaction that creates
        # both must see that tenant (RLS). Its id is chosen now, before the transaction begins; a scope
        # of a tenant that does not exist yet reveals nothing else.
        tenant_id = uuid4()
        set_scope(db_session, TenantScope.of(tenant_id))
        await _check(db_session, timezone=data.timezone, plan=data.plan, services=data.services)
        if (await db_session.execute(select(Tenant.id).where(Tenant.slug == data.slug))).scalar():
            raise TenantConflict(f"slug: a tenant with slug {data.slug!r} already exists")
        tenant = Tenant(
            id=tenant_id,
            slug=data.slug,
            name=data.name.strip(),
            plan_code=data.plan,
            timezone=data.timezone,
            services=list(data.services),
            status=TenantStatus.ACTIVE,
        )
        db_session.add(tenant)
        await db_session.flush()
        record_provider_event(
            db_session,
            request,
            action="tenant.created",
            subject_type="tenant",
            subject_id=str(tenant.id),
            changes={"slug": tenant.slug, "name": tenant.name, "plan": tenant.plan_code},
        )
        await db_session.flush()
        await plan_chosen_hook()(db_session, tenant)  # billing starts its subscription (tenancy/plan_choice.py)
        if data.first_admin is not None:
            # Identity's part (tenancy/onboarding.py); a refusal there rolls this tenant back too.
            admin = FirstAdmin(name=data.first_admin.name, email=data.first_admin.email)
            await invite_first_admin_hook()(db_session, request, tenant, admin)
        await db_session.refresh(tenant)
        return tenant_out(tenant)

    @get("/{tenant_id:uuid}", summary="One tenant")
    async def get_tenant(self, request: Request, db_session: AsyncSession, tenant_id: UUID) -> TenantOut:
        return tenant_out(await _get_visible(db_session, request.user, tenant_id))

    @patch("/{tenant_id:uuid}", guards=[requires_provider_admin], summary="Change a tenant")
    async def update_tenant(
        self, request: Request, db_session: AsyncSession, tenant_id: UUID, data: TenantUpdate
    ) -> TenantOut:
        # A plan change starts or moves the tenant's subscription (the plan-chosen hook), a row of the tenant:
        # the provider admin's transaction must see that tenant, as when it is created.
        set_scope(db_session, TenantScope.of(tenant_id))
        tenant = await _get_visible(db_session, request.user, tenant_id, for_update=True)
        # The plan and services as they will be, so changing either alone is checked against the other.
        await _check(
            db_session,
            timezone=data.timezone,
            plan=data.plan if data.plan is not None else tenant.plan_code,
            services=data.services if data.services is not None else list(tenant.services),
        )
        changes = apply_changes(
            tenant,
            {"name": data.name, "timezone": data.timezone, "plan": data.plan, "services": data.services},
            names={"plan": "plan_code"},
        )
        if changes:
            record_provider_event(
                db_session,
                request,
                action="tenant.updated",
                subject_type="tenant",
                subject_id=str(tenant.id),
                changes=changes,
            )
            await db_session.flush()
            if "plan" in changes:
                await plan_chosen_hook()(db_session, tenant)
            await db_session.refresh(tenant)
        return tenant_out(tenant)

    @post("/{tenant_id:uuid}/suspend", guards=[requires_provider_admin], status_code=200, summary="Suspend a tenant")
    async def suspend(self, request: Request, db_session: AsyncSession, tenant_id: UUID, data: Suspension) -> TenantOut:
        return await self._set_status(
            request, db_session, tenant_id, TenantStatus.SUSPENDED, data.reason.strip() or None
        )

    @post(
        "/{tenant_id:uuid}/reactivate", guards=[requires_provider_admin], status_code=200, summary="Reactivate a tenant"
    )
    async def reactivate(self, request: Request, db_session: AsyncSession, tenant_id: UUID) -> TenantOut:
        return await self._set_status(request, db_session, tenant_id, TenantStatus.ACTIVE, None)

    async def _set_status(
        self, request: Request, session: AsyncSession, tenant_id: UUID, status: TenantStatus, reason: str | None
    ) -> TenantOut:
        tenant = await _get_visible(session, request.user, tenant_id, for_update=True)
        if tenant.status is not status:
            record_provider_event(
                session,
                request,
                action=f"tenant.{'suspended' if status is TenantStatus.SUSPENDED else 'reactivated'}",
                subject_type="tenant",
                subject_id=str(tenant.id),
                changes={"status": {"old": tenant.status.value, "new": status.value}, "reason": reason},
            )
            tenant.status = status
            tenant.suspended_reason = reason
            await session.flush()
            await session.refresh(tenant)
        return tenant_out(tenant)
