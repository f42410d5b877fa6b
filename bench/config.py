"""What the bench processes share: where the servers are, the bench database, the seeded ids.

Everything listens on 127.0.0.1. The bench owns its own databases (``bo_bench``,
``bo_bench_work``) and Redis logical database (12), so it never touches
development or test data. ``BO_BENCH_DB``, ``BO_BENCH_WORK_DB`` and
``BO_BENCH_REDIS_DB`` choose other names, so two people on one machine can run
the benches without dropping each other's data (``BENCH_REDIS_URL`` still
overrides the whole Redis URL).
Seeded ids are derived from the tenant and user numbers (``md5(...)::uuid`` in
SQL, the same digest here), so the orchestrator can mint tokens without asking
the database which ids it made.
"""

from __future__ import annotations

import hashlib
import os
from uuid import UUID

from bo_saas.lib.settings import PROJECT_ROOT, Settings

HOST = "127.0.0.1"
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5432"))
DATABASE = os.environ.get("BO_BENCH_DB") or "bo_bench"
WORK_DATABASE = os.environ.get("BO_BENCH_WORK_DB") or "bo_bench_work"
REDIS_DB = int(os.environ.get("BO_BENCH_REDIS_DB") or "12")
RUNTIME_ROLE = "bo_app"
DATABASE_URL = f"postgresql+asyncpg://{RUNTIME_ROLE}@{HOST}:{PG_PORT}/{DATABASE}"
DATABASE_ADMIN_URL = f"postgresql+asyncpg://postgres@{HOST}:{PG_PORT}/{DATABASE}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", f"redis://{HOST}:6379/{REDIS_DB}")
# Not a secret: it signs tokens for a throwaway database on the loopback interface.
SECRET_KEY = "bench-only-signing-key-not-a-secret-0123456789"
RESULTS_DIR = PROJECT_ROOT / "bench-results"

USERS_PER_TENANT = 50
ADMINS_PER_TENANT = 10  # users 1..10 of each tenant are client admins, the rest members
PASSWORD = "bench-password"  # every seeded person's password, for trying the login by hand


def tenant_id(number: int) -> UUID:
    return md5_uuid(f"bench-tenant-{number}")


def account_id(tenant_number: int, user_number: int) -> UUID:
    return md5_uuid(f"bench-account-{tenant_number}-{user_number}")


def md5_uuid(text: str) -> UUID:
    # PostgreSQL's md5(text)::uuid reads the same 32 hex digits.
    return UUID(hashlib.md5(text.encode()).hexdigest())


def bench_settings(**overrides) -> Settings:
    values = {
        "database_url": DATABASE_URL,
        "database_admin_url": DATABASE_ADMIN_URL,
        "redis_url": REDIS_URL,
        "secret_key": SECRET_KEY,
        "data_dir": PROJECT_ROOT / ".data" / "bench",
        **overrides,
    }
    return Settings(**values)


def server_environment(*, log_level: str, rate_limit_per_minute: int) -> dict[str, str]:
    """The ``BO_*`` variables the server process reads (it builds Settings from its environment)."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("BO_")},
        "BO_ENV": "production",
        "BO_DATABASE_URL": DATABASE_URL,
        "BO_DATABASE_ADMIN_URL": DATABASE_ADMIN_URL,
        "BO_REDIS_URL": REDIS_URL,
        "BO_SECRET_KEY": SECRET_KEY,
        "BO_LOG_LEVEL": log_level,
        "BO_RATE_LIMIT_PER_MINUTE": str(rate_limit_per_minute),
        "BO_ACCESS_TOKEN_MINUTES": "60",
        "BO_DATA_DIR": str(PROJECT_ROOT / ".data" / "bench"),
    }
