"""The hook onboarding a tenant offers the floor above: inviting its first client admin.

``POST /api/v1/tenants`` may name the tenant's first admin. Tenancy owns the
tenant (slug, plan, services, its audit); identity, one floor up, owns people:
accounts, the "one account per address" rule, invitation tokens and their
email. So tenancy calls this hook, in the same transaction as the tenant it has
just created, and identity fills it when the registry installs it at boot
(``identity/domain.py``). Whatever the hook raises rolls the tenant back with
it: a tenant is never left without the admin the provider asked for.

An empty hook is an error, never a silent no-op: a tenant onboarded without
its admin would look done and leave the client unable to sign in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from bo_saas.tenancy.models import Tenant


@dataclass(frozen=True, slots=True)
class FirstAdmin:
    name: str
    email: str


# (session, request, the new tenant, who) -> None; raises a DomainError naming "first_admin.<field>".
InviteFirstAdmin = Callable[[AsyncSession, Request, "Tenant", FirstAdmin], Awaitable[None]]

_invite_first_admin: InviteFirstAdmin | None = None


def install_first_admin_hook(hook: InviteFirstAdmin) -> None:
    global _invite_first_admin
    _invite_first_admin = hook


def invite_first_admin_hook() -> InviteFirstAdmin:
    if _invite_first_admin is None:
        raise RuntimeError("The first-admin hook is not installed: call bo_saas.server.registry.load() at boot")
    return _invite_first_admin
