"""The app's request class: a JSON body is refused with a 4xx when its shape is hostile, for every route at once.

Litestar reads a JSON ``data`` parameter through ``Request.json()``, so checking
here covers each JSON route without touching one, and costs nothing on routes
that take no JSON body.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException, HTTPException
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE


def is_json_media_type(media_type: str) -> bool:
    """``application/json`` and the structured-syntax ``+json`` types (e.g. ``application/merge-patch+json``)."""
    media_type = media_type.strip().lower()
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


class GuardedRequest(Request):
    async def json(self) -> Any:
        media_type, _ = self.content_type
        # A body sent as text/plain or a form is not JSON, whatever it looks like. Refusing it also keeps
        # a cross-site form (which can only send those types without a preflight) from reaching a JSON route.
        if media_type and not is_json_media_type(media_type):
            raise HTTPException(
                status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                detail=f"This endpoint takes application/json, not {media_type}",
            )
        try:
            return await super().json()
        except RecursionError:
            # msgspec decodes recursively: nesting deeper than the interpreter's stack is the sender's doing.
            raise ClientException("The JSON body is nested too deep") from None
