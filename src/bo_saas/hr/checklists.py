"""Checklist templates: a tenant's onboarding and offboarding checklists, its tasks kept as one list.

A template is edited as a whole (its tasks replaced together), from the console
(``/api/v1/hr/checklists``) or the manifest (``[[hr.checklists]]``). Cases copy
the tasks when they start, so changing or deleting a template never changes a
case already under way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.hr.case_errors import ChecklistConflict, ChecklistNotFound
from bo_saas.hr.case_models import ChecklistTemplate
from bo_saas.lib.clock import utc_now
from bo_saas.lib.repository import TenantRepository


class Checklists(TenantRepository[ChecklistTemplate]):
    model = ChecklistTemplate
    not_found = ChecklistNotFound
    not_found_message = "No such checklist template"


def task_dicts(tasks: Sequence[Any]) -> list[dict[str, Any]]:
    """Tasks (structs or manifest entries) as the template stores them, in order."""
    return [{"title": task.title.strip(), "owner": task.owner, "due_days": task.due_days} for task in tasks]


async def _require_name_free(session: AsyncSession, tenant_id: UUID, name: str, template_id: UUID | None) -> None:
    taken = await session.scalar(
        select(ChecklistTemplate.id).where(ChecklistTemplate.tenant_id == tenant_id, ChecklistTemplate.name == name)
    )
    if taken is not None and taken != template_id:
        raise ChecklistConflict(f"A checklist template named {name!r} exists already", extra={"field": "name"})


async def create_template(
    session: AsyncSession, tenant_id: UUID, *, kind: str, name: str, tasks: Sequence[Any]
) -> ChecklistTemplate:
    name = name.strip()
    await _require_name_free(session, tenant_id, name, None)
    template = ChecklistTemplate(id=uuid4(), tenant_id=tenant_id, kind=kind, name=name, tasks=task_dicts(tasks))
    session.add(template)
    await session.flush()
    return template


async def update_template(
    session: AsyncSession, template: ChecklistTemplate, *, name: str | None, tasks: Sequence[Any] | None
) -> dict[str, dict]:
    """Rename and/or replace the tasks; the changes made, for the audit trail."""
    made: dict[str, dict] = {}
    if name is not None and name.strip() != template.name:
        await _require_name_free(session, template.tenant_id, name.strip(), template.id)
        made["name"] = {"old": template.name, "new": name.strip()}
        template.name = name.strip()
    if tasks is not None and task_dicts(tasks) != template.tasks:
        made["tasks"] = {"old": len(template.tasks), "new": len(tasks)}
        template.tasks = task_dicts(tasks)
    if made:
        template.updated_at = utc_now()
        await session.flush()
    return made


async def template_for_case(
    session: AsyncSession, tenant_id: UUID, kind: str, name: str | None
) -> ChecklistTemplate | None:
    """The template a case of ``kind`` starts from: the one named, or the tenant's only one of that kind."""
    statement = select(ChecklistTemplate).where(
        ChecklistTemplate.tenant_id == tenant_id, ChecklistTemplate.kind == kind
    )
    if name is not None:
        statement = statement.where(ChecklistTemplate.name == name.strip())
    found = list(await session.scalars(statement.limit(2)))
    return found[0] if len(found) == 1 else None
