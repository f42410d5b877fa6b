"""Decode the bearer token once per request into ``scope["user"]`` (a ``Caller``) or None.

Routes decide whether they need a caller (the app-wide ``requires_caller``
guard); a token that is present but invalid, expired or revoked (its account
or API client revoked, its session ended: ``revocation.py``) is always a 401.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from bo_saas.identity.revocation import Revocations
from bo_saas.identity.tokens import InvalidTokenError, TokenSigner

# A route's opt key: the route reads a bearer token of its own (the metrics token), not an access token.
SKIP_ACCESS_TOKEN = "skip_access_token"


class BearerTokenMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    exclude_opt_key = SKIP_ACCESS_TOKEN

    def __init__(self, signer: TokenSigner, revocations: Revocations) -> None:
        self.signer = signer
        self.revocations = revocations

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        scope["user"] = None
        kind, _, token = (_authorization(scope) or "").partition(" ")
        # Other schemes (Basic, for the token endpoint's client authentication) are not ours to judge.
        if kind.lower() == "bearer":
            try:
                verified = self.signer.decode(token.strip())
            except InvalidTokenError:
                raise NotAuthorizedException("The access token is invalid or has expired") from None
            if await self.revocations.is_revoked(verified.caller, verified.session_id, verified.issued_at):
                raise NotAuthorizedException("The access token has been revoked; sign in again")
            scope["user"] = verified.caller
        await next_app(scope, receive, send)


def _authorization(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return value.decode("latin-1")
    return None
