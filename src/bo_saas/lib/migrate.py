"""``bo-saas migrate``: create the database if needed, apply Alembic, set up the runtime role."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from pathlib import Path

import asyncpg
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from bo_saas.lib.settings import PROJECT_ROOT, Settings

RUNTIME_GROUP = "bo_runtime"
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class MigrationError(RuntimeError):
    pass


def _asyncpg_dsn(sqlalchemy_url: str, database: str | None = None) -> dict:
    url = make_url(sqlalchemy_url)
    params = {
        "user": url.username,
        "password": url.password,
        "host": url.query.get("host") or url.host or "127.0.0.1",
        "port": url.port or 5432,
        "database": database or url.database,
    }
    return params


async def ensure_database(admin_url: str) -> bool:
    """Create the target database when it does not exist yet; True if created."""
    name = make_url(admin_url).database
    if not name or not _IDENTIFIER.match(name):
        raise MigrationError(f"BO_DATABASE_ADMIN_URL: database name {name!r} is not a plain identifier")
    connection = await asyncpg.connect(**_asyncpg_dsn(admin_url, database="postgres"))
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
        return not exists
    finally:
        await connection.close()


def alembic_config(admin_url: str, extra_version_locations: Sequence[Path] = ()) -> Config:
    """Alembic's configuration; ``extra_version_locations`` add branches of their own (the tests' desk)."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", admin_url.replace("%", "%%"))
    if extra_version_locations:
        locations = [PROJECT_ROOT / "migrations" / "versions", *extra_version_locations]
        config.set_main_option("path_separator", "newline")
        config.set_main_option("version_locations", "\n".join(str(p).replace("%", "%%") for p in locations))
    return config


async def ensure_runtime_role(admin_url: str, runtime_url: str) -> str:
    """Make the runtime login role exist, join the runtime group and own no privilege it should not."""
    runtime = make_url(runtime_url)
    role = runtime.username or ""
    if not _IDENTIFIER.match(role):
        raise MigrationError(f"BO_DATABASE_URL: role name {role!r} is not a plain identifier")
    admin_role = make_url(admin_url).username
    if role == admin_role:
        raise MigrationError("BO_DATABASE_URL must use a different role than BO_DATABASE_ADMIN_URL")
    connection = await asyncpg.connect(**_asyncpg_dsn(admin_url))
    try:
        found = await connection.fetchrow("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1", role)
        if found is None:
            password = runtime.password
            clause = " PASSWORD " + _quote_literal(password) if password else ""
            await connection.execute(
                f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE{clause}'
            )
        elif found["rolsuper"] or found["rolbypassrls"]:
            raise MigrationError(
                f"runtime role {role!r} is a superuser or has BYPASSRLS; row-level security would not apply to it"
            )
        await connection.execute(f'GRANT {RUNTIME_GROUP} TO "{role}"')
        database = make_url(admin_url).database
        await connection.execute(f'GRANT CONNECT ON DATABASE "{database}" TO {RUNTIME_GROUP}')
        owned = await connection.fetchval(
            "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = $1", role
        )
        if owned:
            raise MigrationError(f"runtime role {role!r} owns {owned} relations; it must own nothing")
    finally:
        await connection.close()
    return role


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def migrate(settings: Settings, *, echo=print, extra_version_locations: Sequence[Path] = ()) -> None:
    if not settings.database_admin_url or not settings.database_url:
        raise MigrationError("BO_DATABASE_URL and BO_DATABASE_ADMIN_URL are both needed to migrate")
    if asyncio.run(ensure_database(settings.database_admin_url)):
        echo(f"created database {make_url(settings.database_admin_url).database}")
    # "heads": an extra location is a branch of its own, with a head of its own.
    command.upgrade(alembic_config(settings.database_admin_url, extra_version_locations), "heads")
    echo("migrations applied (head)")
    role = asyncio.run(ensure_runtime_role(settings.database_admin_url, settings.database_url))
    echo(f"runtime role {role} ready (member of {RUNTIME_GROUP}, no BYPASSRLS)")
