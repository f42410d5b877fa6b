"""The server under test: the real app plus two bench-only reference routes, in one process.

``GET /bench/bare`` answers a small JSON object (the framework's floor).
``GET /bench/raw-users?tenant=<uuid>`` does the least work a tenant-scoped list
of 50 rows can do: its own asyncpg pool as the runtime role, one transaction
that sets ``bo.tenant_ids`` and selects the same rows and columns as
``GET /api/v1/users`` (RLS on), encoded straight to JSON in the same
``{items, total, limit, offset}`` shape. ``GET /bench/raw-work-items?tenant=``
does the same for ``GET /api/v1/work-items`` (default sort, first page of 50):
one statement with the requester's and assignee's names joined in, the SLA
view's minutes computed in SQL (the bench tenants have no calendar: round the
clock), the transitions a client may ask for from the state machine's table.
All are registered on the real app, so they pass through the same middleware
stack as the real endpoints.

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
from datetime import UTC, datetime
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

# What GET /api/v1/work-items shows a client admin (work/controllers.py list_items, views.item_out), default
# sort -created_at then id, written by hand. Names as work/names.py finds them; business minutes for a tenant
# without a calendar (round the clock), as work/clocks.minutes_used computes them.
RAW_WORK_ITEMS_SQL = """
    SELECT w.id, w.tenant_id, w.service_type, w.title, w.payload::text AS payload, w.priority, w.state,
           w.requester_id, w.requester_client_id, coalesce(r.name, c.name || ' (API)') AS requester_name, w.shared,
           w.assignee_id, a.name AS assignee_name, w.waiting_reason, w.rework_count, w.created_at, w.updated_at,
           w.queued_at, w.resolved_at, w.closed_at,
           w.sla_first_response_minutes, w.sla_resolution_minutes, w.sla_warning_percent,
           w.first_response_due_at, w.first_responded_at, w.resolution_due_at,
           w.resolution_minutes_banked
             + coalesce(greatest(0, extract(epoch FROM clock_timestamp() - w.resolution_running_since)) / 60, 0)
             AS minutes_used,
           w.paused_at, w.sla_status, w.first_response_breached_at, w.resolution_breached_at,
           count(*) OVER () AS total
    FROM work_items w
    LEFT JOIN accounts r ON r.id = w.requester_id
    LEFT JOIN api_clients c ON c.id = w.requester_client_id
    LEFT JOIN accounts a ON a.id = w.assignee_id
    ORDER BY w.created_at DESC NULLS LAST, w.id
    LIMIT $1 OFFSET $2
"""
_WORK_ITEM_KEYS = (
    "id", "tenant_id", "service_type", "title", "payload", "priority", "state", "requester_id",
    "requester_client_id", "requester_name", "shared", "assignee_id", "assignee_name", "waiting_reason",
    "rework_count", "created_at", "updated_at", "queued_at", "resolved_at", "closed_at",
)  # fmt: skip


def _client_transitions() -> dict[str, list[str]]:
    """The states a client may move an item to, by its state (the reopen window aside), from the app's table."""
    from bo_saas.work.states import DEDICATED_ROUTES, RULES, Capacity

    table: dict[str, list[str]] = {}
    for (source, to), who in RULES.items():
        if Capacity.CLIENT in who and (source, to) not in DEDICATED_ROUTES:
            table.setdefault(source.value, []).append(to.value)
    return table


def _work_item(row: asyncpg.Record, transitions: dict[str, list[str]], now: datetime) -> dict:
    from bo_saas.work.desks import desk_for
    from bo_saas.work.states import REOPEN_WINDOW

    item = dict(zip(_WORK_ITEM_KEYS, row[:20], strict=True))
    item["payload"] = msgspec.Raw(row["payload"])
    state = row["state"]
    allowed = transitions.get(state, [])
    if state == "done" and not (row["resolved_at"] and now - row["resolved_at"] <= REOPEN_WINDOW):
        allowed = [to for to in allowed if to != "queued"]
    paused = state == "waiting_on_client" and row["paused_at"] is not None
    breaches = [t for t in (row["first_response_breached_at"], row["resolution_breached_at"]) if t is not None]
    first_minutes = row["sla_first_response_minutes"]
    item["sla"] = {
        "policy": None
        if first_minutes is None
        else {
            "first_response_minutes": first_minutes,
            "resolution_minutes": row["sla_resolution_minutes"],
            "warning_percent": row["sla_warning_percent"],
        },
        "first_response_due_at": row["first_response_due_at"],
        "first_responded_at": row["first_responded_at"],
        "resolution_due_at": row["resolution_due_at"],
        "business_minutes_used": round(row["minutes_used"], 2),
        "paused": paused,
        "pause_reason": row["waiting_reason"] if paused else None,
        "status": row["sla_status"],
        "breached_at": min(breaches) if breaches else None,
        "first_response_breached_at": row["first_response_breached_at"],
        "resolution_breached_at": row["resolution_breached_at"],
    }
    item["allowed_transitions"] = allowed
    desk = desk_for(row["service_type"])
    item["desk"] = {"service_type": desk.service_type, "workspace": desk.workspace_for(row["id"])} if desk else None
    return item


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

    transitions = _client_transitions()

    @get("/bench/raw-work-items", opt={"anonymous": True}, include_in_schema=False)
    async def raw_work_items(tenant: str) -> Response[bytes]:
        try:
            tenant_setting = str(UUID(tenant))
        except ValueError:
            raise ValidationException("tenant must be a UUID") from None
        async with pools["raw"].acquire() as connection, connection.transaction():
            await connection.execute(SET_TENANTS_SQL, tenant_setting)
            rows = await connection.fetch(RAW_WORK_ITEMS_SQL, PAGE_LIMIT, 0)
        now = datetime.now(UTC)
        page = {
            "items": [_work_item(row, transitions, now) for row in rows],
            "total": rows[0]["total"] if rows else 0,
            "limit": PAGE_LIMIT,
            "offset": 0,
        }
        return Response(_encode(page), media_type=MediaType.JSON)

    app.on_startup.append(open_pool)
    app.on_shutdown.append(close_pool)
    app.register(bare)
    app.register(raw_users)
    app.register(raw_work_items)


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

    parser = argparse.ArgumentParser(description="Serve the app with the bench routes.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=1, help="server processes, as `bo-saas serve --workers`")
    args = parser.parse_args()
    uvicorn.run(
        # Several workers need the app by name (each process builds its own); one is built here.
        build_app() if args.workers == 1 else "bench.server:build_app",
        factory=args.workers > 1,
        host="127.0.0.1",
        port=args.port,
        workers=args.workers,
        loop="uvloop" if importlib.util.find_spec("uvloop") else "asyncio",
        http="httptools" if importlib.util.find_spec("httptools") else "h11",
        lifespan="on",
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
