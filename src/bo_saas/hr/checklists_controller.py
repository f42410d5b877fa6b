"""``/api/v1/hr/checklists``: a tenant's onboarding and offboarding checklist templates.

Everyone serving or working in the tenant reads them; its client admin and the
provider staff serving it change them (the manifest's ``[[hr.checklists]]``
writes the same rows). Another tenant's template answers 404.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.hr import checklists
from bo_saas.hr.case_models import ChecklistTemplate
from bo_saas.hr.case_schemas import ChecklistIn, ChecklistOut, ChecklistUpdate, KindName
from bo_saas.hr.checklists import Checklists
from bo_saas.lib.caller import Caller
from bo_saas.lib.guards import requires_admin_or_staff
from bo_saas.lib.listing import to_struct
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write


async def _writable(db: AsyncSession, caller: Caller, template_id: UUID) -> ChecklistTemplate:
    template = await Checklists(caller).get(db, template_id, for_update=True)
    await tenant_for_write(db, caller, TenantScope.of(template.tenant_id))
    return template


def _audit(db: AsyncSession, request: Request, template: ChecklistTemplate, action: str, changes: dict) -> None:
    record_event(
        db, request, tenant_id=template.tenant_id, action=action, subject_type="hr_checklist",
        subject_id=str(template.id), changes={"name": template.name, **changes},
    )  # fmt: skip


class ChecklistController(Controller):
    path = "/api/v1/hr/checklists"
    tags = ["hr"]

    @get("/", summary="List checklist templates, onboarding first, by name")
    async def list_checklists(
        self,
        request: Request,
        db: AsyncSession,
        kind: Annotated[KindName | None, QueryParameter(description="only templates of this kind")] = None,
    ) -> list[ChecklistOut]:
        statement = Checklists(request.user).select().order_by(ChecklistTemplate.kind.desc(), ChecklistTemplate.name)
        if kind is not None:
            statement = statement.where(ChecklistTemplate.kind == kind)
        return [to_struct(row, ChecklistOut) for row in await db.scalars(statement)]

    @post("/", summary="Add a checklist template (the tenant's admin or its staff)", guards=[requires_admin_or_staff])
    async def create_checklist(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: ChecklistIn
    ) -> ChecklistOut:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        template = await checklists.create_template(db, tenant.id, kind=data.kind, name=data.name, tasks=data.tasks)
        _audit(db, request, template, "hr.checklist_created", {"kind": template.kind, "tasks": len(template.tasks)})
        return to_struct(template, ChecklistOut)

    @get("/{template_id:uuid}", summary="One checklist template")
    async def get_checklist(self, request: Request, db: AsyncSession, template_id: UUID) -> ChecklistOut:
        return to_struct(await Checklists(request.user).get(db, template_id), ChecklistOut)

    @patch("/{template_id:uuid}", summary="Rename a template or replace its tasks", guards=[requires_admin_or_staff])
    async def update_checklist(
        self, request: Request, db: AsyncSession, template_id: UUID, data: ChecklistUpdate
    ) -> ChecklistOut:
        template = await _writable(db, request.user, template_id)
        made = await checklists.update_template(db, template, name=data.name, tasks=data.tasks)
        if made:
            _audit(db, request, template, "hr.checklist_updated", made)
        return to_struct(template, ChecklistOut)

    @delete(
        "/{template_id:uuid}",
        summary="Delete a template (cases already started keep their tasks)",
        guards=[requires_admin_or_staff],
    )
    async def delete_checklist(self, request: Request, db: AsyncSession, template_id: UUID) -> None:
        template = await _writable(db, request.user, template_id)
        await db.delete(template)
        _audit(db, request, template, "hr.checklist_deleted", {})
        await db.flush()
