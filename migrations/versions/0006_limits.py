"""Limits that say so.

Text columns take the one maximum the API schemas declare (``bo_saas.lib.limits``): the few that
were unbounded ``text`` become ``varchar(n)`` of the same length, so the database refuses what the
API would. API client names are unique per tenant among clients not revoked (a revoked client keeps
its name for the audit trail and frees it); existing duplicates are renamed "name (2)", "name (3)".

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (table, column, length): the columns that were unbounded text; lengths as in bo_saas.lib.limits
# at the time of writing (a migration keeps its own numbers: the module may change later).
BOUNDED = (
    ("tenants", "suspended_reason", 500),
    ("work_items", "waiting_reason", 5000),
    ("work_item_transitions", "reason", 5000),
    ("work_item_comments", "body", 20_000),
)


def upgrade() -> None:
    for table, column, length in BOUNDED:
        # Nothing longer got in through the API; cut anything that came some other way rather than fail.
        op.execute(f"UPDATE {table} SET {column} = left({column}, {length}) WHERE char_length({column}) > {length}")
        op.alter_column(table, column, type_=sa.String(length), existing_type=sa.Text())

    op.execute(
        """
        UPDATE api_clients AS c SET name = left(c.name, 190) || ' (' || d.n || ')'
        FROM (
            SELECT tenant_id, id, row_number() OVER (PARTITION BY tenant_id, name ORDER BY created_at, id) AS n
            FROM api_clients WHERE revoked_at IS NULL
        ) AS d
        WHERE c.tenant_id = d.tenant_id AND c.id = d.id AND d.n > 1
        """
    )
    op.create_index(
        "api_clients_name_unique",
        "api_clients",
        ["tenant_id", "name"],
        unique=True,
        postgresql_where=sa.text("revoked_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("api_clients_name_unique", table_name="api_clients")
    for table, column, length in BOUNDED:
        op.alter_column(table, column, type_=sa.Text(), existing_type=sa.String(length))
