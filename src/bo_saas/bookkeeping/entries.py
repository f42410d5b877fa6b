"""Journal entries while they are drafts: lines named by account code, checked, saved, changed, deleted.

A draft may be unbalanced while someone works on it; posting (``posting``)
insists on balance. Every line is checked here the same way for drafts, the
API and the ledger seam: one side only, a positive amount, an open account of
the tenant, and a foreign amount only with its currency and rate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.errors import EntryNotFound, InvalidBookkeepingRequest, LedgerConflict
from bo_saas.bookkeeping.models import (
    AccountStatus,
    Book,
    EntryStatus,
    JournalEntry,
    JournalLine,
    LedgerAccount,
)
from bo_saas.lib.repository import TenantRepository

CURRENCY_FORMAT = re.compile(r"^[A-Z]{3}$")
MAX_LINES = 500


class Entries(TenantRepository[JournalEntry]):
    model = JournalEntry
    not_found = EntryNotFound
    not_found_message = "No such journal entry"


@dataclass(frozen=True, slots=True)
class LineInput:
    """One line as a caller writes it: the account's code and a debit or a credit in base minor units."""

    account: str
    debit: int = 0
    credit: int = 0
    description: str = ""
    currency: str | None = None  # a foreign-currency line: its currency, amount (minor units) and rate
    foreign_amount: int | None = None
    rate: Decimal | None = None


def _line_problems(index: int, line: LineInput, book: Book) -> list[str]:
    where = f"lines[{index}]"
    problems = []
    if line.debit < 0 or line.credit < 0:
        problems.append(f"{where}: amounts are never negative; use the other side")
    elif (line.debit == 0) == (line.credit == 0):
        problems.append(f"{where}: give a debit or a credit, exactly one of them, above 0")
    foreign = (line.currency, line.foreign_amount, line.rate)
    if any(value is not None for value in foreign):
        if any(value is None for value in foreign):
            problems.append(f"{where}: a foreign-currency line needs currency, foreign_amount and rate together")
        elif not CURRENCY_FORMAT.match(line.currency or ""):
            problems.append(f"{where}.currency: {line.currency!r} is not an ISO 4217 code")
        elif line.currency == book.base_currency:
            problems.append(f"{where}.currency: {line.currency} is the book's base currency; leave it out")
        elif (line.foreign_amount or 0) <= 0 or (line.rate or 0) <= 0:
            problems.append(f"{where}: foreign_amount and rate must be above 0")
    return problems


async def checked_lines(
    session: AsyncSession, book: Book, lines: Sequence[LineInput]
) -> list[tuple[LineInput, LedgerAccount]]:
    """Each line with its account; 400 listing every problem with its place when any line is wrong."""
    if not 1 <= len(lines) <= MAX_LINES:
        raise InvalidBookkeepingRequest(f"An entry has from 1 to {MAX_LINES} lines")
    codes = {line.account for line in lines}
    accounts = {
        account.code: account
        for account in await session.scalars(
            select(LedgerAccount).where(LedgerAccount.tenant_id == book.tenant_id, LedgerAccount.code.in_(codes))
        )
    }
    problems = []
    for index, line in enumerate(lines):
        problems += _line_problems(index, line, book)
        account = accounts.get(line.account)
        if account is None:
            problems.append(f"lines[{index}].account: no account {line.account!r} in the chart")
        elif account.status is AccountStatus.CLOSED:
            problems.append(f"lines[{index}].account: account {line.account} is closed")
    if problems:
        raise InvalidBookkeepingRequest("The entry's lines have problems", extra={"problems": problems})
    return [(line, accounts[line.account]) for line in lines]


def _add_lines(session: AsyncSession, entry: JournalEntry, lines: list[tuple[LineInput, LedgerAccount]]) -> None:
    for number, (line, account) in enumerate(lines, start=1):
        session.add(
            JournalLine(
                tenant_id=entry.tenant_id, entry_id=entry.id, line_number=number, account_id=account.id,
                debit=line.debit, credit=line.credit, description=line.description, currency=line.currency,
                foreign_amount=line.foreign_amount, rate=line.rate,
            )
        )  # fmt: skip


async def create_draft(
    session: AsyncSession,
    book: Book,
    *,
    entry_date: date,
    memo: str,
    lines: Sequence[LineInput],
    maker_id: UUID | None,
    source: str | None = None,
) -> JournalEntry:
    checked = await checked_lines(session, book, lines)
    entry = JournalEntry(
        id=uuid4(), tenant_id=book.tenant_id, entry_date=entry_date, memo=memo, status=EntryStatus.DRAFT,
        maker_id=maker_id, source=source,
    )  # fmt: skip
    session.add(entry)
    await session.flush()  # the entry before its lines: they reference it
    _add_lines(session, entry, checked)
    await session.flush()
    return entry


def require_draft(entry: JournalEntry, doing: str) -> None:
    refuse_unless_draft(entry.status, doing)


def refuse_unless_draft(status: EntryStatus, doing: str) -> None:
    """409 unless ``status`` is a draft's (for callers holding the status without the row)."""
    if status is not EntryStatus.DRAFT:
        hint = "reverse it instead" if status is EntryStatus.POSTED else "it waits for approval"
        raise LedgerConflict(f"Journal entry is {status.value}: only a draft can be {doing}; {hint}")


async def update_draft(
    session: AsyncSession,
    book: Book,
    entry: JournalEntry,
    *,
    entry_date: date | None = None,
    memo: str | None = None,
    lines: Sequence[LineInput] | None = None,
) -> None:
    require_draft(entry, "changed")
    if entry_date is not None:
        entry.entry_date = entry_date
    if memo is not None:
        entry.memo = memo
    if lines is not None:
        checked = await checked_lines(session, book, lines)
        await session.execute(
            delete(JournalLine).where(JournalLine.tenant_id == entry.tenant_id, JournalLine.entry_id == entry.id)
        )
        _add_lines(session, entry, checked)
    await session.flush()


async def delete_draft(session: AsyncSession, entry: JournalEntry) -> None:
    require_draft(entry, "deleted")
    await session.delete(entry)
    await session.flush()


async def lines_of(session: AsyncSession, tenant_id: UUID, entry_ids: Sequence[UUID]) -> dict[UUID, list]:
    """Each entry's lines in order, with their account's code."""
    rows = await session.execute(
        select(JournalLine, LedgerAccount.code)
        .join(
            LedgerAccount,
            (LedgerAccount.tenant_id == JournalLine.tenant_id) & (LedgerAccount.id == JournalLine.account_id),
        )
        .where(JournalLine.tenant_id == tenant_id, JournalLine.entry_id.in_(entry_ids))
        .order_by(JournalLine.entry_id, JournalLine.line_number)
    )
    found: dict[UUID, list] = {entry_id: [] for entry_id in entry_ids}
    for line, code in rows.all():
        found[line.entry_id].append((line, code))
    return found


async def reversals_of(session: AsyncSession, tenant_id: UUID, entry_ids: Sequence[UUID]) -> dict[UUID, UUID]:
    """The entry that reverses each of ``entry_ids`` (the reversal points at its original; nothing is written back)."""
    rows = await session.execute(
        select(JournalEntry.reverses_id, JournalEntry.id).where(
            JournalEntry.tenant_id == tenant_id, JournalEntry.reverses_id.in_(entry_ids)
        )
    )
    return {original: reversal for original, reversal in rows.all()}
