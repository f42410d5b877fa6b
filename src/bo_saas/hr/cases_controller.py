"""``/api/v1/hr/cases``: onboarding and offboarding cases, each on one ``hr`` work item, with its tasks.

The tenant's client admin and provider staff with the ``hr`` skill start a case
for an employee; the tasks come from a checklist template with due dates in
business days. Provider staff tick any task; the client admin ticks the tasks
the client owns. The console opens ``/console/hr/cases/{item_id}`` for an hr
work item, which reads its case with ``?work_item_id=``. Another tenant's case
answers 404.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.hr import cases
from bo_saas.hr.access import require_keeper
from bo_saas.hr.case_models import HrCase, TaskOwner
from bo_saas.hr.case_schemas import CaseIn, CaseOut, KindName, TaskUpdate
from bo_saas.hr.cases import Cases, case_views
from bo_saas.hr.employees import Employees
from bo_saas.lib.caller import Role
from bo_saas.lib.errors import ForbiddenError
from bo_saas.lib.guards import requires_admin_or_staff
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write


class CaseController(Controller):
    path = "/api/v1/hr/cases"
    tags = ["hr"]

    @get("/", summary="List onboarding and offboarding cases, newest first, with their tasks")
    async def list_cases(
        self,
        request: Request,
        db: AsyncSession,
        page: PageRequest,
        work_item_id: Annotated[UUID | None, QueryParameter(description="the case of this hr work item")] = None,
        employee_id: Annotated[UUID | None, QueryParameter(description="only this employee's cases")] = None,
        kind: Annotated[KindName | None, QueryParameter(description="only cases of this kind")] = None,
    ) -> OffsetPagination[CaseOut]:
        return await list_page(
            db,
            Cases(request.user).select(),
            page,
            filters=[
                HrCase.work_item_id == work_item_id if work_item_id else True,
                HrCase.employee_id == employee_id if employee_id else True,
                HrCase.kind == kind if kind else True,
            ],
            order_by=(HrCase.created_at.desc(), HrCase.id),
            into=lambda rows: case_views(db, rows),
        )

    @post(
        "/",
        summary="Start an onboarding or offboarding case for an employee (the tenant's admin or hr staff)",
        description="Makes an hr work item (queued) with the template's tasks, each due `due_days` business days "
        "from `reference_date` on the tenant's calendar (default: the employee's start date for onboarding, their "
        "end date for offboarding).",
    )
    async def start_case(self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: CaseIn) -> CaseOut:
        tenant = await require_keeper(db, request.user, tenant_scope)
        employee = await Employees().get(db, data.employee_id)
        case = await cases.start_case(
            db, request.user, tenant, employee, kind=data.kind, template_name=data.template,
            reference_date=data.reference_date,
        )  # fmt: skip
        record_event(
            db, request, tenant_id=tenant.id, action="hr.case_started", subject_type="hr_case", subject_id=str(case.id),
            changes={"kind": case.kind, "employee_id": str(employee.id), "template": case.template_name,
                     "work_item_id": str(case.work_item_id)},
        )  # fmt: skip
        (shown,) = await case_views(db, [case])
        return shown

    @get("/{case_id:uuid}", summary="One case with its tasks")
    async def get_case(self, request: Request, db: AsyncSession, case_id: UUID) -> CaseOut:
        (shown,) = await case_views(db, [await Cases(request.user).get(db, case_id)])
        return shown

    @patch(
        "/{case_id:uuid}/tasks/{task_id:uuid}",
        summary='Tick a task off, or untick it (`{"done": true|false}`)',
        description="Provider staff serving the tenant tick any task; the client admin ticks the client's tasks.",
        guards=[requires_admin_or_staff],
    )
    async def tick_task(
        self, request: Request, db: AsyncSession, case_id: UUID, task_id: UUID, data: TaskUpdate
    ) -> CaseOut:
        case = await Cases(request.user).get(db, case_id, for_update=True)
        await tenant_for_write(db, request.user, TenantScope.of(case.tenant_id))
        tasks = (await cases.tasks_of(db, [case.id]))[case.id]
        task = next((t for t in tasks if t.id == task_id), None)
        if task is not None and request.user.role is Role.CLIENT_ADMIN and task.owner != TaskOwner.CLIENT:
            raise ForbiddenError("This task is the provider's: only provider staff tick it")
        changed = await cases.tick(db, request.user, case, task_id, data.done)
        if changed is not None:
            record_event(
                db, request, tenant_id=case.tenant_id, action="hr.case_task_ticked" if data.done else
                "hr.case_task_unticked", subject_type="hr_case", subject_id=str(case.id),
                changes={"task_id": str(changed.id), "title": changed.title},
            )  # fmt: skip
        (shown,) = await case_views(db, [case])
        return shown
