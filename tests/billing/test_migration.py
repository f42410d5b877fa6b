"""Migration 0012 on a database that already has tenants: each gets its subscription, and it downgrades cleanly."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from uuid import uuid4

import asyncpg
from alembic import command
from sqlalchemy.engine import make_url

from bo_saas.billing.periods import month_of
from bo_saas.lib.migrate import alembic_config, ensure_database


def _asyncpg_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _drop(admin_url: str) -> None:
    url = make_url(admin_url)
    connection = await asyncpg.connect(_asyncpg_url(str(url.set(database="postgres"))))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    finally:
        await connection.close()


async def _execute(admin_url: str, sql: str, *args) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(_asyncpg_url(admin_url))
    try:
        return await connection.fetch(sql, *args)
    finally:
        await connection.close()


def _migrate_with_tenants(admin_url: str) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    asyncio.run(_drop(admin_url))
    asyncio.run(ensure_database(admin_url))
    config = alembic_config(admin_url)
    try:
        command.upgrade(config, "0011")
        for slug, plan in (("old-growth", "growth"), ("old-starter", "starter")):
            asyncio.run(
                _execute(
                    admin_url,
                    "INSERT INTO tenants (id, slug, name, plan_code, timezone) VALUES ($1, $2, $2, $3, 'Asia/Riyadh')",
                    uuid4(),
                    slug,
                    plan,
                )
            )
        command.upgrade(config, "0012")
        subscriptions = asyncio.run(
            _execute(
                admin_url,
                """SELECT t.slug, v.plan_code, v.version, s.status::text AS status, s.current_period_start
                   FROM subscriptions s JOIN tenants t ON t.id = s.tenant_id
                   JOIN plan_versions v ON v.id = s.plan_version_id ORDER BY t.slug""",
            )
        )
        command.downgrade(config, "0011")
        left = asyncio.run(_execute(admin_url, "SELECT to_regclass('plan_versions') AS versions"))
        return subscriptions, left
    finally:
        asyncio.run(_drop(admin_url))


def test_every_existing_tenant_gets_an_active_subscription_on_version_1_of_its_plan(settings):
    url = make_url(settings.database_admin_url)
    admin_url = url.set(database=f"{url.database}_0012").render_as_string(hide_password=False)

    with ThreadPoolExecutor(max_workers=1) as pool:  # Alembic's env runs its own event loop
        subscriptions, left = pool.submit(_migrate_with_tenants, admin_url).result()

    month_start = month_of(datetime.now(UTC), "Asia/Riyadh").start
    assert [tuple(row) for row in subscriptions] == [
        ("old-growth", "growth", 1, "active", month_start),
        ("old-starter", "starter", 1, "active", month_start),
    ]
    assert left[0]["versions"] is None  # the downgrade removed billing's tables
