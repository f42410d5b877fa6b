"""Matching bank statement lines to posted journal lines on the bank's ledger account.

Suggestions need the exact amount within a date window: one journal line, or
two or three that sum to the statement line (a customer paying several
invoices at once). Among those, text similarity decides the order.

References decide against a pairing, never only for it (erpnext #46725 paired
equal amounts whose references disagreed): a reference is a token such as
``INV-7`` or ``PO12345`` (letters then digits) in the statement's reference or
description, or in a journal line's memo and description. When both sides
carry references and none is shared, the journal line is never suggested for
that statement line. Auto-matching (``auto_matches``) accepts only what leaves
no doubt: the one suggestion whose every line shares a reference with the
statement line, or, where neither side names any reference, the only
suggestion there is, of a single journal line that no other statement line
wants. Everything else is left for a person.

An accepted match is final: the match rows are append-only and a reconciled
statement line cannot change (migration 0023). The reconciliation is the
evidence that the books agree with the bank; a mistake is corrected by a
reversing entry and a new match, as any posted booking is, never by quietly
taking the evidence away.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from difflib import SequenceMatcher
from functools import cached_property
from itertools import combinations
from uuid import UUID

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.errors import LedgerConflict, StatementLineNotFound, UnbalancedEntry
from bo_saas.bookkeeping.models import (
    BankAccount,
    BankMatch,
    Book,
    EntryStatus,
    JournalEntry,
    JournalLine,
    StatementLine,
)
from bo_saas.bookkeeping.posting import entry_number
from bo_saas.bookkeeping.schemas import JournalLineRef, SuggestedLineOut, SuggestionOut

DEFAULT_WINDOW_DAYS = 5
MAX_SUGGESTIONS = 5
MAX_PARTS = 3  # a statement line is suggested as the sum of at most this many journal lines
MAX_PART_CANDIDATES = 25  # nearest-dated candidates tried as parts: C(25, 3) = 2 300 sums per statement line
# Letters, an optional separator, then digits (more groups may follow): INV-7, PO12345, INV-2026-0012, SO/81.
_REFERENCE = re.compile(r"\b[A-Z]{1,8}[-/#]?\d+(?:[-/]\d+)*[A-Z]?\b")
_SEPARATORS = str.maketrans("", "", "-/#")


def references(*texts: str | None) -> frozenset[str]:
    """The reference tokens in ``texts``, upper-cased and without separators (``inv-7`` and ``INV7`` agree)."""
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(token.translate(_SEPARATORS) for token in _REFERENCE.findall(text.upper()))
    return frozenset(found)


@dataclass(frozen=True)
class Candidate:
    entry_id: UUID
    line_number: int
    entry_number: str | None
    day: date
    amount: int  # signed, in the bank account's currency: + is a debit to the bank's ledger account
    text: str

    @cached_property
    def references(self) -> frozenset[str]:
        return references(self.text)

    def out(self) -> SuggestedLineOut:
        return SuggestedLineOut(
            entry_id=self.entry_id, line_number=self.line_number, entry_number=self.entry_number, date=self.day,
            amount=self.amount, text=self.text,
        )  # fmt: skip


def _signed(line: JournalLine, account: BankAccount, book: Book) -> int | None:
    """The line's amount in the bank's currency; None when it was booked in another currency."""
    sign = 1 if line.debit else -1
    if line.currency is None:
        return line.debit - line.credit if account.currency == book.base_currency else None
    return sign * line.foreign_amount if line.currency == account.currency else None


def _unmatched_lines(account: BankAccount):
    return (
        select(JournalLine, JournalEntry)
        .join(
            JournalEntry, (JournalEntry.tenant_id == JournalLine.tenant_id) & (JournalEntry.id == JournalLine.entry_id)
        )
        .where(
            JournalLine.tenant_id == account.tenant_id,
            JournalLine.account_id == account.ledger_account_id,
            JournalEntry.status == EntryStatus.POSTED,
            ~exists().where(
                BankMatch.tenant_id == JournalLine.tenant_id,
                BankMatch.entry_id == JournalLine.entry_id,
                BankMatch.line_number == JournalLine.line_number,
            ),
        )
    )


def _candidate(line: JournalLine, entry: JournalEntry, amount: int) -> Candidate:
    text = " ".join(part for part in (entry.memo, line.description) if part)
    return Candidate(entry.id, line.line_number, entry_number(entry), entry.entry_date, amount, text)


async def candidates(
    session: AsyncSession, account: BankAccount, book: Book, start: date, end: date
) -> list[Candidate]:
    """Unmatched posted lines on the bank's ledger account dated from ``start`` to ``end``."""
    rows = await session.execute(
        _unmatched_lines(account)
        .where(JournalEntry.entry_date.between(start, end))
        .order_by(JournalEntry.entry_date, JournalEntry.number, JournalLine.entry_id, JournalLine.line_number)
    )
    found = []
    for line, entry in rows.all():
        amount = _signed(line, account, book)
        if amount is not None:
            found.append(_candidate(line, entry, amount))
    return found


def _similarity(statement: StatementLine, parts: tuple[Candidate, ...]) -> float:
    ours = " ".join(part.text for part in parts).lower()
    theirs = " ".join(filter(None, (statement.reference, statement.counterparty, statement.description))).lower()
    if not ours or not theirs:
        return 0.0
    # Either side's reference often sits whole inside the other's longer text.
    if statement.reference and statement.reference.lower() in ours:
        return 1.0
    return round(SequenceMatcher(None, ours, theirs).ratio(), 3)


def statement_references(statement: StatementLine) -> frozenset[str]:
    return references(statement.reference, statement.description)


def _disagrees(theirs: frozenset[str], part: Candidate) -> bool:
    """Both sides name references and share none: never paired."""
    ours = part.references
    return bool(theirs and ours and not theirs & ours)


def suggest(statement: StatementLine, pool: list[Candidate], window_days: int) -> list[SuggestionOut]:
    return [
        SuggestionOut(lines=[c.out() for c in group], similarity=similarity, days_apart=days)
        for group, similarity, days in ranked_groups(statement, pool, window_days)[:MAX_SUGGESTIONS]
    ]


def ranked_groups(
    statement: StatementLine, pool: list[Candidate], window_days: int
) -> list[tuple[tuple[Candidate, ...], float, int]]:
    """Every way to make the statement line's amount, best first: (journal lines, similarity, days apart)."""
    theirs = statement_references(statement)
    near = [c for c in pool if abs((c.day - statement.booked_on).days) <= window_days and not _disagrees(theirs, c)]
    groups: list[tuple[Candidate, ...]] = [(c,) for c in near if c.amount == statement.amount]
    # Parts share the statement line's sign and are each smaller than it.
    parts = [c for c in near if 0 < c.amount * statement.amount and abs(c.amount) < abs(statement.amount)]
    parts.sort(key=lambda c: abs((c.day - statement.booked_on).days))
    parts = parts[:MAX_PART_CANDIDATES]
    for size in range(2, MAX_PARTS + 1):
        groups += [combo for combo in combinations(parts, size) if sum(c.amount for c in combo) == statement.amount]
    ranked = sorted(
        (
            (
                len(group),
                -_similarity(statement, group),
                max(abs((c.day - statement.booked_on).days) for c in group),
                group,
            )  # fmt: skip
            for group in groups
        ),
        key=lambda row: row[:3],
    )
    return [(group, -negative, days) for _, negative, days, group in ranked]


def _auto_pick(statement: StatementLine, groups: list[tuple[Candidate, ...]]) -> tuple[Candidate, ...] | None:
    """The one pairing that leaves no doubt, or None (a person decides)."""
    theirs = statement_references(statement)
    evidenced = [group for group in groups if theirs and all(part.references & theirs for part in group)]
    if len(evidenced) == 1:
        return evidenced[0]
    if evidenced or theirs or len(groups) != 1 or len(groups[0]) != 1 or groups[0][0].references:
        return None
    return groups[0]


def auto_matches(
    statements: list[StatementLine], pool: list[Candidate], window_days: int
) -> list[tuple[StatementLine, tuple[Candidate, ...]]]:
    """The statement lines auto-matching accepts, each with its journal lines.

    A journal line that two statement lines would take is given to neither:
    which of them it belongs to is a person's call.
    """
    # ``candidates`` gives the pool by date: each statement line looks only at its window's slice of it.
    days = [candidate.day for candidate in pool]
    window = timedelta(days=window_days)
    picks = []
    for statement in statements:
        near = pool[bisect_left(days, statement.booked_on - window) : bisect_right(days, statement.booked_on + window)]
        group = _auto_pick(statement, [group for group, _, _ in ranked_groups(statement, near, window_days)])
        if group is not None:
            picks.append((statement, group))
    wanted: dict[tuple[UUID, int], int] = {}
    for _, group in picks:
        for part in group:
            key = (part.entry_id, part.line_number)
            wanted[key] = wanted.get(key, 0) + 1
    return [
        (statement, group)
        for statement, group in picks
        if all(wanted[(part.entry_id, part.line_number)] == 1 for part in group)
    ]


async def reconcile(
    session: AsyncSession,
    account: BankAccount,
    book: Book,
    statement_line_id: UUID,
    refs: list[JournalLineRef],
    *,
    by: UUID | None,
    now: datetime,
) -> StatementLine:
    """Match a statement line to journal lines that sum to it, for good; 409 if either side is matched already."""
    statement = await session.scalar(
        select(StatementLine)
        .where(StatementLine.id == statement_line_id, StatementLine.bank_account_id == account.id)
        .with_for_update()
    )
    if statement is None:
        raise StatementLineNotFound("No such statement line on this bank account")
    if statement.reconciled_at is not None:
        raise LedgerConflict("This statement line is reconciled already; a match is final")
    wanted = {(ref.entry_id, ref.line_number) for ref in refs}
    if len(wanted) != len(refs):
        raise UnbalancedEntry("A journal line is named twice")
    rows = await session.execute(
        _unmatched_lines(account).where(JournalLine.entry_id.in_({entry_id for entry_id, _ in wanted}))
    )
    found = {(line.entry_id, line.line_number): _signed(line, account, book) for line, _ in rows.all()}
    missing = [
        f"{entry_id}#{number}" for entry_id, number in sorted(wanted, key=str) if found.get((entry_id, number)) is None
    ]
    if missing:
        raise LedgerConflict(
            "Not an unmatched posted line on this bank's ledger account in its currency: " + ", ".join(missing),
            extra={"journal_lines": missing},
        )
    total = sum(found[key] for key in wanted)
    if total != statement.amount:
        raise UnbalancedEntry(
            f"The journal lines sum to {total}, the statement line is {statement.amount}",
            extra={"difference": statement.amount - total},
        )
    try:
        async with session.begin_nested():
            session.add_all(
                BankMatch(
                    tenant_id=account.tenant_id,
                    statement_line_id=statement.id,
                    entry_id=entry_id,
                    line_number=number,
                    matched_by=by,
                    matched_at=now,
                )  # fmt: skip
                for entry_id, number in wanted
            )
            statement.reconciled_at = now
    except IntegrityError:
        # Another keeper matched one of these journal lines at the same moment.
        raise LedgerConflict("A journal line was matched meanwhile; reload the suggestions") from None
    return statement
