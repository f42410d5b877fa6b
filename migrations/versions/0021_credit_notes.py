"""Credit notes: corrections to finalized invoices, numbered CN-YYYY-NNNNNN, never more than was invoiced.

Issue 11: a finalized invoice never changes, so a correction is a credit note
against it, partial or full, never more than the invoice's total (all its
credit notes together). Enforced by the database for the runtime role too:

- ``credit_notes`` is tenant-owned (RLS forced), its foreign key includes
  ``tenant_id``; a note is written once and never changes or disappears (a
  trigger refuses UPDATE and DELETE);
- a trigger on insert locks the invoice row, refuses a note on a draft and one
  that would take the invoice's credits past its total, and moves the credit
  onto the invoice: ``amount_credited`` up and ``amount_due`` down, in the same
  statement (``invoices_amount_due`` now reads total − paid − credited);
- numbers come from ``credit_note_number_counters``, one locked row per year,
  as invoice numbers do (gap-free).

``amount_credited`` is not one of the columns the invoice freeze trigger keeps
(0014, 0020): like payments, it moves on a finalized invoice.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_provider_table, create_tenant_table

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

CREDIT_NOTE_RULES = """
CREATE FUNCTION bo_credit_note_applies() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_invoice invoices%ROWTYPE;
BEGIN
    SELECT * INTO v_invoice FROM invoices
    WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id
    FOR UPDATE;
    IF v_invoice.status = 'draft' THEN
        RAISE EXCEPTION 'invoice % is a draft: change it instead of crediting it', NEW.invoice_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF v_invoice.amount_credited + NEW.total > v_invoice.total THEN
        RAISE EXCEPTION 'credit notes of invoice % would come to % of its total %', v_invoice.number,
            v_invoice.amount_credited + NEW.total, v_invoice.total
            USING ERRCODE = 'check_violation';
    END IF;
    UPDATE invoices
    SET amount_credited = amount_credited + NEW.total, amount_due = amount_due - NEW.total, updated_at = now()
    WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id;
    RETURN NEW;
END $$
"""

CREDIT_NOTE_FROZEN = """
CREATE FUNCTION bo_credit_note_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'credit note % is issued: it never changes', OLD.number USING ERRCODE = 'restrict_violation';
END $$
"""


def _amount_due_rule(condition: str) -> None:
    op.execute("ALTER TABLE invoices DROP CONSTRAINT ck_invoices_invoices_amount_due")
    op.execute(f"ALTER TABLE invoices ADD CONSTRAINT ck_invoices_invoices_amount_due CHECK ({condition})")


def upgrade() -> None:
    op.add_column("invoices", sa.Column("amount_credited", sa.BigInteger(), nullable=False, server_default="0"))
    _amount_due_rule(
        "amount_paid >= 0 AND amount_credited >= 0 AND amount_credited <= total "
        "AND amount_due = total - amount_paid - amount_credited"
    )

    create_provider_table(
        "credit_note_number_counters",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_number BETWEEN 1 AND 999999", name="credit_note_number_counters_range"),
        grant="SELECT, INSERT, UPDATE",
    )
    create_tenant_table(
        "credit_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("subtotal", sa.BigInteger(), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        sa.Column("tax", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid()),
        sa.ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        sa.UniqueConstraint("tenant_id", "number", name="credit_notes_number"),
        sa.CheckConstraint("subtotal > 0 AND tax >= 0 AND total = subtotal + tax", name="credit_notes_amounts"),
        sa.CheckConstraint("number ~ '^CN-[0-9]{4}-[0-9]{6}$'", name="credit_notes_number_format"),
        grant="SELECT, INSERT",
    )
    op.create_index("credit_notes_by_invoice", "credit_notes", ["tenant_id", "invoice_id"])
    op.execute(CREDIT_NOTE_RULES)
    op.execute(
        "CREATE TRIGGER credit_notes_apply BEFORE INSERT ON credit_notes "
        "FOR EACH ROW EXECUTE FUNCTION bo_credit_note_applies()"
    )
    op.execute(CREDIT_NOTE_FROZEN)
    op.execute(
        "CREATE TRIGGER credit_notes_frozen BEFORE UPDATE OR DELETE ON credit_notes "
        "FOR EACH ROW EXECUTE FUNCTION bo_credit_note_frozen()"
    )


def downgrade() -> None:
    op.drop_table("credit_notes")
    op.execute("DROP FUNCTION bo_credit_note_frozen()")
    op.execute("DROP FUNCTION bo_credit_note_applies()")
    op.drop_table("credit_note_number_counters")
    _amount_due_rule("amount_paid >= 0 AND amount_due = total - amount_paid")
    op.drop_column("invoices", "amount_credited")
