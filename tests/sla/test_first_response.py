"""First response is what the client sees: a public reply or a question, never a claim or an assignment.

The item's clocks, breach detection and the monthly report read the same ``first_responded_at``,
so each case checks the item's JSON and the report together.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import update

from bo_saas.lib.clock import utc_now
from bo_saas.sla.detection import sweep_sla
from bo_saas.work.models import WorkItem
from tests.desk import DATA_ENTRY


async def _submit_and_claim(client, desk) -> str:
    created = await client.post("/api/v1/work-items", json=DATA_ENTRY, headers=desk.as_("member"))
    assert created.status_code == 201, created.text
    claimed = await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["id"] == created.json()["id"]
    return created.json()["id"]


async def _report_totals(client, desk) -> dict:
    report = await client.get("/api/v1/sla/reports", headers=desk.as_("admin"))  # the tenant's month now
    assert report.status_code == 200, report.text
    (totals,) = [row for row in report.json()["rows"] if row["service_type"] is None]
    return totals


async def test_claiming_leaves_the_first_response_owed(client, desk):
    item_id = await _submit_and_claim(client, desk)

    item = (await client.get(f"/api/v1/work-items/{item_id}", headers=desk.as_("member"))).json()
    assert item["state"] == "in_progress"
    assert item["sla"]["first_responded_at"] is None
    assert item["sla"]["first_response_due_at"] is not None
    assert (await _report_totals(client, desk))["first_responses"] == 0


async def test_an_admin_assigning_a_queued_item_is_not_a_first_response(client, desk):
    created = await client.post("/api/v1/work-items", json=DATA_ENTRY, headers=desk.as_("member"))
    item_id = created.json()["id"]
    assigned = await client.put(
        f"/api/v1/work-items/{item_id}/assignee",
        json={"assignee_id": str(desk.agent.id)},
        headers={**desk.as_("provider_admin"), "X-Tenant": str(desk.tenant.id)},
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["state"] == "in_progress"
    assert assigned.json()["sla"]["first_responded_at"] is None


async def test_an_internal_note_is_not_a_first_response_but_a_public_reply_is(client, desk):
    item_id = await _submit_and_claim(client, desk)
    url = f"/api/v1/work-items/{item_id}"

    note = await client.post(f"{url}/comments", json={"body": "check VAT", "internal": True}, headers=desk.as_("agent"))
    assert note.status_code == 201, note.text
    assert (await client.get(url, headers=desk.as_("agent"))).json()["sla"]["first_responded_at"] is None

    reply = await client.post(f"{url}/comments", json={"body": "On it today"}, headers=desk.as_("agent"))
    assert reply.status_code == 201, reply.text
    responded = (await client.get(url, headers=desk.as_("member"))).json()["sla"]["first_responded_at"]
    assert responded is not None
    assert (await _report_totals(client, desk))["first_responses"] == 1


async def test_a_question_to_the_client_is_a_first_response(client, desk):
    item_id = await _submit_and_claim(client, desk)

    asked = await client.post(
        f"/api/v1/work-items/{item_id}/transitions",
        json={"to": "waiting_on_client", "reason": "Which currency?"},
        headers=desk.as_("agent"),
    )
    assert asked.status_code == 200, asked.text
    assert asked.json()["sla"]["first_responded_at"] is not None
    assert (await _report_totals(client, desk))["first_responses"] == 1


async def test_a_claimed_item_nobody_answered_breaches_its_first_response_in_clock_and_report(
    client, desk, admin_session, runtime_sessionmaker
):
    item_id = await _submit_and_claim(client, desk)
    await admin_session.execute(
        update(WorkItem)
        .where(WorkItem.id == item_id)
        .values(first_response_due_at=utc_now() - timedelta(seconds=5), warning_due_at=None)
    )
    await admin_session.commit()
    await asyncio.sleep(1.1)  # past the sweeper's grace

    assert await sweep_sla(runtime_sessionmaker) >= 1
    url = f"/api/v1/work-items/{item_id}"
    item = (await client.get(url, headers=desk.as_("member"))).json()
    assert item["sla"]["status"] == "breached"
    assert item["sla"]["first_response_breached_at"] is not None

    # Finishing it now: the report counts it breached, as the clock says, and no first response given.
    done = await client.post(f"{url}/transitions", json={"to": "done"}, headers=desk.as_("agent"))
    assert done.status_code == 200, done.text
    totals = await _report_totals(client, desk)
    assert (totals["items"], totals["met"], totals["breached"], totals["first_responses"]) == (1, 0, 1, 0)
