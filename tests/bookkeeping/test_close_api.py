"""Period close through the API: a work item with a checklist, the lock only once it is complete, reopening audited."""

from __future__ import annotations

from sqlalchemy import select

from bo_saas.audit.models import AuditEvent
from bo_saas.lib.clock import utc_now
from bo_saas.work.models import UsageRecord
from tests.bookkeeping.docs_helpers import CLOSES, ITEMS, claim, move, sent
from tests.bookkeeping.helpers import ENTRIES, PERIODS, a_draft, books_headers, line

CHECKS = ["documents_booked", "bank_reconciled", "approvals_cleared", "trial_balance_reviewed"]


async def _march(client, desk) -> dict:
    periods = (await client.get(PERIODS, params={"limit": 200}, headers=books_headers(desk, "agent"))).json()
    return next(p for p in periods["items"] if p["month"] == "2026-03")


async def _start(client, desk, month: str = "2026-03"):
    return await client.post(CLOSES, json={"period": month}, headers=books_headers(desk, "agent"))


async def _tick_all(client, desk, close_id: str) -> dict:
    for code in CHECKS:
        answer = await client.put(
            f"{CLOSES}/{close_id}/checks/{code}", json={"done": True}, headers=books_headers(desk, "agent")
        )
        assert answer.status_code == 200, answer.text
    return answer.json()


async def test_starting_a_close_makes_one_work_item_with_the_checklist_and_the_months_facts(client, desk):
    this_month = utc_now().date().replace(day=1)
    await sent(client, desk)  # a document sent this month, not booked yet
    await a_draft(client, desk, [line("1000", debit=100), line("4000", credit=100)], day=this_month.isoformat())

    started = await _start(client, desk, f"{this_month:%Y-%m}")
    again = await _start(client, desk, f"{this_month:%Y-%m}")
    item = await client.get(f"{ITEMS}/{started.json()['work_item_id']}", headers=desk.as_("agent"))
    by_member = await client.post(CLOSES, json={"period": "2026-03"}, headers=books_headers(desk, "member"))

    assert started.status_code == 201, started.text
    close = started.json()
    assert again.status_code == 200 and again.json()["id"] == close["id"]
    assert (
        close["status"] == "open" and close["complete"] is False and close["period"]["month"] == f"{this_month:%Y-%m}"
    )
    assert [check["code"] for check in close["checks"]] == CHECKS
    assert not any(check["done"] for check in close["checks"])
    assert close["facts"] == {
        "documents_to_book": 1, "unreconciled_lines": 0, "entries_pending_approval": 0, "draft_entries": 1,
    }  # fmt: skip
    body = item.json()
    assert body["service_type"] == "bookkeeping" and body["payload"]["task"] == "close_period"
    assert body["state"] == "queued" and body["sla"]["resolution_due_at"] is not None
    assert by_member.status_code == 403


async def test_the_period_locks_only_once_the_checklist_is_complete_and_then_the_item_is_done(
    client, desk, admin_session
):
    march = await _march(client, desk)
    without = await client.post(f"{PERIODS}/{march['id']}/close", headers=books_headers(desk, "agent"))
    close = (await _start(client, desk)).json()
    item_id = close["work_item_id"]
    await claim(client, desk, item_id)

    ticked = await client.put(
        f"{CLOSES}/{close['id']}/checks/bank_reconciled", json={"done": True}, headers=books_headers(desk, "agent")
    )
    incomplete = await client.post(f"{PERIODS}/{march['id']}/close", headers=books_headers(desk, "agent"))
    early = await move(client, desk, item_id, "done")
    unknown = await client.put(
        f"{CLOSES}/{close['id']}/checks/coffee", json={"done": True}, headers=books_headers(desk, "agent")
    )
    complete = await _tick_all(client, desk, close["id"])
    not_locked = await move(client, desk, item_id, "done")
    locked = await client.post(f"{PERIODS}/{march['id']}/close", headers=books_headers(desk, "agent"))
    after = await client.get(f"{CLOSES}/{close['id']}", headers=books_headers(desk, "member"))
    frozen = await client.put(
        f"{CLOSES}/{close['id']}/checks/bank_reconciled", json={"done": False}, headers=books_headers(desk, "agent")
    )
    done = await move(client, desk, item_id, "done")

    assert without.status_code == 409 and "Start the close checklist" in without.json()["detail"]
    assert ticked.json()["checks"][1]["done"] is True and ticked.json()["checks"][1]["done_by"] == str(desk.agent.id)
    assert incomplete.status_code == 409
    assert incomplete.json()["extra"]["unticked"] == ["documents_booked", "approvals_cleared", "trial_balance_reviewed"]
    assert early.status_code == 409 and "3 close check(s) not ticked" in early.json()["extra"]["remaining"]
    assert unknown.status_code == 400
    assert complete["complete"] is True
    assert not_locked.status_code == 409 and not_locked.json()["extra"]["remaining"] == "the period is not closed yet"
    assert locked.status_code == 200 and locked.json()["status"] == "locked"
    assert after.json()["status"] == "closed" and after.json()["closed_at"] is not None
    assert frozen.status_code == 409
    assert done.status_code == 200, done.text
    usage = await admin_session.scalar(select(UsageRecord).where(UsageRecord.tenant_id == desk.tenant.id))
    assert usage is None  # a close earns no document unit


async def test_a_provider_admin_reopens_with_a_reason_and_a_new_close_is_needed_to_lock_again(
    client, desk, admin_session
):
    march = await _march(client, desk)
    first = (await _start(client, desk)).json()
    await _tick_all(client, desk, first["id"])
    await client.post(f"{PERIODS}/{march['id']}/close", headers=books_headers(desk, "agent"))
    draft = await a_draft(client, desk, [line("1000", debit=100), line("4000", credit=100)])
    refused = await client.post(f"{ENTRIES}/{draft['id']}/post", headers=books_headers(desk, "agent"))
    start_while_locked = await _start(client, desk)

    by_agent = await client.post(
        f"{PERIODS}/{march['id']}/reopen", json={"reason": "late bill"}, headers=books_headers(desk, "agent")
    )
    reopened = await client.post(
        f"{PERIODS}/{march['id']}/reopen", json={"reason": "late supplier bill"},
        headers=books_headers(desk, "provider_admin"),
    )  # fmt: skip
    again_without = await client.post(f"{PERIODS}/{march['id']}/close", headers=books_headers(desk, "agent"))
    second = await _start(client, desk)

    assert refused.status_code == 409 and start_while_locked.status_code == 409
    assert by_agent.status_code == 403 and reopened.json()["status"] == "open"
    event = await admin_session.scalar(select(AuditEvent).where(AuditEvent.action == "book_period.reopened"))
    assert event.changes["reason"] == "late supplier bill" and event.actor_id == desk.provider_admin.id
    assert again_without.status_code == 409
    assert second.status_code == 201 and second.json()["id"] != first["id"]
    assert not any(check["done"] for check in second.json()["checks"])


async def test_a_cancelled_close_item_lets_a_new_close_start(client, desk):
    first = (await _start(client, desk)).json()
    cancelled = await client.post(
        f"{ITEMS}/{first['work_item_id']}/transitions", json={"to": "cancelled", "reason": "started by mistake"},
        headers=desk.as_("provider_admin") | {"X-Tenant": str(desk.tenant.id)},
    )  # fmt: skip
    read = await client.get(f"{CLOSES}/{first['id']}", headers=books_headers(desk, "agent"))
    second = await _start(client, desk)

    assert cancelled.status_code == 200, cancelled.text
    assert read.json()["status"] == "cancelled"
    assert second.status_code == 201 and second.json()["id"] != first["id"]
