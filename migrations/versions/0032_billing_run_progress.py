"""Billing runs show their progress: how many tenants a run has, how many are done, and why a run failed.

A run started from the console is carried out in the background (the outbox
and a worker); the console follows it through its row, which the run updates
as each chunk of tenants is billed. ``error`` says why a run stopped as a whole
(its tenants' own failures stay in ``failures``).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("billing_runs", sa.Column("tenants_total", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("billing_runs", sa.Column("tenants_done", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("billing_runs", sa.Column("error", sa.String(500)))


def downgrade() -> None:
    op.drop_column("billing_runs", "error")
    op.drop_column("billing_runs", "tenants_done")
    op.drop_column("billing_runs", "tenants_total")
