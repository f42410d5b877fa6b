"""The HTTP post in one autocommitted statement (``bo_journal_post_as``, migration 0034): scope, skill, audit, rules.

The route declares no session: the statement declares the caller's scope, refuses an agent
without the skill before writing, posts and writes the audit event, and its deferred checks fire
at the end of its own transaction. Without ``X-Tenant`` (as the bench and an agent's console post)
the scope is the agent's assignments; the API tests elsewhere name the tenant.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from uuid import UUID

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.exc import DBAPIError

from bo_saas.audit.models import AuditEvent
from bo_saas.bookkeeping.models import Book, EntryStatus, JournalEntry
from bo_saas.bookkeeping.posting_rows import post_as_keeper
from bo_saas.identity.models import StaffSkill
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.db import driver_connection
from tests.auth import bearer
from tests.bookkeeping.helpers import ACCOUNTS, ENTRIES, a_draft, books_headers, line
from tests.desk import give_skills
from tests.factories import TenantFactory, save, staff_user

SALE = [line("1000", debit=11900), line("4000", credit=11900)]


async def _events(admin_session, entry_id: str) -> list[AuditEvent]:
    return list(await admin_session.scalars(select(AuditEvent).where(AuditEvent.subject_id == entry_id)))


async def _status(admin_session, entry_id: str) -> EntryStatus:
    return await admin_session.scalar(select(JournalEntry.status).where(JournalEntry.id == UUID(entry_id)))


async def test_an_agent_posts_without_x_tenant_in_its_assigned_scope_and_the_post_is_audited(
    client, desk, admin_session
):
    draft = await a_draft(client, desk, SALE)

    posted = await client.post(
        f"{ENTRIES}/{draft['id']}/post", headers={**desk.as_("agent"), "X-Request-ID": "post-audit-1"}
    )

    assert posted.status_code == 200 and posted.json()["number"] == "JE-2026-000001"
    (event,) = [e for e in await _events(admin_session, draft["id"]) if e.action.startswith("journal_entry.p")]
    assert (event.action, event.tenant_id, event.actor_id, event.actor_kind) == (
        "journal_entry.posted", desk.tenant.id, desk.agent.id, "account",
    )  # fmt: skip
    assert event.subject_type == "journal_entry" and event.changes == {"number": "JE-2026-000001"}
    assert event.request_id == "post-audit-1"


async def test_an_entry_held_for_approval_is_audited_as_held_without_a_number(client, desk, admin_session):
    await client.get(ACCOUNTS, headers=books_headers(desk, "member"))  # opens the books with the defaults
    book = await admin_session.get(Book, desk.tenant.id)
    book.approval_threshold = 10000
    await admin_session.commit()
    draft = await a_draft(client, desk, SALE)

    held = await client.post(f"{ENTRIES}/{draft['id']}/post", headers=desk.as_("agent"))

    assert held.json()["status"] == "pending_approval"
    actions = {e.action: e.changes for e in await _events(admin_session, draft["id"])}
    assert actions["journal_entry.pending_approval"] == {"number": None}


async def test_an_agent_without_the_skill_is_refused_before_anything_is_written(client, desk, admin_session):
    draft = await a_draft(client, desk, SALE)
    await admin_session.execute(
        delete(StaffSkill).where(StaffSkill.account_id == desk.agent.id, StaffSkill.skill_code == "bookkeeping")
    )
    await admin_session.commit()

    refused = await client.post(f"{ENTRIES}/{draft['id']}/post", headers=desk.as_("agent"))

    assert refused.status_code == 403 and "bookkeeping skill" in refused.json()["detail"]
    assert await _status(admin_session, draft["id"]) is EntryStatus.DRAFT
    assert [e.action for e in await _events(admin_session, draft["id"])] == ["journal_entry.created"]


@pytest.mark.parametrize("skilled", [True, False], ids=["with the skill", "without the skill"])
async def test_an_agent_serving_another_tenant_gets_404_not_403(client, desk, admin_session, skilled):
    draft = await a_draft(client, desk, SALE)
    elsewhere = TenantFactory(services=["bookkeeping"])
    await save(admin_session, elsewhere)
    stranger = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(elsewhere,))
    if skilled:
        await give_skills(admin_session, stranger, "bookkeeping")
    await admin_session.commit()

    answer = await client.post(f"{ENTRIES}/{draft['id']}/post", headers=bearer(desk.app, stranger, Role.PROVIDER_AGENT))

    assert answer.status_code == 404
    assert await _status(admin_session, draft["id"]) is EntryStatus.DRAFT


async def test_the_scope_it_declares_lasts_to_commit_so_the_deferred_checks_still_read_the_entry(
    client, desk, admin_session, runtime_sessionmaker
):
    # Posted below the threshold, then (same transaction) the threshold lowered under it: only the deferred
    # check at COMMIT can refuse that, and only if it still sees the entry through the scope the post declared.
    draft = await a_draft(client, desk, SALE)

    async with runtime_sessionmaker() as session:
        driver = await driver_connection(session)
        row = await driver.fetchrow(
            "SELECT outcome FROM bo_journal_post_as($1, NULL, $2, now(), 'bookkeeping', $1, 'account', NULL, NULL)",
            desk.agent.id, UUID(draft["id"]),
        )  # fmt: skip
        await session.execute(text("UPDATE books SET approval_threshold = 100 WHERE tenant_id = :t"),
                              {"t": desk.tenant.id})  # fmt: skip
        with pytest.raises(DBAPIError, match="needs an approver"):
            await session.commit()

    assert row["outcome"] == "posted"
    assert await _status(admin_session, draft["id"]) is EntryStatus.DRAFT


async def test_concurrent_posts_take_consecutive_numbers_with_no_gap_and_no_repeat(client, desk, runtime_engine):
    drafts = [await a_draft(client, desk, SALE) for _ in range(8)]
    keeper = Caller(role=Role.PROVIDER_AGENT, account_id=desk.agent.id)
    now = datetime.now(UTC)

    posted = await asyncio.gather(
        *(post_as_keeper(runtime_engine, keeper, UUID(d["id"]), now, tenant_ids=None, ip=None, request_id=None)
          for d in drafts)
    )  # fmt: skip

    assert sorted(p.number for p in posted) == list(range(1, 9))
    assert {p.status for p in posted} == {EntryStatus.POSTED}
