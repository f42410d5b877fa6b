"""HR leave: a tenant's leave types with their accrual rule, and its employees' leave requests.

Both tables are tenant-owned with forced RLS. There is no balance table on
purpose: balances are computed from the accrual rule, the carried-over days and
the approved requests (hr/leave_balances.py), so they cannot drift.
A request names an employee and a type of the same tenant (``tenant_id`` in both
foreign keys); its dates are ordered and its days are not negative.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table, timestamps

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

KINDS = ("annual", "sick", "unpaid", "custom")
ACCRUALS = ("yearly", "monthly", "none")
STATUSES = ("pending", "approved", "rejected", "cancelled")
DAYS = sa.Numeric(7, 2)


def upgrade() -> None:
    create_tenant_table(
        "hr_leave_types",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("accrual", sa.String(10), nullable=False),
        sa.Column("days_per_year", DAYS, nullable=False, server_default="0"),
        sa.Column("carry_over_cap", DAYS, nullable=False, server_default="0"),
        sa.Column("carry_over_expiry_months", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("allow_negative", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        *timestamps(),
        sa.UniqueConstraint("tenant_id", "code", name="hr_leave_types_code"),
        sa.CheckConstraint(f"kind IN {KINDS!r}", name="hr_leave_types_kind"),
        sa.CheckConstraint(f"accrual IN {ACCRUALS!r}", name="hr_leave_types_accrual"),
        sa.CheckConstraint("days_per_year BETWEEN 0 AND 366", name="hr_leave_types_days"),
        sa.CheckConstraint("carry_over_cap BETWEEN 0 AND 366", name="hr_leave_types_cap"),
        sa.CheckConstraint("carry_over_expiry_months BETWEEN 0 AND 12", name="hr_leave_types_expiry"),
    )
    create_tenant_table(
        "hr_leave_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("leave_type_id", sa.Uuid(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("days", DAYS, nullable=False),
        sa.Column("status", sa.String(10), nullable=False, server_default="pending"),
        sa.Column("note", sa.String(500)),
        sa.Column("requested_by", sa.Uuid()),
        sa.Column("decided_by", sa.Uuid()),
        sa.Column("decided_on_behalf_of", sa.Uuid()),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("reject_reason", sa.String(500)),
        *timestamps(),
        sa.ForeignKeyConstraint(
            ["tenant_id", "employee_id"],
            ["hr_employees.tenant_id", "hr_employees.id"],
            name="hr_leave_requests_employee",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "leave_type_id"],
            ["hr_leave_types.tenant_id", "hr_leave_types.id"],
            name="hr_leave_requests_type",
        ),
        sa.CheckConstraint(f"status IN {STATUSES!r}", name="hr_leave_requests_status"),
        sa.CheckConstraint("end_date >= start_date", name="hr_leave_requests_dates"),
        sa.CheckConstraint("days >= 0", name="hr_leave_requests_days"),
    )
    # Balances sum an employee's requests per type; the calendar reads requests by dates.
    op.create_index(
        "hr_leave_requests_employee_type", "hr_leave_requests", ["tenant_id", "employee_id", "leave_type_id"]
    )
    op.create_index("hr_leave_requests_dates", "hr_leave_requests", ["tenant_id", "start_date", "end_date"])


def downgrade() -> None:
    op.drop_table("hr_leave_requests")
    op.drop_table("hr_leave_types")
