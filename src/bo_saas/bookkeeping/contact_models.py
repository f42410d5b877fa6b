"""Contacts and open items: customers and vendors, sales invoices and bills, payments and what they settle,
and the per-month account balances the trial balance reads (migration 0027).

Invoices, bills, payments and allocations are append-only: each is booked by a
journal entry, which never changes either; a reversal of that entry voids it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import BigInteger, Date, ForeignKeyConstraint, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey, utc_now, value_enum

CONTACT_NAME = 200
EMAIL = 320
TAX_ID = 40
ITEM_NUMBER = 60
REFERENCE = 200


class ContactKind(enum.StrEnum):
    CUSTOMER = "customer"  # we invoice them: receivables
    VENDOR = "vendor"  # they bill us: payables


class OpenItemKind(enum.StrEnum):
    INVOICE = "invoice"  # a sales invoice: a receivable
    BILL = "bill"  # a vendor's bill: a payable

    @property
    def contact_kind(self) -> ContactKind:
        return ContactKind.CUSTOMER if self is OpenItemKind.INVOICE else ContactKind.VENDOR

    @property
    def payment_kind(self) -> PaymentKind:
        return PaymentKind.RECEIVED if self is OpenItemKind.INVOICE else PaymentKind.PAID


class PaymentKind(enum.StrEnum):
    RECEIVED = "received"  # from a customer, settling invoices
    PAID = "paid"  # to a vendor, settling bills


def _contact_key() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", "contact_id"], ["book_contacts.tenant_id", "book_contacts.id"])


def _entry_key() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", "entry_id"], ["journal_entries.tenant_id", "journal_entries.id"])


class Contact(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "book_contacts"
    kind: Mapped[ContactKind] = mapped_column(value_enum(ContactKind, "book_contact_kind"))
    name: Mapped[str] = mapped_column(String(CONTACT_NAME))
    email: Mapped[str | None] = mapped_column(String(EMAIL))
    tax_id: Mapped[str | None] = mapped_column(String(TAX_ID))
    payment_terms_days: Mapped[int] = mapped_column(SmallInteger, default=30)  # due date = issue date + terms


class OpenItem(TenantOwned, UUIDPrimaryKey, Base):
    """A sales invoice or a bill: an amount owed by or to a contact, booked on the AR or AP control account."""

    __tablename__ = "book_open_items"
    __table_args__ = (_contact_key(), _entry_key())
    kind: Mapped[OpenItemKind] = mapped_column(value_enum(OpenItemKind, "book_open_item_kind"))
    contact_id: Mapped[UUID]
    number: Mapped[str] = mapped_column(String(ITEM_NUMBER))  # ours for an invoice, the vendor's for a bill
    issue_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[int] = mapped_column(BigInteger)  # minor units of the base currency, what the entry books
    entry_id: Mapped[UUID]
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class Payment(TenantOwned, UUIDPrimaryKey, Base):
    """Money received from a customer or paid to a vendor through a bank or cash account, allocated to items."""

    __tablename__ = "book_payments"
    __table_args__ = (
        _contact_key(),
        _entry_key(),
        ForeignKeyConstraint(["tenant_id", "account_id"], ["book_accounts.tenant_id", "book_accounts.id"]),
    )
    kind: Mapped[PaymentKind] = mapped_column(value_enum(PaymentKind, "book_payment_kind"))
    contact_id: Mapped[UUID]
    payment_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    account_id: Mapped[UUID]  # the bank or cash account the money moved through
    reference: Mapped[str] = mapped_column(String(REFERENCE), default="")
    entry_id: Mapped[UUID]
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True), default=utc_now)


class Allocation(TenantOwned, Base):
    """The part of a payment that settles one open item."""

    __tablename__ = "book_allocations"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "payment_id"], ["book_payments.tenant_id", "book_payments.id"]),
        ForeignKeyConstraint(["tenant_id", "open_item_id"], ["book_open_items.tenant_id", "book_open_items.id"]),
    )
    payment_id: Mapped[UUID] = mapped_column(primary_key=True)
    open_item_id: Mapped[UUID] = mapped_column(primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)


class PeriodBalance(TenantOwned, Base):
    """An account's posted debits and credits in one month; kept by a trigger as entries post, read-only here."""

    __tablename__ = "book_balances"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "account_id"], ["book_accounts.tenant_id", "book_accounts.id"]),
    )
    account_id: Mapped[UUID] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # its first day
    debit: Mapped[int] = mapped_column(BigInteger)
    credit: Mapped[int] = mapped_column(BigInteger)


__all__ = [
    "Allocation",
    "Contact",
    "ContactKind",
    "OpenItem",
    "OpenItemKind",
    "Payment",
    "PaymentKind",
    "PeriodBalance",
]
