"""Retention: rows that did their job are deleted after ``BO_RETENTION_DAYS``, a little at a time.

``purge_in_batches`` is the one way to do it. Each batch picks at most
``batch_size`` rows with ``FOR UPDATE SKIP LOCKED`` and deletes them in its own
short transaction, then the purge pauses before the next batch. The tables it
works on are hot (every request that queues a job writes the outbox), so a
purge never takes a table lock, never holds row locks for longer than one small
batch, and never waits for a row somebody else holds: a row locked by a relay
or an actor is skipped and taken by a later run. A batch that deletes fewer
rows than it asked for ends the run, so a skipped row cannot make it spin.

lib's own tables (the outbox and the processed-message records) are purged
here, by ``purge_outbox``; the API process's core runs ``run_outbox_retention``
beside the outbox sweeper, as lib is not a domain. Domains purge their own
tables with the same helper from a loop they declare in ``DOMAIN.background``
(notify purges delivered webhook deliveries).

Only sent outbox rows go: an unsent row is a job not yet handed to the broker.
A processed-message record must outlive any repeat of its message (repeats
come within minutes to hours), which a retention of a day or more does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import ColumnElement, Delete, delete, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bo_saas.lib.clock import utc_now
from bo_saas.lib.outbox_models import OutboxMessage, ProcessedMessage
from bo_saas.lib.tenant_scope import TenantScope

log = structlog.get_logger(__name__)

# Small enough that one batch's transaction lasts milliseconds and holds few row locks.
BATCH_SIZE = 500
# The pause between batches: other writers get the table (and the WAL) to themselves for a moment.
BATCH_PAUSE_SECONDS = 0.05
# How often a purge runs; the first run is one interval after the process starts.
EVERY_SECONDS = 60 * 60.0

CTID = literal_column("ctid")
_SET_SCOPE = text("SELECT set_config('bo.tenant_ids', :ids, true)")


@dataclass(frozen=True, slots=True)
class Purged:
    rows: int
    batches: int


async def purge_in_batches(
    engine: AsyncEngine,
    batch: Callable[[int], Delete],
    *,
    batch_size: int = BATCH_SIZE,
    pause_seconds: float = BATCH_PAUSE_SECONDS,
    scope: TenantScope | None = None,
) -> Purged:
    """Run ``batch(batch_size)`` (a DELETE of rows picked with ``SKIP LOCKED``) until a batch comes up short.

    Each batch is its own transaction; ``scope`` is declared in each one for tables under RLS.
    A batch that deleted nothing is not counted.
    """
    rows = batches = 0
    while True:
        async with engine.begin() as connection:
            if scope is not None:
                await connection.execute(_SET_SCOPE, {"ids": scope.as_setting()})
            deleted = (await connection.execute(batch(batch_size))).rowcount
        if deleted:
            rows += deleted
            batches += 1
        if deleted < batch_size:
            return Purged(rows, batches)
        await _pause(pause_seconds)


async def _pause(seconds: float) -> None:
    # A seam of its own, so a test can look at the table between two batches.
    await asyncio.sleep(seconds)


def cutoff_for(days: int, now: datetime | None = None) -> datetime:
    return (now or utc_now()) - timedelta(days=days)


def oldest_first(table: type[Any], condition: ColumnElement[bool], age: ColumnElement[Any]) -> Callable[[int], Delete]:
    """A batch: delete up to ``size`` rows meeting ``condition``, oldest ``age`` first, skipping locked ones.

    The rows are picked by ``ctid`` (stable while they are locked), so the delete reaches each
    by a TID scan whatever the table's key; ``ORDER BY age`` makes the pick walk an index on
    the age column from its old end instead of scanning the table.
    """

    def batch(size: int) -> Delete:
        chosen = (
            select(CTID).select_from(table).where(condition).order_by(age).limit(size).with_for_update(skip_locked=True)
        )
        return delete(table).where(CTID.in_(chosen.scalar_subquery()))

    return batch


def _sent_outbox_rows(cutoff: datetime) -> Callable[[int], Delete]:
    # sent_at IS NOT NULL is implied by the comparison: unsent rows are never picked.
    return oldest_first(OutboxMessage, OutboxMessage.sent_at < cutoff, OutboxMessage.sent_at)


def _processed_records(cutoff: datetime) -> Callable[[int], Delete]:
    return oldest_first(ProcessedMessage, ProcessedMessage.processed_at < cutoff, ProcessedMessage.processed_at)


async def purge_outbox(
    engine: AsyncEngine,
    cutoff: datetime,
    *,
    batch_size: int = BATCH_SIZE,
    pause_seconds: float = BATCH_PAUSE_SECONDS,
) -> dict[str, Purged]:
    """Delete outbox rows sent before ``cutoff`` and processed-message records older than it."""
    return {
        "outbox_messages": await purge_in_batches(
            engine, _sent_outbox_rows(cutoff), batch_size=batch_size, pause_seconds=pause_seconds
        ),
        "processed_messages": await purge_in_batches(
            engine, _processed_records(cutoff), batch_size=batch_size, pause_seconds=pause_seconds
        ),
    }


async def run_retention(
    name: str, purge: Callable[[], Awaitable[dict[str, Purged]]], every_seconds: float = EVERY_SECONDS
) -> None:
    """Run ``purge`` forever, every ``every_seconds``: a task in the API process, cancelled at shutdown.

    Each run logs ``retention.purged`` with how many rows went from each table, even none,
    so an operator can see the job is alive.
    """
    while True:
        await asyncio.sleep(every_seconds)
        try:
            purged = await purge()
        except Exception:
            # An outage must not end the loop; the next run picks up where this one stopped.
            log.exception("retention.failed", job=name)
            continue
        log.info(
            "retention.purged",
            job=name,
            rows=sum(result.rows for result in purged.values()),
            **{table: result.rows for table, result in purged.items()},
        )


async def run_outbox_retention(engine: AsyncEngine, retention_days: int) -> None:
    """lib's own purge loop, which the API process's core starts beside the outbox sweeper."""
    await run_retention("outbox", lambda: purge_outbox(engine, cutoff_for(retention_days)))
