"""Retention of lib's tables: sent outbox rows and processed-message records go after the retention, in batches.

The purge runs as the runtime role (the runtime engine), as it does in the API process.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
import structlog
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from structlog.testing import LogCapture

from bo_saas.lib import retention
from bo_saas.lib.clock import utc_now
from bo_saas.lib.outbox_models import OutboxMessage, ProcessedMessage
from bo_saas.lib.retention import Purged, cutoff_for, purge_outbox, run_retention
from bo_saas.lib.settings import Settings
from tests.factories import OutboxMessageFactory, ProcessedMessageFactory, save

DAYS = 30


def _sent(days_ago: float) -> OutboxMessage:
    at = utc_now() - timedelta(days=days_ago)
    return OutboxMessageFactory(created_at=at, sent_at=at, attempts=1)


def _unsent(days_ago: float) -> OutboxMessage:
    return OutboxMessageFactory(created_at=utc_now() - timedelta(days=days_ago), sent_at=None)


async def _outbox_ids(session: AsyncSession) -> set[str]:
    return set((await session.execute(select(OutboxMessage.message_id))).scalars())


async def _outbox_count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return (await connection.execute(select(func.count()).select_from(OutboxMessage))).scalar_one()


async def test_old_sent_outbox_rows_go_while_recent_and_unsent_rows_stay(
    admin_session: AsyncSession, runtime_engine: AsyncEngine
) -> None:
    old_sent, recent_sent = _sent(40), _sent(1)
    old_unsent, just_older_than_cutoff_but_unsent = _unsent(400), _unsent(DAYS + 1)
    await save(admin_session, old_sent, recent_sent, old_unsent, just_older_than_cutoff_but_unsent)

    purged = await purge_outbox(runtime_engine, cutoff_for(DAYS), pause_seconds=0)

    assert purged["outbox_messages"] == Purged(rows=1, batches=1)
    assert await _outbox_ids(admin_session) == {
        recent_sent.message_id,
        old_unsent.message_id,
        just_older_than_cutoff_but_unsent.message_id,
    }


async def test_processed_message_records_older_than_the_retention_go(
    admin_session: AsyncSession, runtime_engine: AsyncEngine
) -> None:
    old = ProcessedMessageFactory(processed_at=utc_now() - timedelta(days=DAYS + 1))
    recent = ProcessedMessageFactory(processed_at=utc_now() - timedelta(days=DAYS - 1))
    await save(admin_session, old, recent)

    purged = await purge_outbox(runtime_engine, cutoff_for(DAYS), pause_seconds=0)

    assert purged["processed_messages"] == Purged(rows=1, batches=1)
    remaining = set((await admin_session.execute(select(ProcessedMessage.message_id))).scalars())
    assert remaining == {recent.message_id}


async def test_purge_deletes_at_most_one_batch_per_transaction_and_pauses_between_batches(
    admin_session: AsyncSession, runtime_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await save(admin_session, *(_sent(40) for _ in range(35)), _unsent(40))
    left_at_each_pause: list[int] = []

    async def look_at_the_table(seconds: float) -> None:
        left_at_each_pause.append(await _outbox_count(runtime_engine))

    monkeypatch.setattr(retention, "_pause", look_at_the_table)

    purged = await purge_outbox(runtime_engine, cutoff_for(DAYS), batch_size=10)

    assert purged["outbox_messages"] == Purged(rows=35, batches=4)
    # Each pause comes after a committed batch of exactly 10 (the unsent row is never counted out).
    assert left_at_each_pause == [26, 16, 6]
    assert await _outbox_count(runtime_engine) == 1


async def test_a_row_locked_by_another_transaction_is_skipped_not_waited_for(
    admin_session: AsyncSession, admin_engine: AsyncEngine, runtime_engine: AsyncEngine
) -> None:
    locked, free = _sent(40), _sent(40)
    await save(admin_session, locked, free)

    async with admin_engine.connect() as other:
        # Another transaction (a relay, say) holds the row until it commits.
        await other.execute(
            text("SELECT 1 FROM outbox_messages WHERE message_id = :id FOR UPDATE"), {"id": locked.message_id}
        )
        # Were the purge to wait for the lock, it would hang here until the other transaction ends.
        purged = await asyncio.wait_for(purge_outbox(runtime_engine, cutoff_for(DAYS), pause_seconds=0), timeout=10)
        assert purged["outbox_messages"] == Purged(rows=1, batches=1)
        await other.rollback()

    assert await _outbox_ids(admin_session) == {locked.message_id}
    # Once the lock is gone, the next run takes it.
    again = await purge_outbox(runtime_engine, cutoff_for(DAYS), pause_seconds=0)
    assert again["outbox_messages"] == Purged(rows=1, batches=1)
    assert await _outbox_ids(admin_session) == set()


@pytest.fixture
def captured_logs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the retention module logs, at every level (the tests' logging setup filters below WARNING)."""
    capture = LogCapture()
    logger = structlog.wrap_logger(None, processors=[capture], wrapper_class=structlog.make_filtering_bound_logger(0))
    monkeypatch.setattr(retention, "log", logger)
    return capture.entries


async def test_each_run_of_the_retention_loop_logs_how_many_rows_it_purged(
    captured_logs: list[dict[str, Any]],
) -> None:
    runs = 0

    async def purge() -> dict[str, Purged]:
        nonlocal runs
        runs += 1
        return {"outbox_messages": Purged(rows=12, batches=2), "processed_messages": Purged(rows=3, batches=1)}

    loop = asyncio.create_task(run_retention("outbox", purge, every_seconds=0.01))
    while runs < 2:
        await asyncio.sleep(0.01)
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop

    purged_lines = [line for line in captured_logs if line["event"] == "retention.purged"]
    assert len(purged_lines) >= 2
    assert purged_lines[0] == {
        "event": "retention.purged",
        "log_level": "info",
        "job": "outbox",
        "rows": 15,
        "outbox_messages": 12,
        "processed_messages": 3,
    }


async def test_a_failed_run_is_logged_and_the_loop_goes_on(captured_logs: list[dict[str, Any]]) -> None:
    runs = 0

    async def purge() -> dict[str, Purged]:
        nonlocal runs
        runs += 1
        if runs == 1:
            raise ConnectionError("database is down")
        return {"outbox_messages": Purged(rows=0, batches=0)}

    loop = asyncio.create_task(run_retention("outbox", purge, every_seconds=0.01))
    while runs < 2:
        await asyncio.sleep(0.01)
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop

    events = [line["event"] for line in captured_logs]
    assert events[:2] == ["retention.failed", "retention.purged"]


def test_retention_days_come_from_bo_retention_days(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BO_RETENTION_DAYS", raising=False)
    assert Settings().retention_days == 30
    monkeypatch.setenv("BO_RETENTION_DAYS", "7")
    assert Settings().retention_days == 7
