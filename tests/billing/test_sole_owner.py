"""Billing's loops run in one process at a time: the holder of the loop's advisory lock, on the real database.

Two owners of the same loop start together: only one ticks. When it stops (a
shutdown lets go of the lock), or its process is killed outright (PostgreSQL
lets go with the dead connection), the other takes over within a standby
interval, and the first ticks no more.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable

from sqlalchemy import text

from bo_saas.billing.domain import DOMAIN
from bo_saas.billing.dunning import run_dunning
from bo_saas.billing.schedule import run_billing_schedule
from bo_saas.lib.sole_owner import LOCK_CLASS, hold_and_run

FAST = {"standby_seconds": 0.1, "check_seconds": 0.1}


def _ticker(ticks: list[str], label: str) -> Callable:
    async def loop() -> None:
        try:
            while True:
                ticks.append(label)
                await asyncio.sleep(0.02)
        finally:
            ticks.append(f"{label} stopped")

    return loop


async def _until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def _holders(engine, name: str) -> int:
    async with engine.connect() as connection:
        return await connection.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid = :lock_class AND objid = (hashtext(:name)::bigint & 4294967295)::oid AND objsubid = 2"
            ),
            {"lock_class": LOCK_CLASS, "name": name},
        )


async def test_of_two_owners_only_one_ticks_and_the_other_takes_over_when_it_stops(runtime_engine, admin_engine):
    ticks: list[str] = []
    first = asyncio.create_task(hold_and_run(runtime_engine, "test.loop", _ticker(ticks, "first"), **FAST))
    await _until(lambda: "first" in ticks)
    second = asyncio.create_task(hold_and_run(runtime_engine, "test.loop", _ticker(ticks, "second"), **FAST))
    await asyncio.sleep(1.0)  # ten of the second's tries at the lock

    assert "second" not in ticks
    assert await _holders(admin_engine, "test.loop") == 1

    first.cancel()  # a shutdown: the lock is let go of
    await asyncio.gather(first, return_exceptions=True)
    await _until(lambda: "second" in ticks)
    handover = len(ticks)
    await asyncio.sleep(0.3)

    assert "first" not in ticks[handover:]
    assert await _holders(admin_engine, "test.loop") == 1
    second.cancel()
    await asyncio.gather(second, return_exceptions=True)
    await asyncio.sleep(0.2)
    assert await _holders(admin_engine, "test.loop") == 0


async def test_a_loop_of_another_name_has_its_own_owner(runtime_engine):
    ticks: list[str] = []
    schedule = asyncio.create_task(hold_and_run(runtime_engine, "test.a", _ticker(ticks, "a"), **FAST))
    dunning = asyncio.create_task(hold_and_run(runtime_engine, "test.b", _ticker(ticks, "b"), **FAST))
    await _until(lambda: {"a", "b"} <= set(ticks))
    for task in (schedule, dunning):
        task.cancel()
    await asyncio.gather(schedule, dunning, return_exceptions=True)


HOLDER = textwrap.dedent(
    """
    import asyncio, sys
    from sqlalchemy.ext.asyncio import create_async_engine
    from bo_saas.lib.sole_owner import hold_and_run

    async def tick():
        while True:
            print("tick", flush=True)
            await asyncio.sleep(0.05)

    asyncio.run(hold_and_run(create_async_engine(sys.argv[1]), "test.killed", tick, standby_seconds=0.1))
    """
)


async def test_when_the_holders_process_is_killed_the_standby_takes_over(settings, runtime_engine, admin_engine):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, settings.database_url], stdout=subprocess.PIPE, text=True, env=os.environ
    )
    try:
        while (await asyncio.to_thread(holder.stdout.readline)).strip() != "tick":  # (its log lines first)
            assert holder.poll() is None, "the holder exited"
        # It holds the lock and ticks.
        ticks: list[str] = []
        standby = asyncio.create_task(hold_and_run(runtime_engine, "test.killed", _ticker(ticks, "standby"), **FAST))
        await asyncio.sleep(1.0)
        assert ticks == []

        holder.send_signal(signal.SIGKILL)  # no shutdown, no unlock: only the dead connection lets go
        holder.wait(timeout=10)
        await _until(lambda: "standby" in ticks)
        standby.cancel()
        await asyncio.gather(standby, return_exceptions=True)
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.stdout.close()


async def test_the_holder_stops_ticking_at_once_when_its_lock_connection_is_gone(runtime_engine, admin_engine):
    ticks: list[str] = []
    owner = asyncio.create_task(hold_and_run(runtime_engine, "test.lost", _ticker(ticks, "owner"), **FAST))
    await _until(lambda: "owner" in ticks)
    async with admin_engine.connect() as connection:  # as a database restart would: the holder's session ends
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = :c "
                "AND objid = (hashtext('test.lost')::bigint & 4294967295)::oid"
            ),
            {"c": LOCK_CLASS},
        )
        await connection.commit()
    # A check notices and stops the loop; the lock is then taken again on a new connection and the loop restarts.
    await _until(lambda: "owner stopped" in ticks)
    await _until(lambda: ticks[-1] == "owner")
    assert ticks.count("owner stopped") == 1
    assert await _holders(admin_engine, "test.lost") == 1
    owner.cancel()
    await asyncio.gather(owner, return_exceptions=True)


def test_the_api_runs_billings_loops_each_in_one_process_of_the_fleet():
    owned = {getattr(job, "sole_owner_of", None) for job in DOMAIN.background}

    assert {run_billing_schedule, run_dunning} <= owned
    assert run_billing_schedule not in DOMAIN.background and run_dunning not in DOMAIN.background
