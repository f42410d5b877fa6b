"""Faster tenant scans and claim-next.

Row-level security policies now read the transaction's tenant set once per
statement (an InitPlan) instead of once per row: ``bo_tenant_ids()`` parses the
whole comma-separated setting, and a scan that passes over many rows paid that
for each one. And claim-next gets an index led by the skill, so an agent's scan
starts at its own skills' most urgent items instead of stepping over the items
nobody it serves may do.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from helpers import POLICY_CONDITION, tenant_tables

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_PER_ROW = "tenant_id = ANY (bo_tenant_ids())"


def _recreate_policies(condition: str) -> None:
    for table in tenant_tables(op.get_bind()):
        op.execute(f"ALTER POLICY {table}_tenant_scope ON {table} USING ({condition}) WITH CHECK ({condition})")


def upgrade() -> None:
    _recreate_policies(POLICY_CONDITION)
    op.create_index(
        "work_items_claim",
        "work_items",
        ["skill_code", "queue_due_at", sa.text("priority DESC"), "queued_at"],
        postgresql_where=sa.text("state = 'queued'"),
    )


def downgrade() -> None:
    op.drop_index("work_items_claim", table_name="work_items")
    _recreate_policies(_PER_ROW)
