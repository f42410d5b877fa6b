"""Bookkeeping ledger: books, accounts, journal entries and lines, periods, the per-year number counter.

Every table is tenant-owned with forced RLS (``create_tenant_table``); every
reference carries ``tenant_id``, so a line's account is always the tenant's own.
The rules that make the ledger impossible to cook live here, in the database,
so they hold for the runtime role whatever the application does:

- a posted entry's debits equal its credits, and it has lines (a constraint
  trigger, deferred to COMMIT so an entry and its lines are written first);
- a posted entry and its lines never change or disappear (a reversal corrects
  it); lines change only while their entry is a draft, so what was approved is
  what is posted;
- nothing posts into a locked period (the period row is share-locked while
  posting, so a close and a posting into the same month are serialised);
- an entry above the book's approval threshold is posted only with an approver
  who is not its maker (entries from the ledger seam and reversals are exempt:
  the seam's callers approve their own runs, and a reversal only undoes).

Errors are raised with SQLSTATEs of class 23 (integrity), which the app answers 409.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import create_tenant_table
from sqlalchemy.dialects import postgresql as pg

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

ACCOUNT_TYPE = pg.ENUM("asset", "liability", "equity", "income", "expense", name="book_account_type", create_type=False)
ACCOUNT_STATUS = pg.ENUM("open", "closed", name="book_account_status", create_type=False)
ENTRY_STATUS = pg.ENUM("draft", "pending_approval", "posted", name="journal_entry_status", create_type=False)
PERIOD_STATUS = pg.ENUM("open", "locked", name="book_period_status", create_type=False)
ENUMS = (ACCOUNT_TYPE, ACCOUNT_STATUS, ENTRY_STATUS, PERIOD_STATUS)


def _now(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def _tables() -> None:
    create_tenant_table(
        "books",
        sa.Column("base_currency", sa.String(3), nullable=False),
        sa.Column("fiscal_year_start", sa.SmallInteger(), nullable=False),
        sa.Column("approval_threshold", sa.BigInteger(), nullable=False),
        sa.Column("chart", sa.String(40), nullable=False),
        _now("created_at"),
        _now("updated_at"),
        key=(),
        grant="SELECT, INSERT, UPDATE",
    )
    op.create_check_constraint("books_currency", "books", "base_currency ~ '^[A-Z]{3}$'")
    op.create_check_constraint("books_fiscal_year_start", "books", "fiscal_year_start BETWEEN 1 AND 12")
    op.create_check_constraint("books_approval_threshold", "books", "approval_threshold >= 0")

    create_tenant_table(
        "book_accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("type", ACCOUNT_TYPE, nullable=False),
        sa.Column("account_group", sa.String(120)),
        sa.Column("status", ACCOUNT_STATUS, nullable=False, server_default="open"),
        _now("created_at"),
        _now("updated_at"),
        sa.UniqueConstraint("tenant_id", "code", name="book_accounts_code"),
        sa.CheckConstraint("code ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'", name="book_accounts_code_format"),
    )

    create_tenant_table(
        "journal_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("fiscal_year", sa.Integer()),
        sa.Column("number", sa.Integer()),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False, server_default=""),
        sa.Column("status", ENTRY_STATUS, nullable=False),
        sa.Column("maker_id", sa.Uuid()),
        sa.Column("approver_id", sa.Uuid()),
        sa.Column("reverses_id", sa.Uuid()),
        sa.Column("source", sa.String(120)),
        sa.Column("posted_at", sa.DateTime(timezone=True)),
        _now("created_at"),
        _now("updated_at"),
        sa.ForeignKeyConstraint(["tenant_id", "reverses_id"], ["journal_entries.tenant_id", "journal_entries.id"]),
        sa.UniqueConstraint("tenant_id", "fiscal_year", "number", name="journal_entries_number"),
        sa.CheckConstraint(
            "(status = 'posted') = (number IS NOT NULL AND fiscal_year IS NOT NULL AND posted_at IS NOT NULL)",
            name="journal_entries_numbered_when_posted",
        ),
        sa.CheckConstraint("number IS NULL OR number >= 1", name="journal_entries_number_positive"),
        # Maker-checker: nobody approves their own entry.
        sa.CheckConstraint(
            "approver_id IS DISTINCT FROM maker_id OR approver_id IS NULL", name="journal_entries_four_eyes"
        ),
        sa.CheckConstraint("reverses_id IS DISTINCT FROM id", name="journal_entries_not_self_reversing"),
    )
    # An entry is reversed at most once; a source (the ledger seam's idempotency key) posts once.
    op.create_index(
        "journal_entries_reversal", "journal_entries", ["tenant_id", "reverses_id"], unique=True,
        postgresql_where=sa.text("reverses_id IS NOT NULL"),
    )  # fmt: skip
    op.create_index(
        "journal_entries_source", "journal_entries", ["tenant_id", "source"], unique=True,
        postgresql_where=sa.text("source IS NOT NULL"),
    )  # fmt: skip
    op.create_index("journal_entries_listed", "journal_entries", ["tenant_id", "entry_date"])

    create_tenant_table(
        "journal_lines",
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("line_number", sa.SmallInteger(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("credit", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
        sa.Column("currency", sa.String(3)),
        sa.Column("foreign_amount", sa.BigInteger()),
        sa.Column("rate", sa.Numeric(20, 10)),
        sa.ForeignKeyConstraint(
            ["tenant_id", "entry_id"], ["journal_entries.tenant_id", "journal_entries.id"], ondelete="CASCADE"
        ),
        # With tenant_id in the key, a line can only name its own tenant's account.
        sa.ForeignKeyConstraint(["tenant_id", "account_id"], ["book_accounts.tenant_id", "book_accounts.id"]),
        sa.CheckConstraint("debit >= 0 AND credit >= 0", name="journal_lines_not_negative"),
        sa.CheckConstraint("(debit = 0) <> (credit = 0)", name="journal_lines_one_side"),
        sa.CheckConstraint("line_number >= 1", name="journal_lines_number_positive"),
        sa.CheckConstraint(
            "(currency IS NULL AND foreign_amount IS NULL AND rate IS NULL) OR "
            "(currency ~ '^[A-Z]{3}$' AND foreign_amount > 0 AND rate > 0)",
            name="journal_lines_foreign_amount",
        ),
        key=("entry_id", "line_number"),
    )
    op.create_index("journal_lines_account", "journal_lines", ["tenant_id", "account_id"])

    create_tenant_table(
        "book_periods",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", PERIOD_STATUS, nullable=False, server_default="open"),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("closed_by", sa.Uuid()),
        sa.UniqueConstraint("tenant_id", "month", name="book_periods_month"),
        sa.CheckConstraint("extract(day FROM month) = 1", name="book_periods_first_of_month"),
    )

    create_tenant_table(
        "journal_counters",
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        key=("fiscal_year",),
        grant="SELECT, INSERT, UPDATE",
    )


_ENTRY_FROZEN = """
CREATE FUNCTION bo_journal_entry_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'posted' THEN
        RAISE EXCEPTION 'journal entry % is posted: it never changes or disappears; reverse it instead', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$
"""

_LINES_FROZEN = """
CREATE FUNCTION bo_journal_lines_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_status journal_entry_status;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT status INTO entry_status FROM journal_entries WHERE tenant_id = OLD.tenant_id AND id = OLD.entry_id;
        -- No entry: a draft being deleted takes its lines with it (a posted one cannot be deleted).
        IF FOUND AND entry_status <> 'draft' THEN
            RAISE EXCEPTION 'the lines of journal entry % (%) never change', OLD.entry_id, entry_status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT status INTO entry_status FROM journal_entries WHERE tenant_id = NEW.tenant_id AND id = NEW.entry_id;
        IF FOUND AND entry_status <> 'draft' THEN
            RAISE EXCEPTION 'journal entry % is %: lines are added only to a draft', NEW.entry_id, entry_status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$
"""

_OPEN_PERIOD = """
CREATE FUNCTION bo_journal_entry_open_period() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    period_status book_period_status;
BEGIN
    IF NEW.status = 'posted' AND (TG_OP = 'INSERT' OR OLD.status <> 'posted') THEN
        -- FOR SHARE: a close of the same month waits for this posting to commit, and this posting for a close.
        SELECT status INTO period_status FROM book_periods
         WHERE tenant_id = NEW.tenant_id AND month = date_trunc('month', NEW.entry_date)::date
           FOR SHARE;
        IF period_status = 'locked' THEN
            RAISE EXCEPTION 'the period % is locked: nothing posts into it', to_char(NEW.entry_date, 'YYYY-MM')
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END $$
"""

_BALANCED = """
CREATE FUNCTION bo_journal_check_balanced(checked_tenant uuid, checked_entry uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    entry journal_entries%ROWTYPE;
    debits numeric;
    credits numeric;
    line_count integer;
    threshold bigint;
BEGIN
    -- Deferred to COMMIT: read the entry as it is then, not as the row that fired.
    SELECT * INTO entry FROM journal_entries WHERE tenant_id = checked_tenant AND id = checked_entry;
    IF NOT FOUND OR entry.status <> 'posted' THEN
        RETURN;
    END IF;
    SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) INTO debits, credits, line_count
      FROM journal_lines WHERE tenant_id = entry.tenant_id AND entry_id = entry.id;
    IF line_count = 0 OR debits <> credits THEN
        RAISE EXCEPTION 'journal entry % is not balanced: debits % and credits % on % lines',
            entry.id, debits, credits, line_count
            USING ERRCODE = 'check_violation';
    END IF;
    IF entry.source IS NULL AND entry.reverses_id IS NULL AND entry.approver_id IS NULL THEN
        SELECT approval_threshold INTO threshold FROM books WHERE tenant_id = entry.tenant_id;
        IF threshold IS NOT NULL AND debits > threshold THEN
            RAISE EXCEPTION 'journal entry % totals % above the approval threshold %: it needs an approver',
                entry.id, debits, threshold
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
END $$
"""

_ENTRY_BALANCED = """
CREATE FUNCTION bo_journal_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bo_journal_check_balanced(NEW.tenant_id, NEW.id);
    RETURN NULL;
END $$
"""

_LINE_BALANCED = """
CREATE FUNCTION bo_journal_line_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM bo_journal_check_balanced(OLD.tenant_id, OLD.entry_id);
    ELSE
        PERFORM bo_journal_check_balanced(NEW.tenant_id, NEW.entry_id);
    END IF;
    RETURN NULL;
END $$
"""


def _rules() -> None:
    for function in (_ENTRY_FROZEN, _LINES_FROZEN, _OPEN_PERIOD, _BALANCED, _ENTRY_BALANCED, _LINE_BALANCED):
        op.execute(function)
    op.execute(
        "CREATE TRIGGER journal_entries_frozen BEFORE UPDATE OR DELETE ON journal_entries "
        "FOR EACH ROW EXECUTE FUNCTION bo_journal_entry_frozen()"
    )
    op.execute(
        "CREATE TRIGGER journal_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON journal_lines "
        "FOR EACH ROW EXECUTE FUNCTION bo_journal_lines_frozen()"
    )
    op.execute(
        "CREATE TRIGGER journal_entries_open_period BEFORE INSERT OR UPDATE ON journal_entries "
        "FOR EACH ROW EXECUTE FUNCTION bo_journal_entry_open_period()"
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER journal_entries_balanced AFTER INSERT OR UPDATE ON journal_entries "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bo_journal_entry_balanced()"
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER journal_lines_balanced AFTER INSERT OR UPDATE OR DELETE ON journal_lines "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bo_journal_line_balanced()"
    )


def upgrade() -> None:
    bind = op.get_bind()
    for enum in ENUMS:
        enum.create(bind)
    _tables()
    _rules()


def downgrade() -> None:
    for table in ("journal_counters", "book_periods", "journal_lines", "journal_entries", "book_accounts", "books"):
        op.drop_table(table)
    for function in (
        "bo_journal_line_balanced()", "bo_journal_entry_balanced()", "bo_journal_check_balanced(uuid, uuid)",
        "bo_journal_entry_open_period()", "bo_journal_lines_frozen()", "bo_journal_entry_frozen()",
    ):  # fmt: skip
        op.execute(f"DROP FUNCTION {function}")
    for enum in reversed(ENUMS):
        enum.drop(op.get_bind())
