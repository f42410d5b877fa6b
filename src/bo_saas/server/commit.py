"""Commit the request's session before its answer starts, so a failed commit is answered as the error it is.

advanced-alchemy's ``autocommit`` hook commits while the response is already on
its way and only logs a failure at DEBUG: a deferred constraint or a trigger
that fires at COMMIT left the client with a 2xx for a change that never
happened. Here the first ``http.response.start`` of a successful answer
commits first; when that fails, the handler's answer is dropped and the client
gets 409 (the data broke a rule) or 500, and the failure is logged with the
request id. advanced-alchemy's hook still closes the session afterwards (and
rolls back the failed transaction).
"""

from __future__ import annotations

import structlog
from advanced_alchemy.extensions.litestar._utils import get_aa_scope_state
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.errors import error_response

error_log = structlog.get_logger("bo_saas.errors")
COMMITTED_STATUSES = range(200, 300)


def _answer_for(exc: Exception) -> tuple[int, str]:
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None) or ""
    if isinstance(exc, DBAPIError) and (sqlstate.startswith("23") or sqlstate == "40001"):
        # A constraint checked at commit, or a serialization failure: the change conflicts, nothing was saved.
        return HTTP_409_CONFLICT, "The change conflicts with an existing record or rule and was not saved"
    return HTTP_500_INTERNAL_SERVER_ERROR, "Internal Server Error"


class CommitBeforeResponseMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    def __init__(self, session_scope_key: str) -> None:
        self.session_scope_key = session_scope_key

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        failed = False

        async def commit_then_send(message: Message) -> None:
            nonlocal failed
            if failed:
                return  # the handler's own answer is replaced by the error below
            if message["type"] == "http.response.start" and message["status"] in COMMITTED_STATUSES:
                session: AsyncSession | None = get_aa_scope_state(scope, self.session_scope_key)
                if session is not None and session.in_transaction():
                    try:
                        await session.commit()
                    except Exception as exc:  # noqa: BLE001 - whatever failed, the client must not see success
                        failed = True
                        await session.rollback()
                        status, detail = _answer_for(exc)
                        error_log.error(
                            "request.commit_failed",
                            request_id=scope.get("request_id"),
                            method=scope["method"],
                            path=scope["path"],
                            status=status,
                            exc_info=exc,
                        )
                        response = error_response(status, detail)
                        request = scope["litestar_app"].request_class(scope)
                        await response.to_asgi_response(app=None, request=request)(scope, receive, send)
                        return
            await send(message)

        await next_app(scope, receive, commit_then_send)
