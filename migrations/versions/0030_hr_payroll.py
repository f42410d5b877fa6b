"""HR payroll (issue 14): pay components, per-employee pay, runs, payslips with lines, adjustments, documents.

Every table is tenant-owned with forced RLS; foreign keys carry ``tenant_id``.
A payslip is unique per (run, employee), so a rerun never duplicates one, and
its number is unique per tenant. Once numbered a payslip is final: triggers
refuse any change to it, its lines or its documents' removal, and a finalized
run cannot be deleted or moved back to an earlier status.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table, timestamps
from sqlalchemy.dialects.postgresql import ARRAY

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

KINDS = ("earning", "deduction", "employer_contribution")
STATUSES = ("computing", "failed", "draft", "approved", "finalized")

# Once a payslip has its number, neither it nor its lines change, and a finalized run stays finalized.
TRIGGERS = (
    """
    CREATE FUNCTION hr_payslip_final() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.number IS NOT NULL THEN
            RAISE EXCEPTION 'payslip % is final and cannot change', OLD.number USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER hr_payslips_final BEFORE UPDATE OR DELETE ON hr_payslips
        FOR EACH ROW EXECUTE FUNCTION hr_payslip_final()
    """,
    """
    CREATE FUNCTION hr_payslip_line_final() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        the_tenant uuid;
        the_payslip uuid;
    BEGIN
        IF TG_OP = 'INSERT' THEN
            the_tenant := NEW.tenant_id; the_payslip := NEW.payslip_id;
        ELSE
            the_tenant := OLD.tenant_id; the_payslip := OLD.payslip_id;
        END IF;
        IF EXISTS (SELECT 1 FROM hr_payslips p WHERE p.tenant_id = the_tenant AND p.id = the_payslip
                   AND p.number IS NOT NULL) THEN
            RAISE EXCEPTION 'the lines of a final payslip cannot change' USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER hr_payslip_lines_final BEFORE INSERT OR UPDATE OR DELETE ON hr_payslip_lines
        FOR EACH ROW EXECUTE FUNCTION hr_payslip_line_final()
    """,
    """
    CREATE FUNCTION hr_payroll_run_final() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.status = 'finalized' THEN
            IF TG_OP = 'DELETE' OR NEW.status <> 'finalized' OR NEW.period <> OLD.period
                    OR NEW.finalized_at IS DISTINCT FROM OLD.finalized_at THEN
                RAISE EXCEPTION 'payroll run % is finalized', OLD.period USING ERRCODE = 'check_violation';
            END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER hr_payroll_runs_final BEFORE UPDATE OR DELETE ON hr_payroll_runs
        FOR EACH ROW EXECUTE FUNCTION hr_payroll_run_final()
    """,
)


def _fk(columns: list[str], table: str, **kwargs) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["tenant_id", *columns], [f"{table}.tenant_id", f"{table}.id"], **kwargs)


def upgrade() -> None:
    create_tenant_table(
        "hr_pay_components",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_ar", sa.String(200)),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("calculation", sa.String(10), nullable=False),
        sa.Column("amount", sa.BigInteger()),
        sa.Column("percent", sa.Numeric(9, 4)),
        sa.Column("basis", ARRAY(sa.String(40)), nullable=False, server_default="{}"),
        sa.Column("applies_to_all", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        *timestamps(),
        sa.UniqueConstraint("tenant_id", "code", name="hr_pay_components_code"),
        sa.CheckConstraint(f"kind IN {KINDS!r}", name="hr_pay_components_kind"),
        sa.CheckConstraint(
            "(calculation = 'fixed' AND amount >= 0 AND percent IS NULL)"
            " OR (calculation = 'percent' AND percent >= 0 AND amount IS NULL)",
            name="hr_pay_components_value",
        ),
    )
    create_tenant_table(
        "hr_employee_pay",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("component_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.BigInteger()),
        sa.Column("percent", sa.Numeric(9, 4)),
        *timestamps(),
        sa.UniqueConstraint("tenant_id", "employee_id", "component_id", name="hr_employee_pay_once"),
        _fk(["employee_id"], "hr_employees"),
        _fk(["component_id"], "hr_pay_components"),
        sa.CheckConstraint("(amount IS NULL) <> (percent IS NULL)", name="hr_employee_pay_one_value"),
    )
    create_tenant_table(
        "hr_payroll_runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("currency", sa.String(3)),
        sa.Column("prepared_by", sa.Uuid()),
        sa.Column("approved_by", sa.Uuid()),
        sa.Column("approved_at", sa.DateTime(timezone=True)),
        sa.Column("finalized_at", sa.DateTime(timezone=True)),
        sa.Column("employees_total", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("employees_done", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("documents_total", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("documents_done", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failure", sa.String(500)),
        sa.Column("journal_entry_number", sa.String(40)),
        *timestamps(),
        sa.UniqueConstraint("tenant_id", "period", name="hr_payroll_runs_period"),
        sa.CheckConstraint(f"status IN {STATUSES!r}", name="hr_payroll_runs_status"),
        sa.CheckConstraint(
            "approved_by IS NULL OR approved_by IS DISTINCT FROM prepared_by", name="hr_payroll_four_eyes"
        ),
    )
    create_tenant_table(
        "hr_payslips",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("employee_number", sa.String(40), nullable=False),
        sa.Column("employee_name", sa.String(200), nullable=False),
        sa.Column("days_paid", sa.Integer(), nullable=False),
        sa.Column("days_in_period", sa.Integer(), nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("deductions", sa.BigInteger(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.Column("employer_cost", sa.BigInteger(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
        sa.Column("number", sa.String(20)),
        sa.Column("bank_sealed", sa.LargeBinary()),
        *timestamps(),
        sa.UniqueConstraint("tenant_id", "run_id", "employee_id", name="hr_payslips_once"),
        sa.UniqueConstraint("tenant_id", "number", name="hr_payslips_number"),
        _fk(["run_id"], "hr_payroll_runs"),
        _fk(["employee_id"], "hr_employees"),
    )
    create_tenant_table(
        "hr_payslip_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("payslip_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_ar", sa.String(200)),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("adjusted", sa.Boolean(), nullable=False, server_default=sa.false()),
        _fk(["payslip_id"], "hr_payslips", ondelete="CASCADE"),
    )
    op.create_index("hr_payslip_lines_payslip", "hr_payslip_lines", ["tenant_id", "payslip_id"])
    create_tenant_table(
        "hr_payslip_adjustments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("employee_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("made_by", sa.Uuid()),
        *timestamps(),
        _fk(["run_id"], "hr_payroll_runs"),
        _fk(["employee_id"], "hr_employees"),
        sa.CheckConstraint("kind IN ('earning', 'deduction')", name="hr_payslip_adjustments_kind"),
    )
    op.create_index("hr_payslip_adjustments_run", "hr_payslip_adjustments", ["tenant_id", "run_id", "employee_id"])
    create_tenant_table(
        "hr_payslip_documents",
        sa.Column("payslip_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        key=("payslip_id", "language"),
    )
    op.create_foreign_key(
        "hr_payslip_documents_payslip",
        "hr_payslip_documents",
        "hr_payslips",
        ["tenant_id", "payslip_id"],
        ["tenant_id", "id"],
    )
    create_tenant_table(
        "hr_payslip_counters",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False, server_default="0"),
        key=("year",),
    )
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for table in (
        "hr_payslip_counters",
        "hr_payslip_documents",
        "hr_payslip_adjustments",
        "hr_payslip_lines",
        "hr_payslips",
        "hr_payroll_runs",
        "hr_employee_pay",
        "hr_pay_components",
    ):
        op.drop_table(table)
    for function in ("hr_payslip_final", "hr_payslip_line_final", "hr_payroll_run_final"):
        op.execute(f"DROP FUNCTION {function}()")
