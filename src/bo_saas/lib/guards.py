"""One small guard per rule. Routes name the guards they need; the default guard asks for a caller.

Guards are ``async def`` although they never await: Litestar runs a plain
function guard in a worker thread, a hand-off that costs more than the check.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from bo_saas.lib.caller import Caller, Role


def _caller(connection: ASGIConnection) -> Caller:
    caller = connection.scope.get("user")
    if not isinstance(caller, Caller):
        raise NotAuthorizedException("Sign in first: this route needs a bearer access token")
    return caller


async def requires_caller(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """App-wide default: every route needs a caller unless it is marked ``opt={"anonymous": True}``."""
    if handler.opt.get("anonymous"):
        return
    _caller(connection)


def _requires(*roles: Role, what: str):
    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        if _caller(connection).role not in roles:
            raise PermissionDeniedException(f"Only {what} may do this")

    guard.__name__ = f"requires_{what.replace(' ', '_')}"
    return guard


requires_provider_admin = _requires(Role.PROVIDER_ADMIN, what="provider admins")
requires_admin = _requires(Role.PROVIDER_ADMIN, Role.CLIENT_ADMIN, what="client or provider admins")
requires_staff = _requires(Role.PROVIDER_ADMIN, Role.PROVIDER_AGENT, what="provider staff")
requires_admin_or_staff = _requires(
    Role.PROVIDER_ADMIN, Role.PROVIDER_AGENT, Role.CLIENT_ADMIN, what="client admins and provider staff"
)
requires_client = _requires(Role.CLIENT_ADMIN, Role.CLIENT_MEMBER, what="the tenant's own people and systems")
