"""The test desk's table and its service type; a branch of its own, applied only to the test database.

Revision ID: testdesk_0001
Depends on: 0005 (work items and the usage seam)
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table

revision = "testdesk_0001"
down_revision = None
branch_labels = ("testdesk",)
depends_on = "0005"


def upgrade() -> None:
    create_tenant_table(
        "test_desk_widgets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("work_item_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("checked", sa.Boolean(), nullable=False, server_default="false"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        # The desk seam's shape: the work item referenced with tenant_id, so never another tenant's.
        sa.ForeignKeyConstraint(
            ["tenant_id", "work_item_id"], ["work_items.tenant_id", "work_items.id"], ondelete="CASCADE"
        ),
    )
    op.create_index("test_desk_widgets_item", "test_desk_widgets", ["tenant_id", "work_item_id"])
    # Data-entry staff work it, so the tests' agents need no new skill.
    op.execute(
        "INSERT INTO service_types (code, name, skill_code, form_schema) "
        "VALUES ('test_desk', 'Test desk', 'data_entry', '[]')"
    )


def downgrade() -> None:
    op.execute("DELETE FROM service_types WHERE code = 'test_desk'")
    op.drop_table("test_desk_widgets")
