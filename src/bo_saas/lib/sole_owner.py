"""One process at a time runs a background loop: the one holding the loop's PostgreSQL advisory lock.

Every API process starts the background loops (billing's schedule and dunning, HR's payroll schedule). Their ticks
are idempotent, but a fleet of N processes would do every tick's work N times
(N passes over every tenant, N lookups at Stripe). So each loop runs only in
the process that holds its session-level advisory lock
(``pg_try_advisory_lock``), taken on a connection of its own that the holder
keeps open for as long as it runs the loop:

- The others stand by and try again every ``standby_seconds``.
- The holder lets go on shutdown (``pg_advisory_unlock``, then the connection
  is closed); a holder that dies loses its connection, and PostgreSQL lets go
  of its locks with it, so a standby takes over on its next try. TCP
  keepalives on that connection make the server notice a holder whose machine
  vanished within about half a minute, instead of the kernel's two hours.
- The holder makes sure every ``check_seconds`` that its connection (and so
  its lock) is still there; if not (the database restarted, the network
  broke), it stops the loop at once, so two processes never tick together for
  longer than a check, and tries for the lock again like any standby.

The connection is not the app's pool's: returning a pooled connection would
keep the lock on it for whoever borrows it next, so the lock lives on an
unpooled connection that closing really ends.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from bo_saas.lib.domain import BackgroundJob
from bo_saas.lib.settings import Settings

log = structlog.get_logger(__name__)

# Two-key advisory locks of class 2 are sole loop owners (class 1 is work's claims, migration 0008); the
# second key is the loop's name hashed by PostgreSQL, so every process derives the same lock.
LOCK_CLASS = 2
STANDBY_SECONDS = 30.0
CHECK_SECONDS = 15.0
QUERY_TIMEOUT_SECONDS = 10.0
_KEEPALIVES = ("SET tcp_keepalives_idle = 10", "SET tcp_keepalives_interval = 5", "SET tcp_keepalives_count = 3")
_TRY_LOCK = text("SELECT pg_try_advisory_lock(:lock_class, hashtext(:name))")
_UNLOCK = text("SELECT pg_advisory_unlock(:lock_class, hashtext(:name))")


async def _take(lock_engine: AsyncEngine, name: str) -> AsyncConnection | None:
    """A connection holding the loop's lock, or None if another process holds it (or the database is away)."""
    try:
        connection = await lock_engine.connect()
    except Exception:  # the database is away: stand by and try again
        log.warning("sole_owner.connect_failed", loop=name, exc_info=True)
        return None
    try:
        await connection.execution_options(isolation_level="AUTOCOMMIT")  # no transaction left idle
        for statement in _KEEPALIVES:
            await connection.exec_driver_sql(statement)
        taken = await connection.scalar(_TRY_LOCK, {"lock_class": LOCK_CLASS, "name": name})
    except Exception:
        log.warning("sole_owner.try_failed", loop=name, exc_info=True)
        taken = False
    if not taken:
        await _close(connection)
        return None
    log.info("sole_owner.acquired", loop=name)
    return connection


async def _still_held(connection: AsyncConnection) -> bool:
    """A session-level lock lasts as long as its session: the session answering is the lock still held."""
    try:
        await asyncio.wait_for(connection.scalar(text("SELECT 1")), QUERY_TIMEOUT_SECONDS)
    except Exception:
        return False
    return True


async def _let_go(connection: AsyncConnection, name: str) -> None:
    with contextlib.suppress(Exception):  # a broken connection has let go already
        await asyncio.wait_for(
            connection.scalar(_UNLOCK, {"lock_class": LOCK_CLASS, "name": name}), QUERY_TIMEOUT_SECONDS
        )
    await _close(connection)
    log.info("sole_owner.released", loop=name)


async def _close(connection: AsyncConnection) -> None:
    with contextlib.suppress(Exception):
        await connection.close()


async def _run_while_held(
    connection: AsyncConnection, name: str, start: Callable[[], Awaitable[None]], check_seconds: float
) -> None:
    task = asyncio.ensure_future(start())
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=check_seconds)
            if done:
                task.result()  # the loop ended (or failed) on its own
                return
            if not await _still_held(connection):
                log.warning("sole_owner.lost", loop=name)
                return
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


async def hold_and_run(
    engine: AsyncEngine,
    name: str,
    start: Callable[[], Awaitable[None]],
    *,
    standby_seconds: float = STANDBY_SECONDS,
    check_seconds: float = CHECK_SECONDS,
) -> None:
    """Run ``start()`` whenever this process holds the loop's lock, for as long as it holds it; forever."""
    lock_engine = create_async_engine(engine.url, poolclass=NullPool)
    try:
        while True:
            connection = await _take(lock_engine, name)
            if connection is not None:
                try:
                    await _run_while_held(connection, name, start, check_seconds)
                except Exception:  # the loop failed: let go, so a standby (or this process) starts it afresh
                    log.exception("sole_owner.loop_failed", loop=name)
                finally:
                    await _let_go(connection, name)
            await asyncio.sleep(standby_seconds)
    finally:
        await lock_engine.dispose()


def sole_owner(name: str, job: BackgroundJob) -> BackgroundJob:
    """``job`` as a domain's background loop that runs in one process of the fleet at a time."""

    async def run(engine: AsyncEngine, settings: Settings) -> None:
        await hold_and_run(engine, name, lambda: job(engine, settings))

    run.__name__ = run.__qualname__ = f"sole_owner[{name}]"
    run.__doc__ = f"{job.__name__}, in the one process holding the advisory lock {name!r}."
    run.sole_owner_of = job  # type: ignore[attr-defined]
    return run
