"""Structured JSON logs with request id and tenant, one access line per request, and probes."""

from __future__ import annotations

import logging
import sys
import time
import uuid

import msgspec
import structlog
from litestar import MediaType, Request, get
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import HTTPException, ServiceUnavailableException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from sqlalchemy import text

from bo_saas.lib.errors import DomainError, database_error_status
from bo_saas.lib.settings import Settings

REQUEST_ID_HEADER = "x-request-id"
access_log = structlog.get_logger("bo_saas.access")
error_log = structlog.get_logger("bo_saas.errors")


async def log_unexpected_error(exception: Exception, scope: Scope) -> None:
    """An error no handler turned into a 4xx is a bug: log it with its traceback (the client sees a bare 500)."""
    if isinstance(exception, (HTTPException, DomainError)) and exception.status_code < 500:
        return
    if database_error_status(exception) is not None:  # answered as the caller's 4xx by lib/errors.py
        return
    error_log.error("request.failed", method=scope.get("method"), path=scope.get("path"), exc_info=exception)


def _render_json(event: dict, **_: object) -> str:
    # msgspec renders a log line several times faster than the json module, and there is one per request.
    return msgspec.json.encode(event, enc_hook=repr).decode()


class _CurrentStderr:
    """Whatever ``sys.stderr`` is when a line is written.

    structlog keeps a logger's stream from its first use; a module-level logger first used while
    stderr was redirected (a test capturing output, a tool) would write to that stream for good,
    even after it was closed.
    """

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(settings: Settings) -> None:
    renderer = (
        structlog.processors.JSONRenderer(serializer=_render_json)
        if settings.log_json
        else structlog.dev.ConsoleRenderer()
    )
    level = getattr(logging, settings.log_level)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(_CurrentStderr()),
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s", force=True)


class RequestContextMiddleware(ASGIMiddleware):
    """Gives each request an id (kept from ``X-Request-ID`` when sent) and logs it once at the end."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        request_id = _header(scope, b"x-request-id") or uuid.uuid4().hex
        scope["request_id"] = request_id[:64]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=scope["request_id"])
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)[REQUEST_ID_HEADER] = scope["request_id"]
            await send(message)

        try:
            await next_app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 2),
            )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


@get("/health", opt={"anonymous": True}, media_type=MediaType.JSON, include_in_schema=True, tags=["ops"])
async def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@get("/ready", opt={"anonymous": True}, media_type=MediaType.JSON, tags=["ops"])
async def ready(request: Request) -> dict[str, str]:
    """Readiness: PostgreSQL and Redis both answer."""
    checks: dict[str, str] = {}
    try:
        async with request.app.state.db_engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"unavailable: {type(exc).__name__}"
    try:
        await request.app.state.redis.ping()
        checks["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["redis"] = f"unavailable: {type(exc).__name__}"
    if any(value != "ok" for value in checks.values()):
        raise ServiceUnavailableException("not ready", extra=checks)
    return {"status": "ready", **checks}
