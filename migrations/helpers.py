"""Migration helpers that make the tenancy rules the default, not a thing to remember.

``create_tenant_table`` is the only way a migration should create a
tenant-owned table: it puts ``tenant_id`` first in the primary key, enables and
forces row-level security with the standard policy, and grants the runtime role.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

RUNTIME_GROUP = "bo_runtime"
READ_WRITE = "SELECT, INSERT, UPDATE, DELETE"
APPEND_ONLY = "SELECT, INSERT"


def tenant_id_column() -> sa.Column:
    return sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)


def create_tenant_table(
    name: str, *columns: sa.SchemaItem, key: tuple[str, ...] = ("id",), grant: str = READ_WRITE
) -> None:
    op.create_table(name, tenant_id_column(), *columns, sa.PrimaryKeyConstraint("tenant_id", *key))
    enable_tenant_rls(name)
    grant_runtime(name, grant)


# The sub-select makes PostgreSQL read the tenant set once per statement, not once per row.
POLICY_CONDITION = "tenant_id = ANY ((SELECT bo_tenant_ids())::uuid[])"


def enable_tenant_rls(name: str) -> None:
    op.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY {name}_tenant_scope ON {name} USING ({POLICY_CONDITION}) WITH CHECK ({POLICY_CONDITION})"
    )


def tenant_tables(bind: sa.engine.Connection) -> list[str]:
    """Every table with the standard tenant policy."""
    rows = bind.execute(
        sa.text(
            "SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = tablename || '_tenant_scope'"
        )
    )
    return [name for (name,) in rows]


def create_provider_table(name: str, *columns: sa.SchemaItem, grant: str = READ_WRITE) -> None:
    op.create_table(name, *columns)
    grant_runtime(name, grant)


def grant_runtime(name: str, privileges: str = READ_WRITE) -> None:
    op.execute(f"GRANT {privileges} ON {name} TO {RUNTIME_GROUP}")


def timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]
