"""``/api/v1/support/macros``: a tenant's canned replies, for its client admins and the staff serving it."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.lib.caller import Caller
from bo_saas.lib.guards import requires_admin_or_staff
from bo_saas.lib.listing import to_struct
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.support import macros
from bo_saas.support.macros import Macros
from bo_saas.support.models import Macro
from bo_saas.support.schemas import MacroCreate, MacroOut, MacroUpdate
from bo_saas.tenancy.access import tenant_for_write


async def _writable(db: AsyncSession, caller: Caller, macro_id: UUID) -> Macro:
    macro = await Macros(caller).get(db, macro_id, for_update=True)
    await tenant_for_write(db, caller, TenantScope.of(macro.tenant_id))
    return macro


class MacroController(Controller):
    path = "/api/v1/support/macros"
    tags = ["support"]
    guards = [requires_admin_or_staff]

    @get("/", summary="List macros (canned replies), by name")
    async def list_macros(self, request: Request, db: AsyncSession) -> list[MacroOut]:
        rows = await db.scalars(Macros(request.user).select().order_by(Macro.name, Macro.id))
        return [to_struct(row, MacroOut) for row in rows]

    @post(
        "/",
        summary="Add a macro",
        description="Placeholders: {customer_name}, {ticket_reference}, {agent_name}; write {{ and }} for braces.",
    )
    async def create_macro(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: MacroCreate
    ) -> MacroOut:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        macro = await macros.create_macro(db, tenant.id, name=data.name, body=data.body)
        record_event(
            db, request, tenant_id=tenant.id, action="support_macro.created", subject_type="support_macro",
            subject_id=str(macro.id), changes={"name": macro.name},
        )  # fmt: skip
        return to_struct(macro, MacroOut)

    @get("/{macro_id:uuid}", summary="One macro")
    async def get_macro(self, request: Request, db: AsyncSession, macro_id: UUID) -> MacroOut:
        return to_struct(await Macros(request.user).get(db, macro_id), MacroOut)

    @patch("/{macro_id:uuid}", summary="Change a macro")
    async def update_macro(self, request: Request, db: AsyncSession, macro_id: UUID, data: MacroUpdate) -> MacroOut:
        macro = await _writable(db, request.user, macro_id)
        made = await macros.update_macro(db, macro, name=data.name, body=data.body)
        if made:
            record_event(
                db, request, tenant_id=macro.tenant_id, action="support_macro.updated", subject_type="support_macro",
                subject_id=str(macro.id), changes=made,
            )  # fmt: skip
        return to_struct(macro, MacroOut)

    @delete("/{macro_id:uuid}", summary="Delete a macro")
    async def delete_macro(self, request: Request, db: AsyncSession, macro_id: UUID) -> None:
        macro = await _writable(db, request.user, macro_id)
        await db.delete(macro)
        record_event(
            db, request, tenant_id=macro.tenant_id, action="support_macro.deleted", subject_type="support_macro",
            subject_id=str(macro.id), changes={"name": macro.name},
        )  # fmt: skip
        await db.flush()
