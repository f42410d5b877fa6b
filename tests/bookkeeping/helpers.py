"""What the Bookkeeping desk's tests share: a tenant with open books, runtime-role sessions, entries through the API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.bookkeeping.books import BookSettings, create_book
from bo_saas.bookkeeping.models import EntryStatus, JournalEntry, JournalLine, LedgerAccount
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from tests.factories import TenantFactory, save

ENTRIES = "/api/v1/books/journal-entries"
ACCOUNTS = "/api/v1/books/accounts"
PERIODS = "/api/v1/books/periods"
TRIAL_BALANCE = "/api/v1/books/reports/trial-balance"
DAY = date(2026, 3, 10)


@asynccontextmanager
async def runtime_session(
    sessionmaker: async_sessionmaker[AsyncSession], tenant_id: UUID
) -> AsyncIterator[AsyncSession]:
    """A session as the app's runtime role, scoped to one tenant (RLS and every trigger apply); not committed."""
    async with sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant_id))
        yield session


async def tenant_with_books(admin_session: AsyncSession, **settings: Any):
    """A tenant with the bookkeeping service and a book on the general chart (threshold 1 000 000 by default)."""
    tenant = TenantFactory(services=["bookkeeping"])
    await save(admin_session, tenant)
    await open_books(admin_session, tenant.id, **settings)
    return tenant


async def open_books(admin_session: AsyncSession, tenant_id: UUID, **settings: Any) -> None:
    await create_book(admin_session, tenant_id, BookSettings(**settings), DAY)
    await admin_session.commit()


async def account_ids(session: AsyncSession, tenant_id: UUID) -> dict[str, UUID]:
    rows = await session.execute(
        select(LedgerAccount.code, LedgerAccount.id).where(LedgerAccount.tenant_id == tenant_id)
    )
    return dict(rows.all())


async def write_entry(
    session: AsyncSession,
    tenant_id: UUID,
    lines: list[tuple[str, int, int]],
    *,
    status: EntryStatus = EntryStatus.DRAFT,
    day: date = DAY,
    number: int = 1,
    **fields: Any,
) -> JournalEntry:
    """An entry written straight into the tables (no service checks): a draft, its lines, then the status asked for.

    ``lines`` are (account code, debit, credit). Nothing is committed: the caller decides.
    """
    accounts = await account_ids(session, tenant_id)
    entry = JournalEntry(id=uuid4(), tenant_id=tenant_id, entry_date=day, memo="", status=EntryStatus.DRAFT, **fields)
    session.add(entry)
    await session.flush()
    for index, (code, debit, credit) in enumerate(lines, start=1):
        session.add(
            JournalLine(
                tenant_id=tenant_id, entry_id=entry.id, line_number=index, account_id=accounts[code],
                debit=debit, credit=credit,
            )
        )  # fmt: skip
    await session.flush()
    if status is EntryStatus.POSTED:
        entry.status, entry.fiscal_year, entry.number, entry.posted_at = status, day.year, number, utc_now()
    else:
        entry.status = status
    await session.flush()
    return entry


def line(account: str, debit: int = 0, credit: int = 0, description: str = "") -> dict:
    return {"account": account, "debit": debit, "credit": credit, "description": description}


async def a_draft(client, desk, lines: list[dict], *, day: str = "2026-03-10", memo: str = "", who: str = "agent"):
    answer = await client.post(
        ENTRIES, json={"date": day, "memo": memo, "lines": lines}, headers=books_headers(desk, who)
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


async def a_posted(client, desk, lines: list[dict], *, day: str = "2026-03-10", who: str = "agent") -> dict:
    draft = await a_draft(client, desk, lines, day=day, who=who)
    answer = await client.post(f"{ENTRIES}/{draft['id']}/post", headers=books_headers(desk, who))
    assert answer.status_code == 200, answer.text
    return answer.json()


def books_headers(desk, who: str) -> dict[str, str]:
    """The caller's headers, naming the desk's tenant (staff serve several; books are one tenant's)."""
    return {**desk.as_(who), "X-Tenant": str(desk.tenant.id)}
