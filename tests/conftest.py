"""Test setup: a fresh database migrated by Alembic, real Redis, the real app.

With ``BO_DATABASE_URL``/``BO_DATABASE_ADMIN_URL``/``BO_REDIS_URL`` set (CI), the
tests use those servers with a ``_test`` database and Redis db 15; without them
the embedded servers start under ``.data/test``. Every test starts from empty
tables (the reference data from migrations stays): a test's rows never leak
into another's.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
import redis as sync_redis
from aiosmtpd.controller import Controller
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bo_saas.lib.broker import setup_broker
from bo_saas.lib.db import make_sessionmaker
from bo_saas.lib.embedded import stop_embedded_services, with_embedded_services
from bo_saas.lib.migrate import migrate
from bo_saas.lib.settings import PROJECT_ROOT, Settings, get_settings
from tests.servers import Inbox, PrivateRedis, Receiver, free_port

# Reference rows seeded by migrations; every other table is emptied after each test.
KEEP_TABLES = {"alembic_version", "plans", "plan_versions", "skills", "service_types", "sla_policies"}
# Reference rows that tests may change through the API: put back as migrations left them.
RESTORED_TABLES = ("plans", "plan_versions", "sla_policies")  # in the order their rows refer to each other
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
# The test desk's Alembic branch (tests/testdesk): its table and service type exist only in the test database.
TESTDESK_MIGRATIONS = Path(__file__).parent / "testdesk" / "migrations"
TESTDESK_DOMAIN = "tests.testdesk.domain"


def _test_database_url(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_test").render_as_string(hide_password=False)


def _test_redis_url(url: str) -> str:
    # BO_TEST_REDIS_DB lets parallel test runs on one machine keep apart.
    db = os.environ.get("BO_TEST_REDIS_DB", "15")
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}?db={db}"
    return urlunsplit(parts._replace(path=f"/{db}"))


async def _drop_database(admin_url: str) -> None:
    url = make_url(admin_url)
    connection = await asyncpg.connect(
        user=url.username,
        password=url.password,
        host=url.query.get("host") or url.host,
        port=url.port or 5432,
        database="postgres",
    )
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    finally:
        await connection.close()


def _prepare_database(settings: Settings) -> None:
    """A fresh test database, migrated by Alembic, with copies of the reference rows tests may change."""
    asyncio.run(_drop_database(settings.database_admin_url))
    migrate(settings, echo=lambda _: None, extra_version_locations=[TESTDESK_MIGRATIONS])
    asyncio.run(_keep_seed_copies(settings.database_admin_url))


async def _keep_seed_copies(admin_url: str) -> None:
    engine = create_async_engine(admin_url)
    async with engine.begin() as connection:
        await connection.exec_driver_sql("CREATE SCHEMA test_seed")
        for table in RESTORED_TABLES:
            await connection.exec_driver_sql(f"CREATE TABLE test_seed.{table} AS SELECT * FROM {table}")
    await engine.dispose()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    base = Settings(
        # BO_TEST_DATA_DIR: a test session started by a test keeps its embedded servers apart (test_embedded_cleanup).
        data_dir=Path(os.environ.get("BO_TEST_DATA_DIR") or PROJECT_ROOT / ".data" / "test"),
        secret_key=TEST_SECRET,
        env="test",
        log_level="WARNING",
        rate_limit_per_minute=100_000,
        # Tests run the SLA sweep themselves; a background one would race the table cleanup between tests.
        sla_sweep_seconds=3600,
        db_pool_size=5,
        webhook_allow_insecure=True,
        storage_dir=tmp_path_factory.mktemp("files"),
    )
    base = with_embedded_services(base)
    settings = base.model_copy(
        update={
            "database_url": _test_database_url(base.database_url),
            "database_admin_url": _test_database_url(base.database_admin_url),
            "redis_url": _test_redis_url(base.redis_url),
        }
    )
    # On a thread of its own: the first test to ask for settings may be async, inside a running loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_prepare_database, settings).result()
    # Child processes started by tests (the worker) find the same servers.
    os.environ.update(
        BO_DATABASE_URL=settings.database_url,
        BO_DATABASE_ADMIN_URL=settings.database_admin_url,
        BO_REDIS_URL=settings.redis_url,
        BO_SECRET_KEY=TEST_SECRET,
    )
    yield settings
    # The embedded servers daemonize: left running, they would outlive the test session.
    stop_embedded_services()


@pytest.fixture(scope="session")
async def admin_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    """The owner role: for arranging and inspecting rows past RLS, never for the code under test."""
    engine = create_async_engine(settings.database_admin_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def runtime_engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(settings.database_url, pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def runtime_sessionmaker(runtime_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return make_sessionmaker(runtime_engine)


@pytest.fixture
async def admin_session(admin_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with AsyncSession(admin_engine, expire_on_commit=False) as session:
        yield session


_DATABASE_FIXTURES = {
    "admin_engine", "admin_session", "runtime_engine", "runtime_sessionmaker", "app", "client",
    "testdesk_app", "testdesk_client",
}  # fmt: skip


@pytest.fixture(autouse=True)
async def _empty_tables(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """After each test that touched the database, empty it again (cheap at test sizes)."""
    if not _DATABASE_FIXTURES & set(request.fixturenames):
        yield
        return
    engine: AsyncEngine = request.getfixturevalue("admin_engine")
    redis_url = request.getfixturevalue("settings").redis_url
    yield
    # A live server's background loops (sweepers) may hold a table this TRUNCATE needs while waiting for
    # another it holds: PostgreSQL breaks the deadlock by failing one side, so try again.
    for attempt in range(5):
        try:
            await _truncate(engine)
            break
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) != "40P01" or attempt == 4:
                raise
            await asyncio.sleep(0.2)
    sync_redis.Redis.from_url(redis_url).flushdb()


async def _truncate(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        rows = await connection.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in rows if name not in KEEP_TABLES]
        await connection.exec_driver_sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        for table in reversed(RESTORED_TABLES):
            await connection.exec_driver_sql(f"DELETE FROM {table}")
        for table in RESTORED_TABLES:
            await connection.exec_driver_sql(f"INSERT INTO {table} SELECT * FROM test_seed.{table}")


@pytest.fixture(scope="session")
async def app(settings: Settings, admin_engine: AsyncEngine):
    """The app; it asks for admin_engine so the table cleanup never has to start one mid-test."""
    from bo_saas.server.app import create_app

    return create_app(settings)


@pytest.fixture(scope="session")
async def client(app):
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
async def testdesk_app(settings: Settings, admin_engine: AsyncEngine):
    """The app with the test desk mounted: the shipped registry plus one line."""
    from bo_saas.server.app import create_app
    from bo_saas.server.registry import registry

    return create_app(settings, registry=registry([TESTDESK_DOMAIN]))


@pytest.fixture(scope="session")
async def testdesk_client(testdesk_app):
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=testdesk_app) as test_client:
        yield test_client


@pytest.fixture
def job_broker(settings: Settings, admin_engine: AsyncEngine):
    """The process's broker on the test Redis, as a worker process builds it.

    Through admin_engine the tables and Redis are emptied after the test:
    jobs write to both even when the test itself never opens a session.
    """
    from bo_saas.server.worker import build_worker_broker

    return build_worker_broker(settings)


@pytest.fixture
def job_worker(job_broker):
    """A real dramatiq worker in this process, consuming the test Redis."""
    from dramatiq import Worker

    worker = Worker(job_broker, worker_threads=4, worker_timeout=100)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_broker(private_redis: PrivateRedis, settings: Settings) -> Iterator[RedisBroker]:
    """The process's broker on the private Redis; afterwards, the test Redis again."""
    yield setup_broker(private_redis.url)
    setup_broker(settings.redis_url)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def worker_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """Settings the worker's actors read with get_settings(): a private data folder, no SMTP unless a test sets it."""
    monkeypatch.setenv("BO_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BO_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


@pytest.fixture
def fresh_loggers(monkeypatch: pytest.MonkeyPatch):
    """For tests that read the app's log lines: call after create_app.

    structlog caches a logger's output stream on its first use, and each test captures stderr anew,
    so the app's module-level loggers are made again for this test.
    """
    import structlog

    from bo_saas.server import commit, observability

    def renew() -> None:
        monkeypatch.setattr(observability, "access_log", structlog.get_logger("bo_saas.access"))
        monkeypatch.setattr(observability, "error_log", structlog.get_logger("bo_saas.errors"))
        monkeypatch.setattr(commit, "error_log", structlog.get_logger("bo_saas.errors"))

    return renew


from tests.desk import desk  # noqa: E402, F401  (a fixture every domain's tests use)
