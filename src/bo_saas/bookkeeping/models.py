"""The ledger's tables: a tenant's book, its accounts, journal entries and their lines, periods, the number counter.

Every table is tenant-owned: ``tenant_id`` leads the key and every reference
includes it (a line can only name its own tenant's account). Migration 0016
forces RLS on each and holds the rules the database enforces for every role:
balanced posted entries, posted entries and their lines frozen, locked periods
closed to posting, maker-checker above the book's threshold.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import BigInteger, Date, ForeignKeyConstraint, Integer, Numeric, SmallInteger, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey, value_enum

ACCOUNT_CODE = 20
ACCOUNT_GROUP = 120
CHART_CODE = 40
CURRENCY = 3
MEMO = 2000
LINE_DESCRIPTION = 500
SOURCE = 120
IBAN = 34
STATEMENT_TEXT = 500
STATEMENT_REF = 200
DEDUPE_KEY = 200


class AccountType(enum.StrEnum):
    ASSET = "asset"
    LIABILITY = "liability"
    EQUITY = "equity"
    INCOME = "income"
    EXPENSE = "expense"

    @property
    def debit_normal(self) -> bool:
        """Assets and expenses grow with debits; the rest grow with credits."""
        return self in (AccountType.ASSET, AccountType.EXPENSE)


class AccountStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # kept with its history; nothing new posts to it


class EntryStatus(enum.StrEnum):
    DRAFT = "draft"  # lines may change; no number yet
    PENDING_APPROVAL = "pending_approval"  # above the threshold: frozen until a second person approves
    POSTED = "posted"  # numbered and frozen for good


class PeriodStatus(enum.StrEnum):
    OPEN = "open"
    LOCKED = "locked"


class Book(TenantOwned, Timestamps, Base):
    """A tenant's one set of books: its base currency, fiscal year, approval threshold and chart template."""

    __tablename__ = "books"
    base_currency: Mapped[str] = mapped_column(String(CURRENCY))
    fiscal_year_start: Mapped[int] = mapped_column(SmallInteger)  # month 1..12
    approval_threshold: Mapped[int] = mapped_column(BigInteger)  # minor units of the base currency
    chart: Mapped[str] = mapped_column(String(CHART_CODE))


class LedgerAccount(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """An account of the chart; ``code`` is unique within the tenant and is how lines name it."""

    __tablename__ = "book_accounts"
    code: Mapped[str] = mapped_column(String(ACCOUNT_CODE))
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[AccountType] = mapped_column(value_enum(AccountType, "book_account_type"))
    group: Mapped[str | None] = mapped_column("account_group", String(ACCOUNT_GROUP))
    status: Mapped[AccountStatus] = mapped_column(
        value_enum(AccountStatus, "book_account_status"), default=AccountStatus.OPEN
    )


class JournalEntry(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "journal_entries"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "reverses_id"], ["journal_entries.tenant_id", "journal_entries.id"]),
    )
    fiscal_year: Mapped[int | None] = mapped_column(Integer)  # the calendar year the fiscal year starts in
    number: Mapped[int | None] = mapped_column(Integer)  # gap-free within the fiscal year, given at posting
    entry_date: Mapped[date] = mapped_column(Date)
    memo: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[EntryStatus] = mapped_column(value_enum(EntryStatus, "journal_entry_status"))
    maker_id: Mapped[UUID | None]
    approver_id: Mapped[UUID | None]
    reverses_id: Mapped[UUID | None]
    source: Mapped[str | None] = mapped_column(String(SOURCE))  # the ledger seam's idempotency key
    posted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class JournalLine(TenantOwned, Base):
    """One side of an entry: a debit or a credit in base minor units, optionally from a foreign amount."""

    __tablename__ = "journal_lines"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "entry_id"], ["journal_entries.tenant_id", "journal_entries.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(["tenant_id", "account_id"], ["book_accounts.tenant_id", "book_accounts.id"]),
    )
    entry_id: Mapped[UUID] = mapped_column(primary_key=True)
    line_number: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    account_id: Mapped[UUID]
    debit: Mapped[int] = mapped_column(BigInteger, default=0)
    credit: Mapped[int] = mapped_column(BigInteger, default=0)
    description: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str | None] = mapped_column(String(CURRENCY))
    foreign_amount: Mapped[int | None] = mapped_column(BigInteger)  # minor units of ``currency``
    rate: Mapped[Decimal | None] = mapped_column(Numeric(20, 10))  # base major units per foreign major unit


class Period(TenantOwned, UUIDPrimaryKey, Base):
    """A calendar month of a tenant's books; a locked one takes no postings."""

    __tablename__ = "book_periods"
    month: Mapped[date] = mapped_column(Date)  # its first day
    status: Mapped[PeriodStatus] = mapped_column(value_enum(PeriodStatus, "book_period_status"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    closed_by: Mapped[UUID | None]


class JournalCounter(TenantOwned, Base):
    """The last number given in a fiscal year; its row lock is what keeps numbers gap-free."""

    __tablename__ = "journal_counters"
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class BankAccount(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    """A tenant's bank account, booked on one of its asset accounts; statements are imported into it."""

    __tablename__ = "bank_accounts"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "ledger_account_id"], ["book_accounts.tenant_id", "book_accounts.id"]),
    )
    ledger_account_id: Mapped[UUID]
    name: Mapped[str] = mapped_column(String(200))
    iban: Mapped[str | None] = mapped_column(String(IBAN))  # compact form, no spaces
    currency: Mapped[str] = mapped_column(String(CURRENCY))
    # The CSV columns of this bank's exports (bank_import_csv.CsvMapping as a dict); None until one is given.
    csv_mapping: Mapped[dict | None] = mapped_column(JSONB)


class StatementLine(TenantOwned, UUIDPrimaryKey, Base):
    """One booking on a bank statement; ``dedupe_key`` makes importing the same statement twice a no-op."""

    __tablename__ = "bank_statement_lines"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "bank_account_id"], ["bank_accounts.tenant_id", "bank_accounts.id"], ondelete="CASCADE"
        ),
    )
    bank_account_id: Mapped[UUID]
    booked_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)  # signed minor units of the bank account's currency; + is money in
    description: Mapped[str] = mapped_column(String(STATEMENT_TEXT), default="")
    reference: Mapped[str] = mapped_column(String(STATEMENT_REF), default="")
    counterparty: Mapped[str] = mapped_column(String(STATEMENT_REF), default="")
    dedupe_key: Mapped[str] = mapped_column(String(DEDUPE_KEY))
    imported_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    reconciled_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))  # set once, with its matches


class BankMatch(TenantOwned, Base):
    """A journal line that accounts for (part of) a statement line; a journal line matches one statement line only."""

    __tablename__ = "bank_matches"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "statement_line_id"], ["bank_statement_lines.tenant_id", "bank_statement_lines.id"]
        ),
        ForeignKeyConstraint(
            ["tenant_id", "entry_id", "line_number"],
            ["journal_lines.tenant_id", "journal_lines.entry_id", "journal_lines.line_number"],
        ),
    )
    statement_line_id: Mapped[UUID] = mapped_column(primary_key=True)
    entry_id: Mapped[UUID] = mapped_column(primary_key=True)
    line_number: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    matched_by: Mapped[UUID | None]
    matched_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))


__all__ = [
    "AccountStatus",
    "AccountType",
    "BankAccount",
    "BankMatch",
    "Book",
    "EntryStatus",
    "JournalCounter",
    "JournalEntry",
    "JournalLine",
    "LedgerAccount",
    "Period",
    "PeriodStatus",
    "StatementLine",
]
from bo_saas.bookkeeping import contact_models as contact_models  # noqa: E402,F401  (registers the tables)
from bo_saas.bookkeeping import document_models as document_models  # noqa: E402,F401  (registers the tables)
