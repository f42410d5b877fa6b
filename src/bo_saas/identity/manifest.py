"""Identity's manifest section: the tenant's client users (``[[users]]``).

Not authoritative: a file without ``[[users]]`` leaves the tenant's people
alone, and members a ``[[users]]`` list leaves out are left alone too (the
report names them); people are removed through the API, never by omission. A
password is used only to create the account; a user without one is invited.
A manifest never takes over an account: one that is staff, or belongs to
another tenant (or to none), is a mistake.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, Field
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.accounts import AccountError, add_client_account, find_account_by_email, normalise_email
from bo_saas.identity.invitations import send_invitation
from bo_saas.identity.models import Account, Membership
from bo_saas.identity.passwords import WeakPasswordError, check_password_strength
from bo_saas.lib import limits
from bo_saas.lib.caller import CLIENT_ROLES, Role
from bo_saas.tenancy.manifest_fields import ManifestModel, OneOf, Text, no_repeats, problem, show
from bo_saas.tenancy.manifest_rows import change, shown
from bo_saas.tenancy.manifest_sections import (
    ApplyContext,
    CheckContext,
    ExportContext,
    ManifestError,
    ManifestSection,
    Problem,
)
from bo_saas.tenancy.models import Tenant

# Where an account belongs, past RLS, through the one narrow SECURITY DEFINER function.
_ACCOUNT_TENANTS = text("SELECT tenant_id FROM bo_account_tenants(:account_id)")


def _email(email: str) -> str:
    try:
        return normalise_email(email)
    except AccountError:
        raise problem(f"{show(email)} is not a valid email address") from None


def _strong(password: str) -> str:
    # The message never echoes the password.
    try:
        check_password_strength(password)
    except WeakPasswordError as exc:
        raise problem(str(exc)) from None
    return password


class ManifestUser(ManifestModel):
    email: Annotated[str, AfterValidator(_email)]  # lower-cased
    name: Text(limits.NAME)
    role: Annotated[OneOf("a client role", [role.value for role in CLIENT_ROLES]), AfterValidator(Role)]
    # Used only when the account is created; None sends an invitation instead.
    password: Annotated[str, AfterValidator(_strong)] | None = Field(default=None, repr=False)


def _emails_once(users: list[ManifestUser]) -> tuple[ManifestUser, ...]:
    no_repeats(users, lambda user: user.email, "users", at=("email",))
    return tuple(users)


class UsersSection(ManifestModel):
    users: Annotated[list[ManifestUser], AfterValidator(_emails_once)] = ()


def _check_users(context: CheckContext) -> Iterable[Problem]:
    section: UsersSection | None = context.manifest.get("users")
    for index, user in enumerate(section.users if section else ()):
        for other in context.earlier():
            if any(listed.email == user.email for listed in (other.get("users") or UsersSection()).users):
                # A client person belongs to exactly one tenant.
                yield Problem(("users", index, "email"), f"{show(user.email)} is also a user in {other.source}")
                break


async def _preflight_users(context: ApplyContext, section: UsersSection) -> list[Problem]:
    """Accounts the file names that exist outside this tenant: a manifest never takes one over."""
    problems = []
    for index, user in enumerate(section.users):
        account = await find_account_by_email(context.session, user.email)
        if account is None:
            continue
        where = ("users", index, "email")
        if account.staff_role is not None:
            problems.append(Problem(where, f'"{user.email}" is a provider staff account, not a client user'))
            continue
        tenants = set((await context.session.execute(_ACCOUNT_TENANTS, {"account_id": account.id})).scalars())
        others = tenants - {context.tenant_id}
        if others:
            slugs = sorted((await context.session.scalars(select(Tenant.slug).where(Tenant.id.in_(others)))).all())
            problems.append(Problem(where, f'"{user.email}" already belongs to tenant {", ".join(slugs)}'))
        elif not tenants:
            reason = f'"{user.email}" has an account that belongs to no tenant; a manifest does not adopt it'
            problems.append(Problem(where, reason))
    return problems


async def _members(session: AsyncSession, tenant_id: UUID) -> dict[str, tuple[Account, Membership]]:
    rows = await session.execute(
        select(Account, Membership)
        .join(Membership, Membership.account_id == Account.id)
        .where(Membership.tenant_id == tenant_id)
    )
    return {account.email: (account, membership) for account, membership in rows.all()}


async def _apply_users(context: ApplyContext, section: UsersSection) -> list[str]:
    members = await _members(context.session, context.tenant_id)
    changes: list[str] = []
    for index, user in enumerate(section.users):
        found = members.get(user.email)
        if found is None:
            changes.append(await _create_user(context, index, user))
            continue
        phrases = _update_user(context, user, *found)
        if phrases:
            changes += [f"user {user.email} {phrase}" for phrase in phrases]
        else:
            context.unchanged.append(f"user {user.email} unchanged")
    listed = {user.email for user in section.users}
    context.notes += [
        f"user {email} is not in the manifest, left alone" for email in sorted(members) if email not in listed
    ]
    return changes


async def _create_user(context: ApplyContext, index: int, user: ManifestUser) -> str:
    try:
        account, _membership, invite_token = await add_client_account(
            context.session,
            tenant_id=context.tenant_id,
            email=user.email,
            name=user.name,
            role=user.role,
            password=user.password,
        )
    except AccountError as exc:  # e.g. the account appeared since the check: nothing is kept
        raise ManifestError([f"{context.source}: users[{index}].email: {exc}"]) from None
    if invite_token is not None:
        tenant_name = context.manifest.get("tenant").name
        await send_invitation(context.session, account, invite_token, tenant_name=tenant_name)
    context.record(
        "user.created",
        "account",
        str(account.id),
        {"email": account.email, "name": account.name, "role": user.role.value, "status": account.status.value},
    )
    return f"user {user.email} created ({account.status.value})"


def _update_user(context: ApplyContext, user: ManifestUser, account: Account, membership: Membership) -> list[str]:
    diff: dict[str, Any] = {}
    phrases = []
    if account.name != user.name:
        diff["name"] = change(account.name, user.name)
        phrases.append(f"changed name: {shown(account.name)} -> {shown(user.name)}")
        account.name = user.name
    if membership.role != user.role:
        diff["role"] = change(membership.role, user.role)
        phrases.append(f"changed role: {membership.role.value} -> {user.role.value}")
        membership.role = user.role
    if diff:
        context.record("user.updated", "account", str(account.id), diff)
    return phrases


async def _export_users(context: ExportContext) -> dict[str, Any] | None:
    members = await _members(context.session, context.tenant_id)
    if not members:
        return None
    return {
        "users": [
            {"email": email, "name": account.name, "role": membership.role.value}
            for email, (account, membership) in sorted(members.items())
        ]
    }


USERS_SECTION = ManifestSection(
    name="users",
    model=UsersSection,
    apply=_apply_users,
    export=_export_users,
    order=60,  # last: the report lists people after what the tenant is and does
    authoritative=False,
    check=_check_users,
    preflight=_preflight_users,
)
