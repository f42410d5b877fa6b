"""Posted debits and credits per account over a date range, read from the per-month balances, not from history.

``book_balances`` holds each account's posted totals per month (a trigger adds
an entry's lines as it posts; migration 0027). A range is split into the whole
months inside it, read from that table, and at most two partial months at its
edges, whose lines are scanned (through the entries' date index). So the cost
of a report follows the number of accounts and months, not the number of
lines ever posted: history is never rescanned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.contact_models import PeriodBalance
from bo_saas.bookkeeping.models import EntryStatus, JournalEntry, JournalLine


@dataclass(frozen=True, slots=True)
class RangeParts:
    """``months``: first days of the whole months to read (inclusive bounds, None: unbounded); ``scans``: date
    ranges (inclusive) whose lines are read one by one."""

    months: tuple[date | None, date | None] | None
    scans: list[tuple[date | None, date | None]]


_OF_ENTRY = (JournalEntry.tenant_id == JournalLine.tenant_id) & (JournalEntry.id == JournalLine.entry_id)


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def split_range(start: date | None, end: date | None) -> RangeParts:
    """Whole months from the cache, the ragged edges scanned."""
    first = start if start is None or start.day == 1 else _next_month(start)  # first whole month
    after = None if end is None else end + timedelta(days=1)
    stop = None if after is None else (after if after.day == 1 else after.replace(day=1))  # first month not whole
    if first is not None and stop is not None and first >= stop:
        return RangeParts(None, [(start, end)])  # inside one month, or across two without a whole one
    scans = []
    if start is not None and first != start:
        scans.append((start, first - timedelta(days=1)))
    if end is not None and stop is not None and stop <= end:
        scans.append((stop, end))
    last = None if stop is None else _previous_month(stop)
    return RangeParts((first, last), scans)


def _previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def _cached(tenant_id: UUID, first: date | None, last: date | None) -> Select:
    statement = select(PeriodBalance.account_id, PeriodBalance.debit, PeriodBalance.credit).where(
        PeriodBalance.tenant_id == tenant_id
    )
    if first is not None:
        statement = statement.where(PeriodBalance.month >= first)
    if last is not None:
        statement = statement.where(PeriodBalance.month <= last)
    return statement


def scanned(tenant_id: UUID, start: date | None, end: date | None) -> Select:
    """Posted lines between two dates, one row each: what the cache saves reading."""
    statement = (
        select(JournalLine.account_id, JournalLine.debit, JournalLine.credit)
        .join(JournalEntry, _OF_ENTRY)
        .where(JournalEntry.tenant_id == tenant_id, JournalEntry.status == EntryStatus.POSTED)
    )
    if start is not None:
        statement = statement.where(JournalEntry.entry_date >= start)
    if end is not None:
        statement = statement.where(JournalEntry.entry_date <= end)
    return statement


def posted_totals(tenant_id: UUID, start: date | None, end: date | None, *, use_cache: bool = True) -> Select:
    """``(account_id, debit, credit)`` per account with anything posted in the range; ``use_cache=False`` scans
    every line instead (the reference the cache is proved against)."""
    if use_cache:
        parts = split_range(start, end)
        pieces = [scanned(tenant_id, a, b) for a, b in parts.scans]
        if parts.months is not None:
            pieces.append(_cached(tenant_id, *parts.months))
    else:
        pieces = [scanned(tenant_id, start, end)]
    rows = union_all(*pieces).subquery() if len(pieces) > 1 else pieces[0].subquery()
    return select(
        rows.c.account_id, func.sum(rows.c.debit).label("debit"), func.sum(rows.c.credit).label("credit")
    ).group_by(rows.c.account_id)


async def cache_matches_history(session: AsyncSession, tenant_id: UUID) -> bool:
    """True when every month's cached totals equal a full scan of the posted lines (a check for tests and ops)."""
    month = func.date_trunc("month", JournalEntry.entry_date).cast(JournalEntry.entry_date.type)
    history = (
        select(JournalLine.account_id, month, func.sum(JournalLine.debit), func.sum(JournalLine.credit))
        .join(JournalEntry, _OF_ENTRY)
        .where(JournalEntry.tenant_id == tenant_id, JournalEntry.status == EntryStatus.POSTED)
        .group_by(JournalLine.account_id, month)
    )
    cache = select(PeriodBalance.account_id, PeriodBalance.month, PeriodBalance.debit, PeriodBalance.credit).where(
        PeriodBalance.tenant_id == tenant_id
    )
    scanned_rows = {tuple(row) for row in (await session.execute(history)).all()}
    cached_rows = {tuple(row) for row in (await session.execute(cache)).all()}
    return scanned_rows == cached_rows
