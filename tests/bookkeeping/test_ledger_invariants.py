"""The ledger cannot be cooked: each rule of migration 0016, broken on purpose through the app's runtime role.

These tests write straight into the tables, past every service check, as the
role the app connects as; the database alone must refuse.
"""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from bo_saas.bookkeeping.models import EntryStatus, JournalEntry, JournalLine, LedgerAccount, Period, PeriodStatus
from tests.bookkeeping.helpers import DAY, account_ids, runtime_session, tenant_with_books, write_entry


def _refused(exc: pytest.ExceptionInfo, words: str) -> None:
    assert exc.value.orig.sqlstate.startswith("23"), exc.value  # integrity class: the app answers 409
    assert words in str(exc.value)


async def _posted(
    runtime_sessionmaker, tenant_id, lines=(("1000", 500, 0), ("4000", 0, 500)), status=EntryStatus.POSTED, **fields
):
    async with runtime_session(runtime_sessionmaker, tenant_id) as session:
        entry = await write_entry(session, tenant_id, list(lines), status=status, **fields)
        await session.commit()
        return entry


async def test_an_unbalanced_entry_cannot_be_posted_the_commit_is_refused(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        await write_entry(session, tenant.id, [("1000", 500, 0), ("4000", 0, 499)], status=EntryStatus.POSTED)
        with pytest.raises(DBAPIError) as refused:
            await session.commit()

    _refused(refused, "is not balanced")
    assert (await admin_session.scalar(select(JournalEntry.id).where(JournalEntry.tenant_id == tenant.id))) is None


async def test_a_posted_entry_without_lines_is_refused(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        await write_entry(session, tenant.id, [], status=EntryStatus.POSTED)
        with pytest.raises(DBAPIError) as refused:
            await session.commit()

    _refused(refused, "is not balanced")


async def test_an_unbalanced_draft_may_be_saved_while_it_is_worked_on(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)

    entry = await _posted(runtime_sessionmaker, tenant.id, status=EntryStatus.DRAFT, lines=[("1000", 500, 0)])

    assert (await admin_session.get(JournalEntry, (tenant.id, entry.id))).status is EntryStatus.DRAFT


@pytest.mark.parametrize(
    "change",
    [
        {"memo": "cooked"},
        {"entry_date": date(2026, 1, 1)},
        {"status": EntryStatus.DRAFT},
    ],
    ids=["memo", "date", "back to draft"],
)
async def test_a_posted_entry_never_changes(admin_session, runtime_sessionmaker, change):
    tenant = await tenant_with_books(admin_session)
    entry = await _posted(runtime_sessionmaker, tenant.id)

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        with pytest.raises(DBAPIError) as refused:
            await session.execute(
                update(JournalEntry)
                .where(JournalEntry.tenant_id == tenant.id, JournalEntry.id == entry.id)
                .values(**change)
            )

    _refused(refused, "is posted: it never changes or disappears")


async def test_a_posted_entry_never_disappears(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)
    entry = await _posted(runtime_sessionmaker, tenant.id)

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        with pytest.raises(DBAPIError) as refused:
            await session.execute(delete(JournalEntry).where(JournalEntry.id == entry.id))

    _refused(refused, "is posted")


async def test_a_posted_entry_survives_even_its_tenant_being_deleted(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)
    await _posted(runtime_sessionmaker, tenant.id)

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        with pytest.raises(DBAPIError) as refused:
            await session.execute(text("DELETE FROM tenants WHERE id = :id"), {"id": tenant.id})

    _refused(refused, "is posted")


@pytest.mark.parametrize("attack", ["change amount", "delete line", "add line", "move account"])
async def test_the_lines_of_a_posted_entry_never_change(admin_session, runtime_sessionmaker, attack):
    tenant = await tenant_with_books(admin_session)
    entry = await _posted(runtime_sessionmaker, tenant.id)

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        accounts = await account_ids(session, tenant.id)
        lines = (JournalLine.tenant_id == tenant.id) & (JournalLine.entry_id == entry.id)
        statement = {
            "change amount": update(JournalLine).where(lines, JournalLine.line_number == 1).values(debit=900),
            "delete line": delete(JournalLine).where(lines),
            "add line": JournalLine.__table__.insert().values(
                tenant_id=tenant.id, entry_id=entry.id, line_number=3, account_id=accounts["1010"], debit=1, credit=0
            ),
            "move account": update(JournalLine).where(lines).values(account_id=accounts["1010"]),
        }[attack]
        with pytest.raises(DBAPIError) as refused:
            await session.execute(statement)

    _refused(refused, "never change" if attack != "add line" else "lines are added only to a draft")


async def test_the_lines_of_an_entry_pending_approval_are_frozen_too(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)
    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        entry = await write_entry(
            session, tenant.id, [("1000", 500, 0), ("4000", 0, 500)], status=EntryStatus.PENDING_APPROVAL
        )
        await session.commit()

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        with pytest.raises(DBAPIError) as refused:
            await session.execute(update(JournalLine).where(JournalLine.entry_id == entry.id).values(debit=7))

    _refused(refused, "never change")


async def test_nothing_posts_into_a_locked_period(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)
    await admin_session.execute(
        update(Period)
        .where(Period.tenant_id == tenant.id, Period.month == DAY.replace(day=1))
        .values(status=PeriodStatus.LOCKED)
    )
    await admin_session.commit()

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        with pytest.raises(DBAPIError) as refused:
            await write_entry(session, tenant.id, [("1000", 500, 0), ("4000", 0, 500)], status=EntryStatus.POSTED)

    _refused(refused, "the period 2026-03 is locked")
    # The month after is open: the same entry dated there posts.
    await _posted(runtime_sessionmaker, tenant.id, day=date(2026, 4, 1))


async def test_a_line_cannot_name_another_tenants_account(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)
    other = await tenant_with_books(admin_session)
    theirs = (await account_ids(admin_session, other.id))["1000"]

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        entry = await write_entry(session, tenant.id, [("4000", 0, 500)])
        session.add(
            JournalLine(tenant_id=tenant.id, entry_id=entry.id, line_number=2, account_id=theirs, debit=500, credit=0)
        )
        with pytest.raises(DBAPIError) as refused:
            await session.flush()

    assert refused.value.orig.sqlstate == "23503"  # foreign key: (tenant_id, account_id) is not one of the tenant's


async def test_a_line_has_exactly_one_positive_side(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)

    for debit, credit in ((5, 5), (0, 0), (-5, 0)):
        async with runtime_session(runtime_sessionmaker, tenant.id) as session:
            with pytest.raises(DBAPIError) as refused:
                await write_entry(session, tenant.id, [("1000", debit, credit)])
            assert refused.value.orig.sqlstate == "23514", (debit, credit)


async def test_an_entry_above_the_threshold_posts_only_with_an_approver_who_is_not_its_maker(
    admin_session, runtime_sessionmaker
):
    tenant = await tenant_with_books(admin_session, approval_threshold=1000)
    maker = uuid4()
    big = [("1000", 5000, 0), ("4000", 0, 5000)]

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        await write_entry(session, tenant.id, big, status=EntryStatus.POSTED, maker_id=maker)
        with pytest.raises(DBAPIError) as unapproved:
            await session.commit()
    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        with pytest.raises(DBAPIError) as self_approved:
            await write_entry(session, tenant.id, big, status=EntryStatus.POSTED, maker_id=maker, approver_id=maker)

    _refused(unapproved, "needs an approver")
    assert self_approved.value.orig.sqlstate == "23514" and "four_eyes" in str(self_approved.value)
    approved = await _posted(runtime_sessionmaker, tenant.id, big, maker_id=maker, approver_id=uuid4())
    assert approved.status is EntryStatus.POSTED


async def test_numbers_are_unique_within_a_fiscal_year(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)
    await _posted(runtime_sessionmaker, tenant.id, number=1)

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        with pytest.raises(DBAPIError) as refused:
            await write_entry(session, tenant.id, [("1000", 1, 0), ("4000", 0, 1)], status=EntryStatus.POSTED, number=1)

    assert refused.value.orig.sqlstate == "23505"


async def test_the_runtime_role_sees_no_other_tenants_books(admin_session, runtime_sessionmaker):
    tenant = await tenant_with_books(admin_session)
    other = await tenant_with_books(admin_session)
    await _posted(runtime_sessionmaker, other.id)

    async with runtime_session(runtime_sessionmaker, tenant.id) as session:
        seen = {
            table: await session.scalar(text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": other.id})
            for table in (
                "books",
                "book_accounts",
                "journal_entries",
                "journal_lines",
                "book_periods",
                "journal_counters",
            )
        }
        own_accounts = await session.scalar(
            select(LedgerAccount.id).where(LedgerAccount.tenant_id == tenant.id).limit(1)
        )

    assert set(seen.values()) == {0}
    assert own_accounts is not None
