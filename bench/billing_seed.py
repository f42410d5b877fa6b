"""The billing bench's database: many subscribed tenants, each with a month of usage, seats and a billing profile.

Its own database, ``bo_bench_billing`` (``BO_BENCH_BILLING_DB``), dropped and
made again from the migrations on every run (migration 0012 brings the plans'
first versions). Written as the owner with set-based SQL, so the run measures
billing, not seeding:

- tenants (``bench.seed``'s, on the growth plan, time zones spread over UTC,
  Riyadh and New York so periods end at different instants), each with
  ``users`` client users (growth includes 5 seats: the rest are billed);
- one active subscription each on growth v1 since January, as 0012 starts them;
- every meter of growth with ``rows_per_meter`` usage rows over November 2026,
  quantities chosen so some tenants pass the included units and reach tiers;
- a billing profile with tax on every other tenant, a one-off charge on one
  in a hundred.

``finish_items`` makes the items whose finishing is timed with and without
usage: in progress, half of a custom service type (earns ``work.items``), half
of ``hr`` (no desk yet, no meter: earns nothing).
"""

from __future__ import annotations

import os
from uuid import UUID

from bench import config
from bench.database import BenchDatabase
from bench.seed import INSERT_ACCOUNTS, INSERT_MEMBERSHIPS
from bo_saas.identity.passwords import hash_password

DB = BenchDatabase(
    name=os.environ.get("BO_BENCH_BILLING_DB") or "bo_bench_billing",
    redis_db=int(os.environ.get("BO_BENCH_BILLING_REDIS_DB") or "11"),
    data_dir=config.PROJECT_ROOT / ".data" / "bench-billing",
)
PERIOD = "2026-11"
CUSTOM_SERVICE = "bench_custom"

# $1 tenants
_INSERT_TENANTS = """
    INSERT INTO tenants (id, slug, name, plan_code, timezone, services)
    SELECT md5('bench-tenant-' || t)::uuid, 'bench-' || lpad(t::text, 5, '0'), 'Bench Tenant ' || t, 'growth',
           (ARRAY['UTC', 'Asia/Riyadh', 'America/New_York'])[1 + t % 3], ARRAY['support', 'data_entry']
    FROM generate_series(1, $1::int) AS t
"""
_INSERT_SUBSCRIPTIONS = """
    INSERT INTO subscriptions (tenant_id, id, plan_version_id, status, started_at, current_period_start)
    SELECT t.id, gen_random_uuid(), v.id, 'active', timestamptz '2026-01-01 00:00+00', timestamptz '2026-12-01 00:00+00'
    FROM tenants t JOIN plan_versions v ON v.plan_code = t.plan_code AND v.version = 1
"""
# $1 rows per meter: each tenant's November, every meter growth v1 has; tenant t uses (t % 7) times as much.
_INSERT_USAGE = """
    INSERT INTO usage_records (tenant_id, id, meter, quantity, idempotency_key, occurred_at)
    SELECT t.id, gen_random_uuid(), m.code, 1 + (r * 7 + hashtext(t.id::text) % 7 + 7) % 60,
           'bench:' || m.code || ':' || r, timestamptz '2026-11-02 00:00+00' + r * interval '11 hours'
    FROM tenants t
    CROSS JOIN (SELECT jsonb_array_elements(definition -> 'meters') ->> 'code' AS code
                FROM plan_versions WHERE plan_code = 'growth' AND version = 1) AS m
    CROSS JOIN generate_series(1, $1::int) AS r
"""
_INSERT_PROFILES = """
    INSERT INTO billing_profiles (tenant_id, legal_name, address, country, billing_email, tax_rate_bp, invoice_language,
                                  created_at, updated_at)
    SELECT id, name || ' LLC', '1 Bench Street', 'SA', 'billing@' || slug || '.bench.example', 1500, 'en', now(), now()
    FROM tenants WHERE hashtext(id::text) % 2 = 0
"""
_INSERT_CHARGES = f"""
    INSERT INTO one_off_charges (tenant_id, id, period, description, amount, currency, created_at, updated_at)
    SELECT id, gen_random_uuid(), '{PERIOD}', 'Onboarding session', 25000, 'USD', now(), now()
    FROM tenants WHERE hashtext(id::text) % 100 = 0
"""


async def seed(tenants: int, users: int, rows_per_meter: int) -> dict[str, int]:
    connection = await DB.connect_owner()
    try:
        async with connection.transaction():
            await connection.execute(_INSERT_TENANTS, tenants)
            await connection.execute(INSERT_ACCOUNTS, 1, tenants, users, hash_password("bench-password"))
            await connection.execute(INSERT_MEMBERSHIPS, 1, tenants, users, config.ADMINS_PER_TENANT)
            await connection.execute(_INSERT_SUBSCRIPTIONS)
            await connection.execute(_INSERT_USAGE, rows_per_meter)
            await connection.execute(_INSERT_PROFILES)
            await connection.execute(_INSERT_CHARGES)
        await connection.execute("VACUUM (ANALYZE)")
        counts = {}
        for table in (
            "tenants",
            "memberships",
            "subscriptions",
            "usage_records",
            "billing_profiles",
            "one_off_charges",
        ):
            counts[table] = await connection.fetchval(f"SELECT count(*) FROM {table}")
        return counts
    finally:
        await connection.close()


def _tenant_id() -> UUID:
    return config.md5_uuid("bench-tenant-1")


# $1 tenant, $2 items of each kind: in progress, assigned to nobody in particular (the system finishes them).
_INSERT_ITEMS = """
    INSERT INTO work_items (tenant_id, id, service_type, skill_code, title, state, priority, payload, created_at,
                            updated_at, queued_at, started_at)
    SELECT $1::uuid, md5('bench-finish-' || kind || '-' || n)::uuid, kind, 'data_entry', 'Finish ' || n,
           'in_progress', 'normal', '{}'::jsonb, now(), now(), now(), now()
    FROM generate_series(1, $2::int) AS n, unnest(ARRAY[$3::text, 'hr']) AS kind
"""


async def finish_items(count: int) -> tuple[UUID, list[UUID], list[UUID]]:
    """``count`` items that earn usage when done and ``count`` that earn none, all of tenant 1, in progress."""
    tenant = _tenant_id()
    connection = await DB.connect_owner()
    try:
        await connection.execute(
            "INSERT INTO custom_service_types (tenant_id, code, name, skill_code, form_schema, created_at, updated_at)"
            " VALUES ($1, $2, 'Bench custom', 'data_entry', '[]', now(), now())",
            tenant,
            CUSTOM_SERVICE,
        )
        await connection.execute(_INSERT_ITEMS, tenant, count, CUSTOM_SERVICE)
        await connection.execute("VACUUM (ANALYZE) work_items")
    finally:
        await connection.close()
    earning = [config.md5_uuid(f"bench-finish-{CUSTOM_SERVICE}-{n}") for n in range(1, count + 1)]
    silent = [config.md5_uuid(f"bench-finish-hr-{n}") for n in range(1, count + 1)]
    return tenant, earning, silent
