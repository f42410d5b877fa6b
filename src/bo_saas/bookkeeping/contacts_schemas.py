"""Request and response bodies of contacts, invoices, bills, payments, aging and the book's settings.

Amounts are integer minor units of the book's base currency. An open item
(invoice or bill) reads ``{"id", "kind", "contact_id", "contact", "number",
"date", "due_date", "description", "amount", "open_amount", "status",
"entry_id", "entry_number"}``; ``status`` is ``pending_approval`` (its entry
waits for a second person), ``open``, ``partially_paid``, ``paid`` or ``void``
(its entry was reversed).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from bo_saas.bookkeeping.contact_models import CONTACT_NAME, EMAIL, ITEM_NUMBER, REFERENCE, TAX_ID
from bo_saas.bookkeeping.models import LINE_DESCRIPTION, MEMO
from bo_saas.bookkeeping.schemas import AccountCode
from bo_saas.lib import limits

ContactKindName = Literal["customer", "vendor"]
ItemStatusName = Literal["pending_approval", "open", "partially_paid", "paid", "void"]
PaymentStatusName = Literal["pending_approval", "posted", "void"]
PositiveAmount = Annotated[int, msgspec.Meta(gt=0, le=2**62)]
Terms = Annotated[int, msgspec.Meta(ge=0, le=365)]


class ContactIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: ContactKindName
    name: limits.text(CONTACT_NAME, min_length=1)
    email: limits.text(EMAIL) | None = None
    tax_id: limits.text(TAX_ID) | None = None
    payment_terms_days: Terms = 30


class ContactUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields left out stay as they are; ``email: ""`` or ``tax_id: ""`` clears it. The kind never changes."""

    name: limits.text(CONTACT_NAME, min_length=1) | None = None
    email: limits.text(EMAIL) | None = None
    tax_id: limits.text(TAX_ID) | None = None
    payment_terms_days: Terms | None = None


class ContactOut(msgspec.Struct):
    id: UUID
    kind: ContactKindName
    name: str
    email: str | None
    tax_id: str | None
    payment_terms_days: int
    open_amount: int  # what the contact's live invoices (customer) or bills (vendor) still have open


class ItemLineIn(msgspec.Struct, forbid_unknown_fields=True):
    """What the item books besides the control account: income (invoice) or expense (bill), VAT, …"""

    account: AccountCode
    amount: PositiveAmount
    description: limits.text(LINE_DESCRIPTION) = ""


class OpenItemIn(msgspec.Struct, forbid_unknown_fields=True):
    contact: UUID
    number: limits.text(ITEM_NUMBER, min_length=1)
    date: dt.date
    lines: Annotated[list[ItemLineIn], msgspec.Meta(min_length=1, max_length=200)]
    due_date: dt.date | None = None  # default: date + the contact's payment terms
    description: limits.text(MEMO) = ""


class OpenItemOut(msgspec.Struct):
    id: UUID
    kind: Literal["invoice", "bill"]
    contact_id: UUID
    contact: str
    number: str
    date: dt.date
    due_date: dt.date
    description: str
    amount: int
    open_amount: int
    status: ItemStatusName
    entry_id: UUID
    entry_number: str | None


class AllocationIn(msgspec.Struct, forbid_unknown_fields=True):
    item: UUID  # an invoice or a bill
    amount: PositiveAmount


class PaymentIn(msgspec.Struct, forbid_unknown_fields=True):
    """A payment settling one or more items of one contact: all invoices (received) or all bills (paid)."""

    date: dt.date
    account: AccountCode  # the open asset account (bank, cash) the money moved through
    allocations: Annotated[list[AllocationIn], msgspec.Meta(min_length=1, max_length=200)]
    reference: limits.text(REFERENCE) = ""


class AllocationOut(msgspec.Struct):
    item: UUID
    number: str
    amount: int


class PaymentOut(msgspec.Struct):
    id: UUID
    kind: Literal["received", "paid"]
    contact_id: UUID
    contact: str
    date: dt.date
    account: str
    amount: int
    reference: str
    status: PaymentStatusName
    entry_id: UUID
    entry_number: str | None
    allocations: list[AllocationOut]


class AgingTotalsOut(msgspec.Struct):
    days_0_30: int  # not yet due, or up to 30 days past due
    days_31_60: int
    days_61_90: int
    days_over_90: int
    total: int


class AgingRowOut(AgingTotalsOut):
    contact_id: UUID
    contact: str


class AgingOut(msgspec.Struct, rename={"as_of": "to"}):
    as_of: dt.date
    kind: Literal["receivable", "payable"]
    currency: str
    rows: list[AgingRowOut]  # contacts with anything open, by name
    totals: AgingTotalsOut


class BookSettingsOut(msgspec.Struct):
    chart: str
    base_currency: str
    fiscal_year_start: int  # month 1..12
    approval_threshold: int  # minor units of the base currency: entries above it need a second person
    currency_digits: int  # minor units per major unit as a power of ten (2 for USD, 3 for KWD, 0 for JPY)
