"""Errors in Litestar's shape ``{"status_code", "detail", "extra"}``; never a bare 500 for bad input."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_409_CONFLICT
from sqlalchemy.exc import DBAPIError


class ConflictError(HTTPException):
    status_code = HTTP_409_CONFLICT


class TenantSuspendedError(HTTPException):
    status_code = 403


def _error(status_code: int, detail: str, extra: Any = None) -> Response:
    body: dict[str, Any] = {"status_code": status_code, "detail": detail}
    if extra:
        body["extra"] = extra
    return Response(body, status_code=status_code)


def database_error_handler(_: Request, exc: DBAPIError) -> Response:
    """Input the database refused (a malformed value, a violated check) is the caller's error."""
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None) or ""
    if sqlstate.startswith("23"):  # integrity constraint violation
        return _error(HTTP_409_CONFLICT, "Conflicts with an existing record or rule")
    if sqlstate.startswith("22"):  # data exception: bad value for the column
        return _error(400, "A value is not valid for its field")
    raise exc


EXCEPTION_HANDLERS = {DBAPIError: database_error_handler}
