"""The data entry bench's database: tenants with the data entry service, their users, and the agents keying.

Its own database, ``bo_bench_dataentry`` (``BO_BENCH_DATAENTRY_DB``), dropped
and made again from the migrations on every run, and its own Redis logical
database, 10 (``BO_BENCH_DATAENTRY_REDIS_DB``), flushed on every run: the
import job travels through it to the real worker the bench starts.

Tenants, accounts and memberships are the foundation bench's (``bench.seed``:
50 users per tenant, the first 10 client admins), so ``GET /api/v1/users`` is
measured on the same rows as there; the agents are provider staff with the
``data_entry`` skill serving every tenant. The record schema is made through
the API by the bench, as a client admin would.

For the export figure, ``seed_export_batch`` writes a batch of a million
accepted records straight into the tables as the owner, with set-based SQL:
the export is what is measured, not how the rows got there.
"""

from __future__ import annotations

import os
from uuid import UUID

from bench import config
from bench.database import BenchDatabase
from bench.seed import INSERT_ACCOUNTS, INSERT_MEMBERSHIPS, INSERT_TENANTS
from bo_saas.identity.passwords import hash_password

DB = BenchDatabase(
    name=os.environ.get("BO_BENCH_DATAENTRY_DB") or "bo_bench_dataentry",
    redis_db=int(os.environ.get("BO_BENCH_DATAENTRY_REDIS_DB") or "10"),
    data_dir=config.PROJECT_ROOT / ".data" / "bench-dataentry",
)
SKILL = "data_entry"


def agent_id(number: int) -> UUID:
    return config.md5_uuid(f"bench-dataentry-agent-{number}")


# $1 agents
_INSERT_AGENTS = """
    INSERT INTO accounts (id, email, name, status, staff_role)
    SELECT md5('bench-dataentry-agent-' || a)::uuid, 'agent' || a || '@dataentry.bench.example',
           'Keying Agent ' || a, 'active'::account_status, 'provider_agent'::role
    FROM generate_series(1, $1::int) AS a
"""
_INSERT_PROFILES = """
    INSERT INTO staff_profiles (account_id, capacity)
    SELECT md5('bench-dataentry-agent-' || a)::uuid, 1000 FROM generate_series(1, $1::int) AS a
"""
_INSERT_SKILLS = f"""
    INSERT INTO staff_skills (account_id, skill_code)
    SELECT md5('bench-dataentry-agent-' || a)::uuid, '{SKILL}' FROM generate_series(1, $1::int) AS a
"""
# $1 agents, $2 tenants: every agent serves every tenant.
_INSERT_ASSIGNMENTS = """
    INSERT INTO staff_assignments (tenant_id, account_id)
    SELECT md5('bench-tenant-' || t)::uuid, md5('bench-dataentry-agent-' || a)::uuid
    FROM generate_series(1, $1::int) AS a, generate_series(1, $2::int) AS t
"""


async def seed(*, tenants: int, agents: int, users: int = config.USERS_PER_TENANT) -> None:
    connection = await DB.connect_owner()
    try:
        async with connection.transaction():
            await connection.execute(INSERT_TENANTS, 1, tenants)
            await connection.execute("UPDATE tenants SET services = ARRAY['data_entry']")
            await connection.execute(INSERT_ACCOUNTS, 1, tenants, users, hash_password(config.PASSWORD))
            await connection.execute(INSERT_MEMBERSHIPS, 1, tenants, users, config.ADMINS_PER_TENANT)
            await connection.execute(_INSERT_AGENTS, agents)
            await connection.execute(_INSERT_PROFILES, agents)
            await connection.execute(_INSERT_SKILLS, agents)
            await connection.execute(_INSERT_ASSIGNMENTS, agents, tenants)
        await connection.execute("VACUUM (ANALYZE)")
    finally:
        await connection.close()


# $1 tenant, $2 schema id, $3 batch id, $4 records. Values as the import stores them (fields.py's JSON forms).
_INSERT_EXPORT_BATCH = """
    INSERT INTO data_entry_batches (tenant_id, id, schema_id, schema_code, status, filename, file_format,
                                    storage_key, sha256, size_bytes, columns, rows_total, rows_imported,
                                    created_at, updated_at, completed_at)
    SELECT $1, $3::uuid, $2, s.code, 'done', 'million.csv', 'csv', 'bench-not-stored',
           md5($3::uuid::text) || md5($3::uuid::text),
           0, '[]'::jsonb, $4, $4, now(), now(), now()
    FROM data_entry_schemas s WHERE s.tenant_id = $1 AND s.id = $2
"""
_INSERT_EXPORT_RECORDS = """
    INSERT INTO data_entry_records (tenant_id, id, batch_id, row_number, chunk_number, status, values, problems,
                                    updated_at)
    SELECT $1, gen_random_uuid(), $2, n, (n - 1) / 50 + 1, 'accepted',
           jsonb_build_object('full_name', 'Customer ' || n, 'age', 20 + n % 60,
                              'email', 'customer' || n || '@example.com', 'balance', (n % 100000)::text || '.25',
                              'joined', '2025-0' || (1 + n % 9) || '-1' || (n % 9), 'city',
                              (ARRAY['Riyadh', 'Jeddah', 'Dammam'])[1 + n % 3],
                              'note', CASE WHEN n % 10 = 0 THEN '=HYPERLINK("http://x.example")' ELSE 'ok' END),
           '{}'::jsonb, now()
    FROM generate_series($3::int, $4::int) AS n
"""


async def seed_export_batch(tenant: UUID, schema: UUID, batch: UUID, records: int, *, step: int = 200_000) -> None:
    """A done batch of ``records`` accepted records, written in steps (one transaction each) as the owner."""
    connection = await DB.connect_owner()
    try:
        await connection.execute(_INSERT_EXPORT_BATCH, tenant, schema, batch, records)
        for first in range(1, records + 1, step):
            await connection.execute(_INSERT_EXPORT_RECORDS, tenant, batch, first, min(records, first + step - 1))
        await connection.execute("VACUUM (ANALYZE) data_entry_records")
    finally:
        await connection.close()
