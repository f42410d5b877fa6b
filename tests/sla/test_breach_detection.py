"""Breach detection end to end: a real dramatiq worker fires the timer; the sweeper catches what it missed.

Items get due times seconds away by setting them on the row and arming a
timer the way the code does when a due time changes; the rest is the real
path: outbox, Redis delay queue, worker, ``detect``, ``sla_events``.
"""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from uuid import uuid4

from sqlalchemy import select, update

from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import make_sessionmaker, scoped_session
from bo_saas.lib.outbox import wait_for_relays
from bo_saas.lib.settings import get_settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.models import WebhookEndpoint
from bo_saas.sla.detection import arm_timer, sweep_sla
from bo_saas.sla.models import SlaEvent
from bo_saas.work.models import SlaStatus, WorkItem
from tests.desk import DATA_ENTRY
from tests.factories import save


async def _submit(client, desk) -> str:
    response = await client.post("/api/v1/work-items", json=DATA_ENTRY, headers=desk.as_("member"))
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def _due_soon(admin_session, item_id: str, seconds: float):
    """Bring the item's first-response due time to ``seconds`` from now (negative: already past)."""
    due_at = utc_now() + timedelta(seconds=seconds)
    await admin_session.execute(
        update(WorkItem).where(WorkItem.id == item_id).values(first_response_due_at=due_at, warning_due_at=None)
    )
    await admin_session.commit()
    return due_at


async def _arm(runtime_engine, desk, item_id: str, due_at) -> None:
    async with scoped_session(make_sessionmaker(runtime_engine), TenantScope.of(desk.tenant.id)) as session:
        await arm_timer(session, desk.tenant.id, item_id, due_at)
    await wait_for_relays()


async def _events(admin_session, item_id: str) -> list[SlaEvent]:
    rows = await admin_session.execute(select(SlaEvent).where(SlaEvent.work_item_id == item_id))
    events = list(rows.scalars())
    await admin_session.commit()
    return events


async def _wait_for_events(admin_session, item_id: str, count: int, timeout: float = 10.0) -> list[SlaEvent]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        events = await _events(admin_session, item_id)
        if len(events) >= count or asyncio.get_running_loop().time() > deadline:
            return events
        await asyncio.sleep(0.05)


async def test_item_past_its_due_time_is_breached_once_by_its_timer(
    client, desk, admin_session, runtime_engine, runtime_sessionmaker, job_worker
):
    item_id = await _submit(client, desk)
    due_at = await _due_soon(admin_session, item_id, 1.0)
    await _arm(runtime_engine, desk, item_id, due_at)

    events = await _wait_for_events(admin_session, item_id, 1)
    assert [(e.clock, e.kind, e.detected_by) for e in events] == [("first_response", "breach", "timer")]
    assert events[0].recorded_at >= due_at
    assert (events[0].recorded_at - due_at) < timedelta(seconds=2)

    # A second timer for the same due time (a repeat delivery) and a sweep find nothing new.
    await _arm(runtime_engine, desk, item_id, due_at)
    await asyncio.sleep(0.5)
    assert await sweep_sla(runtime_sessionmaker) == 0
    assert len(await _events(admin_session, item_id)) == 1

    item = (await client.get(f"/api/v1/work-items/{item_id}", headers=desk.as_("member"))).json()
    assert item["sla"]["status"] == "breached"
    assert item["sla"]["first_response_breached_at"] is not None
    board = (await client.get("/api/v1/sla/events", headers=desk.as_("agent"))).json()
    assert [(e["work_item_id"], e["kind"]) for e in board["items"]] == [(item_id, "breach")]


async def test_timer_for_a_due_time_that_moved_does_nothing(client, desk, admin_session, runtime_engine, job_worker):
    item_id = await _submit(client, desk)
    old_due = await _due_soon(admin_session, item_id, 0.5)
    await _arm(runtime_engine, desk, item_id, old_due)
    await _due_soon(admin_session, item_id, 3600)  # the agent answered in time: the due time moved on

    await asyncio.sleep(1.5)
    assert await _events(admin_session, item_id) == []


async def test_sweeper_marks_a_breach_whose_timer_was_lost_while_the_broker_was_down(
    client, desk, admin_session, runtime_engine, runtime_sessionmaker, private_redis, private_broker
):
    item_id = await _submit(client, desk)
    due_at = await _due_soon(admin_session, item_id, 0.5)
    await _arm(runtime_engine, desk, item_id, due_at)  # the timer waits in the private Redis...
    private_redis.stop()  # ...which goes down, taking the timer with it
    await asyncio.sleep(2.0)  # past the due time and the sweeper's grace

    assert await sweep_sla(runtime_sessionmaker) == 1
    events = await _events(admin_session, item_id)
    assert [(e.clock, e.kind, e.detected_by) for e in events] == [("first_response", "breach", "sweeper")]
    assert events[0].due_at == due_at

    private_redis.start()  # back, empty: nothing is recorded twice, and the next sweep finds nothing
    assert await sweep_sla(runtime_sessionmaker) == 0
    assert len(await _events(admin_session, item_id)) == 1
    item = (await admin_session.execute(select(WorkItem).where(WorkItem.id == item_id))).scalar_one()
    assert item.sla_status is SlaStatus.BREACHED


async def test_a_breach_reaches_the_assignee_the_requester_and_the_tenants_webhook(
    client,
    desk,
    admin_session,
    runtime_engine,
    worker_environment,
    smtp_server,
    receiver,
    job_worker,
):
    inbox, port = smtp_server
    worker_environment.setenv("BO_SMTP_HOST", "127.0.0.1")
    worker_environment.setenv("BO_SMTP_PORT", str(port))
    worker_environment.setenv("BO_WEBHOOK_ALLOW_INSECURE", "true")  # the receiver is on 127.0.0.1
    get_settings.cache_clear()
    await save(
        admin_session,
        WebhookEndpoint(
            id=uuid4(),
            tenant_id=desk.tenant.id,
            url=f"{receiver.url}/hooks",
            secret="whsec_breach-test-secret-0123456789",
            events=["work_item.sla_breached"],
        ),
    )
    item_id = await _submit(client, desk)
    claimed = await client.post("/api/v1/queue/claim", headers=desk.as_("agent"))
    assert claimed.json()["id"] == item_id
    # The first response is still owed but hours away; bring the resolution due time close instead.
    due_at = utc_now() + timedelta(seconds=1)
    await admin_session.execute(
        update(WorkItem).where(WorkItem.id == item_id).values(resolution_due_at=due_at, warning_due_at=None)
    )
    await admin_session.commit()
    await _arm(runtime_engine, desk, item_id, due_at)

    events = await _wait_for_events(admin_session, item_id, 1)
    assert [(e.clock, e.kind) for e in events] == [("resolution", "breach")]
    deadline = asyncio.get_running_loop().time() + 15
    while (len(inbox.envelopes) < 2 or not receiver.on("/hooks")) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.1)

    # Email, over real SMTP, to both people.
    assert sorted(rcpt for envelope in inbox.envelopes for rcpt in envelope.rcpt_tos) == sorted(
        [desk.agent.email, desk.member.email]
    )
    assert all(b"SLA breached: resolution" in envelope.content for envelope in inbox.envelopes)
    # The tenant's webhook, signed, describing the breach.
    (hook,) = receiver.on("/hooks")
    body = json.loads(hook.body)
    assert body["event"] == "work_item.sla_breached"
    assert (body["data"]["work_item_id"], body["data"]["clock"]) == (item_id, "resolution")
    assert hook.headers["X-BO-Signature"].startswith("t=")
    # In the app: each person's notifications.
    for who in ("agent", "member"):
        mine = (await client.get("/api/v1/notifications", headers=desk.as_(who))).json()
        assert [(n["kind"], n["work_item_id"]) for n in mine["items"] if n["kind"].startswith("sla.")] == [
            ("sla.breached", item_id)
        ]


async def test_a_warning_comes_before_the_breach_and_each_is_recorded_once(
    client, desk, admin_session, runtime_sessionmaker
):
    item_id = await _submit(client, desk)
    now = utc_now()
    # 75% of the 120-minute first-response target has passed (the item was queued 95 minutes ago, round the clock).
    await admin_session.execute(
        update(WorkItem)
        .where(WorkItem.id == item_id)
        .values(
            queued_at=now - timedelta(minutes=95),
            first_response_due_at=now + timedelta(minutes=25),
            warning_due_at=now - timedelta(minutes=5),
        )
    )
    await admin_session.commit()

    assert await sweep_sla(runtime_sessionmaker) == 1
    assert await sweep_sla(runtime_sessionmaker) == 0
    events = await _events(admin_session, item_id)
    assert [(e.clock, e.kind) for e in events] == [("first_response", "warning")]
    item = (await client.get(f"/api/v1/work-items/{item_id}", headers=desk.as_("member"))).json()
    assert item["sla"]["status"] == "warning"

    await _due_soon(admin_session, item_id, -2)
    assert await sweep_sla(runtime_sessionmaker) == 1
    events = await _events(admin_session, item_id)
    assert sorted((e.clock, e.kind) for e in events) == [("first_response", "breach"), ("first_response", "warning")]
    item = (await client.get(f"/api/v1/work-items/{item_id}", headers=desk.as_("member"))).json()
    assert item["sla"]["status"] == "breached"
