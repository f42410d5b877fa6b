"""Records: staff correct values with the same rules as the import; a chunk is done when its records are accepted."""

from __future__ import annotations

import asyncio

import pytest
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy import select

from bo_saas.dataentry.models import Batch, BatchStatus, Chunk, Record
from bo_saas.dataentry.tasks import QUEUE
from bo_saas.lib.outbox import wait_for_relays
from bo_saas.lib.settings import get_settings
from bo_saas.work.models import UsageRecord
from tests.dataentry.helpers import a_schema, csv_bytes, run_import, send

HEADER = ["Full name", "Age", "E-mail"]
ROWS = [["Ann Lee", "31", "ann@example.com"], ["Bob Stone", "x", "bob@example"]]


async def _batch(client, app, runtime_sessionmaker, desk) -> tuple[str, list[dict]]:
    await a_schema(client, desk)
    sent = await send(client, desk, "contacts.csv", csv_bytes([HEADER, *ROWS]))
    await run_import(app, runtime_sessionmaker, desk.tenant.id, sent.json()["id"])
    page = await client.get(f"/api/v1/data-entry/batches/{sent.json()['id']}/records", headers=desk.as_("agent"))
    return sent.json()["id"], page.json()["items"]


async def test_a_save_with_bad_values_lists_each_fields_problem_and_changes_nothing(
    client, app, runtime_sessionmaker, desk
):
    _, records = await _batch(client, app, runtime_sessionmaker, desk)
    bob = records[1]

    refused = await client.put(
        f"/api/v1/data-entry/records/{bob['id']}",
        json={"values": {"age": "old", "email": "still wrong", "shoe": "9"}},
        headers=desk.as_("agent"),
    )
    after = (await client.get(f"/api/v1/data-entry/records/{bob['id']}", headers=desk.as_("admin"))).json()

    assert refused.status_code == 422
    problems = refused.json()["extra"]["problems"]
    assert problems["age"] == "'old' is not a whole number"
    assert "is not an email address" in problems["email"] and problems["shoe"] == "is not a field of this schema"
    assert after == bob


async def test_a_good_save_accepts_the_record_and_clears_its_problems(client, app, runtime_sessionmaker, desk):
    batch_id, records = await _batch(client, app, runtime_sessionmaker, desk)
    bob = records[1]

    by_client = await client.put(
        f"/api/v1/data-entry/records/{bob['id']}", json={"values": {"age": "44"}}, headers=desk.as_("admin")
    )
    duplicate = await client.put(
        f"/api/v1/data-entry/records/{bob['id']}",
        json={"values": {"age": "44", "email": "ann@example.com"}},
        headers=desk.as_("agent"),
    )
    saved = await client.put(
        f"/api/v1/data-entry/records/{bob['id']}",
        json={"values": {"age": "44", "email": "Bob@Example.com"}},
        headers=desk.as_("agent"),
    )
    batch = (await client.get(f"/api/v1/data-entry/batches/{batch_id}", headers=desk.as_("admin"))).json()

    assert by_client.status_code == 403
    assert duplicate.status_code == 422 and duplicate.json()["extra"]["problems"] == {
        "email": "has the same value as row 1"
    }
    assert saved.status_code == 200, saved.text
    assert saved.json()["values"] == {"full_name": "Bob Stone", "age": 44, "email": "Bob@example.com", "balance": None}
    assert saved.json()["problems"] == {} and saved.json()["status"] == "accepted"
    assert batch["status"] == "in_progress" and batch["counts"]["with_problems"] == 0


async def test_a_chunk_is_done_only_when_its_records_are_accepted_and_earns_one_unit_each(
    client, app, runtime_sessionmaker, desk, admin_session
):
    batch_id, records = await _batch(client, app, runtime_sessionmaker, desk)
    chunk = (await admin_session.scalars(select(Chunk))).one()  # chunk_size 2: both rows
    item = f"/api/v1/work-items/{chunk.work_item_id}/transitions"
    await client.post("/api/v1/queue/claim", headers=desk.as_("agent") | {"X-Tenant": str(desk.tenant.id)})

    early = await client.post(item, json={"to": "done"}, headers=desk.as_("agent"))
    await client.put(
        f"/api/v1/data-entry/records/{records[1]['id']}",
        json={"values": {"age": 50, "email": "bob@example.com"}},
        headers=desk.as_("agent"),
    )
    done = await client.post(item, json={"to": "done"}, headers=desk.as_("agent"))
    after_done = await client.put(
        f"/api/v1/data-entry/records/{records[0]['id']}", json={"values": {"age": 1}}, headers=desk.as_("agent")
    )

    assert early.status_code == 409 and "1 record not accepted yet" in early.json()["detail"]
    assert done.status_code == 200, done.text
    assert after_done.status_code == 409
    usage = (await admin_session.scalars(select(UsageRecord))).all()
    assert [(u.meter, u.quantity, u.work_item_id) for u in usage] == [("data_entry.records", 2, chunk.work_item_id)]
    batch = (await admin_session.scalars(select(Batch).execution_options(populate_existing=True))).one()
    assert batch.status is BatchStatus.DONE and batch.completed_at is not None


@pytest.mark.usefixtures("job_worker")
async def test_the_worker_imports_a_batch_sent_through_the_outbox(
    client, app, desk, admin_session, job_broker: RedisBroker, monkeypatch
):
    monkeypatch.setenv("BO_STORAGE_DIR", str(app.state.settings.storage_dir))
    get_settings.cache_clear()
    await a_schema(client, desk)

    sent = await send(client, desk, "contacts.csv", csv_bytes([HEADER, *ROWS]))
    await wait_for_relays()
    await asyncio.to_thread(job_broker.join, QUEUE, timeout=15_000)
    for _ in range(100):
        batch = (await client.get(f"/api/v1/data-entry/batches/{sent.json()['id']}", headers=desk.as_("admin"))).json()
        if batch["status"] != "importing":
            break
        await asyncio.sleep(0.1)
    get_settings.cache_clear()

    assert batch["status"] == "ready" and batch["rows_imported"] == 2
    assert len((await admin_session.scalars(select(Record))).all()) == 2
