"""HR onboarding/offboarding and compliance: checklist templates, cases with tasks, employee documents, reminders.

All tables are tenant-owned with forced RLS. ``hr_cases`` is the HR desk's
record on one ``hr`` work item (``tenant_id`` in every foreign key). A
compliance reminder is unique per document and expiry date, so the sweeper
raises each at most once however often it runs. ``hr_settings`` holds the
tenant's ``compliance_reminder_days`` (manifest ``[hr]``).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table, timestamps
from sqlalchemy.dialects import postgresql as pg

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

KINDS = ("onboarding", "offboarding")
OWNERS = ("provider", "client")
DOCUMENT_KINDS = ("national_id", "visa", "work_permit", "contract")


def _aware(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _employee_fk(name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["tenant_id", "employee_id"], ["hr_employees.tenant_id", "hr_employees.id"], name=name
    )


def upgrade() -> None:
    create_tenant_table(
        "hr_settings",
        sa.Column("compliance_reminder_days", sa.Integer(), nullable=False, server_default="30"),
        *timestamps(),
        sa.CheckConstraint("compliance_reminder_days BETWEEN 0 AND 365", name="hr_settings_reminder_days"),
        key=(),
    )
    create_tenant_table(
        "hr_checklist_templates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tasks", pg.JSONB(), nullable=False, server_default="[]"),
        *timestamps(),
        sa.UniqueConstraint("tenant_id", "name", name="hr_checklist_templates_name"),
        sa.CheckConstraint(f"kind IN {KINDS!r}", name="hr_checklist_templates_kind"),
    )
    create_tenant_table(
        "hr_cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("work_item_id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("template_name", sa.String(200), nullable=False),
        sa.Column("reference_date", sa.Date(), nullable=False),
        *timestamps(),
        sa.ForeignKeyConstraint(
            ["tenant_id", "work_item_id"], ["work_items.tenant_id", "work_items.id"], ondelete="CASCADE"
        ),
        _employee_fk("hr_cases_employee"),
        sa.UniqueConstraint("tenant_id", "work_item_id", name="hr_cases_item"),
        sa.CheckConstraint(f"kind IN {KINDS!r}", name="hr_cases_kind"),
    )
    op.create_index("hr_cases_by_employee", "hr_cases", ["tenant_id", "employee_id"])
    create_tenant_table(
        "hr_case_tasks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(20), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        _aware("done_at"),
        sa.Column("done_by", sa.Uuid()),
        sa.ForeignKeyConstraint(
            ["tenant_id", "case_id"], ["hr_cases.tenant_id", "hr_cases.id"], ondelete="CASCADE",
            name="hr_case_tasks_case",
        ),
        sa.CheckConstraint(f"owner IN {OWNERS!r}", name="hr_case_tasks_owner"),
    )  # fmt: skip
    op.create_index("hr_case_tasks_by_case", "hr_case_tasks", ["tenant_id", "case_id", "position"])
    create_tenant_table(
        "hr_documents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200)),
        sa.Column("expires_on", sa.Date()),
        sa.Column("file_key", sa.String(300)),
        sa.Column("file_name", sa.String(255)),
        sa.Column("content_type", sa.String(100)),
        sa.Column("file_size", sa.Integer()),
        *timestamps(),
        _employee_fk("hr_documents_employee"),
        sa.CheckConstraint(f"kind IN {DOCUMENT_KINDS!r}", name="hr_documents_kind"),
    )
    # The compliance sweeper looks for documents by expiry date.
    op.create_index("hr_documents_expiry", "hr_documents", ["tenant_id", "expires_on"])
    create_tenant_table(
        "hr_compliance_reminders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("work_item_id", sa.Uuid()),
        _aware("created_at", nullable=False),
        sa.UniqueConstraint("tenant_id", "document_id", "expires_on", name="hr_compliance_reminders_once"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "document_id"], ["hr_documents.tenant_id", "hr_documents.id"], ondelete="CASCADE",
            name="hr_compliance_reminders_document",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "work_item_id"], ["work_items.tenant_id", "work_items.id"], ondelete="CASCADE"
        ),
    )  # fmt: skip


def downgrade() -> None:
    for table in ("hr_compliance_reminders", "hr_documents", "hr_case_tasks", "hr_cases", "hr_checklist_templates",
                  "hr_settings"):  # fmt: skip
        op.drop_table(table)
