"""Refusals raised by middleware (a bad token, a rate limit) answered where the access log and metrics see them.

Litestar turns an exception raised by a middleware into a response only in its
outermost handler, outside every middleware: the access log and the Prometheus
middleware then saw no response at all (logged as 500, counted as 200). This
middleware sits just inside those two and answers the refusal itself, in the
same ``{"status_code", "detail", "extra"}`` shape as every other error.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.middleware import ASGIMiddleware
from litestar.status_codes import HTTP_429_TOO_MANY_REQUESTS
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from bo_saas.lib.errors import error_response

# The rate limiter (server/rate_limit.py) reports the seconds until its window resets under this name.
_RATE_LIMIT_RESET = "RateLimit-Reset"


class MiddlewareRefusalMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        started = False

        async def send_and_note(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await next_app(scope, receive, send_and_note)
        except HTTPException as exc:
            if started:  # too late to answer differently
                raise
            headers = dict(exc.headers or {})
            if exc.status_code == HTTP_429_TOO_MANY_REQUESTS:
                # RFC 9110: tell the client when to come back (at least a second, never a negative wait).
                headers["Retry-After"] = str(max(1, int(headers.get(_RATE_LIMIT_RESET, "1"))))
            response = error_response(exc.status_code, exc.detail, exc.extra or None)
            response.headers.update(headers)
            await response.to_asgi_response(app=None, request=scope["litestar_app"].request_class(scope))(
                scope, receive, send
            )
