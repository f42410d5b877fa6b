"""Bank statements and reconciliation: bank accounts, imported statement lines, matches to journal lines.

Every table is tenant-owned with forced RLS (``create_tenant_table``) and every
reference carries ``tenant_id``, so a bank account books only on its own
tenant's ledger account and a match names only its own tenant's lines.

- ``(tenant_id, bank_account_id, dedupe_key)`` is unique: a statement imported
  twice adds nothing the second time.
- A journal line accounts for at most one statement line.
- Matches are append-only for the runtime role, and a reconciled statement
  line never changes again (a trigger): reconciliation is not undone silently.
  Undoing one is a correcting journal entry, as for any posted booking.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import APPEND_ONLY, create_tenant_table
from sqlalchemy.dialects import postgresql as pg

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

_RECONCILED_FROZEN = """
CREATE FUNCTION bo_bank_line_reconciled_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.reconciled_at IS NOT NULL THEN
        RAISE EXCEPTION 'statement line % is reconciled and cannot change', OLD.id USING ERRCODE = '23514';
    END IF;
    RETURN NEW;
END $$
"""


def upgrade() -> None:
    create_tenant_table(
        "bank_accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ledger_account_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("iban", sa.String(34)),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("csv_mapping", pg.JSONB()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "ledger_account_id"], ["book_accounts.tenant_id", "book_accounts.id"]),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="bank_accounts_currency"),
        grant="SELECT, INSERT, UPDATE",
    )

    create_tenant_table(
        "bank_statement_lines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bank_account_id", sa.Uuid(), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.String(500), nullable=False, server_default=""),
        sa.Column("reference", sa.String(200), nullable=False, server_default=""),
        sa.Column("counterparty", sa.String(200), nullable=False, server_default=""),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reconciled_at", sa.DateTime(timezone=True)),
        sa.ForeignKeyConstraint(
            ["tenant_id", "bank_account_id"], ["bank_accounts.tenant_id", "bank_accounts.id"], ondelete="CASCADE"
        ),
        sa.UniqueConstraint("tenant_id", "bank_account_id", "dedupe_key", name="bank_statement_lines_dedupe"),
        grant="SELECT, INSERT, UPDATE",
    )
    # The reconciliation screen reads one account's unreconciled lines in date order.
    op.create_index(
        "bank_statement_lines_open", "bank_statement_lines", ["tenant_id", "bank_account_id", "booked_on"],
        postgresql_where=sa.text("reconciled_at IS NULL"),
    )  # fmt: skip
    op.execute(_RECONCILED_FROZEN)
    op.execute(
        "CREATE TRIGGER bank_statement_lines_reconciled_frozen BEFORE UPDATE ON bank_statement_lines "
        "FOR EACH ROW EXECUTE FUNCTION bo_bank_line_reconciled_frozen()"
    )

    create_tenant_table(
        "bank_matches",
        sa.Column("statement_line_id", sa.Uuid(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("line_number", sa.SmallInteger(), nullable=False),
        sa.Column("matched_by", sa.Uuid()),
        sa.Column("matched_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "statement_line_id"], ["bank_statement_lines.tenant_id", "bank_statement_lines.id"]
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "entry_id", "line_number"],
            ["journal_lines.tenant_id", "journal_lines.entry_id", "journal_lines.line_number"],
        ),
        sa.UniqueConstraint("tenant_id", "entry_id", "line_number", name="bank_matches_journal_line_once"),
        key=("statement_line_id", "entry_id", "line_number"),
        grant=APPEND_ONLY,
    )


def downgrade() -> None:
    op.drop_table("bank_matches")
    op.drop_table("bank_statement_lines")
    op.execute("DROP FUNCTION bo_bank_line_reconciled_frozen()")
    op.drop_table("bank_accounts")
