"""Domain errors, and the one handler that answers them in Litestar's shape ``{"status_code", "detail", "extra"}``.

Services raise these, never ``litestar.exceptions``: the same service runs from
a route, the CLI and a background job, and only the route turns an error into
an HTTP answer. Each domain names its own errors in its ``errors.py`` as
subclasses of the ones here; a controller keeps an HTTP exception only for a
purely HTTP matter (a malformed upload, a missing header).
"""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar import Request, Response
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
)
from sqlalchemy.exc import DBAPIError


class DomainError(Exception):
    """A refusal a caller can act on: its message, the HTTP status it maps to, and optional details."""

    status_code: int = HTTP_400_BAD_REQUEST

    def __init__(self, message: str, status_code: int | None = None, extra: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code
        self.extra = extra

    @property
    def detail(self) -> str:
        return self.message


class InvalidInputError(DomainError):
    """400: the request is well formed but asks for something that is not valid."""

    status_code = HTTP_400_BAD_REQUEST


class ForbiddenError(DomainError):
    """403: the caller is known and may see the thing, but not do this to it."""

    status_code = HTTP_403_FORBIDDEN


class NotFoundError(DomainError):
    """404: no such thing, or the caller may not see it (another tenant's id answers the same)."""

    status_code = HTTP_404_NOT_FOUND


class ConflictError(DomainError):
    """409: the thing's current state refuses the change."""

    status_code = HTTP_409_CONFLICT


class UnprocessableError(DomainError):
    """422: the content is understood but cannot be processed (e.g. a file that is not what it claims)."""

    status_code = HTTP_422_UNPROCESSABLE_ENTITY


class TenantSuspendedError(ForbiddenError):
    """A suspended tenant reads but makes no changes."""


def error_response(status_code: int, detail: str, extra: Any = None) -> Response:
    # Litestar leaves out a None extra; so do we, so both kinds of error look the same.
    body: dict[str, Any] = {"status_code": status_code, "detail": detail}
    if extra is not None:
        body["extra"] = extra
    return Response(body, status_code=status_code)


def domain_error_handler(_: Request, exc: DomainError) -> Response:
    return error_response(exc.status_code, exc.message, exc.extra)


def database_error_status(exc: Exception) -> int | None:
    """The 4xx for input the database or its driver refused (a violated rule, a bad value); None for a real fault."""
    if isinstance(exc, asyncpg.DataError):  # the raw asyncpg path: a value the driver cannot send (e.g. past int64)
        return HTTP_400_BAD_REQUEST
    if not isinstance(exc, DBAPIError):
        return None
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    if sqlstate.startswith("23"):  # integrity constraint violation
        return HTTP_409_CONFLICT
    if sqlstate.startswith("22") or isinstance(getattr(exc.orig, "__cause__", None), asyncpg.DataError):
        return HTTP_400_BAD_REQUEST  # a data exception (bad value for the column), or one the driver cannot send
    return None


_DATABASE_DETAILS = {
    HTTP_409_CONFLICT: "Conflicts with an existing record or rule",
    HTTP_400_BAD_REQUEST: "A value is not valid for its field",
}


def database_error_handler(_: Request, exc: DBAPIError | asyncpg.DataError) -> Response:
    """Input the database refused (a malformed value, a violated check) is the caller's error."""
    status = database_error_status(exc)
    if status is None:
        raise exc
    return error_response(status, _DATABASE_DETAILS[status])


EXCEPTION_HANDLERS = {
    DBAPIError: database_error_handler,
    asyncpg.DataError: database_error_handler,
    DomainError: domain_error_handler,
}
