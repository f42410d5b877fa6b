"""Row-level security, proved in SQL against the migrated database.

The owner role (``admin_engine``) arranges rows in two tenants past RLS; the
runtime role (``runtime_engine``, what the app connects as) must then see and
change only what ``bo.tenant_ids`` allows. The catalog tests read pg_catalog
generically, so a table added by a later migration is covered without editing
this file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from bo_saas.lib.settings import Settings

SET_SCOPE = text("SELECT set_config('bo.tenant_ids', :ids, true)")
RLS_VIOLATION = "violates row-level security policy"

# The tenant-owned tables of the foundation migration, all seeded by `two_tenants`.
FOUNDATION_TENANT_TABLES = {"business_calendars", "memberships", "staff_assignments", "api_clients", "audit_events"}

TENANT_TABLES_SQL = text(
    """SELECT c.relname
       FROM pg_class c
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
       ORDER BY c.relname"""
)


@dataclass(frozen=True)
class TwoTenants:
    a: UUID
    b: UUID


async def _tenant_tables(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as connection:
        return list((await connection.execute(TENANT_TABLES_SQL)).scalars())


@pytest.fixture
async def tenant_tables(admin_engine: AsyncEngine) -> list[str]:
    return await _tenant_tables(admin_engine)


@asynccontextmanager
async def runtime_transaction(engine: AsyncEngine, *tenant_ids: UUID) -> AsyncIterator[AsyncConnection]:
    """A transaction as the runtime role with ``bo.tenant_ids`` set as the app sets it; rolled back after."""
    async with engine.connect() as connection:
        transaction = await connection.begin()
        try:
            await connection.execute(SET_SCOPE, {"ids": ",".join(str(t) for t in tenant_ids)})
            yield connection
        finally:
            await transaction.rollback()


async def _seed_tenant(connection: AsyncConnection, tenant_id: UUID, slug: str, staff_id: UUID) -> None:
    account_id = uuid4()
    await connection.execute(
        text("INSERT INTO tenants (id, slug, name, plan_code, timezone) VALUES (:id, :slug, :name, 'starter', 'UTC')"),
        {"id": tenant_id, "slug": slug, "name": f"Tenant {slug}"},
    )
    await connection.execute(
        text("INSERT INTO accounts (id, email, name, status) VALUES (:id, :email, :name, 'active')"),
        {"id": account_id, "email": f"admin@{slug}.example", "name": f"{slug} admin"},
    )
    await connection.execute(
        text("INSERT INTO memberships (tenant_id, account_id, role) VALUES (:t, :a, 'client_admin')"),
        {"t": tenant_id, "a": account_id},
    )
    await connection.execute(text("INSERT INTO business_calendars (tenant_id) VALUES (:t)"), {"t": tenant_id})
    await connection.execute(
        text("INSERT INTO staff_assignments (tenant_id, account_id) VALUES (:t, :a)"),
        {"t": tenant_id, "a": staff_id},
    )
    await connection.execute(
        text("INSERT INTO api_clients (tenant_id, id, name, secret_hash) VALUES (:t, :id, :name, :hash)"),
        {"t": tenant_id, "id": uuid4(), "name": f"{slug} ERP", "hash": "0" * 64},
    )
    await connection.execute(
        text(
            "INSERT INTO audit_events (tenant_id, id, occurred_at, actor_kind, action) "
            "VALUES (:t, :id, now(), 'account', 'tenant.created')"
        ),
        {"t": tenant_id, "id": uuid4()},
    )


@pytest.fixture
async def two_tenants(admin_engine: AsyncEngine) -> TwoTenants:
    """Tenants A and B with a row of their own in every foundation tenant table, and one agent serving both."""
    tenants = TwoTenants(a=uuid4(), b=uuid4())
    staff_id = uuid4()
    async with admin_engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO accounts (id, email, name, status, staff_role) "
                "VALUES (:id, 'agent@provider.example', 'Agent', 'active', 'provider_agent')"
            ),
            {"id": staff_id},
        )
        await connection.execute(text("INSERT INTO staff_profiles (account_id) VALUES (:id)"), {"id": staff_id})
        await _seed_tenant(connection, tenants.a, "tenant-a", staff_id)
        await _seed_tenant(connection, tenants.b, "tenant-b", staff_id)
        await connection.execute(
            text(
                "INSERT INTO provider_audit_events (id, occurred_at, actor_kind, action) "
                "VALUES (:id, now(), 'account', 'tenant.created')"
            ),
            {"id": uuid4()},
        )
    return tenants


async def _tenant_ids_in(connection: AsyncConnection, table: str) -> set[UUID]:
    return set((await connection.execute(text(f"SELECT DISTINCT tenant_id FROM {table}"))).scalars())


# --- what the runtime role sees and may change -------------------------------------------------


def test_catalog_query_finds_every_foundation_tenant_table(tenant_tables: list[str]) -> None:
    assert FOUNDATION_TENANT_TABLES <= set(tenant_tables)


async def test_runtime_role_with_tenant_scope_never_set_sees_no_row_of_any_tenant_table(
    settings: Settings, admin_engine: AsyncEngine, tenant_tables: list[str], two_tenants: TwoTenants
) -> None:
    # A fresh connection, so bo.tenant_ids has never been set in the session at all.
    engine = create_async_engine(settings.database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            visible = {
                table: (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
                for table in tenant_tables
            }
    finally:
        await engine.dispose()
    async with admin_engine.connect() as connection:
        for table in FOUNDATION_TENANT_TABLES:
            assert await _tenant_ids_in(connection, table) == {two_tenants.a, two_tenants.b}, table

    assert visible == {table: 0 for table in tenant_tables}


async def test_runtime_role_with_empty_tenant_scope_sees_no_row_of_any_tenant_table(
    runtime_engine: AsyncEngine, tenant_tables: list[str], two_tenants: TwoTenants
) -> None:
    async with runtime_transaction(runtime_engine) as connection:
        visible = {
            table: (await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
            for table in tenant_tables
        }

    assert visible == {table: 0 for table in tenant_tables}


async def test_runtime_role_scoped_to_tenant_a_sees_only_tenant_a_rows(
    runtime_engine: AsyncEngine, tenant_tables: list[str], two_tenants: TwoTenants
) -> None:
    async with runtime_transaction(runtime_engine, two_tenants.a) as connection:
        seen = {table: await _tenant_ids_in(connection, table) for table in tenant_tables}

    for table in tenant_tables:
        assert seen[table] <= {two_tenants.a}, table
    for table in FOUNDATION_TENANT_TABLES:
        assert seen[table] == {two_tenants.a}, table


async def test_runtime_role_scoped_to_both_tenants_sees_both(
    runtime_engine: AsyncEngine, two_tenants: TwoTenants
) -> None:
    async with runtime_transaction(runtime_engine, two_tenants.a, two_tenants.b) as connection:
        seen = {table: await _tenant_ids_in(connection, table) for table in FOUNDATION_TENANT_TABLES}

    assert seen == {table: {two_tenants.a, two_tenants.b} for table in FOUNDATION_TENANT_TABLES}


INSERT_FOR_TENANT = {
    "api_clients": (
        "INSERT INTO api_clients (tenant_id, id, name, secret_hash) VALUES (:t, gen_random_uuid(), 'x', 'x')"
    ),
    "audit_events": (
        "INSERT INTO audit_events (tenant_id, id, occurred_at, actor_kind, action) "
        "VALUES (:t, gen_random_uuid(), now(), 'account', 'forged')"
    ),
    # B already has its calendar: the policy must refuse before the unique key could tell.
    "business_calendars": "INSERT INTO business_calendars (tenant_id) VALUES (:t)",
}


@pytest.mark.parametrize("table", sorted(INSERT_FOR_TENANT))
async def test_runtime_role_scoped_to_tenant_a_cannot_insert_a_row_for_tenant_b(
    runtime_engine: AsyncEngine, two_tenants: TwoTenants, table: str
) -> None:
    async with runtime_transaction(runtime_engine, two_tenants.a) as connection:
        with pytest.raises(DBAPIError, match=RLS_VIOLATION):
            await connection.execute(text(INSERT_FOR_TENANT[table]), {"t": two_tenants.b})


async def test_runtime_role_scoped_to_tenant_a_can_insert_a_row_for_tenant_a(
    runtime_engine: AsyncEngine, two_tenants: TwoTenants
) -> None:
    async with runtime_transaction(runtime_engine, two_tenants.a) as connection:
        await connection.execute(text(INSERT_FOR_TENANT["api_clients"]), {"t": two_tenants.a})
        count = (await connection.execute(text("SELECT count(*) FROM api_clients"))).scalar_one()

    assert count == 2


async def test_runtime_role_cannot_move_a_row_from_tenant_a_to_tenant_b(
    runtime_engine: AsyncEngine, two_tenants: TwoTenants
) -> None:
    async with runtime_transaction(runtime_engine, two_tenants.a) as connection:
        with pytest.raises(DBAPIError, match=RLS_VIOLATION):
            await connection.execute(
                text("UPDATE api_clients SET tenant_id = :b WHERE tenant_id = :a"),
                {"a": two_tenants.a, "b": two_tenants.b},
            )


async def test_runtime_role_scoped_to_tenant_a_updates_and_deletes_nothing_of_tenant_b(
    runtime_engine: AsyncEngine, admin_engine: AsyncEngine, two_tenants: TwoTenants
) -> None:
    async with runtime_engine.begin() as connection:
        await connection.execute(SET_SCOPE, {"ids": str(two_tenants.a)})
        renamed = await connection.execute(
            text("UPDATE api_clients SET name = 'renamed by A' WHERE tenant_id = :b"), {"b": two_tenants.b}
        )
        deleted = await connection.execute(text("DELETE FROM memberships WHERE tenant_id = :b"), {"b": two_tenants.b})

    assert (renamed.rowcount, deleted.rowcount) == (0, 0)
    async with admin_engine.connect() as connection:
        names = set(
            (
                await connection.execute(
                    text("SELECT name FROM api_clients WHERE tenant_id = :b"), {"b": two_tenants.b}
                )
            ).scalars()
        )
        members = (
            await connection.execute(
                text("SELECT count(*) FROM memberships WHERE tenant_id = :b"), {"b": two_tenants.b}
            )
        ).scalar_one()
    assert names == {"tenant-b ERP"}
    assert members == 1


@pytest.mark.parametrize("table", ["audit_events", "provider_audit_events"])
@pytest.mark.parametrize(
    "statement", ["UPDATE {table} SET action = 'tampered'", "DELETE FROM {table}", "TRUNCATE {table}"]
)
async def test_runtime_role_cannot_rewrite_or_erase_the_audit_trail(
    runtime_engine: AsyncEngine, two_tenants: TwoTenants, table: str, statement: str
) -> None:
    async with runtime_transaction(runtime_engine, two_tenants.a) as connection:
        with pytest.raises(DBAPIError, match=f"permission denied for table {table}"):
            await connection.execute(text(statement.format(table=table)))


# --- the runtime role itself -------------------------------------------------------------------


async def test_runtime_role_is_not_superuser_and_cannot_bypass_rls(
    settings: Settings, runtime_engine: AsyncEngine
) -> None:
    async with runtime_engine.connect() as connection:
        me = (
            await connection.execute(
                text("SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
            )
        ).one()
        # Roles it belongs to count too: it could SET ROLE to any of them.
        privileged_groups = list(
            (
                await connection.execute(
                    text(
                        "SELECT rolname FROM pg_roles WHERE pg_has_role(current_user, oid, 'MEMBER') "
                        "AND (rolsuper OR rolbypassrls)"
                    )
                )
            ).scalars()
        )

    assert me.rolname == make_url(settings.database_url).username
    assert me.rolname != make_url(settings.database_admin_url).username
    assert (me.rolsuper, me.rolbypassrls) == (False, False)
    assert privileged_groups == []


async def test_runtime_role_owns_no_database_object(runtime_engine: AsyncEngine) -> None:
    # Ownership passes to members of the owning role, so any role the runtime role belongs to counts.
    owned_sql = text(
        """SELECT 'relation ' || relname FROM pg_class WHERE pg_has_role(current_user, relowner, 'MEMBER')
           UNION ALL SELECT 'function ' || proname FROM pg_proc WHERE pg_has_role(current_user, proowner, 'MEMBER')
           UNION ALL SELECT 'type ' || typname FROM pg_type WHERE pg_has_role(current_user, typowner, 'MEMBER')
           UNION ALL SELECT 'schema ' || nspname FROM pg_namespace WHERE pg_has_role(current_user, nspowner, 'MEMBER')
           UNION ALL SELECT 'database ' || datname FROM pg_database
             WHERE datname = current_database() AND pg_has_role(current_user, datdba, 'MEMBER')"""
    )
    async with runtime_engine.connect() as connection:
        owned = list((await connection.execute(owned_sql)).scalars())

    assert owned == []


# --- the schema rules, for every tenant-owned table, present and future ------------------------


async def test_every_tenant_table_has_row_level_security_enabled_and_forced(
    admin_engine: AsyncEngine, tenant_tables: list[str]
) -> None:
    async with admin_engine.connect() as connection:
        rows = (
            await connection.execute(
                text(
                    "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                    "WHERE relname = ANY(:tables) AND relnamespace = 'public'::regnamespace"
                ),
                {"tables": tenant_tables},
            )
        ).all()

    assert {row.relname: (row.relrowsecurity, row.relforcerowsecurity) for row in rows} == {
        table: (True, True) for table in tenant_tables
    }


async def test_every_tenant_table_has_a_tenant_scope_policy_and_no_policy_that_widens_it(
    admin_engine: AsyncEngine, tenant_tables: list[str]
) -> None:
    async with admin_engine.connect() as connection:
        policies = (
            await connection.execute(
                text(
                    """SELECT c.relname, p.polname, p.polcmd::text AS polcmd, p.polpermissive,
                              pg_get_expr(p.polqual, p.polrelid) AS using_expr,
                              pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr
                       FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
                       WHERE c.relnamespace = 'public'::regnamespace"""
                )
            )
        ).all()

    def scoped(expression: str | None) -> bool:
        return expression is not None and "tenant_id" in expression and "bo_tenant_ids()" in expression

    without_scope_policy = [
        table
        for table in tenant_tables
        if not any(
            p.relname == table
            and p.polcmd == "*"
            and p.polpermissive
            and scoped(p.using_expr)
            and (p.check_expr is None or scoped(p.check_expr))
            for p in policies
        )
    ]
    # Permissive policies are OR-ed together: one that is not tenant-scoped opens the table.
    widening = [
        f"{p.relname}.{p.polname}"
        for p in policies
        if p.relname in tenant_tables
        and p.polpermissive
        and not ((p.using_expr is None or scoped(p.using_expr)) and (p.check_expr is None or scoped(p.check_expr)))
    ]
    assert without_scope_policy == []
    assert widening == []


async def test_every_tenant_table_primary_key_starts_with_tenant_id(
    admin_engine: AsyncEngine, tenant_tables: list[str]
) -> None:
    async with admin_engine.connect() as connection:
        first_key_column = dict(
            (
                await connection.execute(
                    text(
                        """SELECT c.relname, a.attname
                           FROM pg_index i
                           JOIN pg_class c ON c.oid = i.indrelid
                           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                           WHERE i.indisprimary AND c.relname = ANY(:tables)
                             AND c.relnamespace = 'public'::regnamespace"""
                    ),
                    {"tables": tenant_tables},
                )
            ).all()
        )

    assert {table: first_key_column.get(table) for table in tenant_tables} == {
        table: "tenant_id" for table in tenant_tables
    }


async def test_every_unique_index_on_a_tenant_table_includes_tenant_id(
    admin_engine: AsyncEngine, tenant_tables: list[str]
) -> None:
    async with admin_engine.connect() as connection:
        without_tenant = list(
            (
                await connection.execute(
                    text(
                        """SELECT ix.relname
                           FROM pg_index i
                           JOIN pg_class c ON c.oid = i.indrelid
                           JOIN pg_class ix ON ix.oid = i.indexrelid
                           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
                           WHERE i.indisunique AND c.relname = ANY(:tables)
                             AND c.relnamespace = 'public'::regnamespace
                             AND NOT a.attnum = ANY(i.indkey::int2[])"""
                    ),
                    {"tables": tenant_tables},
                )
            ).scalars()
        )

    assert without_tenant == []


async def test_every_foreign_key_between_tenant_tables_includes_tenant_id(
    admin_engine: AsyncEngine, tenant_tables: list[str]
) -> None:
    async with admin_engine.connect() as connection:
        foreign_keys = (
            await connection.execute(
                text(
                    """SELECT con.conname, con.conkey, con.confkey,
                              src_tenant.attnum AS src_tenant, dst_tenant.attnum AS dst_tenant
                       FROM pg_constraint con
                       JOIN pg_class src ON src.oid = con.conrelid
                       JOIN pg_class dst ON dst.oid = con.confrelid
                       JOIN pg_attribute src_tenant
                         ON src_tenant.attrelid = src.oid AND src_tenant.attname = 'tenant_id'
                       JOIN pg_attribute dst_tenant
                         ON dst_tenant.attrelid = dst.oid AND dst_tenant.attname = 'tenant_id'
                       WHERE con.contype = 'f' AND src.relname = ANY(:tables) AND dst.relname = ANY(:tables)
                         AND src.relnamespace = 'public'::regnamespace
                         AND dst.relnamespace = 'public'::regnamespace"""
                ),
                {"tables": tenant_tables},
            )
        ).all()

    # tenant_id must pair with tenant_id: a key that crosses it could point into another tenant.
    crossing = [
        fk.conname
        for fk in foreign_keys
        if (fk.src_tenant, fk.dst_tenant) not in set(zip(fk.conkey, fk.confkey, strict=True))
    ]
    assert crossing == []
