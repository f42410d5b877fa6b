"""The OpenAPI document as a file: what the frontend's typed API client is generated from.

``bo-saas openapi`` writes it; ``frontend/src/api/openapi.json`` is the
committed copy, and a test fails when it no longer matches the app.
"""

from __future__ import annotations

import json
from typing import Any

from litestar import Litestar

from bo_saas.lib.settings import Settings

COMMITTED_COPY = "frontend/src/api/openapi.json"


def openapi_document(app: Litestar) -> dict[str, Any]:
    return app.openapi_schema.to_schema()


def render(document: dict[str, Any]) -> str:
    """Stable text (sorted keys, one key per line) so that a change shows as a small diff."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def offline_app() -> Litestar:
    """The app built without reaching any server: the document does not depend on where they are."""
    from bo_saas.server.app import create_app

    return create_app(
        Settings(
            database_url="postgresql+asyncpg://openapi@127.0.0.1:1/openapi",
            redis_url="redis://127.0.0.1:1/0",
            secret_key="openapi-document-only-not-a-secret-0123456789",
            log_level="ERROR",
        )
    )
