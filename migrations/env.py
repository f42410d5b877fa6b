"""Alembic runs as the owner role (``BO_DATABASE_ADMIN_URL``), asynchronously."""

import asyncio
import sys
from pathlib import Path

from alembic import context

sys.path.insert(0, str(Path(__file__).parent))  # migrations import helpers.py
from sqlalchemy.ext.asyncio import create_async_engine

from bo_saas.lib.models import Base
from bo_saas.server.registry import load

load().import_models()
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


def run_migrations_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(_run_async(url))


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `bo-saas migrate`")
run_migrations_online()
