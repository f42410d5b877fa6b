"""``/api/v1/hr/leave-types``: a tenant's leave types and their accrual rules.

Everyone in the tenant reads them; its client admin and hr staff add and change
them (as does the ``[[hr.leave_types]]`` manifest). There is no DELETE: a type
is switched off with ``active: false`` and its requests keep it.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.hr.access import one_tenant, require_keeper
from bo_saas.hr.leave_errors import LeaveConflict, LeaveNotFound, LeaveRefused
from bo_saas.hr.leave_models import LeaveType
from bo_saas.hr.leave_requests import type_by_code
from bo_saas.hr.leave_schemas import LeaveTypeIn, LeaveTypeOut, LeaveTypeUpdate
from bo_saas.hr.leave_types import LeaveRule, changed_fields, days, rule_of, rule_problems, set_rule
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.repository import TenantRepository
from bo_saas.lib.tenant_scope import TenantScope

DAY_FIELDS = ("days_per_year", "carry_over_cap")


class LeaveTypes(TenantRepository[LeaveType]):
    model = LeaveType
    not_found = LeaveNotFound
    not_found_message = "No such leave type"


def type_view(leave_type: LeaveType) -> LeaveTypeOut:
    return LeaveTypeOut(
        id=leave_type.id, code=leave_type.code, name=leave_type.name, kind=leave_type.kind, accrual=leave_type.accrual,
        days_per_year=float(leave_type.days_per_year), carry_over_cap=float(leave_type.carry_over_cap),
        carry_over_expiry_months=leave_type.carry_over_expiry_months, allow_negative=leave_type.allow_negative,
        active=leave_type.active,
    )  # fmt: skip


def _checked(rule: LeaveRule) -> LeaveRule:
    problems = [f"{name}: {reason}" for name, reason in rule_problems(rule)]
    if problems:
        raise LeaveRefused("The leave type's rule does not hold: " + "; ".join(problems), extra={"problems": problems})
    return rule


def _jsonable(changes: dict) -> dict:
    return {name: {key: float(v) if name in DAY_FIELDS else v for key, v in c.items()} for name, c in changes.items()}


class LeaveTypeController(Controller):
    path = "/api/v1/hr/leave-types"
    tags = ["hr"]

    @get("/", summary="List the tenant's leave types, by code")
    async def list_leave_types(
        self, db: AsyncSession, tenant_scope: TenantScope, page: PageRequest
    ) -> OffsetPagination[LeaveTypeOut]:
        tenant_id = one_tenant(tenant_scope)
        return await list_page(
            db, LeaveTypes().select().where(LeaveType.tenant_id == tenant_id), page,
            order_by=(LeaveType.code,), into=lambda rows: [type_view(row) for row in rows],
        )  # fmt: skip

    @post("/", summary="Add a leave type with its accrual rule (the tenant's admin or hr staff)")
    async def create_leave_type(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: LeaveTypeIn
    ) -> LeaveTypeOut:
        tenant = await require_keeper(db, request.user, tenant_scope)
        if await type_by_code(db, tenant.id, data.code) is not None:
            raise LeaveConflict(f"The tenant already has a leave type {data.code!r}")
        rule = _checked(LeaveRule(
            code=data.code, name=data.name, kind=data.kind, accrual=data.accrual,
            days_per_year=days(data.days_per_year), carry_over_cap=days(data.carry_over_cap),
            carry_over_expiry_months=data.carry_over_expiry_months, allow_negative=data.allow_negative,
        ))  # fmt: skip
        leave_type = LeaveType(tenant_id=tenant.id)
        set_rule(leave_type, rule)
        db.add(leave_type)
        await db.flush()
        record_event(db, request, tenant_id=tenant.id, action="hr.leave_type_added", subject_type="hr_leave_type",
                     subject_id=str(leave_type.id), changes={"code": rule.code})  # fmt: skip
        return type_view(leave_type)

    @patch("/{leave_type_id:uuid}", summary="Change a leave type's name or rule, or switch it off (active: false)")
    async def update_leave_type(
        self, request: Request, db: AsyncSession, leave_type_id: UUID, data: LeaveTypeUpdate
    ) -> LeaveTypeOut:
        leave_type = await LeaveTypes().get(db, leave_type_id, for_update=True)
        await require_keeper(db, request.user, TenantScope.of(leave_type.tenant_id))
        given = {name: getattr(data, name) for name in data.__struct_fields__ if getattr(data, name) is not None}
        active = given.pop("active", None)
        for name in DAY_FIELDS:
            if name in given:
                given[name] = days(given[name])
        rule = _checked(replace(rule_of(leave_type), **given))
        was_active = leave_type.active
        changes = changed_fields(leave_type, rule) if leave_type.active else {}
        set_rule(leave_type, rule)
        leave_type.active = was_active if active is None else active
        if leave_type.active != was_active:
            changes["active"] = {"old": was_active, "new": leave_type.active}
        if changes:
            record_event(db, request, tenant_id=leave_type.tenant_id, action="hr.leave_type_changed",
                         subject_type="hr_leave_type", subject_id=str(leave_type.id),
                         changes={"code": leave_type.code, **_jsonable(changes)})  # fmt: skip
        await db.flush()
        return type_view(leave_type)
