"""Database engines and sessions that carry the tenant scope into every transaction.

Each transaction begins with ``set_config('bo.tenant_ids', ..., true)``: the
value lasts for that transaction only, so a pooled connection never carries one
request's tenants into the next, and RLS sees the scope whatever a query says.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, SessionTransaction

from bo_saas.lib.tenant_scope import TenantScope

SCOPE_KEY = "tenant_scope"
SET_SCOPE_SQL = text("SELECT set_config('bo.tenant_ids', :ids, true)")


# On every Session, not a subclass: advanced-alchemy's Litestar plugin installs its own
# sync session class, and a session that forgot the scope must still see nothing.
@event.listens_for(Session, "after_begin")
def _declare_tenant_scope(session: Session, _tx: SessionTransaction, connection: Connection) -> None:
    scope: TenantScope = session.info.get(SCOPE_KEY) or TenantScope.nothing()
    connection.execute(SET_SCOPE_SQL, {"ids": scope.as_setting()})


def set_scope(session: AsyncSession, scope: TenantScope) -> None:
    """Give the session a scope; it applies from the next transaction it begins."""
    if session.in_transaction() and session.info.get(SCOPE_KEY) != scope:
        raise RuntimeError("tenant scope must be set before the transaction begins")
    session.info[SCOPE_KEY] = scope


def scope_declared(session: AsyncSession, scope: TenantScope) -> None:
    """Record that a statement in the open transaction declared ``scope`` itself (``set_config`` inside it).

    For a lookup that learns the tenant and narrows to it in one statement, instead of a
    commit and a new transaction; the session's later transactions begin with the same scope.
    """
    session.info[SCOPE_KEY] = scope


def make_engine(url: str, *, pool_size: int = 10, **kwargs: Any) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=False,
        **kwargs,
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def scoped_session(
    sessionmaker: async_sessionmaker[AsyncSession], scope: TenantScope
) -> AsyncIterator[AsyncSession]:
    """A session for background work: one scope, committed on success."""
    async with sessionmaker() as session:
        set_scope(session, scope)
        async with session.begin():
            yield session


@asynccontextmanager
async def scoped_read(engine: AsyncEngine, scope: TenantScope) -> AsyncIterator[asyncpg.Connection]:
    """A pooled asyncpg connection in one read-only transaction that has declared ``scope``.

    For hot list paths: rows go straight from asyncpg records into response
    structs, with none of the ORM's per-request and per-row work. The scope is
    declared in the same transaction as the query, exactly as for sessions.
    """
    async with engine.connect() as connection:
        driver: asyncpg.Connection = (await connection.get_raw_connection()).driver_connection
        async with driver.transaction(readonly=True):
            await driver.execute("SELECT set_config('bo.tenant_ids', $1, true)", scope.as_setting())
            yield driver


async def driver_connection(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under the session's transaction, begun (so with its scope declared) if it was not.

    For hot writes that run raw statements in the request's own transaction, next to its ORM work.
    """
    connection = await session.connection()
    return (await connection.get_raw_connection()).driver_connection
