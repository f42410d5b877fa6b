"""A desk bench's own database and Redis db: made fresh from the migrations each run, and how to reach it.

The desk benches (support, data entry) each own a database (``bo_bench_<desk>``)
and a Redis logical database, so one never drops another's data or a
developer's. Fresh every run: the schema is the migrations' as they are now,
and nothing a previous run left behind carries over. The server and worker the
bench starts read the same names from their ``BO_*`` environment.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from bench import config
from bo_saas.lib.migrate import migrate
from bo_saas.lib.settings import Settings


@dataclass(frozen=True)
class BenchDatabase:
    name: str  # the PostgreSQL database
    redis_db: int
    data_dir: Path  # BO_DATA_DIR of the servers (files the desk stores)

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://{config.RUNTIME_ROLE}@{config.HOST}:{config.PG_PORT}/{self.name}"

    @property
    def admin_url(self) -> str:
        return f"postgresql+asyncpg://postgres@{config.HOST}:{config.PG_PORT}/{self.name}"

    @property
    def redis_url(self) -> str:
        return f"redis://{config.HOST}:6379/{self.redis_db}"

    def settings(self, **overrides) -> Settings:
        return config.bench_settings(database_url=self.url, database_admin_url=self.admin_url,
                                     redis_url=self.redis_url, data_dir=self.data_dir, **overrides)  # fmt: skip

    def server_environment(self, *, log_level: str, rate_limit_per_minute: int) -> dict[str, str]:
        """The ``BO_*`` environment of an API server or worker on this database and Redis db."""
        environment = config.server_environment(log_level=log_level, rate_limit_per_minute=rate_limit_per_minute)
        environment.update(BO_DATABASE_URL=self.url, BO_DATABASE_ADMIN_URL=self.admin_url,
                           BO_REDIS_URL=self.redis_url, BO_DATA_DIR=str(self.data_dir), BENCH_ABLATE="")  # fmt: skip
        return environment

    def prepare(self, echo=print) -> None:
        """Drop the database and make it again from the migrations (runtime role ready); empty the Redis db."""
        asyncio.run(self._drop())
        migrate(self.settings(), echo=echo)
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()

    async def _drop(self) -> None:
        connection = await asyncpg.connect(host=config.HOST, port=config.PG_PORT, user="postgres", database="postgres")
        try:
            # FORCE: a server or worker left over from an interrupted run must not keep the old one alive.
            await connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            await connection.close()

    async def connect_owner(self, *, command_timeout: float = 600) -> asyncpg.Connection:
        return await asyncpg.connect(host=config.HOST, port=config.PG_PORT, user="postgres", database=self.name,
                                     command_timeout=command_timeout)  # fmt: skip

    async def owner_pool(self, size: int = 2) -> asyncpg.Pool:
        return await asyncpg.create_pool(host=config.HOST, port=config.PG_PORT, user="postgres", database=self.name,
                                         min_size=size, max_size=size)  # fmt: skip
