"""Decode the bearer token once per request into ``scope["user"]`` (a ``Caller``) or None.

Routes decide whether they need a caller (the app-wide ``requires_caller``
guard); a token that is present but invalid or expired is always a 401.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from bo_saas.identity.tokens import InvalidTokenError, TokenSigner


class BearerTokenMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(self, signer: TokenSigner) -> None:
        self.signer = signer

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        scope["user"] = None
        kind, _, token = (_authorization(scope) or "").partition(" ")
        # Other schemes (Basic, for the token endpoint's client authentication) are not ours to judge.
        if kind.lower() == "bearer":
            try:
                scope["user"] = self.signer.verify(token.strip())
            except InvalidTokenError:
                raise NotAuthorizedException("The access token is invalid or has expired") from None
        await next_app(scope, receive, send)


def _authorization(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return value.decode("latin-1")
    return None
