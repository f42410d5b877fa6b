"""HR scheduled payroll: one row per tenant with the day of the month its draft payroll is prepared.

``last_period`` is the period the schedule last prepared (or found prepared):
the tick locks the row, so two ticks at once prepare one run, and a period is
prepared once however often the tick runs.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table, timestamps

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tenant_table(
        "hr_payroll_schedules",
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("last_period", sa.String(7)),
        *timestamps(),
        sa.CheckConstraint("day BETWEEN 1 AND 31", name="hr_payroll_schedules_day"),
        key=(),
    )


def downgrade() -> None:
    op.drop_table("hr_payroll_schedules")
