"""Journal entries through the API: drafts, gap-free numbers, maker-checker, reversal, periods, accounts."""

from __future__ import annotations

from sqlalchemy import delete, select

from bo_saas.audit.models import AuditEvent
from bo_saas.bookkeeping.models import Book
from bo_saas.identity.models import StaffSkill
from tests.bookkeeping.docs_helpers import complete_close_checklist
from tests.bookkeeping.helpers import (
    ACCOUNTS,
    ENTRIES,
    PERIODS,
    TRIAL_BALANCE,
    a_draft,
    a_posted,
    books_headers,
    line,
)

SALE = [line("1000", debit=11900, description="cash in"), line("4000", credit=11900, description="sale")]


async def test_a_draft_posts_with_the_next_number_and_answers_the_documented_shape(client, desk):
    draft = await a_draft(client, desk, SALE, memo="Counter sale")
    first = await client.post(f"{ENTRIES}/{draft['id']}/post", headers=books_headers(desk, "agent"))
    second = await a_posted(client, desk, SALE)

    assert draft["status"] == "draft" and draft["number"] is None
    assert first.status_code == 200
    assert first.json() == {
        "id": draft["id"], "number": "JE-2026-000001", "date": "2026-03-10", "memo": "Counter sale",
        "status": "posted", "lines": [
            {"account": "1000", "debit": 11900, "credit": 0, "description": "cash in"},
            {"account": "4000", "debit": 0, "credit": 11900, "description": "sale"},
        ], "reverses": None, "reversed_by": None,
    }  # fmt: skip
    assert second["number"] == "JE-2026-000002"


async def test_an_unbalanced_draft_is_refused_at_posting_with_the_difference(client, desk):
    draft = await a_draft(client, desk, [line("1000", debit=100), line("4000", credit=90)])

    answer = await client.post(f"{ENTRIES}/{draft['id']}/post", headers=books_headers(desk, "agent"))

    assert answer.status_code == 422
    assert answer.json()["extra"]["difference"] == 10


async def test_bad_lines_are_refused_with_every_problem(client, desk):
    answer = await client.post(
        ENTRIES,
        json={"date": "2026-03-10", "lines": [line("9999", debit=5), line("1000", debit=5, credit=5),
                                              line("1000", debit=5) | {"currency": "EUR"}]},
        headers=books_headers(desk, "agent"),
    )  # fmt: skip

    assert answer.status_code == 400
    problems = "\n".join(answer.json()["extra"]["problems"])
    assert "lines[0].account: no account '9999'" in problems
    assert "lines[1]: give a debit or a credit" in problems
    assert "lines[2]: a foreign-currency line needs currency, foreign_amount and rate" in problems


async def test_a_foreign_currency_line_keeps_its_amount_and_rate(client, desk):
    fx = line("1010", debit=3673) | {"currency": "EUR", "foreign_amount": 1000, "rate": "3.6725"}

    posted = await a_posted(client, desk, [fx, line("4000", credit=3673)])

    assert posted["lines"][0] | {} == fx | {"rate": "3.6725"}


async def test_drafts_change_and_go_but_a_posted_entry_does_neither(client, desk):
    draft = await a_draft(client, desk, SALE)
    changed = await client.patch(
        f"{ENTRIES}/{draft['id']}", json={"memo": "fixed", "lines": SALE[:1]}, headers=books_headers(desk, "agent")
    )
    posted = await a_posted(client, desk, SALE)
    patch_posted = await client.patch(
        f"{ENTRIES}/{posted['id']}", json={"memo": "x"}, headers=books_headers(desk, "agent")
    )
    delete_posted = await client.delete(f"{ENTRIES}/{posted['id']}", headers=books_headers(desk, "agent"))
    deleted = await client.delete(f"{ENTRIES}/{draft['id']}", headers=books_headers(desk, "agent"))
    gone = await client.get(f"{ENTRIES}/{draft['id']}", headers=books_headers(desk, "member"))

    assert changed.json()["memo"] == "fixed" and len(changed.json()["lines"]) == 1
    assert patch_posted.status_code == 409 and "reverse it instead" in patch_posted.json()["detail"]
    assert delete_posted.status_code == 409
    assert deleted.status_code == 204 and gone.status_code == 404


async def test_an_entry_above_the_threshold_needs_a_second_person_not_its_maker(client, desk, admin_session):
    await client.get(ACCOUNTS, headers=books_headers(desk, "member"))  # opens the books with the defaults
    book = await admin_session.get(Book, desk.tenant.id)
    book.approval_threshold = 10000
    await admin_session.commit()
    draft = await a_draft(client, desk, SALE)

    pending = await client.post(f"{ENTRIES}/{draft['id']}/post", headers=books_headers(desk, "agent"))
    by_maker = await client.post(f"{ENTRIES}/{draft['id']}/approve", headers=books_headers(desk, "agent"))
    by_member = await client.post(f"{ENTRIES}/{draft['id']}/approve", headers=books_headers(desk, "member"))
    by_admin = await client.post(f"{ENTRIES}/{draft['id']}/approve", headers=books_headers(desk, "admin"))

    assert pending.json()["status"] == "pending_approval" and pending.json()["number"] is None
    assert by_maker.status_code == 403 and "a second person must approve it" in by_maker.json()["detail"]
    assert by_member.status_code == 403
    assert by_admin.status_code == 200 and by_admin.json()["status"] == "posted"
    assert by_admin.json()["number"] == "JE-2026-000001"


async def test_a_reversal_is_posted_points_at_its_original_and_nets_it_to_zero(client, desk):
    original = await a_posted(client, desk, SALE)

    reversal = await client.post(
        f"{ENTRIES}/{original['id']}/reverse", json={"date": "2026-03-31"}, headers=books_headers(desk, "agent")
    )
    again = await client.post(f"{ENTRIES}/{original['id']}/reverse", json={}, headers=books_headers(desk, "agent"))
    reread = await client.get(f"{ENTRIES}/{original['id']}", headers=books_headers(desk, "member"))
    report = await client.get(TRIAL_BALANCE, headers=books_headers(desk, "member"))

    assert reversal.status_code == 201
    body = reversal.json()
    assert body["status"] == "posted" and body["reverses"] == original["id"] and body["number"] == "JE-2026-000002"
    assert [(side["debit"], side["credit"]) for side in body["lines"]] == [(0, 11900), (11900, 0)]
    assert reread.json()["reversed_by"] == body["id"]
    assert again.status_code == 409
    assert all(row["balance"] == 0 for row in report.json()["rows"])


async def test_a_closed_period_takes_no_posting_and_only_a_provider_admin_reopens_it_with_a_reason(
    client, desk, admin_session
):
    draft = await a_draft(client, desk, SALE)
    periods = (await client.get(PERIODS, params={"limit": 200}, headers=books_headers(desk, "member"))).json()
    march = next(p for p in periods["items"] if p["month"] == "2026-03")

    await complete_close_checklist(client, desk, "2026-03")  # closing needs it (test_close_api.py)
    closed = await client.post(f"{PERIODS}/{march['id']}/close", headers=books_headers(desk, "agent"))
    refused = await client.post(f"{ENTRIES}/{draft['id']}/post", headers=books_headers(desk, "agent"))
    by_agent = await client.post(
        f"{PERIODS}/{march['id']}/reopen", json={"reason": "late invoice"}, headers=books_headers(desk, "agent")
    )
    no_reason = await client.post(
        f"{PERIODS}/{march['id']}/reopen", json={}, headers=books_headers(desk, "provider_admin")
    )
    reopened = await client.post(
        f"{PERIODS}/{march['id']}/reopen", json={"reason": "late supplier invoice"},
        headers=books_headers(desk, "provider_admin"),
    )  # fmt: skip
    posted = await client.post(f"{ENTRIES}/{draft['id']}/post", headers=books_headers(desk, "agent"))

    assert closed.json()["status"] == "locked"
    assert refused.status_code == 409 and "2026-03 is locked" in refused.json()["detail"]
    assert by_agent.status_code == 403 and no_reason.status_code == 400
    assert reopened.json()["status"] == "open" and posted.json()["status"] == "posted"
    event = await admin_session.scalar(select(AuditEvent).where(AuditEvent.action == "book_period.reopened"))
    assert event.changes["reason"] == "late supplier invoice" and event.actor_id == desk.provider_admin.id


async def test_accounts_are_added_closed_and_deleted_only_while_unused(client, desk):
    keeper = books_headers(desk, "agent")
    made = await client.post(ACCOUNTS, json={"code": "6600", "name": "Travel", "type": "expense"}, headers=keeper)
    twice = await client.post(ACCOUNTS, json={"code": "6600", "name": "Travel", "type": "expense"}, headers=keeper)
    await a_posted(client, desk, [line("6600", debit=50), line("1000", credit=50)])
    used = await client.delete(f"{ACCOUNTS}/{made.json()['id']}", headers=keeper)
    closed = await client.patch(
        f"{ACCOUNTS}/{made.json()['id']}", json={"status": "closed", "group": "Travel costs"}, headers=keeper
    )
    onto_closed = await client.post(
        ENTRIES, json={"date": "2026-03-10", "lines": [line("6600", debit=1)]}, headers=keeper
    )
    spare = await client.post(ACCOUNTS, json={"code": "6700", "name": "Gifts", "type": "expense"}, headers=keeper)
    deleted = await client.delete(f"{ACCOUNTS}/{spare.json()['id']}", headers=keeper)
    by_client = await client.post(ACCOUNTS, json={"code": "6800", "name": "X", "type": "expense"},
                                  headers=books_headers(desk, "admin"))  # fmt: skip

    assert made.status_code == 201 and twice.status_code == 409
    assert used.status_code == 409 and "close it instead" in used.json()["detail"]
    assert closed.json()["status"] == "closed" and closed.json()["group"] == "Travel costs"
    assert onto_closed.status_code == 400 and "is closed" in str(onto_closed.json()["extra"])
    assert deleted.status_code == 204
    assert by_client.status_code == 403


async def test_an_agent_without_the_bookkeeping_skill_reads_but_does_not_keep_the_books(client, desk, admin_session):
    await admin_session.execute(
        delete(StaffSkill).where(StaffSkill.account_id == desk.agent.id, StaffSkill.skill_code == "bookkeeping")
    )
    await admin_session.commit()

    reads = await client.get(ENTRIES, headers=books_headers(desk, "agent"))
    writes = await client.post(
        ENTRIES, json={"date": "2026-03-10", "lines": SALE}, headers=books_headers(desk, "agent")
    )

    assert reads.status_code == 200
    assert writes.status_code == 403 and "bookkeeping skill" in writes.json()["detail"]


async def test_the_trial_balance_counts_posted_entries_in_the_dates_only(client, desk):
    await a_posted(client, desk, SALE, day="2026-03-10")
    await a_posted(client, desk, [line("6100", debit=500), line("1010", credit=500)], day="2026-04-02")
    await a_draft(client, desk, [line("6200", debit=7), line("1000", credit=7)])

    march = await client.get(TRIAL_BALANCE, params={"from": "2026-03-01", "to": "2026-03-31"},
                             headers=books_headers(desk, "member"))  # fmt: skip
    backwards = await client.get(TRIAL_BALANCE, params={"from": "2026-04-01", "to": "2026-03-01"},
                                 headers=books_headers(desk, "member"))  # fmt: skip

    assert march.json() == {
        "from": "2026-03-01", "to": "2026-03-31",
        "rows": [
            {"account": "1000", "name": "Cash on hand", "debit": 11900, "credit": 0, "balance": 11900},
            {"account": "4000", "name": "Revenue", "debit": 0, "credit": 11900, "balance": -11900},
        ],
        "total_debit": 11900, "total_credit": 11900,
    }  # fmt: skip
    assert backwards.status_code == 400


async def test_a_list_of_entries_is_paginated_and_filters_by_status(client, desk):
    await a_posted(client, desk, SALE)
    await a_draft(client, desk, SALE)

    page = (await client.get(ENTRIES, params={"limit": 1}, headers=books_headers(desk, "member"))).json()
    drafts = (await client.get(ENTRIES, params={"status": "draft"}, headers=books_headers(desk, "member"))).json()

    assert page["total"] == 2 and len(page["items"]) == 1 and page["limit"] == 1 and page["offset"] == 0
    assert [e["status"] for e in drafts["items"]] == ["draft"]
