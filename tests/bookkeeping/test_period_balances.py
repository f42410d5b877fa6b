"""The per-month balances the trial balance and the general ledger's openings read equal a full scan of the lines.

Entries (some reversed, some left as drafts or waiting for approval) are
posted through the services as the runtime role; the cached trial balance is
compared with the one that scans every line, over random date ranges, and the
cache itself month by month with the history. The runtime role can read the
cache but never write it.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bo_saas.bookkeeping.entries import LineInput, create_draft
from bo_saas.bookkeeping.general_ledger import general_ledger, openings
from bo_saas.bookkeeping.period_balances import cache_matches_history, split_range
from bo_saas.bookkeeping.posting import reverse
from bo_saas.bookkeeping.trial_balance import trial_balance
from bo_saas.lib.clock import utc_now
from tests.bookkeeping.helpers import runtime_session, tenant_with_books
from tests.bookkeeping.test_ledger_properties import CODES, EXAMPLES, _post, _run, entries

dates = st.dates(date(2025, 11, 1), date(2027, 2, 28))


@EXAMPLES
@given(generated=entries, ranges=st.lists(st.tuples(st.none() | dates, st.none() | dates), min_size=1, max_size=6))
def test_the_cached_trial_balance_equals_a_full_scan_for_any_range(settings, admin_engine, generated, ranges):
    async def work(session, book):
        posted = [await _post(session, book, day, lines) for day, lines in generated]
        await reverse(session, book, posted[0], entry_date=date(2026, 7, 15), memo=None, maker_id=None, now=utc_now())
        draft_lines = [LineInput("1000", debit=7), LineInput("4000", credit=7)]
        await create_draft(session, book, entry_date=date(2026, 5, 5), memo="", lines=draft_lines, maker_id=None)
        await session.commit()
        assert await cache_matches_history(session, book.tenant_id)
        for start, end in ranges:
            if start is not None and end is not None and start > end:
                start, end = end, start
            cached = await trial_balance(session, book.tenant_id, start, end)
            scanned = await trial_balance(session, book.tenant_id, start, end, use_cache=False)
            assert cached == scanned, (start, end)

    _run(settings.database_url, settings.database_admin_url, work)


@EXAMPLES
@given(generated=entries, starts=st.lists(dates, min_size=1, max_size=6), account=st.none() | st.sampled_from(CODES))
def test_the_general_ledgers_cached_opening_balances_equal_a_full_scan(
    settings, admin_engine, generated, starts, account
):
    async def work(session, book):
        posted = [await _post(session, book, day, lines) for day, lines in generated]
        await reverse(session, book, posted[0], entry_date=date(2026, 7, 15), memo=None, maker_id=None, now=utc_now())
        draft_lines = [LineInput("1000", debit=7), LineInput("4000", credit=7)]
        await create_draft(session, book, entry_date=date(2026, 5, 5), memo="", lines=draft_lines, maker_id=None)
        await session.commit()
        for start in [*starts, date(2026, 7, 1), date(2026, 7, 16)]:
            cached = await openings(session, book.tenant_id, start, account)
            scanned = await openings(session, book.tenant_id, start, account, use_cache=False)
            assert cached == scanned, (start, account)
            ledger = await general_ledger(session, book.tenant_id, start, None, account)
            assert {a.account: (a.name, a.opening) for a in ledger.accounts if a.opening} == scanned, start

    _run(settings.database_url, settings.database_admin_url, work)


@given(start=st.none() | dates, end=st.none() | dates)
def test_a_range_splits_into_whole_cached_months_and_scanned_edges_that_cover_it_once(start, end):
    if start is not None and end is not None and start > end:
        start, end = end, start
    parts = split_range(start, end)
    low, high = start or date(2025, 1, 1), end or date(2028, 1, 1)
    covered: list[date] = []
    for a, b in parts.scans:
        a, b = a or low, b or high
        covered += [date.fromordinal(n) for n in range(a.toordinal(), b.toordinal() + 1)]
    if parts.months is not None:
        first, last = parts.months
        day = first or low
        while day <= high and (last is None or day.replace(day=1) <= last):
            covered.append(day)
            day = date.fromordinal(day.toordinal() + 1)
    inside = [date.fromordinal(n) for n in range(low.toordinal(), high.toordinal() + 1)]
    assert sorted(covered) == inside
    assert len(parts.scans) <= 2


async def test_the_runtime_role_reads_the_balances_but_cannot_write_them(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)
    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        await session.execute(text("SELECT count(*) FROM book_balances"))
        with pytest.raises(DBAPIError, match="permission denied"):
            await session.execute(
                text("UPDATE book_balances SET debit = debit + 1 WHERE tenant_id = :t"), {"t": tenant.id}
            )
