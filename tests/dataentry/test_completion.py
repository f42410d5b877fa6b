"""A batch completes when none of its chunks is open, done or closed, and announces it to the tenant's webhooks."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import select

from bo_saas.dataentry.chunks import BATCH_COMPLETED
from bo_saas.dataentry.models import Chunk
from bo_saas.notify.models import WebhookDelivery, WebhookEndpoint
from tests.dataentry.helpers import a_schema, csv_bytes, run_import, send
from tests.factories import save

HEADER = ["Full name", "Age", "E-mail"]
ROWS = [["Ann Lee", "31", "ann@example.com"], ["Bob Stone", "40", "bob@example.com"], ["Cy Wu", "x", ""]]


async def _two_chunk_batch(client, app, runtime_sessionmaker, desk, admin_session) -> tuple[str, list[Chunk]]:
    await a_schema(client, desk)  # chunk_size 2: rows 1-2, then row 3
    sent = await send(client, desk, "contacts.csv", csv_bytes([HEADER, *ROWS]))
    await run_import(app, runtime_sessionmaker, desk.tenant.id, sent.json()["id"])
    chunks = (await admin_session.scalars(select(Chunk).order_by(Chunk.number))).all()
    return sent.json()["id"], list(chunks)


async def _move(client, desk, chunk: Chunk, to: str, who: str, reason: str | None = None):
    body = {"to": to} | ({"reason": reason} if reason else {})
    return await client.post(f"/api/v1/work-items/{chunk.work_item_id}/transitions", json=body, headers=desk.as_(who))


async def _batch(client, desk, batch_id: str) -> dict:
    return (await client.get(f"/api/v1/data-entry/batches/{batch_id}", headers=desk.as_("admin"))).json()


async def test_a_batch_whose_last_open_chunk_is_rejected_completes_and_announces_it_once(
    client, app, runtime_sessionmaker, desk, admin_session
):
    endpoint = WebhookEndpoint(
        id=uuid4(), tenant_id=desk.tenant.id, url="https://hooks.example.test/de", secret="whsec_x",
        events=[BATCH_COMPLETED],
    )  # fmt: skip
    await save(admin_session, endpoint)
    batch_id, (first, second) = await _two_chunk_batch(client, app, runtime_sessionmaker, desk, admin_session)
    headers = desk.as_("agent") | {"X-Tenant": str(desk.tenant.id)}
    await client.post("/api/v1/queue/claim", headers=headers)
    await client.post("/api/v1/queue/claim", headers=headers)

    done = await _move(client, desk, first, "done", "agent")
    after_first = await _batch(client, desk, batch_id)
    rejected = await _move(client, desk, second, "rejected", "agent", reason="Row 3 is illegible")
    after_second = await _batch(client, desk, batch_id)

    assert done.status_code == 200, done.text
    assert after_first["status"] == "ready" and after_first["completed_at"] is None
    assert rejected.status_code == 200, rejected.text
    assert after_second["status"] == "done" and after_second["completed_at"] is not None
    deliveries = (
        await admin_session.scalars(select(WebhookDelivery).where(WebhookDelivery.event == BATCH_COMPLETED))
    ).all()
    assert len(deliveries) == 1
    data = deliveries[0].payload["data"]
    assert (data["batch_id"], data["schema"], data["status"], data["records"], data["accepted"]) == (
        batch_id, "contacts", "done", 3, 2
    )  # fmt: skip
    assert data["completed_at"] and data["report"] == f"/api/v1/data-entry/batches/{batch_id}/report"


async def test_a_batch_whose_other_chunk_was_cancelled_completes_when_the_last_is_done(
    client, app, runtime_sessionmaker, desk, admin_session
):
    batch_id, (first, second) = await _two_chunk_batch(client, app, runtime_sessionmaker, desk, admin_session)
    cancelled = await _move(client, desk, second, "cancelled", "admin")
    after_cancel = await _batch(client, desk, batch_id)
    await client.post("/api/v1/queue/claim", headers=desk.as_("agent") | {"X-Tenant": str(desk.tenant.id)})

    done = await _move(client, desk, first, "done", "agent")
    report = (await client.get(f"/api/v1/data-entry/batches/{batch_id}/report", headers=desk.as_("admin"))).json()

    assert cancelled.status_code == 200, cancelled.text
    assert after_cancel["status"] == "ready"
    assert done.status_code == 200, done.text
    assert report["status"] == "done" and report["accepted"] == 2 and report["pending"] == 1
    assert report["turnaround_seconds"] is not None and report["turnaround_seconds"] >= 0
