"""``/api/v1/users``: a tenant's people, managed by its client admins (or a provider admin)."""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, patch, post
from litestar.exceptions import ClientException, NotFoundException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.identity.accounts import (
    AccountError,
    DuplicateAccountError,
    InvitedAccountActivationError,
    add_client_account,
    change_account_status,
)
from bo_saas.identity.invitations import send_invitation
from bo_saas.identity.models import Account, AccountStatus, Membership
from bo_saas.identity.schemas import User, UserInvite, UserUpdate
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.db import scoped_read
from bo_saas.lib.errors import ConflictError
from bo_saas.lib.guards import requires_admin
from bo_saas.lib.pagination import PageRequest, page_of
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write

# Columns selected straight into the response: the list is a hot path (no ORM objects per row).
_USER_COLUMNS = (
    Account.id,
    Membership.tenant_id,
    Account.email,
    Account.name,
    Membership.role,
    Account.status,
    Membership.created_at,
)


# The hot list path: one statement, rows straight into structs (see lib.db.scoped_read).
_LIST_USERS_SQL = """
    SELECT a.id, m.tenant_id, a.email, a.name, m.role::text, a.status::text, m.created_at, count(*) OVER () AS total
    FROM memberships m JOIN accounts a ON a.id = m.account_id
    ORDER BY m.created_at, m.account_id
    LIMIT $1 OFFSET $2
"""


def _user(row) -> User:
    return User(
        id=row.id,
        tenant_id=row.tenant_id,
        email=row.email,
        name=row.name,
        role=row.role.value,
        status=row.status.value,
        created_at=row.created_at,
    )


async def get_user(session: AsyncSession, user_id: UUID) -> User:
    row = (
        await session.execute(
            select(*_USER_COLUMNS)
            .join(Account, Account.id == Membership.account_id)
            .where(Membership.account_id == user_id)
        )
    ).first()
    if row is None:
        raise NotFoundException("No such user")
    return _user(row)


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
            raise ConflictError(str(exc)) from None
        except AccountError as exc:
            raise ClientException(str(exc)) from None
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
        membership = (
            await db.execute(select(Membership).where(Membership.account_id == user_id).with_for_update())
        ).scalar()
        if membership is None:
            raise NotFoundException("No such user")
        await tenant_for_write(db, caller, TenantScope.of(membership.tenant_id))
        account = await db.get(Account, user_id, with_for_update=True)
        if user_id == caller.account_id and (data.role == "client_member" or data.status == "deactivated"):
            raise ConflictError("You cannot demote or deactivate yourself; ask another admin")
        changes: dict[str, list[str]] = {}
        if data.name is not None and data.name.strip() != account.name:
            changes["name"] = [account.name, data.name.strip()]
            account.name = data.name.strip()
        if data.role is not None and data.role != membership.role.value:
            changes["role"] = [membership.role.value, data.role]
            membership.role = Role(data.role)
        if data.status is not None and data.status != account.status.value:
            changes["status"] = [account.status.value, data.status]
            try:
                await change_account_status(db, account, AccountStatus(data.status))
            except InvitedAccountActivationError as exc:
                raise ConflictError(str(exc)) from None
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
