"""Contacts and open items (sales invoices, bills, payments and their allocations), and per-period balances.

Every table is tenant-owned with forced RLS (``create_tenant_table``); every
reference carries ``tenant_id``, so an invoice names only its own tenant's
contact and journal entry, and a payment settles only its own tenant's items.

- Invoices, bills, payments and allocations are append-only for the runtime
  role: each is booked by a journal entry, which never changes either. A
  correction is a reversal of that entry (the item then reads ``void``).
- An allocation settles an item of the payment's own contact and side
  (a payment received settles invoices, a payment made settles bills), and
  the allocations of an item never exceed its amount (a trigger; payments to
  one contact are serialised on the contact's row, so two at once cannot both fit).
- ``book_balances`` keeps each account's posted debits and credits per month,
  so the trial balance over any range reads whole months from it and scans
  lines only for the partial months at its edges. A trigger adds an entry's
  lines when it becomes posted (the only way lines enter the books: lines are
  written while the entry is a draft, and posted entries never change). The
  runtime role may only read it; the trigger writes as the owner.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op
from helpers import APPEND_ONLY, create_tenant_table
from sqlalchemy.dialects import postgresql as pg

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

CONTACT_KIND = pg.ENUM("customer", "vendor", name="book_contact_kind", create_type=False)
ITEM_KIND = pg.ENUM("invoice", "bill", name="book_open_item_kind", create_type=False)
PAYMENT_KIND = pg.ENUM("received", "paid", name="book_payment_kind", create_type=False)
ENUMS = (CONTACT_KIND, ITEM_KIND, PAYMENT_KIND)

_ALLOCATION_FITS = """
CREATE FUNCTION bo_book_allocation_fits() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    item book_open_items%ROWTYPE;
    payment book_payments%ROWTYPE;
    allocated bigint;
BEGIN
    SELECT * INTO item FROM book_open_items WHERE tenant_id = NEW.tenant_id AND id = NEW.open_item_id;
    SELECT * INTO payment FROM book_payments WHERE tenant_id = NEW.tenant_id AND id = NEW.payment_id;
    IF item.contact_id <> payment.contact_id
       OR (item.kind = 'invoice') <> (payment.kind = 'received') THEN
        RAISE EXCEPTION 'payment % cannot settle % %: another contact or the other side', payment.id, item.kind, item.id
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT coalesce(sum(amount), 0) INTO allocated FROM book_allocations
     WHERE tenant_id = NEW.tenant_id AND open_item_id = NEW.open_item_id;
    IF allocated + NEW.amount > item.amount THEN
        RAISE EXCEPTION '% % would be settled % of %', item.kind, item.id, allocated + NEW.amount, item.amount
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$
"""

# SECURITY DEFINER: the runtime role cannot write the balances itself, so it cannot cook them either.
_KEEP_BALANCES = """
CREATE FUNCTION bo_book_balances_add_entry() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO book_balances AS b (tenant_id, account_id, month, debit, credit)
    SELECT NEW.tenant_id, l.account_id, date_trunc('month', NEW.entry_date)::date, sum(l.debit), sum(l.credit)
      FROM journal_lines l
     WHERE l.tenant_id = NEW.tenant_id AND l.entry_id = NEW.id
     GROUP BY l.account_id
    ON CONFLICT (tenant_id, account_id, month)
    DO UPDATE SET debit = b.debit + EXCLUDED.debit, credit = b.credit + EXCLUDED.credit;
    RETURN NULL;
END $$
"""

_BACKFILL = """
INSERT INTO book_balances (tenant_id, account_id, month, debit, credit)
SELECT l.tenant_id, l.account_id, date_trunc('month', e.entry_date)::date, sum(l.debit), sum(l.credit)
  FROM journal_lines l
  JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
 WHERE e.status = 'posted'
 GROUP BY 1, 2, 3
"""


def _now(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def _entry_key() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["tenant_id", "entry_id"], ["journal_entries.tenant_id", "journal_entries.id"])


def _contact_key() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["tenant_id", "contact_id"], ["book_contacts.tenant_id", "book_contacts.id"])


def _contacts_and_items() -> None:
    create_tenant_table(
        "book_contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", CONTACT_KIND, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("tax_id", sa.String(40)),
        sa.Column("payment_terms_days", sa.SmallInteger(), nullable=False, server_default="30"),
        _now("created_at"),
        _now("updated_at"),
        sa.UniqueConstraint("tenant_id", "kind", "name", name="book_contacts_name"),
        sa.CheckConstraint("payment_terms_days BETWEEN 0 AND 365", name="book_contacts_terms"),
        grant="SELECT, INSERT, UPDATE",
    )
    create_tenant_table(
        "book_open_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", ITEM_KIND, nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(60), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False, server_default=""),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        _now("created_at"),
        _contact_key(),
        _entry_key(),
        sa.UniqueConstraint("tenant_id", "kind", "contact_id", "number", name="book_open_items_number"),
        sa.UniqueConstraint("tenant_id", "entry_id", name="book_open_items_entry"),
        sa.CheckConstraint("amount > 0", name="book_open_items_amount"),
        sa.CheckConstraint("due_date >= issue_date", name="book_open_items_due"),
        grant=APPEND_ONLY,
    )
    op.create_index("book_open_items_due", "book_open_items", ["tenant_id", "kind", "due_date"])
    create_tenant_table(
        "book_payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", PAYMENT_KIND, nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False, server_default=""),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        _now("created_at"),
        _contact_key(),
        _entry_key(),
        sa.ForeignKeyConstraint(["tenant_id", "account_id"], ["book_accounts.tenant_id", "book_accounts.id"]),
        sa.UniqueConstraint("tenant_id", "entry_id", name="book_payments_entry"),
        sa.CheckConstraint("amount > 0", name="book_payments_amount"),
        grant=APPEND_ONLY,
    )
    create_tenant_table(
        "book_allocations",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("open_item_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "payment_id"], ["book_payments.tenant_id", "book_payments.id"]),
        sa.ForeignKeyConstraint(["tenant_id", "open_item_id"], ["book_open_items.tenant_id", "book_open_items.id"]),
        sa.CheckConstraint("amount > 0", name="book_allocations_amount"),
        key=("payment_id", "open_item_id"),
        grant=APPEND_ONLY,
    )
    op.create_index("book_allocations_item", "book_allocations", ["tenant_id", "open_item_id"])
    op.execute(_ALLOCATION_FITS)
    op.execute(
        "CREATE TRIGGER book_allocations_fit BEFORE INSERT ON book_allocations "
        "FOR EACH ROW EXECUTE FUNCTION bo_book_allocation_fits()"
    )


def _balances() -> None:
    create_tenant_table(
        "book_balances",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "account_id"], ["book_accounts.tenant_id", "book_accounts.id"]),
        key=("account_id", "month"),
        grant="SELECT",
    )
    op.execute(_KEEP_BALANCES)
    op.execute("REVOKE ALL ON FUNCTION bo_book_balances_add_entry() FROM PUBLIC")
    op.execute(
        "CREATE TRIGGER journal_entries_balances AFTER UPDATE OF status ON journal_entries FOR EACH ROW "
        "WHEN (NEW.status = 'posted' AND OLD.status <> 'posted') EXECUTE FUNCTION bo_book_balances_add_entry()"
    )
    op.execute(_BACKFILL)


def upgrade() -> None:
    bind = op.get_bind()
    for enum in ENUMS:
        enum.create(bind)
    _contacts_and_items()
    _balances()


def downgrade() -> None:
    op.execute("DROP TRIGGER journal_entries_balances ON journal_entries")
    for table in ("book_balances", "book_allocations", "book_payments", "book_open_items", "book_contacts"):
        op.drop_table(table)
    op.execute("DROP FUNCTION bo_book_balances_add_entry()")
    op.execute("DROP FUNCTION bo_book_allocation_fits()")
    for enum in reversed(ENUMS):
        enum.drop(op.get_bind())
