"""HR employees: a tenant's people, their personal data sealed by the application (hr/crypto.py).

``hr_employees`` is tenant-owned with forced RLS. The employee number is unique
per tenant; the manager is a same-tenant employee (``tenant_id`` in the foreign
key). ``personal_sealed`` holds AES-GCM ciphertext the database cannot read:
national id, IBAN, salary, birth date and address never reach it in clear.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table, timestamps

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

CONTRACT_TYPES = ("permanent", "fixed_term", "part_time", "contractor", "intern")


def upgrade() -> None:
    create_tenant_table(
        "hr_employees",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employee_number", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("job_title", sa.String(120)),
        sa.Column("department", sa.String(120)),
        sa.Column("manager_id", sa.Uuid()),
        sa.Column("contract_type", sa.String(20), nullable=False, server_default="permanent"),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date()),
        sa.Column("on_leave", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("personal_sealed", sa.LargeBinary()),
        *timestamps(),
        sa.UniqueConstraint("tenant_id", "employee_number", name="hr_employees_number"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "manager_id"], ["hr_employees.tenant_id", "hr_employees.id"], name="hr_employees_manager"
        ),
        sa.CheckConstraint(f"contract_type IN {CONTRACT_TYPES!r}", name="hr_employees_contract_type"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="hr_employees_dates"),
        sa.CheckConstraint("manager_id IS NULL OR manager_id <> id", name="hr_employees_not_own_manager"),
    )
    # Lists filter by department and search by name within a tenant.
    op.create_index("hr_employees_department", "hr_employees", ["tenant_id", "department"])


def downgrade() -> None:
    op.drop_table("hr_employees")
