"""The work-queue bench's database: tenants, agents and work items, made with set-based SQL as the owner.

Everything lives in its own database, ``bo_bench_work`` (migrated like the app's),
so the bench never touches development, test or foundation-bench data. Ids are
derived from numbers (``md5('bench-work-…')::uuid``, the same digest in Python),
so the orchestrator knows every agent's id without asking the database.

Three data shapes, each replacing the work items of the one before:

- ``seed_queue``: N queued items across the tenants, by default 45%
  data_entry, 45% support and 10% bookkeeping (a skill no agent has), random priorities, queued in
  the last 10 minutes with first-response targets of 1–8 hours: every due time
  and warning is still ahead during a run, so the API's SLA sweeper finds
  nothing to do while the HTTP phase runs.
- ``requeue_claimed``: puts every claimed item back exactly as seeded (the
  claim columns and the warning the HTTP claim reschedules), drops the rows a
  claim adds, and vacuums, so every throughput run starts from the same queue.
- ``seed_open_items`` / ``seed_due_soon``: the breach phase's open items (queued
  and in progress) whose due times are hours or days away, then the few whose
  first response falls due within seconds.

Each item's SLA fields are what ``sla.clocks.start`` would have set for a
tenant without a calendar (round the clock, UTC): due = queued + target
minutes, warning at 75% of the first-response target.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from uuid import UUID

import asyncpg

from bench import config
from bo_saas.lib.migrate import migrate
from bo_saas.lib.settings import Settings

DATABASE = config.WORK_DATABASE  # bo_bench_work unless BO_BENCH_WORK_DB says otherwise
DATABASE_URL = f"postgresql+asyncpg://{config.RUNTIME_ROLE}@{config.HOST}:{config.PG_PORT}/{DATABASE}"
DATABASE_ADMIN_URL = f"postgresql+asyncpg://postgres@{config.HOST}:{config.PG_PORT}/{DATABASE}"
REDIS_URL = config.REDIS_URL  # logical database 12 (BO_BENCH_REDIS_DB), as the foundation bench; flushed per run
AGENT_SKILLS = ("data_entry", "support")
# The schema caps capacity at 1000 (staff_profiles_capacity); with the agent pool rotating, no agent gets near it.
AGENT_CAPACITY = 1000
WARNING_PERCENT = 75


def tenant_id(number: int) -> UUID:
    return config.md5_uuid(f"bench-work-tenant-{number}")


def agent_id(number: int) -> UUID:
    return config.md5_uuid(f"bench-work-agent-{number}")


def item_id(kind: str, number: int) -> UUID:
    """An item of the breach phase: ``kind`` is ``open-item`` or ``due-item`` (as in the SQL below)."""
    return config.md5_uuid(f"bench-work-{kind}-{number}")


def work_settings(**overrides) -> Settings:
    return config.bench_settings(
        database_url=DATABASE_URL,
        database_admin_url=DATABASE_ADMIN_URL,
        redis_url=REDIS_URL,
        data_dir=config.PROJECT_ROOT / ".data" / "bench-work",
        **overrides,
    )


def server_environment(*, log_level: str, rate_limit_per_minute: int) -> dict[str, str]:
    """The ``BO_*`` environment of an API server or worker on the work bench's database."""
    environment = config.server_environment(log_level=log_level, rate_limit_per_minute=rate_limit_per_minute)
    environment.update(
        BO_DATABASE_URL=DATABASE_URL,
        BO_DATABASE_ADMIN_URL=DATABASE_ADMIN_URL,
        BO_REDIS_URL=REDIS_URL,
        BO_DATA_DIR=str(config.PROJECT_ROOT / ".data" / "bench-work"),
    )
    return environment


def prepare_database(echo=print) -> None:
    """Drop ``bo_bench_work`` and make it again from the migrations, with the runtime role ready.

    A fresh database every run: the schema is the migrations' as they are now, and nothing a
    previous run left behind (a diagnostic's policy, bloat, statistics) carries over.
    """
    asyncio.run(_drop_database())
    migrate(work_settings(), echo=echo)


async def _drop_database() -> None:
    connection = await asyncpg.connect(host=config.HOST, port=config.PG_PORT, user="postgres", database="postgres")
    try:
        # FORCE: a worker or server left over from an interrupted run must not keep the old one alive.
        await connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    finally:
        await connection.close()


async def connect_owner() -> asyncpg.Connection:
    return await asyncpg.connect(
        host=config.HOST, port=config.PG_PORT, user="postgres", database=DATABASE, command_timeout=600
    )


async def connect_runtime() -> asyncpg.Connection:
    return await asyncpg.connect(host=config.HOST, port=config.PG_PORT, user=config.RUNTIME_ROLE, database=DATABASE)


# --- tenants and agents ------------------------------------------------------------------------

# $1 tenants
INSERT_TENANTS = """
    INSERT INTO tenants (id, slug, name, plan_code, timezone, services)
    SELECT md5('bench-work-tenant-' || t)::uuid, 'work-' || lpad(t::text, 4, '0'), 'Work Bench Tenant ' || t,
           'growth', 'UTC', ARRAY['data_entry', 'bookkeeping', 'support']
    FROM generate_series(1, $1::int) AS t
"""
# $1 agents
_INSERT_AGENT_ACCOUNTS = """
    INSERT INTO accounts (id, email, name, status, staff_role)
    SELECT md5('bench-work-agent-' || a)::uuid, 'agent' || a || '@work.bench.example', 'Bench Agent ' || a,
           'active'::account_status, 'provider_agent'::role
    FROM generate_series(1, $1::int) AS a
"""
# $1 agents, $2 capacity
_INSERT_AGENT_PROFILES = """
    INSERT INTO staff_profiles (account_id, capacity)
    SELECT md5('bench-work-agent-' || a)::uuid, $2::int FROM generate_series(1, $1::int) AS a
"""
# $1 agents, $2 skills
_INSERT_AGENT_SKILLS = """
    INSERT INTO staff_skills (account_id, skill_code)
    SELECT md5('bench-work-agent-' || a)::uuid, skill FROM generate_series(1, $1::int) AS a, unnest($2::text[]) AS skill
"""
# $1 agents, $2 tenants: every agent serves every tenant.
_INSERT_AGENT_ASSIGNMENTS = """
    INSERT INTO staff_assignments (tenant_id, account_id)
    SELECT md5('bench-work-tenant-' || t)::uuid, md5('bench-work-agent-' || a)::uuid
    FROM generate_series(1, $1::int) AS a, generate_series(1, $2::int) AS t
"""


async def seed_staff(connection: asyncpg.Connection, *, tenants: int, agents: int) -> None:
    """Empty the bench database's tenants and accounts, then make the tenants and the agents serving all of them."""
    async with connection.transaction():
        await connection.execute("TRUNCATE tenants, accounts, outbox_messages, processed_messages CASCADE")
        await connection.execute(INSERT_TENANTS, tenants)
        await connection.execute(_INSERT_AGENT_ACCOUNTS, agents)
        await connection.execute(_INSERT_AGENT_PROFILES, agents, AGENT_CAPACITY)
        await connection.execute(_INSERT_AGENT_SKILLS, agents, list(AGENT_SKILLS))
        await connection.execute(_INSERT_AGENT_ASSIGNMENTS, agents, tenants)
    await connection.execute("VACUUM (ANALYZE) tenants, accounts, staff_profiles, staff_skills, staff_assignments")


# --- the queue of the throughput phases ---------------------------------------------------------

# The warning a seeded item has pending: its first response's, at 75% of the target.
_SEEDED_WARNING = f"queued_at + sla_first_response_minutes * {WARNING_PERCENT / 100} * interval '1 minute'"

# $1 items, $2 tenants, $3 now, $4 the share of bookkeeping items (a skill no agent has); the rest is
# data_entry and support, half each. Random draws in a subquery so one item's columns agree with each other.
_INSERT_QUEUED_ITEMS = f"""
    INSERT INTO work_items (
        tenant_id, id, service_type, skill_code, title, payload, priority, state, queued_at,
        sla_first_response_minutes, sla_resolution_minutes, sla_warning_percent,
        first_response_due_at, resolution_due_at, warning_due_at, resolution_running_since, sla_status,
        created_at, updated_at)
    SELECT md5('bench-work-tenant-' || (1 + n % $2::int))::uuid, md5('bench-work-item-' || n)::uuid,
           skill, skill, 'Bench item ' || n, '{{}}'::jsonb, priority, 'queued', queued_at,
           first_minutes, 4 * first_minutes, {WARNING_PERCENT},
           queued_at + first_minutes * interval '1 minute', queued_at + 4 * first_minutes * interval '1 minute',
           queued_at + first_minutes * {WARNING_PERCENT / 100} * interval '1 minute', queued_at, 'ok',
           queued_at, queued_at
    FROM (
        SELECT n,
               CASE WHEN r < $4::float THEN 'bookkeeping' WHEN r < (1 + $4::float) / 2 THEN 'data_entry'
                    ELSE 'support' END AS skill,
               (ARRAY['low', 'normal', 'high', 'urgent'])[1 + floor(random() * 4)::int]::work_priority AS priority,
               $3::timestamptz - random() * interval '10 minutes' AS queued_at,
               60 + floor(random() * 421)::int AS first_minutes
        FROM (SELECT n, random() AS r FROM generate_series(1, $1::int) AS n) AS draws
    ) AS item
"""


async def seed_queue(
    connection: asyncpg.Connection, *, items: int, tenants: int, now: datetime, unskilled_share: float
) -> None:
    """Replace all work items by ``items`` queued ones (the same ones for the same arguments and ``now``)."""
    async with connection.transaction():
        await connection.execute("TRUNCATE work_items, outbox_messages, processed_messages CASCADE")
        await connection.execute("SELECT setseed(0.5)")  # the same draws every run
        await connection.execute(_INSERT_QUEUED_ITEMS, items, tenants, now, unskilled_share)
    await connection.execute("VACUUM (ANALYZE) work_items")


async def requeue_claimed(connection: asyncpg.Connection) -> int:
    """Put every claimed item back as seeded and vacuum; how many were claimed."""
    async with connection.transaction():
        claimed = await connection.fetchval("SELECT count(*) FROM work_items WHERE state <> 'queued'")
        await connection.execute(
            f"""UPDATE work_items
                SET state = 'queued', assignee_id = NULL, started_at = NULL, first_responded_at = NULL,
                    warning_due_at = {_SEEDED_WARNING}, updated_at = queued_at
                WHERE state <> 'queued'"""
        )
        # What the HTTP claim adds beside the item: its history row and its timer's outbox row.
        await connection.execute("TRUNCATE work_item_transitions, outbox_messages, processed_messages")
    await connection.execute("VACUUM (ANALYZE) work_items")
    return claimed


# --- the open items of the breach phase ---------------------------------------------------------

# $1 items, $2 tenants, $3 agents, $4 now, $5 share in progress. Due hours to days ahead: queued
# items' first response 2 hours to 3 days after queueing (resolution 4×, warning at 75%), in-progress
# items claimed a minute after queueing, their resolution warning and due time hours ahead.
_INSERT_OPEN_ITEMS = f"""
    INSERT INTO work_items (
        tenant_id, id, service_type, skill_code, title, payload, priority, state, queued_at,
        assignee_id, started_at, first_responded_at,
        sla_first_response_minutes, sla_resolution_minutes, sla_warning_percent,
        first_response_due_at, resolution_due_at, warning_due_at, resolution_running_since, sla_status,
        created_at, updated_at)
    SELECT md5('bench-work-tenant-' || (1 + n % $2::int))::uuid, md5('bench-work-open-item-' || n)::uuid,
           'data_entry', 'data_entry', 'Open bench item ' || n, '{{}}'::jsonb, 'normal',
           (CASE WHEN in_progress THEN 'in_progress' ELSE 'queued' END)::work_state, queued_at,
           CASE WHEN in_progress THEN md5('bench-work-agent-' || (1 + n % $3::int))::uuid END,
           CASE WHEN in_progress THEN queued_at + interval '1 minute' END,
           CASE WHEN in_progress THEN queued_at + interval '1 minute' END,
           first_minutes, 4 * first_minutes, {WARNING_PERCENT},
           queued_at + first_minutes * interval '1 minute', queued_at + 4 * first_minutes * interval '1 minute',
           queued_at + CASE WHEN in_progress THEN 4 ELSE 1 END * first_minutes * {WARNING_PERCENT / 100}
                       * interval '1 minute',
           queued_at, 'ok', queued_at, queued_at
    FROM (
        SELECT n, random() < $5::float AS in_progress,
               $4::timestamptz - random() * interval '30 minutes' AS queued_at,
               120 + floor(random() * (3 * 24 * 60 - 120))::int AS first_minutes
        FROM generate_series(1, $1::int) AS n
    ) AS draws
"""

# $1 items, $2 tenants, $3 window start, $4 window seconds, $5 first-response minutes. Queued, their
# first response due at a uniformly random instant of the window; its warning (75%) already sent,
# the resolution's warning and due time hours ahead.
_INSERT_DUE_SOON_ITEMS = f"""
    INSERT INTO work_items (
        tenant_id, id, service_type, skill_code, title, payload, priority, state, queued_at,
        sla_first_response_minutes, sla_resolution_minutes, sla_warning_percent,
        first_response_due_at, resolution_due_at, warning_due_at, resolution_running_since,
        first_response_warned_at, sla_status, created_at, updated_at)
    SELECT md5('bench-work-tenant-' || (1 + n % $2::int))::uuid, md5('bench-work-due-item-' || n)::uuid,
           'support', 'support', 'Due-soon bench item ' || n, '{{}}'::jsonb, 'high', 'queued', queued_at,
           $5::int, 8 * $5::int, {WARNING_PERCENT},
           due_at, queued_at + 8 * $5::int * interval '1 minute',
           queued_at + 8 * $5::int * {WARNING_PERCENT / 100} * interval '1 minute', queued_at,
           queued_at + $5::int * {WARNING_PERCENT / 100} * interval '1 minute', 'warning', queued_at, queued_at
    FROM (
        SELECT n, due_at, due_at - $5::int * interval '1 minute' AS queued_at
        FROM (SELECT n, $3::timestamptz + random() * $4::float * interval '1 second' AS due_at
              FROM generate_series(1, $1::int) AS n) AS draws
    ) AS item
"""
DUE_SOON_FIRST_RESPONSE_MINUTES = 60


async def seed_open_items(
    connection: asyncpg.Connection, *, items: int, tenants: int, agents: int, now: datetime, in_progress_share: float
) -> None:
    """Replace all work items by ``items`` open ones, nothing due for hours."""
    async with connection.transaction():
        await connection.execute("TRUNCATE work_items, outbox_messages, processed_messages CASCADE")
        await connection.execute("SELECT setseed(0.25)")
        await connection.execute(_INSERT_OPEN_ITEMS, items, tenants, agents, now, in_progress_share)
    await connection.execute("VACUUM (ANALYZE) work_items")


async def seed_due_soon(
    connection: asyncpg.Connection, *, items: int, tenants: int, window_start: datetime, window_seconds: float
) -> None:
    """Add ``items`` queued items whose first response falls due in [window_start, window_start + seconds)."""
    await connection.execute(
        _INSERT_DUE_SOON_ITEMS, items, tenants, window_start, window_seconds, DUE_SOON_FIRST_RESPONSE_MINUTES
    )
