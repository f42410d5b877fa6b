"""The dramatiq broker on Redis, the middleware every job runs under, and dead-letter metrics.

Actors are declared when their domain's ``tasks.py`` is imported, which may
happen before settings are known; ``setup_broker`` binds every actor declared
so far to the configured broker, so import order never matters.

A message that fails more times than its actor's ``max_retries`` moves to
dramatiq's dead-letter set ``dramatiq:<queue>.XQ`` (kept 7 days). The worker
logs each one as it goes there and counts it in Redis; the API's ``/metrics``
reads both back, so a stuck job is visible without a shell on the worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

import dramatiq
import redis
import structlog
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AsyncIO, CurrentMessage, Middleware, Retries, TimeLimit
from prometheus_client.core import (
    REGISTRY,
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
)
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bo_saas.lib.db import make_engine, make_sessionmaker

log = structlog.get_logger(__name__)

NAMESPACE = "dramatiq"
# Each actor states its own max_retries; this is the limit for one that forgets.
DEFAULT_MAX_RETRIES = 5
DEFAULT_MIN_BACKOFF_MS = 5_000
DEFAULT_MAX_BACKOFF_MS = 15 * 60_000
DEFAULT_TIME_LIMIT_MS = 5 * 60_000
# Dead letters ever counted, per queue: a hash, so every worker process adds to one total.
DEAD_LETTERED_KEY = "bo_saas:jobs:dead_lettered_total"

_configured: RedisBroker | None = None


def _redis_client(redis_url: str) -> redis.Redis:
    """A sync client that gives up within seconds, so a Redis outage fails a publish instead of hanging it."""
    return redis.Redis.from_url(
        redis_url,
        socket_connect_timeout=2,
        socket_timeout=10,
        retry=Retry(ExponentialWithJitterBackoff(base=0.05, cap=0.5), retries=2),
    )


def setup_broker(redis_url: str) -> RedisBroker:
    """Make the process's broker (``redis://``, ``rediss://`` or ``unix://``) and bind all actors to it."""
    global _configured
    client = _redis_client(redis_url)
    broker = RedisBroker(
        client=client,
        namespace=NAMESPACE,
        middleware=[
            AsyncIO(),
            TimeLimit(time_limit=DEFAULT_TIME_LIMIT_MS),
            Retries(
                max_retries=DEFAULT_MAX_RETRIES,
                min_backoff=DEFAULT_MIN_BACKOFF_MS,
                max_backoff=DEFAULT_MAX_BACKOFF_MS,
            ),
            CurrentMessage(),
            DeadLetterLog(client),
        ],
    )
    for actor in list(dramatiq.get_broker().actors.values()):
        actor.broker = broker
        broker.declare_actor(actor)
    dramatiq.set_broker(broker)
    _configured = broker
    return broker


def current_broker() -> RedisBroker:
    """The broker ``setup_broker`` made; never dramatiq's implicit default on localhost."""
    if _configured is None:
        raise RuntimeError("setup_broker() has not run in this process")
    return _configured


class DeadLetterLog(Middleware):
    """Logs and counts each message as it moves to the dead-letter queue."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def after_nack(self, broker: dramatiq.Broker, message: dramatiq.MessageProxy) -> None:
        # Retries keeps the failure's traceback on the message; its last line names the error.
        traceback = (message.options.get("traceback") or "").strip()
        queue = _canonical_queue(message.queue_name)
        log.error(
            "job.dead_lettered",
            message_id=message.message_id,
            actor=message.actor_name,
            queue=queue,
            retries=message.options.get("retries", 0),
            error=traceback.splitlines()[-1] if traceback else None,
            traceback=traceback or None,
        )
        self.client.hincrby(DEAD_LETTERED_KEY, queue, 1)


def _canonical_queue(queue_name: str) -> str:
    # A retried message is nacked from the delay queue "<queue>.DQ"; dramatiq files it under "<queue>".
    return queue_name.removesuffix(".DQ")


class JobDatabase(Middleware):
    """The worker process's one database engine, made as the worker boots and disposed at shutdown.

    Async actor code runs on the event loop of dramatiq's ``AsyncIO`` middleware,
    and an engine's connections belong to the loop that opened them: so the
    engine lives exactly as long as that loop. Add this after ``AsyncIO``
    (``broker.add_middleware`` appends): ``after_*`` hooks run in reverse
    order, so the engine is disposed while the loop still runs.
    """

    _active: ClassVar[async_sessionmaker[AsyncSession] | None] = None

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self._engine: AsyncEngine | None = None

    @classmethod
    def sessionmaker(cls) -> async_sessionmaker[AsyncSession]:
        if cls._active is None:
            raise RuntimeError("no JobDatabase middleware is running in this worker")
        return cls._active

    def before_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        # Before, not after: worker threads take messages as soon as they start, before after_worker_boot.
        # One connection per worker thread: each runs at most one actor at a time.
        self._engine = make_engine(self.database_url, pool_size=worker.worker_threads)
        JobDatabase._active = make_sessionmaker(self._engine)

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        JobDatabase._active = None
        loop_thread = get_event_loop_thread()
        if self._engine is not None and loop_thread is not None:
            loop_thread.run_coroutine(self._engine.dispose())
        self._engine = None


class DeadLetterCollector:
    """Reads dead-letter sizes and totals from Redis at scrape time, for every named queue."""

    def __init__(self, redis_url: str, queue_names: Iterable[str]) -> None:
        # A scrape must answer quickly even when Redis does not.
        self.client = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)
        self.queue_names = sorted(set(queue_names))

    def describe(self) -> Iterable[Metric]:
        # Lets the registry check names without a round trip to Redis.
        return self._families()

    def collect(self) -> Iterator[Metric]:
        waiting, total = self._families()
        try:
            pipeline = self.client.pipeline(transaction=False)
            for queue in self.queue_names:
                pipeline.zcard(f"{NAMESPACE}:{queue}.XQ")
            pipeline.hgetall(DEAD_LETTERED_KEY)
            *sizes, totals = pipeline.execute()
        except redis.RedisError as exc:
            log.warning("metrics.dead_letter_unavailable", error=repr(exc))
            return
        for queue, size in zip(self.queue_names, sizes, strict=True):
            waiting.add_metric([queue], size)
            total.add_metric([queue], int(totals.get(queue.encode(), 0)))
        yield waiting
        yield total

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, CounterMetricFamily]:
        waiting = GaugeMetricFamily(
            "bo_saas_jobs_dead_letter",
            "Messages in the dead-letter queue (failed after their retries; kept 7 days)",
            labels=["queue"],
        )
        total = CounterMetricFamily(
            "bo_saas_jobs_dead_lettered",
            "Messages ever moved to the dead-letter queue",
            labels=["queue"],
        )
        return waiting, total


_registered_collector: DeadLetterCollector | None = None


def register_dead_letter_metrics(redis_url: str, queue_names: Iterable[str]) -> DeadLetterCollector:
    """Publish dead-letter gauges in prometheus_client's default registry (what ``/metrics`` serves).

    Registering again (another app in the same process, as tests do) replaces the previous collector.
    """
    global _registered_collector
    if _registered_collector is not None:
        REGISTRY.unregister(_registered_collector)
    _registered_collector = DeadLetterCollector(redis_url, queue_names)
    REGISTRY.register(_registered_collector)
    return _registered_collector
