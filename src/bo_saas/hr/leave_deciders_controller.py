"""``/api/v1/hr/leave-deciders``: the tenant's client admins, for whom provider staff decide leave.

Leave is the client's decision; hr staff approving or refusing from the console
name the client admin they act for (``on_behalf_of``). This lists the ones
they may name (active client admins), so the console offers a choice instead
of asking for an account id. Read by whoever may decide leave: the tenant's
client admin, or staff with the ``hr`` skill (403 for anyone else).
"""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Request, get
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.hr.access import may_see_personal, one_tenant
from bo_saas.hr.leave_errors import LeaveNotAllowed
from bo_saas.identity.models import Account, AccountStatus, Membership
from bo_saas.lib.caller import Role
from bo_saas.lib.tenant_scope import TenantScope


class LeaveDeciderOut(msgspec.Struct):
    id: UUID  # the account id to name in on_behalf_of
    name: str
    email: str


class LeaveDeciderController(Controller):
    path = "/api/v1/hr/leave-deciders"
    tags = ["hr"]

    @get("/", summary="The tenant's active client admins: whom hr staff name when deciding leave on their behalf")
    async def list_leave_deciders(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope
    ) -> list[LeaveDeciderOut]:
        tenant_id = one_tenant(tenant_scope)
        if not await may_see_personal(db, request.user):
            raise LeaveNotAllowed("Leave is decided by the tenant's client admin, or by hr staff on their behalf")
        rows = await db.execute(
            select(Account.id, Account.name, Account.email)
            .join(Membership, Membership.account_id == Account.id)
            .where(
                Membership.tenant_id == tenant_id,
                Membership.role == Role.CLIENT_ADMIN,
                Account.status == AccountStatus.ACTIVE,
            )
            .order_by(Account.name, Account.id)
        )
        return [LeaveDeciderOut(*row) for row in rows.all()]
