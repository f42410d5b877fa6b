"""The support bench's database: tenants with a support channel each, their users, and the agents serving them.

Its own database, ``bo_bench_support`` (``BO_BENCH_SUPPORT_DB``), dropped and made
again from the migrations on every run, and its own Redis logical database, 9
(``BO_BENCH_SUPPORT_REDIS_DB``), flushed on every run: the outbox relays the
acknowledgements' and replies' sending jobs there, and no worker sends them.

Seeded with set-based SQL as the owner, the foundation bench's way
(``bench.seed``'s statements for tenants, accounts and memberships: 50 users
per tenant, the first 10 client admins), plus what the desk needs: agents
(provider staff with the ``support`` skill, assigned to every tenant) and one
channel per tenant whose secret is known to the bench and sealed the way the
app seals it (``lib.sealed`` with the bench's signing key), so the server can
verify what the bench signs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from uuid import UUID

from bench import config
from bench.database import BenchDatabase
from bench.seed import INSERT_ACCOUNTS, INSERT_MEMBERSHIPS, INSERT_TENANTS
from bo_saas.identity.passwords import hash_password
from bo_saas.lib.sealed import seal

DB = BenchDatabase(
    name=os.environ.get("BO_BENCH_SUPPORT_DB") or "bo_bench_support",
    redis_db=int(os.environ.get("BO_BENCH_SUPPORT_REDIS_DB") or "9"),
    data_dir=config.PROJECT_ROOT / ".data" / "bench-support",
)


@dataclass(frozen=True)
class Channel:
    tenant_number: int
    tenant_id: UUID
    id: UUID
    address: str  # where customers write
    from_address: str  # what our mail comes from
    secret: str  # the inbound endpoint's HMAC key, in clear (the bench signs with it)


def tenant_id(number: int) -> UUID:
    return config.tenant_id(number)  # bench.seed's tenants: md5('bench-tenant-N')


def agent_id(number: int) -> UUID:
    return config.md5_uuid(f"bench-support-agent-{number}")


def channel_id(tenant_number: int) -> UUID:
    return config.md5_uuid(f"bench-support-channel-{tenant_number}")


# $1 agents
_INSERT_AGENTS = """
    INSERT INTO accounts (id, email, name, status, staff_role)
    SELECT md5('bench-support-agent-' || a)::uuid, 'agent' || a || '@support.bench.example', 'Support Agent ' || a,
           'active'::account_status, 'provider_agent'::role
    FROM generate_series(1, $1::int) AS a
"""
_INSERT_PROFILES = """
    INSERT INTO staff_profiles (account_id, capacity)
    SELECT md5('bench-support-agent-' || a)::uuid, 1000 FROM generate_series(1, $1::int) AS a
"""
_INSERT_SKILLS = """
    INSERT INTO staff_skills (account_id, skill_code)
    SELECT md5('bench-support-agent-' || a)::uuid, 'support' FROM generate_series(1, $1::int) AS a
"""
# $1 agents, $2 tenants: every agent serves every tenant.
_INSERT_ASSIGNMENTS = """
    INSERT INTO staff_assignments (tenant_id, account_id)
    SELECT md5('bench-tenant-' || t)::uuid, md5('bench-support-agent-' || a)::uuid
    FROM generate_series(1, $1::int) AS a, generate_series(1, $2::int) AS t
"""
# $1 tenant ids, $2 channel ids, $3 tenant numbers, $4 sealed secrets
_INSERT_CHANNELS = """
    INSERT INTO support_channels (tenant_id, id, name, address, from_name, from_address, signature, auto_ack,
                                  sealed_secret)
    SELECT tenant, channel, 'Help', 'help@t' || n || '.support.bench.example', 'Bench Tenant ' || n || ' Support',
           'support@t' || n || '.support.bench.example', 'The Bench Tenant ' || n || ' team', true, sealed
    FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[]) AS c(tenant, channel, n, sealed)
"""


def channel_of(number: int, secret: str) -> Channel:
    return Channel(
        tenant_number=number,
        tenant_id=tenant_id(number),
        id=channel_id(number),
        address=f"help@t{number}.support.bench.example",
        from_address=f"support@t{number}.support.bench.example",
        secret=secret,
    )


async def seed(*, tenants: int, agents: int, users: int = config.USERS_PER_TENANT) -> list[Channel]:
    """Tenants × ``users`` (10 admins each), ``agents`` serving all of them, and one channel per tenant."""
    settings = DB.settings()
    channels = [channel_of(n, f"sup_bench_{n}_{os.urandom(16).hex()}") for n in range(1, tenants + 1)]
    connection = await DB.connect_owner()
    try:
        async with connection.transaction():
            await connection.execute(INSERT_TENANTS, 1, tenants)
            await connection.execute(INSERT_ACCOUNTS, 1, tenants, users, hash_password(config.PASSWORD))
            await connection.execute(INSERT_MEMBERSHIPS, 1, tenants, users, config.ADMINS_PER_TENANT)
            await connection.execute(_INSERT_AGENTS, agents)
            await connection.execute(_INSERT_PROFILES, agents)
            await connection.execute(_INSERT_SKILLS, agents)
            await connection.execute(_INSERT_ASSIGNMENTS, agents, tenants)
            await connection.execute(
                _INSERT_CHANNELS,
                [c.tenant_id for c in channels],
                [c.id for c in channels],
                [c.tenant_number for c in channels],
                [seal(settings, c.secret) for c in channels],
            )
        await connection.execute("VACUUM (ANALYZE)")
    finally:
        await connection.close()
    return channels
