"""The web app (``frontend/``, built by Vite) served by the API server on the same port.

``/assets/...`` are Vite's content-hashed files, cached for a year. Any other
GET outside ``/api`` and ``/schema`` answers the app's ``index.html`` (never
cached), so a deep link such as ``/portal/items/<id>`` opens the right screen;
files at the top of the build (the favicon) are served as they are.
"""

from __future__ import annotations

from pathlib import Path

from litestar import MediaType, Response, Router, get
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.response import File
from litestar.static_files import create_static_files_router

NOT_BUILT = """<!doctype html><meta charset="utf-8"><title>bo-saas</title>
<p>The web app is not built yet. <code>make demo</code> builds it (it needs Node.js and npm),
or run <code>npm ci &amp;&amp; npm run build</code> in <code>frontend/</code>.
The API is at <a href="/schema">/schema</a>.</p>
"""
_API_PREFIXES = ("api/", "schema", "health", "ready", "metrics")


def web_app_router(dist: Path) -> Router:
    assets = create_static_files_router(
        path="/assets",
        directories=[dist / "assets"],
        name="web_app_assets",
        cache_control=CacheControlHeader(max_age=365 * 24 * 3600, public=True),
        opt={"anonymous": True},
    )

    @get(["/", "/{path:path}"], opt={"anonymous": True}, include_in_schema=False, sync_to_thread=False)
    def web_app(path: str = "") -> Response | File:
        path = path.lstrip("/")
        if path.startswith(_API_PREFIXES):
            raise NotFoundException(f"No route for /{path}")
        index = dist / "index.html"
        if not index.is_file():
            return Response(NOT_BUILT, media_type=MediaType.HTML, status_code=503)
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.parent == dist.resolve():
            return File(candidate, filename=candidate.name, content_disposition_type="inline")
        return File(
            index,
            filename="index.html",
            media_type=MediaType.HTML,
            content_disposition_type="inline",
            headers={"Cache-Control": "no-cache"},
        )

    return Router(path="/", route_handlers=[assets, web_app])
