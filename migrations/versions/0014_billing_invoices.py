"""Billing, invoices: invoices and their lines, one-off charges, billing runs, gap-free invoice numbers.

Invoices, their lines and one-off charges are tenant-owned (forced RLS, keys
and foreign keys led by ``tenant_id``). A tenant has at most one invoice per
period (``invoices_one_per_period``): a rerun, or two runs at once, find the
one there is instead of making a second.

A finalized invoice never changes, and the database is what says so: the
``bo_invoice_frozen`` trigger refuses any change to a finalized invoice's
money, period, number or dates and refuses deleting it; ``bo_invoice_lines_frozen``
refuses adding, changing or deleting its lines. Only the status may move on
(open -> paid, void or uncollectible; uncollectible -> paid or void) and the
payment fields with it. The triggers are not SECURITY DEFINER and the runtime
role owns nothing, so it is held to them like everyone else.

Billing runs and the number counters are provider-level. A number is taken
at finalize by an UPSERT on its year's counter row, which holds the row lock
until the finalizing transaction ends: a rollback gives the number back, so
numbers have no gaps, and two finalizes in one year take turns.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_provider_table, create_tenant_table, timestamps
from sqlalchemy.dialects import postgresql as pg

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INVOICE_STATUS = pg.ENUM("draft", "open", "paid", "void", "uncollectible", name="invoice_status", create_type=False)
PERIOD_FORMAT = "~ '^[0-9]{4}-(0[1-9]|1[0-2])$'"


def _aware(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


# Columns a finalized invoice keeps for good; everything else on the row is status or payment.
FROZEN_COLUMNS = (
    "tenant_id", "id", "period", "period_start", "period_end", "currency", "plan_version_id", "subtotal", "tax",
    "total", "tax_rate_bp", "number", "issued_at", "due_at", "created_at",
)  # fmt: skip

FROZEN_INVOICE = f"""
CREATE FUNCTION bo_invoice_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'draft' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'invoice % is finalized: it cannot be deleted', OLD.number
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF ({", ".join(f"NEW.{c}" for c in FROZEN_COLUMNS)})
       IS DISTINCT FROM ({", ".join(f"OLD.{c}" for c in FROZEN_COLUMNS)}) THEN
        RAISE EXCEPTION 'invoice % is finalized: its amounts, period, number and dates never change', OLD.number
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.status <> OLD.status AND NOT (
        (OLD.status = 'open' AND NEW.status IN ('paid', 'void', 'uncollectible'))
        OR (OLD.status = 'uncollectible' AND NEW.status IN ('paid', 'void'))
    ) THEN
        RAISE EXCEPTION 'invoice % cannot go from % to %', OLD.number, OLD.status, NEW.status
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$
"""

# OLD's invoice for a change or delete, NEW's for an insert or change (a line may not move onto one either).
# A draft being deleted takes its lines with it: the cascade runs after the draft's row is gone, so none is found.
FROZEN_LINES = """
CREATE FUNCTION bo_invoice_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM invoices WHERE tenant_id = OLD.tenant_id AND id = OLD.invoice_id AND status <> 'draft'
    ) OR TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM invoices WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id AND status <> 'draft'
    ) THEN
        RAISE EXCEPTION 'the invoice is finalized: its lines never change' USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    INVOICE_STATUS.create(op.get_bind())

    create_provider_table(
        "invoice_number_counters",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_number BETWEEN 1 AND 999999", name="invoice_number_counters_range"),
        grant="SELECT, INSERT, UPDATE",
    )

    create_provider_table(
        "billing_runs",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("tenant_slug", sa.String(63)),  # the one tenant a run was limited to, if any
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("started_by", sa.String(80), nullable=False),  # "cli", "schedule" or an account id
        _aware("started_at", nullable=False),
        _aware("finished_at"),
        sa.Column("created", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("recomputed", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("unchanged", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("skipped", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failed", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failures", pg.JSONB(), nullable=False, server_default="[]"),  # [{"tenant", "reason"}]
        sa.CheckConstraint(f"period {PERIOD_FORMAT}", name="billing_runs_period"),
        sa.CheckConstraint("status IN ('running', 'finished', 'failed')", name="billing_runs_status"),
        grant="SELECT, INSERT, UPDATE",
    )
    op.create_index("billing_runs_started", "billing_runs", ["started_at"])

    create_tenant_table(
        "invoices",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        _aware("period_start", nullable=False),
        _aware("period_end", nullable=False),
        sa.Column("status", INVOICE_STATUS, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("plan_version_id", sa.Uuid(), sa.ForeignKey("plan_versions.id"), nullable=False),
        sa.Column("subtotal", sa.BigInteger(), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        sa.Column("tax", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("amount_paid", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("amount_due", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.String(20)),
        _aware("issued_at"),
        _aware("due_at"),
        _aware("paid_at"),
        *timestamps(),
        sa.UniqueConstraint("tenant_id", "period", name="invoices_one_per_period"),
        sa.UniqueConstraint("tenant_id", "number", name="invoices_number"),
        sa.CheckConstraint(f"period {PERIOD_FORMAT}", name="invoices_period"),
        sa.CheckConstraint("period_start < period_end", name="invoices_period_order"),
        sa.CheckConstraint("total = subtotal + tax", name="invoices_total"),
        sa.CheckConstraint("amount_paid >= 0 AND amount_due = total - amount_paid", name="invoices_amount_due"),
        sa.CheckConstraint("tax_rate_bp BETWEEN 0 AND 10000", name="invoices_tax_rate"),
        sa.CheckConstraint(
            "(status = 'draft') = (number IS NULL) AND (status = 'draft') = (issued_at IS NULL) "
            "AND (status = 'draft') = (due_at IS NULL)",
            name="invoices_finalized_whole",
        ),
        sa.CheckConstraint("number IS NULL OR number ~ '^INV-[0-9]{4}-[0-9]{6}$'", name="invoices_number_format"),
    )
    op.create_index("invoices_by_status", "invoices", ["tenant_id", "status"])

    create_tenant_table(
        "invoice_lines",
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("description", sa.String(300), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit_price", sa.String(40), nullable=False),  # major units, as priced ("0.04")
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"], ondelete="CASCADE"),
        sa.CheckConstraint("kind IN ('base_fee', 'seats', 'usage', 'charge', 'sla_credit')", name="invoice_lines_kind"),
        key=("invoice_id", "position"),
    )

    create_tenant_table(
        "one_off_charges",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("description", sa.String(300), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_by", sa.Uuid()),  # the provider admin's account
        *timestamps(),
        sa.CheckConstraint("amount > 0", name="one_off_charges_amount_positive"),
        sa.CheckConstraint(f"period {PERIOD_FORMAT}", name="one_off_charges_period"),
    )
    op.create_index("one_off_charges_by_period", "one_off_charges", ["tenant_id", "period"])

    op.execute(FROZEN_INVOICE)
    op.execute(
        "CREATE TRIGGER invoices_frozen BEFORE UPDATE OR DELETE ON invoices "
        "FOR EACH ROW EXECUTE FUNCTION bo_invoice_frozen()"
    )
    op.execute(FROZEN_LINES)
    op.execute(
        "CREATE TRIGGER invoice_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines "
        "FOR EACH ROW EXECUTE FUNCTION bo_invoice_lines_frozen()"
    )


def downgrade() -> None:
    op.drop_table("one_off_charges")
    op.drop_table("invoice_lines")
    op.drop_table("invoices")
    op.execute("DROP FUNCTION bo_invoice_lines_frozen()")
    op.execute("DROP FUNCTION bo_invoice_frozen()")
    op.drop_table("billing_runs")
    op.drop_table("invoice_number_counters")
    INVOICE_STATUS.drop(op.get_bind())
