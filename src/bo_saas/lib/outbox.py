"""The transactional outbox: a job is sent only if the transaction that asked for it commits.

Sending side. ``enqueue`` writes the dramatiq message to ``outbox_messages`` in
the caller's transaction; nothing reaches Redis yet. When that transaction
commits, a relay task publishes its rows and marks them sent. If Redis is down
the rows stay unsent and ``sweep_outbox`` (run every few seconds by
``run_outbox_sweeper``) sends them later. Relay and sweeper both lock the rows
they send (``FOR UPDATE SKIP LOCKED``) and send only committed, unsent rows:
a rolled-back job is never sent, and two senders never send one row at once.
Delivery is at least once: a crash between publishing and marking sent repeats
a message.

Receiving side. ``idempotent`` makes repeats harmless: an actor's effect and its
``processed_messages`` row commit in one transaction, so a message id applies once.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, Concatenate, ParamSpec
from uuid import UUID

import dramatiq
import redis
import structlog
from dramatiq.asyncio import async_to_sync
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import CurrentMessage
from sqlalchemy import ColumnElement, event, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from bo_saas.lib.broker import JobDatabase, current_broker
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import scoped_session
from bo_saas.lib.outbox_models import OutboxMessage, ProcessedMessage
from bo_saas.lib.tenant_scope import TenantScope

log = structlog.get_logger(__name__)

P = ParamSpec("P")

# session.info key: ids enqueued in the session's current transaction, relayed after it commits.
PENDING_KEY = "outbox_pending_message_ids"
BATCH_SIZE = 100
DEFAULT_SWEEP_AGE_SECONDS = 10.0

# Relays in flight; asyncio keeps only weak references to tasks.
_relays: set[asyncio.Task[None]] = set()


async def enqueue(
    session: AsyncSession,
    actor: dramatiq.Actor[..., Any],
    *args: Any,
    options: dict[str, Any] | None = None,
    **kwargs: Any,
) -> str:
    """Write a message for ``actor`` in the session's transaction; it is sent once that commits.

    Returns the message id. Arguments must be JSON values (dramatiq's encoding).
    ``options`` ride on the message and override the actor's for this message only
    (e.g. ``max_retries``, ``min_backoff``, which dramatiq's Retries middleware reads); the
    name is taken, so no actor may have a keyword argument called ``options``.
    """
    message = actor.message_with_options(args=args, kwargs=kwargs, **(options or {}))
    await enqueue_messages(session, [message])
    return message.message_id


async def enqueue_messages(session: AsyncSession, messages: list[dramatiq.Message[Any]]) -> None:
    """Write messages built with ``actor.message_with_options`` in one INSERT, as ``enqueue`` writes one.

    For a change that queues several jobs at once (an item's SLA timers): one statement, not one each.
    """
    if not messages:
        return
    # Rows as parameters, not one VALUES list: compiled once, sent in pages (thousands of rows at once is fine).
    await session.execute(
        insert(OutboxMessage),
        [
            {
                "message_id": message.message_id,
                "queue_name": message.queue_name,
                "actor_name": message.actor_name,
                "message": message.asdict(),
            }
            for message in messages
        ],
    )
    session.info.setdefault(PENDING_KEY, []).extend(message.message_id for message in messages)


@event.listens_for(Session, "after_commit")
def _relay_after_commit(session: Session) -> None:
    # after_commit also fires when a savepoint is released; the outer transaction may still roll back.
    if session.in_nested_transaction():
        return
    message_ids: list[str] | None = session.info.pop(PENDING_KEY, None)
    if not message_ids:
        return
    # The relay needs its own transaction; AsyncEngine over the session's engine shares its pool.
    _schedule_relay(AsyncEngine(session.get_bind().engine), message_ids)


# Ids committed and waiting for their engine's relay on this event loop. Commits that land while a
# relay is sending join the next batch: under load one relay transaction (and one trip to Redis's
# thread) carries many requests' jobs instead of one each.
_waiting: dict[tuple[asyncio.AbstractEventLoop, Any], list[str]] = {}


def _schedule_relay(engine: AsyncEngine, message_ids: list[str]) -> None:
    loop = asyncio.get_running_loop()
    key = (loop, engine.sync_engine)
    waiting = _waiting.get(key)
    if waiting is not None:
        waiting.extend(message_ids)  # a relay is running for this engine: it takes these next
        return
    _waiting[key] = list(message_ids)
    task = loop.create_task(_relay_waiting(engine, key))
    _relays.add(task)
    task.add_done_callback(_relays.discard)


async def _relay_waiting(engine: AsyncEngine, key: tuple[asyncio.AbstractEventLoop, Any]) -> None:
    while True:
        message_ids = _waiting[key]
        if not message_ids:
            # No await between the check and the removal: an id added after it starts a new relay.
            del _waiting[key]
            return
        _waiting[key] = []
        await _relay(engine, message_ids)


@event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    # Ids from a rolled-back savepoint stay until the outer transaction ends: the relay
    # publishes only rows that exist, so they are skipped there.
    if transaction.parent is None:
        session.info.pop(PENDING_KEY, None)


async def _relay(engine: AsyncEngine, message_ids: list[str]) -> None:
    try:
        await _send_unsent(engine, current_broker(), OutboxMessage.message_id.in_(message_ids))
    except Exception:
        # The rows are committed and unsent: the sweeper sends them later.
        log.exception("outbox.relay_failed", message_ids=message_ids)


async def wait_for_relays() -> None:
    """Let relays in flight finish: at app shutdown, before the engine is disposed, and in tests."""
    loop = asyncio.get_running_loop()
    # Only this loop's relays can be awaited here (a test may run the app on a loop of its own).
    while ours := [task for task in _relays if task.get_loop() is loop]:
        await asyncio.gather(*ours, return_exceptions=True)


async def sweep_outbox(
    engine: AsyncEngine, broker: RedisBroker, older_than_seconds: float = DEFAULT_SWEEP_AGE_SECONDS
) -> int:
    """Send unsent rows older than ``older_than_seconds`` (younger ones are their relay's); return how many."""
    cutoff = utc_now() - timedelta(seconds=older_than_seconds)
    sent = await _send_unsent(engine, broker, OutboxMessage.created_at <= cutoff)
    if sent:
        log.info("outbox.swept", sent=sent)
    return sent


async def run_outbox_sweeper(engine: AsyncEngine, broker: RedisBroker, every_seconds: float) -> None:
    """Sweep forever, every ``every_seconds``: start it as a task in the app's lifespan, cancel it at shutdown."""
    while True:
        await asyncio.sleep(every_seconds)
        try:
            await sweep_outbox(engine, broker, older_than_seconds=every_seconds)
        except Exception:
            # A database or Redis outage must not end the loop; the next round retries.
            log.exception("outbox.sweep_failed")


async def _send_unsent(engine: AsyncEngine, broker: RedisBroker, condition: ColumnElement[bool]) -> int:
    total = 0
    while True:
        sent, more = await _send_batch(engine, broker, condition)
        total += sent
        if not more:
            return total


async def _send_batch(engine: AsyncEngine, broker: RedisBroker, condition: ColumnElement[bool]) -> tuple[int, bool]:
    """Lock, publish and mark one batch; return (rows sent, whether another batch may follow)."""
    async with engine.begin() as connection:
        rows = (
            await connection.execute(
                select(OutboxMessage.id, OutboxMessage.message_id, OutboxMessage.message)
                .where(OutboxMessage.sent_at.is_(None), condition)
                .order_by(OutboxMessage.id)
                .limit(BATCH_SIZE)
                .with_for_update(skip_locked=True)
            )
        ).all()
        if not rows:
            return 0, False
        # The Redis client is synchronous: publish off the event loop.
        published, error = await asyncio.to_thread(_publish, broker, [row.message for row in rows])
        if published:
            await connection.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_([row.id for row in rows[:published]]))
                .values(sent_at=utc_now(), attempts=OutboxMessage.attempts + 1, last_error=None)
            )
        if error is not None:
            failed = rows[published]
            # redis-py's repr of its errors drops the message ("network:ConnectionError").
            described = f"{type(error).__name__}: {error}"
            await connection.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == failed.id)
                .values(attempts=OutboxMessage.attempts + 1, last_error=described)
            )
            log.warning("outbox.publish_failed", message_id=failed.message_id, error=described)
        return published, error is None and len(rows) == BATCH_SIZE


def _publish(broker: RedisBroker, payloads: list[dict[str, Any]]) -> tuple[int, redis.RedisError | None]:
    """Publish in order; stop at the first Redis error (the rest would fail the same way)."""
    for count, payload in enumerate(payloads):
        try:
            message, delay = _split_eta(dramatiq.Message(**payload))
            broker.enqueue(message, delay=delay)
        except redis.RedisError as exc:
            return count, exc
    return len(payloads), None


def _split_eta(message: dramatiq.Message) -> tuple[dramatiq.Message, int | None]:
    """A message with an ``eta`` option (ms since the epoch) goes to the broker's delay queue until then.

    Handed to the broker as a plain message, it would sit in the worker's prefetch of the
    main queue until due and hold up the messages behind it.
    """
    eta = message.options.get("eta")
    if eta is None:
        return message, None
    options = {key: value for key, value in message.options.items() if key != "eta"}
    delay = int(eta - time.time() * 1000)
    return message.copy(options=options), delay if delay > 0 else None


def idempotent(fn: Callable[Concatenate[AsyncSession, P], Awaitable[None]]) -> Callable[P, None]:
    """Make an async actor body apply once per message id, however often the message arrives.

    Use it under ``@dramatiq.actor(...)``. The body gets a session whose
    transaction also records the message id in ``processed_messages``; both
    commit together, so a repeat finds the id and does nothing. A message that
    touches tenant rows carries ``tenant_id=`` as a keyword argument, and the
    session is scoped to that tenant.

    An effect outside the database (an email) happens after the record is
    written and before the commit: a concurrent repeat waits on the record's
    row lock, and a failed effect rolls the record back for the retry; only a
    crash between the effect and the commit repeats it.
    """

    @functools.wraps(fn)
    def apply_once(*args: P.args, **kwargs: P.kwargs) -> None:
        # CurrentMessage is per worker thread: read it here, before the body moves
        # to the event loop thread of dramatiq's AsyncIO middleware.
        message = CurrentMessage.get_current_message()
        if message is None:
            raise RuntimeError(f"{fn.__name__} runs only inside a dramatiq worker")
        async_to_sync(_apply_once)(fn, message.message_id, message.actor_name, args, kwargs)

    return apply_once


async def _apply_once(
    fn: Callable[..., Awaitable[None]],
    message_id: str,
    actor_name: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    tenant_id = kwargs.get("tenant_id")
    scope = TenantScope.of(UUID(str(tenant_id))) if tenant_id is not None else TenantScope.nothing()
    async with scoped_session(JobDatabase.sessionmaker(), scope) as session:
        first_time = await session.scalar(
            pg_insert(ProcessedMessage)
            .values(message_id=message_id, actor_name=actor_name, processed_at=utc_now())
            .on_conflict_do_nothing(index_elements=[ProcessedMessage.message_id])
            .returning(ProcessedMessage.message_id)
        )
        if first_time is None:
            log.info("job.repeat_skipped", message_id=message_id, actor=actor_name)
            return
        await fn(session, *args, **kwargs)
