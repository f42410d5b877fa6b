"""Invoices keep the units they bill per period and meter, frozen with them, so late usage goes on the next one.

Issue 11: work finished after its period's invoice was finalized must appear
on the next invoice as a line naming its period, never lost and never billed
twice. ``usage_quantities`` (``{"2026-11": {"support.tickets": 40}}``) says
what an invoice billed of each period; a period's usage now, less what
finalized invoices billed of it, is late (``billing.late_usage``). The column
joins the ones the freeze trigger of 0014 keeps for good once an invoice is
finalized. A finalized invoice that exists when this runs is taken to have
billed its period's usage as it stands now (every meter declared so far sums),
so no usage already invoiced comes back as late; drafts are recomputed anyway.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _migration_0014():
    spec = importlib.util.spec_from_file_location("invoices_0014", Path(__file__).with_name("0014_billing_invoices.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _frozen_function(columns: tuple[str, ...]) -> str:
    text = _migration_0014().FROZEN_INVOICE.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
    old = _migration_0014().FROZEN_COLUMNS
    for side in ("NEW", "OLD"):
        text = text.replace(", ".join(f"{side}.{c}" for c in old), ", ".join(f"{side}.{c}" for c in columns), 1)
    return text


# Before the trigger knows the column: a finalized invoice's row may still take it this once.
BACKFILL = """
UPDATE invoices i SET usage_quantities = jsonb_build_object(i.period, coalesce((
    SELECT jsonb_object_agg(u.meter, u.total) FROM (
        SELECT meter, sum(quantity) AS total FROM usage_records
        WHERE tenant_id = i.tenant_id AND occurred_at >= i.period_start AND occurred_at < i.period_end
        GROUP BY meter
    ) u
), '{}'::jsonb))
WHERE i.status <> 'draft'
"""


LINE_KINDS = "'base_fee', 'seats', 'usage', 'charge', 'sla_credit'"


def _line_kinds(kinds: str) -> None:
    # Changing a check constraint on invoice_lines changes no line, so the lines' freeze trigger is not involved.
    op.execute("ALTER TABLE invoice_lines DROP CONSTRAINT ck_invoice_lines_invoice_lines_kind")
    op.execute(
        f"ALTER TABLE invoice_lines ADD CONSTRAINT ck_invoice_lines_invoice_lines_kind CHECK (kind IN ({kinds}))"
    )


def upgrade() -> None:
    _line_kinds(f"{LINE_KINDS}, 'late_usage'")
    op.add_column(
        "invoices", sa.Column("usage_quantities", pg.JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb"))
    )
    op.execute(BACKFILL)
    op.execute(_frozen_function((*_migration_0014().FROZEN_COLUMNS, "usage_quantities")))


def downgrade() -> None:
    _line_kinds(LINE_KINDS)
    op.execute(_frozen_function(_migration_0014().FROZEN_COLUMNS))
    op.drop_column("invoices", "usage_quantities")
