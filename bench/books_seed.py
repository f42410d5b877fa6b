"""The books bench's database: tenants with the bookkeeping service, their users, a bookkeeper, and a big ledger.

Its own database, ``bo_bench_books`` (``BO_BENCH_BOOKS_DB``), dropped and made
again from the migrations on every run, and Redis logical database 13
(``BO_BENCH_BOOKS_REDIS_DB``). Tenants, accounts and memberships are the
foundation bench's (``bench.seed``), so ``GET /api/v1/users`` is measured on
the same rows as there.

``seed_ledger`` writes a million posted journal lines straight into the tables
as the owner, with set-based SQL and the row triggers off (``session_replication_role
= replica``: checking a million lines one by one is not what is measured), then
fills the per-month balances with the migration's own backfill statement: the
trial balance over them is what is measured, not how the rows got there.
``seed_drafts`` writes balanced drafts for the posting phase to post.
"""

from __future__ import annotations

import os
from uuid import UUID

from bench import config
from bench.database import BenchDatabase
from bench.seed import INSERT_ACCOUNTS, INSERT_MEMBERSHIPS, INSERT_TENANTS
from bo_saas.identity.passwords import hash_password

DB = BenchDatabase(
    name=os.environ.get("BO_BENCH_BOOKS_DB") or "bo_bench_books",
    redis_db=int(os.environ.get("BO_BENCH_BOOKS_REDIS_DB") or "13"),
    data_dir=config.PROJECT_ROOT / ".data" / "bench-books",
)
AGENT_ID = config.md5_uuid("bench-books-agent")
LINES_PER_ENTRY = 10

_AGENT = """
    INSERT INTO accounts (id, email, name, status, staff_role)
    VALUES ($1, 'keeper@books.bench.example', 'Bench Bookkeeper', 'active'::account_status, 'provider_agent'::role)
"""

# $1 tenant, $2 entries, $3 first entry number: drafts, then their lines (alternating debit/credit over
# the chart's accounts, 24 months of 2025-2026), then posted with numbers; triggers are off for this session.
_LEDGER = [
    """INSERT INTO journal_entries (tenant_id, id, entry_date, memo, status, fiscal_year, number, posted_at)
       SELECT $1::uuid, md5($1::text || '-entry-' || n)::uuid,
              date '2025-01-01' + ((n * 7) % 730), 'bench', 'posted',
              extract(year FROM date '2025-01-01' + ((n * 7) % 730))::int, $3::int + n, now()
       FROM generate_series(1, $2::int) AS n""",
    """INSERT INTO journal_lines (tenant_id, entry_id, line_number, account_id, debit, credit)
       SELECT $1::uuid, md5($1::text || '-entry-' || n)::uuid, l,
              ($3::uuid[])[1 + (n + l) % array_length($3::uuid[], 1)],
              CASE WHEN l % 2 = 1 THEN 100 + n % 997 ELSE 0 END,
              CASE WHEN l % 2 = 0 THEN 100 + n % 997 ELSE 0 END
       FROM generate_series(1, $2::int) AS n, generate_series(1, 10) AS l""",
]
_ACCOUNT_IDS = "SELECT id FROM book_accounts WHERE tenant_id = $1 ORDER BY code"

_DRAFTS = [
    """INSERT INTO journal_entries (tenant_id, id, entry_date, memo, status)
       SELECT $1::uuid, md5($1::text || '-draft-' || n)::uuid, date '2026-11-15', 'bench draft', 'draft'
       FROM generate_series(1, $2::int) AS n""",
    """INSERT INTO journal_lines (tenant_id, entry_id, line_number, account_id, debit, credit)
       SELECT $1::uuid, md5($1::text || '-draft-' || n)::uuid, l, CASE WHEN l = 1 THEN $3::uuid ELSE $4::uuid END,
              CASE WHEN l = 1 THEN 1000 + n ELSE 0 END, CASE WHEN l = 2 THEN 1000 + n ELSE 0 END
       FROM generate_series(1, $2::int) AS n, generate_series(1, 2) AS l""",
]


def draft_id(tenant: UUID, n: int) -> UUID:
    return config.md5_uuid(f"{tenant}-draft-{n}")


async def seed(*, tenants: int, users: int = config.USERS_PER_TENANT) -> None:
    connection = await DB.connect_owner()
    try:
        async with connection.transaction():
            await connection.execute(INSERT_TENANTS, 1, tenants)
            await connection.execute("UPDATE tenants SET services = ARRAY['bookkeeping']")
            await connection.execute(INSERT_ACCOUNTS, 1, tenants, users, hash_password(config.PASSWORD))
            await connection.execute(INSERT_MEMBERSHIPS, 1, tenants, users, config.ADMINS_PER_TENANT)
            await connection.execute(_AGENT, AGENT_ID)
            await connection.execute("INSERT INTO staff_profiles (account_id, capacity) VALUES ($1, 1000)", AGENT_ID)
            await connection.execute(
                "INSERT INTO staff_skills (account_id, skill_code) VALUES ($1, 'bookkeeping')", AGENT_ID
            )
            await connection.execute(
                "INSERT INTO staff_assignments (tenant_id, account_id) "
                "SELECT md5('bench-tenant-' || t)::uuid, $1 FROM generate_series(1, $2::int) AS t",
                AGENT_ID, tenants,
            )  # fmt: skip
    finally:
        await connection.close()


async def seed_ledger(tenant: UUID, lines: int) -> None:
    """``lines`` posted lines (10 per entry) over 2025-2026 in ``tenant``'s books, and their monthly balances."""
    connection = await DB.connect_owner(command_timeout=1800)
    try:
        async with connection.transaction():
            await connection.execute("SET LOCAL session_replication_role = replica")
            accounts = [row["id"] for row in await connection.fetch(_ACCOUNT_IDS, tenant)]
            await connection.execute(_LEDGER[0], tenant, lines // LINES_PER_ENTRY, 0)
            await connection.execute(_LEDGER[1], tenant, lines // LINES_PER_ENTRY, accounts)
            await connection.execute(
                "INSERT INTO journal_counters (tenant_id, fiscal_year, last_number) "
                "VALUES ($1, 2025, $2), ($1, 2026, $2)",
                tenant, lines // LINES_PER_ENTRY,
            )  # fmt: skip
            await connection.execute(_BACKFILL, tenant)
        await connection.execute("VACUUM (ANALYZE)")
    finally:
        await connection.close()


_BACKFILL = """
INSERT INTO book_balances (tenant_id, account_id, month, debit, credit)
SELECT l.tenant_id, l.account_id, date_trunc('month', e.entry_date)::date, sum(l.debit), sum(l.credit)
  FROM journal_lines l JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
 WHERE e.status = 'posted' AND l.tenant_id = $1
 GROUP BY 1, 2, 3
"""


async def seed_drafts(tenant: UUID, drafts: int) -> None:
    connection = await DB.connect_owner()
    try:
        accounts = [row["id"] for row in await connection.fetch(_ACCOUNT_IDS, tenant)]
        async with connection.transaction():
            await connection.execute(_DRAFTS[0], tenant, drafts)
            await connection.execute(_DRAFTS[1], tenant, drafts, accounts[0], accounts[-1])
    finally:
        await connection.close()
