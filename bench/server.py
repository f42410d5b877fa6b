"""The server under test: the real app plus two bench-only reference routes, in one process.

``GET /bench/bare`` answers a small JSON object (the framework's floor).
``GET /bench/raw-users?tenant=<uuid>`` does the least work a tenant-scoped list
of 50 rows can do: its own asyncpg pool as the runtime role, one transaction
that sets ``bo.tenant_ids`` and selects the same rows and columns as
``GET /api/v1/users`` (RLS on), encoded straight to JSON in the same
``{items, total, limit, offset}`` shape. Both are registered on the real app,
so they pass through the same middleware stack as the real endpoint.

Settings come from the ``BO_*`` environment, as for ``bo-saas serve``;
``BENCH_ABLATE`` (diagnostics, see ablation.py) takes pieces out of the app,
and ``BENCH_RAW_POOL_SIZE`` sizes the reference's pool (default: as large as
the app's pool may grow).
Run: ``python -m bench.server --port 8765``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
from uuid import UUID

import asyncpg
import msgspec
from litestar import Litestar, MediaType, Response, get
from litestar.exceptions import ValidationException

from bo_saas.lib.settings import Settings, load_settings
from bo_saas.server.app import create_app

PAGE_LIMIT = 50
# The statement the real list runs (users_controller.list_users), written by hand.
RAW_USERS_SQL = """
    SELECT a.id, m.tenant_id, a.email, a.name, m.role, a.status, m.created_at, count(*) OVER () AS total
    FROM memberships m JOIN accounts a ON a.id = m.account_id
    ORDER BY m.created_at, m.account_id
    LIMIT $1 OFFSET $2
"""
SET_TENANTS_SQL = "SELECT set_config('bo.tenant_ids', $1, true)"
_ITEM_KEYS = ("id", "tenant_id", "email", "name", "role", "status", "created_at")
_encode = msgspec.json.Encoder().encode


def add_bench_routes(app: Litestar, settings: Settings) -> None:
    pools: dict[str, asyncpg.Pool] = {}

    async def open_pool(_: Litestar) -> None:
        # As large as the app's SQLAlchemy pool may grow (pool_size + max_overflow), unless told.
        size = int(os.environ.get("BENCH_RAW_POOL_SIZE") or settings.db_pool_size * 2)
        pools["raw"] = await asyncpg.create_pool(
            settings.database_url.replace("postgresql+asyncpg://", "postgresql://", 1), min_size=size, max_size=size
        )

    async def close_pool(_: Litestar) -> None:
        if "raw" in pools:
            await pools.pop("raw").close()

    @get("/bench/bare", opt={"anonymous": True}, include_in_schema=False, media_type=MediaType.JSON)
    async def bare() -> dict[str, str]:
        return {"status": "ok", "service": "bo-saas"}

    @get("/bench/raw-users", opt={"anonymous": True}, include_in_schema=False)
    async def raw_users(tenant: str) -> Response[bytes]:
        try:
            tenant_setting = str(UUID(tenant))
        except ValueError:
            raise ValidationException("tenant must be a UUID") from None
        async with pools["raw"].acquire() as connection, connection.transaction():
            await connection.execute(SET_TENANTS_SQL, tenant_setting)
            rows = await connection.fetch(RAW_USERS_SQL, PAGE_LIMIT, 0)
        page = {
            "items": [dict(zip(_ITEM_KEYS, row[:7], strict=True)) for row in rows],
            "total": rows[0]["total"] if rows else 0,
            "limit": PAGE_LIMIT,
            "offset": 0,
        }
        return Response(_encode(page), media_type=MediaType.JSON)

    app.on_startup.append(open_pool)
    app.on_shutdown.append(close_pool)
    app.register(bare)
    app.register(raw_users)


def build_app(settings: Settings | None = None) -> Litestar:
    ablations = [name for name in os.environ.get("BENCH_ABLATE", "").split(",") if name]
    if ablations:
        from bench.ablation import apply

        apply(ablations)
    settings = settings or load_settings()
    app = create_app(settings)
    add_bench_routes(app, settings)
    return app


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description="Serve the app with the bench routes (one process).")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    uvicorn.run(
        build_app(),
        host="127.0.0.1",
        port=args.port,
        workers=1,
        loop="uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        http="httptools" if importlib.util.find_spec("httptools") else "h11",
        lifespan="on",
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
