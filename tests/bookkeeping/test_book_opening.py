"""Opening a tenant's books on first use, when two first requests arrive at once.

A books screen reads the book's settings and a list together; on a tenant
whose books are not open yet both requests open them. The second waits on the
book's key until the first commits and then answers with the same book, not a
409 (which the browser would log as an error and the screen show as one).
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bo_saas.bookkeeping.books import book_for
from bo_saas.bookkeeping.models import Book, LedgerAccount
from tests.bookkeeping.helpers import DAY, runtime_session
from tests.factories import TenantFactory, save


async def test_two_first_requests_at_once_both_answer_with_the_one_book(admin_session, runtime_sessionmaker):
    tenant = TenantFactory(services=["bookkeeping"])
    await save(admin_session, tenant)
    async with (
        runtime_session(runtime_sessionmaker, tenant.id) as first,
        runtime_session(runtime_sessionmaker, tenant.id) as second,
    ):
        opened = await book_for(first, tenant.id, DAY)
        waiting = asyncio.create_task(book_for(second, tenant.id, DAY))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # held on the book's key by the first, uncommitted
        await first.commit()
        found = await asyncio.wait_for(waiting, timeout=10)
        assert (found.tenant_id, found.base_currency) == (opened.tenant_id, opened.base_currency)
        await second.commit()

    books = await admin_session.scalar(select(func.count()).select_from(Book).where(Book.tenant_id == tenant.id))
    accounts = await admin_session.scalar(
        select(func.count()).select_from(LedgerAccount).where(LedgerAccount.tenant_id == tenant.id)
    )
    assert books == 1 and accounts > 0
