"""Creating and finding people's accounts; shared by the API, the CLI and manifests."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import (
    Account,
    AccountStatus,
    Membership,
    RefreshToken,
    Skill,
    StaffAssignment,
    StaffProfile,
    StaffSkill,
)
from bo_saas.identity.passwords import digest, hash_password, new_secret
from bo_saas.identity.revocation import Revocations
from bo_saas.lib.caller import CLIENT_ROLES, STAFF_ROLES, Role
from bo_saas.lib.clock import utc_now

# Deliberately loose: one @, a dot in the domain, no spaces. Delivery proves the rest.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INVITE_VALID_FOR = timedelta(days=7)


class AccountError(ValueError):
    """A request about an account that cannot be honoured, in words for the caller."""


class DuplicateAccountError(AccountError):
    """The email already belongs to an account (in this tenant, another, or the provider)."""


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not _EMAIL.match(email) or len(email) > 320:
        raise AccountError(f"{email!r} is not a valid email address")
    return email


async def find_account_by_email(session: AsyncSession, email: str) -> Account | None:
    return (await session.execute(select(Account).where(Account.email == normalise_email(email)))).scalar()


def new_account(
    *, email: str, name: str, password: str | None, staff_role: Role | None = None
) -> tuple[Account, str | None]:
    """An account, active with a password or invited; returns the invite token when invited."""
    name = name.strip()
    if not name:
        raise AccountError("name must not be empty")
    account = Account(
        email=normalise_email(email),
        name=name[:200],
        staff_role=staff_role,
        failed_sign_ins=0,
        locale="en",
    )
    invite_token = None
    if password is not None:
        account.password_hash = hash_password(password)
        account.status = AccountStatus.ACTIVE
    else:
        invite_token = new_secret()
        account.status = AccountStatus.INVITED
        account.invite_token_hash = digest(invite_token)
        account.invite_expires_at = utc_now() + INVITE_VALID_FOR
    return account, invite_token


async def add_client_account(
    session: AsyncSession, *, tenant_id: UUID, email: str, name: str, role: Role, password: str | None
) -> tuple[Account, Membership, str | None]:
    """A client person in one tenant (the session's scope must include that tenant)."""
    if role not in CLIENT_ROLES:
        raise AccountError(f"role must be one of {', '.join(r.value for r in CLIENT_ROLES)}")
    if await find_account_by_email(session, email) is not None:
        raise DuplicateAccountError(f"an account with email {normalise_email(email)} already exists")
    account, invite_token = new_account(email=email, name=name, password=password)
    session.add(account)
    await session.flush()
    membership = Membership(tenant_id=tenant_id, account_id=account.id, role=role)
    session.add(membership)
    await session.flush()
    return account, membership, invite_token


async def check_skills(session: AsyncSession, skills: list[str]) -> None:
    known = set((await session.execute(select(Skill.code))).scalars())
    unknown = sorted(set(skills) - known)
    if unknown:
        raise AccountError(f"unknown skill(s) {', '.join(unknown)}; choose from {', '.join(sorted(known))}")


async def add_staff_account(
    session: AsyncSession,
    *,
    email: str,
    name: str,
    role: Role,
    password: str | None,
    capacity: int = 5,
    skills: list[str] | None = None,
) -> tuple[Account, str | None]:
    if role not in STAFF_ROLES:
        raise AccountError(f"role must be one of {', '.join(r.value for r in STAFF_ROLES)}")
    if await find_account_by_email(session, email) is not None:
        raise DuplicateAccountError(f"an account with email {normalise_email(email)} already exists")
    account, invite_token = new_account(email=email, name=name, password=password, staff_role=role)
    session.add(account)
    await session.flush()
    session.add(StaffProfile(account_id=account.id, capacity=capacity))
    await session.flush()
    for code in sorted(set(skills or [])):
        session.add(StaffSkill(account_id=account.id, skill_code=code))
    await session.flush()
    return account, invite_token


async def assign_staff(session: AsyncSession, account_id: UUID, tenant_ids: set[UUID]) -> None:
    """Make the staff member's assignments exactly ``tenant_ids`` (the session's scope must cover them)."""
    current = set(
        (
            await session.execute(select(StaffAssignment.tenant_id).where(StaffAssignment.account_id == account_id))
        ).scalars()
    )
    for tenant_id in tenant_ids - current:
        session.add(StaffAssignment(tenant_id=tenant_id, account_id=account_id))
    for tenant_id in current - tenant_ids:
        await session.execute(
            StaffAssignment.__table__.delete().where(
                StaffAssignment.tenant_id == tenant_id, StaffAssignment.account_id == account_id
            )
        )
    await session.flush()


class InvitedAccountActivationError(AccountError):
    """An invited account becomes active only by accepting its invitation."""


async def change_account_status(
    session: AsyncSession, account: Account, status: AccountStatus, revocations: Revocations
) -> None:
    """Activate or deactivate; deactivation also ends every refresh-token family and access token of the account."""
    if account.status is AccountStatus.INVITED and status is AccountStatus.ACTIVE:
        raise InvitedAccountActivationError("An invited account becomes active by accepting the invitation")
    account.status = status
    if status is AccountStatus.DEACTIVATED:
        await revocations.revoke_actor("account", account.id)
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.account_id == account.id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utc_now())
        )
