"""A tenant's book: made from the manifest's ``[bookkeeping]``, or with the defaults on first use.

Enabling the bookkeeping service is enough to start: the first request that
needs the book opens it on the default chart. Opening a chart adds the
accounts the book does not have; it never removes or renames one (postings
name them). The fiscal year is named by the calendar year it starts in: with
``fiscal_year_start = 4``, 2026-03-31 is in fiscal 2025 and 2026-04-01 in 2026.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.charts import DEFAULT_CHART, chart
from bo_saas.bookkeeping.errors import LedgerConflict
from bo_saas.bookkeeping.models import Book, EntryStatus, JournalEntry, LedgerAccount, Period, PeriodStatus

DEFAULT_CURRENCY = "USD"
# 10 000.00 in a two-digit currency: entries above it need a second person.
DEFAULT_APPROVAL_THRESHOLD = 1_000_000


@dataclass(frozen=True, slots=True)
class BookSettings:
    chart: str = DEFAULT_CHART
    base_currency: str = DEFAULT_CURRENCY
    fiscal_year_start: int = 1
    approval_threshold: int = DEFAULT_APPROVAL_THRESHOLD


def fiscal_year(day: date, start_month: int) -> int:
    """The fiscal year ``day`` falls in, named by the calendar year it starts in."""
    return day.year if day.month >= start_month else day.year - 1


def month_of(day: date) -> date:
    return day.replace(day=1)


def fiscal_months(year: int, start_month: int) -> list[date]:
    """The twelve months of fiscal ``year``, first days."""
    months = []
    for offset in range(12):
        index = start_month - 1 + offset
        months.append(date(year + index // 12, index % 12 + 1, 1))
    return months


async def find_book(session: AsyncSession, tenant_id: UUID) -> Book | None:
    return await session.get(Book, tenant_id)


async def has_postings(session: AsyncSession, tenant_id: UUID) -> bool:
    return bool(
        await session.scalar(
            select(exists().where(JournalEntry.tenant_id == tenant_id, JournalEntry.status != EntryStatus.DRAFT))
        )
    )


async def open_chart(session: AsyncSession, tenant_id: UUID, code: str) -> list[str]:
    """Add the chart's accounts the book lacks; the codes added."""
    have = set((await session.scalars(select(LedgerAccount.code).where(LedgerAccount.tenant_id == tenant_id))).all())
    added = []
    for account in chart(code).accounts:
        if account.code in have:
            continue
        session.add(
            LedgerAccount(
                id=uuid4(), tenant_id=tenant_id, code=account.code, name=account.name, type=account.type,
                group=account.group,
            )
        )  # fmt: skip
        added.append(account.code)
    await session.flush()
    return added


async def ensure_period(session: AsyncSession, tenant_id: UUID, month: date) -> None:
    """The month's period row, open, unless it exists (concurrent callers make it once)."""
    await session.execute(
        insert(Period)
        .values(id=uuid4(), tenant_id=tenant_id, month=month, status=PeriodStatus.OPEN)
        .on_conflict_do_nothing(index_elements=["tenant_id", "month"])
    )


async def create_book(session: AsyncSession, tenant_id: UUID, settings: BookSettings, today: date) -> Book:
    """A new book on ``settings``: its chart's accounts and the current fiscal year's periods."""
    chart(settings.chart)  # refuse an unknown chart before writing anything
    book = Book(
        tenant_id=tenant_id,
        chart=settings.chart,
        base_currency=settings.base_currency,
        fiscal_year_start=settings.fiscal_year_start,
        approval_threshold=settings.approval_threshold,
    )
    session.add(book)
    await session.flush()
    await open_chart(session, tenant_id, settings.chart)
    for month in fiscal_months(fiscal_year(today, settings.fiscal_year_start), settings.fiscal_year_start):
        await ensure_period(session, tenant_id, month)
    return book


async def book_for(session: AsyncSession, tenant_id: UUID, today: date) -> Book:
    """The tenant's book, opened with the defaults if it has none yet."""
    book = await find_book(session, tenant_id)
    if book is not None:
        return book
    try:
        async with session.begin_nested():
            return await create_book(session, tenant_id, BookSettings(), today)
    except IntegrityError:
        # Two first requests at once (a screen reads the settings and a list together): the loser's insert
        # waited for the winner's and met the key. The winner's book is committed now; answer with it.
        book = await find_book(session, tenant_id)
        if book is None:
            raise
        return book


async def change_book(session: AsyncSession, book: Book, settings: BookSettings) -> dict[str, dict]:
    """Make the book match ``settings``; the differences. Currency and fiscal year are fixed once entries post."""
    changes = {
        name: {"old": getattr(book, name), "new": getattr(settings, name)}
        for name in ("chart", "base_currency", "fiscal_year_start", "approval_threshold")
        if getattr(book, name) != getattr(settings, name)
    }
    fixed = [name for name in ("base_currency", "fiscal_year_start") if name in changes]
    if fixed and await has_postings(session, book.tenant_id):
        raise LedgerConflict(
            f"The book has posted entries: its {' and '.join(fixed)} can no longer change",
            extra={"fields": fixed},
        )
    for name, change in changes.items():
        setattr(book, name, change["new"])
    if "chart" in changes:
        await open_chart(session, book.tenant_id, settings.chart)
    await session.flush()
    return changes
