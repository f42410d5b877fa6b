"""Seed the bench database with N tenants × 50 client users, fast, with set-based SQL.

``python -m bench.seed 10000`` grows (or shrinks) the bench data to 10,000
tenants. Growing inserts only the missing tenants; shrinking empties the bench
tables and seeds again (faster than deleting rows one tenant at a time). Rows
are derived from the tenant and user numbers, so seeding is idempotent.

Runs as the admin role (a superuser, so RLS does not stand in the way); every
person gets one precomputed password hash instead of an argon2 call per row.

The first tenants (``--work-item-tenants``, 100 by default: those of the
foundation bench's first phase) also get 60 work items each for the
``GET /api/v1/work-items`` pair, made again on every seed so that their SLA
clocks start now: due 30 days on, nothing for the server's SLA sweeper to do.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

from bench import config
from bo_saas.identity.passwords import hash_password
from bo_saas.lib.migrate import migrate

_COUNT_TENANTS = "SELECT count(*) FROM tenants WHERE slug LIKE 'bench-%'"
_SEEDED_SHAPE = """
    SELECT count(*), count(*) FILTER (WHERE role = 'client_admin')
    FROM memberships WHERE tenant_id = md5('bench-tenant-1')::uuid
"""
_FOREIGN_TENANTS = "SELECT count(*) FROM tenants WHERE slug NOT LIKE 'bench-%'"

# $1..$2: tenant numbers to add.
INSERT_TENANTS = """
    INSERT INTO tenants (id, slug, name, plan_code, timezone, services)
    SELECT md5('bench-tenant-' || t)::uuid, 'bench-' || lpad(t::text, 5, '0'), 'Bench Tenant ' || t,
           'growth', 'UTC', ARRAY['support']
    FROM generate_series($1::int, $2::int) AS t
    ON CONFLICT DO NOTHING
"""
# $3: users per tenant, $4: the shared password hash.
INSERT_ACCOUNTS = """
    INSERT INTO accounts (id, email, name, password_hash, status)
    SELECT md5('bench-account-' || t || '-' || u)::uuid, 'user' || u || '@t' || t || '.bench.example',
           'Bench User ' || t || '.' || u, $4::text, 'active'::account_status
    FROM generate_series($1::int, $2::int) AS t, generate_series(1, $3::int) AS u
    ON CONFLICT DO NOTHING
"""
# $4: how many of each tenant's users are client admins. created_at differs per user so
# the list's ORDER BY created_at has real work to do.
INSERT_MEMBERSHIPS = """
    INSERT INTO memberships (tenant_id, account_id, role, created_at, updated_at)
    SELECT md5('bench-tenant-' || t)::uuid, md5('bench-account-' || t || '-' || u)::uuid,
           (CASE WHEN u <= $4::int THEN 'client_admin' ELSE 'client_member' END)::role,
           timestamptz '2026-01-01 00:00:00+00' + t * interval '1 second' + u * interval '1 minute',
           timestamptz '2026-01-01 00:00:00+00' + t * interval '1 second' + u * interval '1 minute'
    FROM generate_series($1::int, $2::int) AS t, generate_series(1, $3::int) AS u
    ON CONFLICT DO NOTHING
"""


WORK_ITEMS_PER_TENANT = 60  # more than a page of 50, so the list counts past its page
# $1..$2: tenant numbers, $3 items per tenant, $4 users per tenant, $5 admins per tenant (requesters are the
# members), $6 now. One item in ten is still new (no SLA yet), one in ten cancelled (its clock banked and
# stopped), the rest queued with their resolution clock running; the first response due in 30 days.
_INSERT_WORK_ITEMS = """
    INSERT INTO work_items (
        tenant_id, id, service_type, skill_code, title, payload, priority, state, requester_id, shared,
        queued_at, closed_at, sla_first_response_minutes, sla_resolution_minutes, sla_warning_percent,
        first_response_due_at, resolution_due_at, warning_due_at, resolution_minutes_banked,
        resolution_running_since, sla_status, created_at, updated_at)
    SELECT md5('bench-tenant-' || t)::uuid, md5('bench-item-' || t || '-' || i)::uuid, 'support', 'support',
           'Bench request ' || t || '.' || i, jsonb_build_object('reference', 'REF-' || t || '-' || i, 'lines', i % 7),
           (ARRAY['low', 'normal', 'high', 'urgent'])[1 + i % 4]::work_priority, state::work_state,
           md5('bench-account-' || t || '-' || ($5::int + 1 + i % ($4::int - $5::int)))::uuid, i % 3 = 0,
           CASE WHEN state <> 'new' THEN created END,
           CASE WHEN state = 'cancelled' THEN created + interval '5 minutes' END,
           CASE WHEN state <> 'new' THEN 43200 END, CASE WHEN state <> 'new' THEN 172800 END,
           CASE WHEN state <> 'new' THEN 75 END,
           CASE WHEN state <> 'new' THEN created + interval '30 days' END,
           CASE WHEN state <> 'new' THEN created + interval '120 days' END,
           CASE WHEN state = 'queued' THEN created + interval '22.5 days' END,
           CASE WHEN state = 'cancelled' THEN 5.0 ELSE 0.0 END,
           CASE WHEN state = 'queued' THEN created END,
           'ok'::sla_status, created, created
    FROM (
        SELECT t, i, $6::timestamptz - interval '1 hour' + i * interval '10 seconds' + t * interval '1 ms' AS created,
               CASE i % 10 WHEN 0 THEN 'new' WHEN 9 THEN 'cancelled' ELSE 'queued' END AS state
        FROM generate_series($1::int, $2::int) AS t, generate_series(1, $3::int) AS i
    ) AS draws
"""


@dataclass(frozen=True)
class SeedResult:
    tenants: int
    users_per_tenant: int
    added_tenants: int
    seconds: float


def prepare_database(echo=print) -> None:
    """Create and migrate ``bo_bench`` (idempotent), with the runtime role ready."""
    migrate(config.bench_settings(), echo=echo)


async def _connect() -> asyncpg.Connection:
    return await asyncpg.connect(
        host=config.HOST, port=config.PG_PORT, user="postgres", database=config.DATABASE, command_timeout=300
    )


async def seed_async(
    target: int, *, users: int = config.USERS_PER_TENANT, work_item_tenants: int = 0, echo=print
) -> SeedResult:
    started = time.perf_counter()
    connection = await _connect()
    try:
        if await connection.fetchval(_FOREIGN_TENANTS):
            raise SystemExit(f"{config.DATABASE} holds tenants the bench did not make; refusing to touch it")
        current = await connection.fetchval(_COUNT_TENANTS)
        shape = tuple(await connection.fetchrow(_SEEDED_SHAPE))
        if current and (current > target or shape != (users, min(users, config.ADMINS_PER_TENANT))):
            echo(f"seed: emptying {current} bench tenants to reseed {target}")
            await connection.execute("TRUNCATE tenants, accounts CASCADE")
            current = 0
        if current < target:
            password_hash = hash_password(config.PASSWORD)  # once, not per row
            async with connection.transaction():
                await connection.execute(INSERT_TENANTS, current + 1, target)
                await connection.execute(INSERT_ACCOUNTS, current + 1, target, users, password_hash)
                await connection.execute(INSERT_MEMBERSHIPS, current + 1, target, users, config.ADMINS_PER_TENANT)
            # Fresh statistics and hint bits, so the plans and page reads measured are the steady state.
            await connection.execute("VACUUM (ANALYZE) tenants, accounts, memberships")
        if work_item_tenants:
            await seed_work_items(connection, min(target, work_item_tenants), users)
        seconds = time.perf_counter() - started
        echo(f"seed: {target} tenants × {users} users ({target - current} tenants added) in {seconds:.1f} s")
        return SeedResult(tenants=target, users_per_tenant=users, added_tenants=target - current, seconds=seconds)
    finally:
        await connection.close()


async def seed_work_items(connection: asyncpg.Connection, tenants: int, users: int) -> None:
    """Every bench work item made again: ``WORK_ITEMS_PER_TENANT`` for each of the first ``tenants``, as of now."""
    async with connection.transaction():
        await connection.execute("TRUNCATE work_items CASCADE")
        await connection.execute(
            _INSERT_WORK_ITEMS, 1, tenants, WORK_ITEMS_PER_TENANT, users, config.ADMINS_PER_TENANT, datetime.now(UTC)
        )
    await connection.execute("VACUUM (ANALYZE) work_items")


def seed(target: int, *, users: int = config.USERS_PER_TENANT, work_item_tenants: int = 0, echo=print) -> SeedResult:
    return asyncio.run(seed_async(target, users=users, work_item_tenants=work_item_tenants, echo=echo))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tenants", type=int, help="target number of bench tenants")
    parser.add_argument("--users", type=int, default=config.USERS_PER_TENANT, help="client users per tenant")
    parser.add_argument(
        "--work-item-tenants", type=int, default=100, help=f"the first tenants get {WORK_ITEMS_PER_TENANT} work items"
    )
    args = parser.parse_args()
    prepare_database()
    seed(args.tenants, users=args.users, work_item_tenants=args.work_item_tenants)


if __name__ == "__main__":
    main()
