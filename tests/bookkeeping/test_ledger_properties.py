"""Properties of the ledger over generated entries: balanced books, reversals that net to zero, reports that agree.

The trial balance always balances; a reversal nets its original to zero; the
balance sheet balances (assets = liabilities + equity with the result), its
result is the profit and loss's, and each account's general-ledger closing
balance is its trial-balance balance.

Each example runs against the real database in a tenant of its own, through the
services the routes use (as the runtime role), on an event loop of its own:
hypothesis drives plain functions.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date
from uuid import uuid4

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bo_saas.bookkeeping.books import BookSettings, create_book
from bo_saas.bookkeeping.entries import LineInput, create_draft
from bo_saas.bookkeeping.general_ledger import general_ledger
from bo_saas.bookkeeping.models import Book
from bo_saas.bookkeeping.posting import post, reverse
from bo_saas.bookkeeping.statements import balance_sheet, profit_and_loss
from bo_saas.bookkeeping.trial_balance import trial_balance
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import make_sessionmaker
from tests.bookkeeping.helpers import runtime_session

CODES = ["1000", "1010", "1100", "2000", "3000", "4000", "6000", "6100"]
EXAMPLES = hypothesis_settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def balanced_lines(draw) -> list[LineInput]:
    """Debits on some accounts and credits on others, the two sides summing to the same total."""
    debits = draw(st.lists(st.integers(1, 10**9), min_size=1, max_size=4))
    total = sum(debits)
    cuts = sorted(draw(st.lists(st.integers(1, total - 1), max_size=3, unique=True))) if total > 1 else []
    credits = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return [LineInput(draw(st.sampled_from(CODES)), debit=amount) for amount in debits] + [
        LineInput(draw(st.sampled_from(CODES)), credit=amount) for amount in credits
    ]


entries = st.lists(st.tuples(st.dates(date(2026, 1, 1), date(2026, 12, 31)), balanced_lines()), min_size=1, max_size=6)


def _run(database_url: str, admin_url: str, work) -> None:
    async def main() -> None:
        admin = create_async_engine(admin_url, pool_size=1)
        runtime = create_async_engine(database_url, pool_size=1)
        tenant_id = uuid4()
        try:
            async with AsyncSession(admin) as session:
                await session.execute(
                    text("INSERT INTO tenants (id, slug, name, plan_code, timezone, services) "
                         "VALUES (:id, :slug, 'Property LLC', 'growth', 'UTC', '{bookkeeping}')"),
                    {"id": tenant_id, "slug": f"prop-{tenant_id.hex[:12]}"},
                )  # fmt: skip
                await create_book(session, tenant_id, BookSettings(approval_threshold=10**15), date(2026, 1, 1))
                await session.commit()
            async with runtime_session(make_sessionmaker(runtime), tenant_id) as session:
                book = await session.get(Book, tenant_id)
                await work(session, book)
        finally:
            await admin.dispose()
            await runtime.dispose()

    asyncio.run(main())


async def _post(session, book, day, lines):
    entry = await create_draft(session, book, entry_date=day, memo="", lines=lines, maker_id=None)
    await post(session, book, entry, utc_now())
    return entry


@EXAMPLES
@given(generated=entries)
def test_the_trial_balance_balances_and_each_account_is_its_postings(settings, admin_engine, generated):
    async def work(session, book):
        for day, lines in generated:
            await _post(session, book, day, lines)
        await session.commit()  # the database's own balance check runs here
        report = await trial_balance(session, book.tenant_id, None, None)
        expected = Counter()
        for _, lines in generated:
            for line in lines:
                expected[line.account] += line.debit - line.credit
        assert report.total_debit == report.total_credit
        assert report.total_debit == sum(line.debit for _, lines in generated for line in lines)
        assert {row.account: row.balance for row in report.rows} == dict(expected)

    _run(settings.database_url, settings.database_admin_url, work)


@EXAMPLES
@given(generated=entries, reversal_day=st.dates(date(2026, 1, 1), date(2026, 12, 31)))
def test_a_reversal_nets_its_original_to_zero(settings, admin_engine, generated, reversal_day):
    async def work(session, book):
        originals = [await _post(session, book, day, lines) for day, lines in generated]
        for original in originals:
            await reverse(session, book, original, entry_date=reversal_day, memo=None, maker_id=None, now=utc_now())
        await session.commit()
        report = await trial_balance(session, book.tenant_id, None, None)
        assert report.total_debit == report.total_credit
        assert all(row.balance == 0 for row in report.rows)

    _run(settings.database_url, settings.database_admin_url, work)


@EXAMPLES
@given(generated=entries, cut=st.dates(date(2026, 1, 1), date(2026, 12, 31)))
def test_the_statements_balance_and_agree_with_the_trial_balance_and_the_ledger(settings, admin_engine, generated, cut):
    async def work(session, book):
        for day, lines in generated:
            await _post(session, book, day, lines)
        await session.commit()
        tenant = book.tenant_id
        sheet = await balance_sheet(session, tenant, cut)
        result = await profit_and_loss(session, tenant, None, cut)
        up_to_cut = await trial_balance(session, tenant, None, cut)
        ledger = await general_ledger(session, tenant, date(2026, 6, 1), cut if cut >= date(2026, 6, 1) else None)
        everything = await trial_balance(session, tenant, None, ledger.end)

        assert sheet.total_assets == sheet.total_liabilities_and_equity  # assets = liabilities + equity + result
        assert sheet.result == result.net_result
        assert sum(row.balance for row in up_to_cut.rows) == 0
        assert {account.account: account.closing for account in ledger.accounts if account.closing} == {
            row.account: row.balance for row in everything.rows if row.balance
        }

    _run(settings.database_url, settings.database_admin_url, work)
