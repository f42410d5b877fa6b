"""``/api/v1/users``: a tenant's people, managed by its client admins (or a provider admin)."""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, patch, post
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.identity.accounts import (
    AccountError,
    DuplicateAccountError,
    InvitedAccountActivationError,
    add_client_account,
    change_account_status,
)
from bo_saas.identity.errors import AccountConflict, InvalidAccountRequest
from bo_saas.identity.invitations import send_invitation
from bo_saas.identity.models import Account, AccountStatus, Membership
from bo_saas.identity.repository import Users
from bo_saas.identity.schemas import User, UserInvite, UserUpdate
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.changes import apply_changes
from bo_saas.lib.db import scoped_read
from bo_saas.lib.guards import requires_admin
from bo_saas.lib.listing import to_struct
from bo_saas.lib.pagination import PageRequest, page_of
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write

# The hot list path: one statement, rows straight into structs (see lib.db.scoped_read).
_LIST_USERS_SQL = """
    SELECT a.id, m.tenant_id, a.email, a.name, m.role::text, a.status::text, m.created_at, count(*) OVER () AS total
    FROM memberships m JOIN accounts a ON a.id = m.account_id
    ORDER BY m.created_at, m.account_id
    LIMIT $1 OFFSET $2
"""


def _user(membership: Membership, account: Account) -> User:
    return to_struct(
        account, User, tenant_id=membership.tenant_id, role=membership.role, created_at=membership.created_at
    )


async def get_user(session: AsyncSession, user_id: UUID) -> User:
    membership = await Users().get(session, user_id)
    return _user(membership, await session.get(Account, user_id))


class UserController(Controller):
    path = "/api/v1/users"
    tags = ["identity"]
    guards = [requires_admin]

    @get("/", summary="List the tenant's users")
    async def list_users(
        self, db_engine: AsyncEngine, tenant_scope: TenantScope, page: PageRequest
    ) -> OffsetPagination[User]:
        async with scoped_read(db_engine, tenant_scope) as connection:
            records = await connection.fetch(_LIST_USERS_SQL, page.limit, page.offset)
            if records:
                total = records[0]["total"]
            else:
                total = await connection.fetchval("SELECT count(*) FROM memberships")
        # Record columns are in User's field order; the last one is the window count.
        return page_of([User(*record[:-1]) for record in records], total=total, page=page)

    @post("/", summary="Invite a person to the tenant")
    async def invite_user(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: UserInvite
    ) -> User:
        caller: Caller = request.user
        tenant = await tenant_for_write(db, caller, tenant_scope)
        try:
            account, membership, invite_token = await add_client_account(
                db, tenant_id=tenant.id, email=data.email, name=data.name, role=Role(data.role), password=None
            )
        except DuplicateAccountError as exc:
            # Named as the field it is about, so the invite form shows it beside the address.
            raise AccountConflict(f"email: {exc}") from None
        except AccountError as exc:
            raise InvalidAccountRequest(str(exc)) from None
        await send_invitation(db, account, invite_token, tenant_name=tenant.name)
        record_event(
            db,
            request,
            tenant_id=tenant.id,
            action="user.invited",
            subject_type="user",
            subject_id=str(account.id),
            changes={"email": account.email, "role": data.role},
        )
        return await get_user(db, account.id)

    @get("/{user_id:uuid}", summary="One user of the tenant")
    async def get_one(self, db: AsyncSession, user_id: UUID) -> User:
        return await get_user(db, user_id)

    @patch("/{user_id:uuid}", summary="Change a user's name, role, or deactivate them")
    async def update_user(self, request: Request, db: AsyncSession, user_id: UUID, data: UserUpdate) -> User:
        caller: Caller = request.user
        membership = await Users().get(db, user_id, for_update=True)
        await tenant_for_write(db, caller, TenantScope.of(membership.tenant_id))
        account = await db.get(Account, user_id, with_for_update=True)
        if user_id == caller.account_id and (data.role == "client_member" or data.status == "deactivated"):
            raise AccountConflict("You cannot demote or deactivate yourself; ask another admin")
        changes = apply_changes(account, {"name": data.name and data.name.strip()})
        changes |= apply_changes(membership, {"role": data.role and Role(data.role)})
        if data.status is not None and data.status != account.status:
            changes["status"] = {"old": account.status, "new": AccountStatus(data.status)}
            try:
                await change_account_status(db, account, AccountStatus(data.status), request.app.state.revocations)
            except InvitedAccountActivationError as exc:
                raise AccountConflict(str(exc)) from None
        if "role" in changes:
            # An access token carries the role it was issued with: the old one must not outlive the change.
            await request.app.state.revocations.revoke_actor("account", user_id)
        if changes:
            action = "user.role_changed" if "role" in changes else "user.updated"
            record_event(
                db,
                request,
                tenant_id=membership.tenant_id,
                action=action,
                subject_type="user",
                subject_id=str(user_id),
                changes=changes,
            )
        await db.flush()
        return await get_user(db, user_id)
