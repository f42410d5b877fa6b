"""Request and response bodies of the Bookkeeping desk's routes (``/api/v1/books/...``).

Amounts are integer minor units of the book's base currency. A journal entry
reads ``{"id", "number", "date", "memo", "status", "lines": [{"account",
"debit", "credit", "description"}], "reverses", "reversed_by"}``; a line in a
foreign currency also carries ``currency``, ``foreign_amount`` and ``rate``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from bo_saas.bookkeeping.models import ACCOUNT_CODE, ACCOUNT_GROUP, LINE_DESCRIPTION, MEMO
from bo_saas.lib import limits

AccountTypeName = Literal["asset", "liability", "equity", "income", "expense"]
AccountStatusName = Literal["open", "closed"]
EntryStatusName = Literal["draft", "pending_approval", "posted"]
PeriodStatusName = Literal["open", "locked"]
# PostgreSQL's bigint: a larger amount is refused here, naming the field, not by the driver.
Amount = Annotated[int, msgspec.Meta(ge=0, le=2**62)]
AccountCode = Annotated[
    str, msgspec.Meta(min_length=1, max_length=ACCOUNT_CODE, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
]
Currency = Annotated[str, msgspec.Meta(min_length=3, max_length=3, pattern="^[A-Z]{3}$")]
# A decimal string ("3.6725"), base major units per foreign major unit; read exactly, never as a float.
Rate = Annotated[str, msgspec.Meta(min_length=1, max_length=24, pattern=r"^[0-9]{1,10}(\.[0-9]{1,10})?$")]


class AccountOut(msgspec.Struct):
    id: UUID
    code: str
    name: str
    type: AccountTypeName
    group: str | None
    status: AccountStatusName


class AccountIn(msgspec.Struct, forbid_unknown_fields=True):
    code: AccountCode
    name: limits.text(limits.NAME, min_length=1)
    type: AccountTypeName
    group: limits.text(ACCOUNT_GROUP) | None = None


class AccountUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields left out stay as they are; ``group: ""`` takes the account out of its group."""

    name: limits.text(limits.NAME, min_length=1) | None = None
    group: limits.text(ACCOUNT_GROUP) | None = None
    status: AccountStatusName | None = None


class LineIn(msgspec.Struct, forbid_unknown_fields=True):
    account: AccountCode
    debit: Amount = 0
    credit: Amount = 0
    description: limits.text(LINE_DESCRIPTION) = ""
    currency: Currency | None = None
    foreign_amount: Annotated[int, msgspec.Meta(gt=0, le=2**62)] | None = None
    rate: Rate | None = None


class LineOut(msgspec.Struct, omit_defaults=True):
    account: str
    debit: int
    credit: int
    description: str
    currency: str | None = None
    foreign_amount: int | None = None
    rate: str | None = None


class EntryIn(msgspec.Struct, forbid_unknown_fields=True):
    date: dt.date
    lines: Annotated[list[LineIn], msgspec.Meta(min_length=1, max_length=500)]
    memo: limits.text(MEMO) = ""


class EntryUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """A draft's fields to change; ``lines`` replaces all of them."""

    date: dt.date | None = None
    memo: limits.text(MEMO) | None = None
    lines: Annotated[list[LineIn], msgspec.Meta(min_length=1, max_length=500)] | None = None


class ReversalIn(msgspec.Struct, forbid_unknown_fields=True):
    """The reversal's date (default: today in the tenant's time zone) and memo (default: "Reversal of <number>")."""

    date: dt.date | None = None
    memo: limits.text(MEMO) | None = None


class EntryOut(msgspec.Struct):
    id: UUID
    number: str | None
    date: dt.date
    memo: str
    status: EntryStatusName
    lines: list[LineOut]
    reverses: UUID | None
    reversed_by: UUID | None


class PeriodOut(msgspec.Struct):
    id: UUID
    month: str  # "YYYY-MM"
    status: PeriodStatusName


class ReopenIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: limits.text(limits.REASON, min_length=1)


class TrialBalanceRowOut(msgspec.Struct):
    account: str
    name: str
    debit: int
    credit: int
    balance: int


class TrialBalanceOut(msgspec.Struct, rename={"start": "from", "end": "to"}):
    start: dt.date | None
    end: dt.date | None
    rows: list[TrialBalanceRowOut]
    total_debit: int
    total_credit: int


class StatementRowOut(msgspec.Struct):
    account: str
    name: str
    group: str | None
    amount: int  # minor units, signed as its section reads (income: credits less debits; expenses: the reverse)


class ProfitAndLossOut(msgspec.Struct, rename={"start": "from", "end": "to"}):
    start: dt.date | None
    end: dt.date | None
    income: list[StatementRowOut]
    expenses: list[StatementRowOut]
    total_income: int
    total_expenses: int
    net_result: int


class BalanceSheetOut(msgspec.Struct, rename={"as_of": "to"}):
    as_of: dt.date | None
    assets: list[StatementRowOut]
    liabilities: list[StatementRowOut]
    equity: list[StatementRowOut]
    result: int  # income less expenses up to the date, not yet closed into equity
    total_assets: int
    total_liabilities: int
    total_equity: int  # with the result
    total_liabilities_and_equity: int


class LedgerLineOut(msgspec.Struct):
    date: dt.date
    entry: str
    memo: str
    description: str
    debit: int
    credit: int
    balance: int


class LedgerAccountOut(msgspec.Struct):
    account: str
    name: str
    opening: int
    lines: list[LedgerLineOut]
    closing: int


class GeneralLedgerOut(msgspec.Struct, rename={"start": "from", "end": "to"}):
    start: dt.date | None
    end: dt.date | None
    accounts: list[LedgerAccountOut]


class VatReturnOut(msgspec.Struct, rename={"start": "from", "end": "to"}):
    start: dt.date | None
    end: dt.date | None
    sales: int
    purchases: int
    output_vat: int
    input_vat: int
    net_vat: int  # owed when positive, to reclaim when negative


# --- Bank accounts, statements and reconciliation -------------------------------------------------------------

ColumnName = limits.text(100, min_length=1)


class CsvMapping(msgspec.Struct, forbid_unknown_fields=True):
    """Which header names a bank's CSV export uses: ``amount`` (signed), or ``debit`` (paid out) and ``credit``
    (received); ``date_format`` is a ``strptime`` format; ``delimiter`` is guessed from the header when left out."""

    date: ColumnName
    amount: ColumnName | None = None
    debit: ColumnName | None = None
    credit: ColumnName | None = None
    description: ColumnName | None = None
    reference: ColumnName | None = None
    counterparty: ColumnName | None = None
    date_format: limits.text(40, min_length=2) = "%Y-%m-%d"
    decimal_separator: Literal[".", ","] = "."
    delimiter: Literal[",", ";", "\t", "|"] | None = None


class BankAccountIn(msgspec.Struct, forbid_unknown_fields=True):
    ledger_account: AccountCode  # the asset account the bank's money is booked on
    name: limits.text(limits.NAME, min_length=1)
    currency: Currency
    iban: limits.text(42) | None = None  # spaces allowed as printed; stored compact
    csv_mapping: CsvMapping | None = None


class BankAccountOut(msgspec.Struct):
    id: UUID
    ledger_account: str
    name: str
    iban: str | None
    currency: str
    csv_mapping: CsvMapping | None


class StatementImportOut(msgspec.Struct):
    format: Literal["csv", "ofx", "camt053"]
    lines: int  # bookings in the file
    new: int  # imported now
    known: int  # imported before (same dedupe key): left as they were


class StatementLineOut(msgspec.Struct):
    id: UUID
    date: dt.date
    amount: int  # signed minor units of the bank account's currency; + is money in
    description: str
    reference: str
    counterparty: str
    reconciled: bool


class JournalLineRef(msgspec.Struct, forbid_unknown_fields=True):
    entry_id: UUID
    line_number: Annotated[int, msgspec.Meta(ge=1, le=32767)]


class SuggestedLineOut(msgspec.Struct):
    entry_id: UUID
    line_number: int
    entry_number: str | None
    date: dt.date
    amount: int  # signed, in the bank account's currency: + is a debit to the bank's ledger account
    text: str  # the entry's memo and the line's description


class UnmatchedJournalLinesOut(msgspec.Struct):
    """Posted journal lines on the bank's ledger account not matched yet, for matching by hand."""

    items: list[SuggestedLineOut]  # by date, then entry
    total: int
    limit: int
    offset: int
    date_from: dt.date = msgspec.field(name="from")
    date_to: dt.date = msgspec.field(name="to")


class SuggestionOut(msgspec.Struct):
    lines: list[SuggestedLineOut]  # one line, or several that together make the statement line's amount
    similarity: float  # 0..1: the statement's reference, counterparty and text against the entries' text
    days_apart: int  # the furthest line's distance from the statement date


class ReconciliationLineOut(msgspec.Struct):
    line: StatementLineOut
    suggestions: list[SuggestionOut]


class ReconciliationOut(msgspec.Struct):
    items: list[ReconciliationLineOut]  # unreconciled statement lines, oldest first
    total: int
    limit: int
    offset: int
    window_days: int


class MatchIn(msgspec.Struct, forbid_unknown_fields=True):
    statement_line_id: UUID
    journal_lines: Annotated[list[JournalLineRef], msgspec.Meta(min_length=1, max_length=50)]


class MatchOut(msgspec.Struct):
    line: StatementLineOut
    journal_lines: list[JournalLineRef]


class AutoMatchIn(msgspec.Struct, forbid_unknown_fields=True):
    window_days: Annotated[int, msgspec.Meta(ge=0, le=31)] = 5  # days either side of each statement date


class AutoMatchedOut(msgspec.Struct):
    line: StatementLineOut
    journal_lines: list[SuggestedLineOut]


class AutoMatchOut(msgspec.Struct):
    """What auto-matching accepted (each match final, as one accepted by hand) and how many lines it left."""

    matched: int
    left: int  # unreconciled statement lines left for a person
    matches: list[AutoMatchedOut]
