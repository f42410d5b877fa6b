"""Onboarding and offboarding cases: the HR desk's record on one ``hr`` work item, with its tasks.

Starting a case makes a work item of the ``hr`` service (submitted at once, so
it joins the queue with its SLA clocks) and copies the template's tasks onto
it, each due a number of business days from the case's day on the tenant's
calendar (its weekly hours, holidays and country's public holidays) and owned
by the provider's staff or the client. The desk's part is complete when every
task is ticked (``open_tasks_remaining``), so the item cannot go to review or
done before.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID, uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.hr.business_days import add_business_days
from bo_saas.hr.case_errors import CaseNotFound, InvalidCase
from bo_saas.hr.case_models import CaseKind, CaseTask, HrCase
from bo_saas.hr.case_schemas import CaseOut, CaseTaskOut
from bo_saas.hr.checklists import template_for_case
from bo_saas.hr.models import Employee
from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.repository import TenantRepository
from bo_saas.tenancy.calendars import business_time_for
from bo_saas.tenancy.models import Tenant
from bo_saas.work import items
from bo_saas.work.models import Priority, WorkItem

SERVICE_TYPE = "hr"
# The hr service's form (migration 0003) names what kind of request an item is.
FORM_REQUEST = {CaseKind.ONBOARDING.value: "hire", CaseKind.OFFBOARDING.value: "offboarding"}


class Cases(TenantRepository[HrCase]):
    model = HrCase
    not_found = CaseNotFound
    not_found_message = "No such case"


def _reference_date(employee: Employee, kind: str, given: date | None) -> date:
    if given is not None:
        return given
    if kind == CaseKind.ONBOARDING:
        return employee.start_date
    if employee.end_date is None:
        message = "An offboarding case counts from the employee's last day: set their end_date or give reference_date"
        raise InvalidCase(message, extra={"problems": {"reference_date": message}})
    return employee.end_date


async def start_case(
    session: AsyncSession,
    caller: Caller | None,
    tenant: Tenant,
    employee: Employee,
    *,
    kind: str,
    template_name: str | None,
    reference_date: date | None,
) -> HrCase:
    template = await template_for_case(session, tenant.id, kind, template_name)
    if template is None:
        which = f"named {template_name!r}" if template_name else "(name one: the tenant has none or several)"
        message = f"No {kind} checklist template {which}"
        raise InvalidCase(message, extra={"problems": {"template": message}})
    day = _reference_date(employee, kind, reference_date)
    calendar = await business_time_for(session, tenant.id)
    try:
        dues = [add_business_days(calendar, day, task["due_days"]) for task in template.tasks]
    except ValueError as exc:
        raise InvalidCase(str(exc), extra={"problems": {"calendar": str(exc)}}) from None
    label = "Onboarding" if kind == CaseKind.ONBOARDING else "Offboarding"
    item = await items.create_item(
        session, caller, tenant, service_type=SERVICE_TYPE, title=f"{label}: {employee.name}",
        payload={"request": FORM_REQUEST[kind], "employee": f"{employee.employee_number} {employee.name}"[:200],
                 "effective_date": day.isoformat(),
                 "details": f"{label} checklist {template.name!r}: {len(template.tasks)} tasks"},
        priority=Priority.NORMAL, submit=True,
    )  # fmt: skip
    case = HrCase(
        id=uuid4(), tenant_id=tenant.id, work_item_id=item.id, employee_id=employee.id, kind=kind,
        template_name=template.name, reference_date=day,
    )  # fmt: skip
    session.add(case)
    await session.flush()
    for position, (task, due) in enumerate(zip(template.tasks, dues, strict=True)):
        session.add(CaseTask(
            id=uuid4(), tenant_id=tenant.id, case_id=case.id, position=position, title=task["title"],
            owner=task["owner"], due_date=due,
        ))  # fmt: skip
    await session.flush()
    return case


async def tasks_of(session: AsyncSession, case_ids: Sequence[UUID]) -> dict[UUID, list[CaseTask]]:
    rows = await session.scalars(
        select(CaseTask).where(CaseTask.case_id.in_(case_ids)).order_by(CaseTask.case_id, CaseTask.position)
    )
    found: dict[UUID, list[CaseTask]] = {case_id: [] for case_id in case_ids}
    for task in rows:
        found[task.case_id].append(task)
    return found


async def case_views(session: AsyncSession, cases: Sequence[HrCase]) -> list[CaseOut]:
    """Cases with their tasks and employee names: two more queries for the whole page."""
    ids = [case.id for case in cases]
    tasks = await tasks_of(session, ids)
    names = dict(
        (
            await session.execute(
                select(Employee.id, Employee.name).where(Employee.id.in_({c.employee_id for c in cases}))
            )
        ).all()
    )
    return [
        CaseOut(
            id=case.id, work_item_id=case.work_item_id, employee_id=case.employee_id,
            employee_name=names.get(case.employee_id, ""), kind=case.kind, template_name=case.template_name,
            reference_date=case.reference_date, open_tasks=sum(1 for t in tasks[case.id] if t.done_at is None),
            tasks=[CaseTaskOut(id=t.id, position=t.position, title=t.title, owner=t.owner, due_date=t.due_date,
                               done=t.done_at is not None, done_at=t.done_at) for t in tasks[case.id]],
            created_at=case.created_at,
        )
        for case in cases
    ]  # fmt: skip


async def tick(session: AsyncSession, caller: Caller, case: HrCase, task_id: UUID, done: bool) -> CaseTask | None:
    """Tick a task off (or untick it); the task when it changed, None when it already was so."""
    task = await session.scalar(
        select(CaseTask).where(CaseTask.case_id == case.id, CaseTask.id == task_id).with_for_update()
    )
    if task is None:
        raise CaseNotFound("No such task in this case")
    if (task.done_at is not None) == done:
        return None
    task.done_at = utc_now() if done else None
    task.done_by = caller.account_id if done else None
    await session.flush()
    return task


async def open_tasks_remaining(session: AsyncSession, item: WorkItem) -> str | None:
    """The desk's ``remaining``: the open tasks of the item's case; None when all are done or it is no case.

    Other hr items (a request through the portal form, a compliance reminder, payroll's own) have no case:
    the item is worked as any other.
    """
    case_id = await session.scalar(
        select(HrCase.id).where(HrCase.tenant_id == item.tenant_id, HrCase.work_item_id == item.id)
    )
    if case_id is None:
        return None
    count = await session.scalar(
        select(func.count()).where(
            CaseTask.tenant_id == item.tenant_id, CaseTask.case_id == case_id, CaseTask.done_at.is_(None)
        )
    )
    if not count:
        return None
    return f"{count} checklist task{'s' if count != 1 else ''} open"


async def no_units(session: AsyncSession, item: WorkItem) -> int:
    """Cases earn nothing when done: the HR desk meters employees and payslips, not items."""
    return 0
