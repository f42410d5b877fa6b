"""The transactional outbox and idempotent actors, against real PostgreSQL, Redis and a dramatiq worker."""

from __future__ import annotations

import asyncio
import json
import threading
from collections import Counter
from collections.abc import Callable
from uuid import uuid4

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from prometheus_client import REGISTRY
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bo_saas.lib.broker import register_dead_letter_metrics
from bo_saas.lib.outbox import (
    enqueue,
    idempotent,
    run_outbox_sweeper,
    sweep_outbox,
    wait_for_relays,
)
from bo_saas.lib.outbox_models import OutboxMessage, ProcessedMessage
from bo_saas.lib.settings import Settings
from tests.factories import TenantFactory, save

QUEUE = "outbox_test"
attempts: Counter[str] = Counter()
attempts_lock = threading.Lock()


def _count_attempt(key: str) -> int:
    with attempts_lock:
        attempts[key] += 1
        return attempts[key]


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
def take_note(note: str) -> None:
    """Only ever published in these tests, never run."""


async def insert_audit_event(session: AsyncSession, tenant_id: str, action: str) -> None:
    # audit_events has forced RLS: the insert passes only in a session scoped to tenant_id.
    await session.execute(
        text(
            "INSERT INTO audit_events (tenant_id, id, occurred_at, actor_kind, action)"
            " VALUES (:tenant_id, gen_random_uuid(), now(), 'system', :action)"
        ),
        {"tenant_id": tenant_id, "action": action},
    )


@dramatiq.actor(queue_name=QUEUE, max_retries=0)
@idempotent
async def record_audit_event(session: AsyncSession, *, tenant_id: str, action: str) -> None:
    await insert_audit_event(session, tenant_id, action)


@dramatiq.actor(queue_name=QUEUE, max_retries=1, min_backoff=10, max_backoff=20)
@idempotent
async def record_then_fail_first_time(session: AsyncSession, *, tenant_id: str, key: str) -> None:
    await insert_audit_event(session, tenant_id, key)
    if _count_attempt(key) == 1:
        raise RuntimeError("first attempt fails after its write")


@dramatiq.actor(queue_name=QUEUE, max_retries=2, min_backoff=10, max_backoff=20)
def always_fails(key: str) -> None:
    _count_attempt(key)
    raise RuntimeError(f"{key} always fails")


def queued_message_ids(client: redis.Redis, queue: str = QUEUE) -> list[str]:
    """Ids of the messages waiting in a dramatiq queue, one per copy."""
    return [json.loads(data)["message_id"] for data in client.hvals(f"dramatiq:{queue}.msgs")]


async def wait_until(condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


async def outbox_rows(session: AsyncSession) -> list[OutboxMessage]:
    session.expire_all()
    return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def test_committed_job_reaches_redis_only_after_commit_and_is_marked_sent(
    job_broker: RedisBroker,
    runtime_sessionmaker: async_sessionmaker[AsyncSession],
    admin_session: AsyncSession,
    redis_client: redis.Redis,
):
    async with runtime_sessionmaker() as session:
        message_id = await enqueue(session, take_note, "hello")
        await asyncio.sleep(0.1)
        assert queued_message_ids(redis_client) == []
        await session.commit()
    await wait_for_relays()

    assert queued_message_ids(redis_client) == [message_id]
    [row] = await outbox_rows(admin_session)
    assert row.message_id == message_id and row.sent_at is not None and row.attempts == 1


async def test_rolled_back_job_is_never_written_nor_sent(
    job_broker: RedisBroker,
    runtime_sessionmaker: async_sessionmaker[AsyncSession],
    runtime_engine: AsyncEngine,
    admin_session: AsyncSession,
    redis_client: redis.Redis,
):
    async with runtime_sessionmaker() as session:
        await enqueue(session, take_note, "never")
        await session.rollback()
    async with runtime_sessionmaker() as session:
        await enqueue(session, take_note, "closed without commit")
    await wait_for_relays()

    assert await sweep_outbox(runtime_engine, job_broker, older_than_seconds=0) == 0
    assert await outbox_rows(admin_session) == []
    assert queued_message_ids(redis_client) == []


async def test_job_from_a_rolled_back_savepoint_is_dropped_while_the_outer_one_is_sent(
    job_broker: RedisBroker,
    runtime_sessionmaker: async_sessionmaker[AsyncSession],
    admin_session: AsyncSession,
    redis_client: redis.Redis,
):
    async with runtime_sessionmaker() as session:
        kept = await enqueue(session, take_note, "kept")
        savepoint = await session.begin_nested()
        await enqueue(session, take_note, "dropped")
        await savepoint.rollback()
        await session.commit()
    await wait_for_relays()

    assert queued_message_ids(redis_client) == [kept]
    assert [row.message_id for row in await outbox_rows(admin_session)] == [kept]


async def test_jobs_committed_while_redis_is_down_are_sent_exactly_once_when_it_returns(
    private_redis,
    private_broker: RedisBroker,
    runtime_sessionmaker: async_sessionmaker[AsyncSession],
    runtime_engine: AsyncEngine,
    admin_session: AsyncSession,
):
    jobs = 5
    private_redis.stop()

    message_ids = []
    for n in range(jobs):
        async with runtime_sessionmaker() as session:
            message_ids.append(await enqueue(session, take_note, f"note {n}"))
            await session.commit()
    await wait_for_relays()

    rows = await outbox_rows(admin_session)
    assert [row.message_id for row in rows] == message_ids
    assert all(row.sent_at is None for row in rows)
    # Commits that met a relay in flight joined its next batch; a batch stops at its first failure
    # and records it on that row, leaving the rest behind it untried for the sweeper.
    tried = [row for row in rows if row.attempts]
    assert tried and tried[0].message_id == message_ids[0]
    assert all(row.attempts == 1 and row.last_error.startswith("ConnectionError: ") for row in tried)

    private_redis.start()
    assert await sweep_outbox(runtime_engine, private_broker, older_than_seconds=0) == jobs
    assert await sweep_outbox(runtime_engine, private_broker, older_than_seconds=0) == 0

    assert sorted(queued_message_ids(redis.Redis.from_url(private_redis.url))) == sorted(message_ids)
    assert all(row.sent_at is not None and row.last_error is None for row in await outbox_rows(admin_session))


async def test_jobs_committed_during_a_relay_are_sent_by_the_next_batch_and_none_is_lost(
    job_broker: RedisBroker,
    redis_client: redis.Redis,
    runtime_sessionmaker: async_sessionmaker[AsyncSession],
    admin_session: AsyncSession,
):
    async def commit_one(n: int) -> str:
        async with runtime_sessionmaker() as session:
            message_id = await enqueue(session, take_note, f"note {n}")
            await session.commit()
            return message_id

    message_ids = await asyncio.gather(*(commit_one(n) for n in range(40)))
    await wait_for_relays()

    assert sorted(queued_message_ids(redis_client)) == sorted(message_ids)
    assert all(row.sent_at is not None and row.attempts == 1 for row in await outbox_rows(admin_session))


async def test_sweep_leaves_young_rows_to_their_relay(
    private_redis,
    private_broker: RedisBroker,
    runtime_sessionmaker: async_sessionmaker[AsyncSession],
    runtime_engine: AsyncEngine,
    admin_session: AsyncSession,
):
    private_redis.stop()
    async with runtime_sessionmaker() as session:
        await enqueue(session, take_note, "young")
        await session.commit()
    await wait_for_relays()
    private_redis.start()

    assert await sweep_outbox(runtime_engine, private_broker, older_than_seconds=60) == 0
    [row] = await outbox_rows(admin_session)
    assert row.sent_at is None
    assert await sweep_outbox(runtime_engine, private_broker, older_than_seconds=0) == 1


async def test_sweeper_loop_sends_what_the_relay_could_not(
    private_redis,
    private_broker: RedisBroker,
    runtime_sessionmaker: async_sessionmaker[AsyncSession],
    runtime_engine: AsyncEngine,
    admin_session: AsyncSession,
):
    private_redis.stop()
    async with runtime_sessionmaker() as session:
        message_id = await enqueue(session, take_note, "late")
        await session.commit()
    await wait_for_relays()
    private_redis.start()

    sweeper = asyncio.create_task(run_outbox_sweeper(runtime_engine, private_broker, every_seconds=0.1))
    try:
        async with asyncio.timeout(15):
            while (await outbox_rows(admin_session))[0].sent_at is None:
                await asyncio.sleep(0.05)
    finally:
        sweeper.cancel()
    assert queued_message_ids(redis.Redis.from_url(private_redis.url)) == [message_id]


async def test_idempotent_actor_given_the_same_message_twice_applies_once(
    job_broker: RedisBroker, job_worker, admin_session: AsyncSession
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    message = record_audit_event.message(tenant_id=str(tenant.id), action="jobs.twice")

    job_broker.enqueue(message)
    job_broker.enqueue(message)
    await asyncio.to_thread(job_broker.join, QUEUE, timeout=15_000)

    events = await admin_session.scalar(
        text("SELECT count(*) FROM audit_events WHERE tenant_id = :t AND action = 'jobs.twice'"), {"t": tenant.id}
    )
    assert events == 1
    processed = (await admin_session.scalars(select(ProcessedMessage.message_id))).all()
    assert processed == [message.message_id]


async def test_failed_attempt_leaves_no_effect_and_its_retry_applies_once(
    job_broker: RedisBroker, job_worker, admin_session: AsyncSession
):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    key = f"retry-{uuid4()}"

    job_broker.enqueue(record_then_fail_first_time.message(tenant_id=str(tenant.id), key=key))
    await asyncio.to_thread(job_broker.join, QUEUE, timeout=15_000)

    assert attempts[key] == 2
    events = await admin_session.scalar(text("SELECT count(*) FROM audit_events WHERE action = :key"), {"key": key})
    assert events == 1


async def test_job_failing_past_its_retry_limit_is_dead_lettered_and_counted_on_metrics(
    settings: Settings, job_broker: RedisBroker, job_worker, redis_client: redis.Redis
):
    key = f"dead-{uuid4()}"
    register_dead_letter_metrics(settings.redis_url, [QUEUE, "notify"])
    message = job_broker.enqueue(always_fails.message(key))

    await wait_until(lambda: redis_client.zcard(f"dramatiq:{QUEUE}.XQ") == 1)

    assert attempts[key] == 1 + 2  # the first try and max_retries=2 retries
    [dead] = [json.loads(data) for data in redis_client.hvals(f"dramatiq:{QUEUE}.XQ.msgs")]
    assert dead["message_id"] == message.message_id
    assert REGISTRY.get_sample_value("bo_saas_jobs_dead_letter", {"queue": QUEUE}) == 1
    assert REGISTRY.get_sample_value("bo_saas_jobs_dead_lettered_total", {"queue": QUEUE}) == 1
    assert REGISTRY.get_sample_value("bo_saas_jobs_dead_letter", {"queue": "notify"}) == 0
