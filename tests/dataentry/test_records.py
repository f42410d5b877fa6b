"""Records: staff correct values with the same rules as the import; a chunk is done when its records are accepted."""

from __future__ import annotations

import asyncio
from uuid import UUID

import pytest
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy import select

from bo_saas.dataentry.errors import InvalidRecordValues
from bo_saas.dataentry.models import Batch, BatchStatus, Chunk, Record, RecordStatus
from bo_saas.dataentry.records import save_record
from bo_saas.dataentry.tasks import QUEUE
from bo_saas.lib.db import scoped_session
from bo_saas.lib.outbox import wait_for_relays
from bo_saas.lib.settings import get_settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.work.models import UsageRecord
from tests.dataentry.helpers import a_double_keyed_batch, a_schema, csv_bytes, key, run_import, send
from tests.desk import queued_item
from tests.factories import (
    BatchFactory,
    ChunkFactory,
    RecordFactory,
    RecordSchemaFactory,
    TenantFactory,
    save,
)

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


async def _other_tenants_chunk(session) -> tuple:
    """Another tenant's batch with one record in adjudication, chunked into a work item of its own."""
    tenant = TenantFactory(services=["data_entry"])
    await save(session, tenant)
    schema = RecordSchemaFactory(tenant_id=tenant.id, double_key=True)
    item = queued_item(tenant)
    await save(session, schema, item)
    batch = BatchFactory(tenant_id=tenant.id, schema_id=schema.id, schema_code=schema.code)
    await save(session, batch)
    chunk = ChunkFactory(tenant_id=tenant.id, batch_id=batch.id, work_item_id=item.id)
    record = RecordFactory(tenant_id=tenant.id, batch_id=batch.id, status=RecordStatus.IN_ADJUDICATION)
    await save(session, chunk, record)
    return item.id, record.id


async def test_a_work_items_records_are_its_chunks_in_row_order_and_another_tenants_item_lists_none(
    client, app, runtime_sessionmaker, desk, admin_session
):
    await a_schema(client, desk)
    rows = [["Ann Lee", "31", "ann@example.com"], ["Bob Stone", "40", "bob@example.com"], ["Cy Dunn", "9", ""]]
    sent = await send(client, desk, "contacts.csv", csv_bytes([HEADER, *rows]))
    await run_import(app, runtime_sessionmaker, desk.tenant.id, sent.json()["id"])
    chunks = (await admin_session.scalars(select(Chunk).order_by(Chunk.number))).all()  # chunk_size 2: 2 + 1 rows
    other_item, other_record = await _other_tenants_chunk(admin_session)

    first = await client.get("/api/v1/data-entry/records", params={"work_item": str(chunks[0].work_item_id)},
                             headers=desk.as_("agent"))  # fmt: skip
    second = await client.get("/api/v1/data-entry/records", params={"work_item": str(chunks[1].work_item_id)},
                              headers=desk.as_("agent"))  # fmt: skip
    foreign = await client.get("/api/v1/data-entry/records", params={"work_item": str(other_item)},
                               headers=desk.as_("agent"))  # fmt: skip
    not_an_id = await client.get("/api/v1/data-entry/records", params={"work_item": "42"}, headers=desk.as_("agent"))

    assert first.status_code == 200, first.text
    assert [(r["row_number"], r["chunk_number"]) for r in first.json()["items"]] == [(1, 1), (2, 1)]
    assert {r["batch_id"] for r in first.json()["items"]} == {sent.json()["id"]}
    assert {r["tenant_id"] for r in first.json()["items"]} == {str(desk.tenant.id)}
    assert [(r["row_number"], r["chunk_number"]) for r in second.json()["items"]] == [(3, 2)]
    assert foreign.status_code == 200 and foreign.json()["total"] == 0 and str(other_record) not in foreign.text
    assert not_an_id.status_code == 400


async def test_records_in_adjudication_are_listed_across_batches_without_another_tenants(
    client, app, runtime_sessionmaker, desk, admin_session
):
    _, (ann, bob) = await a_double_keyed_batch(
        client, app, runtime_sessionmaker, desk, [["Ann Lee", "31", "ann@example.com"], ["Bob Stone", "40", ""]]
    )
    await key(client, desk, ann["id"], "agent", {"age": 32})
    await key(client, desk, ann["id"], "reviewer", {"age": 33})
    await key(client, desk, bob["id"], "agent", {"age": 41})
    _, other_record = await _other_tenants_chunk(admin_session)

    waiting = await client.get(
        "/api/v1/data-entry/records", params={"status": "in_adjudication"}, headers=desk.as_("provider_admin")
    )
    bad_status = await client.get("/api/v1/data-entry/records", params={"status": "lost"}, headers=desk.as_("agent"))

    assert waiting.status_code == 200, waiting.text
    assert [r["id"] for r in waiting.json()["items"]] == [ann["id"]]
    assert waiting.json()["items"][0]["my_values"] is None and str(other_record) not in waiting.text
    assert bad_status.status_code == 400


async def _save_in_its_own_transaction(
    runtime_sessionmaker, desk, record_id: str, values: dict, *, saved=None, commit=None
) -> None:
    """Save through ``save_record`` in one transaction; with events, say when it is saved and commit when told."""
    async with scoped_session(runtime_sessionmaker, TenantScope.of(desk.tenant.id)) as session:
        record = await session.scalar(select(Record).where(Record.id == UUID(record_id)).with_for_update())
        await save_record(session, record, values, by=desk.agent.id)
        if saved is not None:
            saved.set()
            await commit.wait()


async def _three_records_in_progress(client, app, runtime_sessionmaker, desk) -> list[dict]:
    """Ann (accepted), Bob and Cy (e-mails to correct), the batch in progress (its first save made)."""
    await a_schema(client, desk)
    rows = [["Ann Lee", "31", "ann@example.com"], ["Bob Stone", "40", "bob@"], ["Cy Young", "50", "cy@"]]
    sent = await send(client, desk, "contacts.csv", csv_bytes([HEADER, *rows]))
    await run_import(app, runtime_sessionmaker, desk.tenant.id, sent.json()["id"])
    page = await client.get(f"/api/v1/data-entry/batches/{sent.json()['id']}/records", headers=desk.as_("agent"))
    ann, bob, cy = page.json()["items"]
    first = await client.put(
        f"/api/v1/data-entry/records/{ann['id']}", json={"values": {"age": "32"}}, headers=desk.as_("agent")
    )
    assert first.status_code == 200, first.text
    return [ann, bob, cy]


async def test_saves_of_two_records_of_one_batch_do_not_wait_for_each_other(
    client, app, runtime_sessionmaker, desk, admin_session
):
    ann, bob, _ = await _three_records_in_progress(client, app, runtime_sessionmaker, desk)
    saved, commit = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(
        _save_in_its_own_transaction(
            runtime_sessionmaker, desk, bob["id"], {"email": "bob@example.com"}, saved=saved, commit=commit
        )
    )
    await asyncio.wait_for(saved.wait(), 10)

    try:
        # Bob's save is open (its transaction holds its locks); Ann's save runs and commits beside it.
        await asyncio.wait_for(
            _save_in_its_own_transaction(runtime_sessionmaker, desk, ann["id"], {"full_name": "Ann Lea"}), 5
        )
    finally:
        commit.set()
        await first

    stored = dict((await admin_session.execute(select(Record.row_number, Record.values))).all())
    assert stored[1]["full_name"] == "Ann Lea" and stored[2]["email"] == "bob@example.com"


async def test_two_concurrent_saves_of_one_unique_value_in_a_batch_do_not_both_succeed(
    client, app, runtime_sessionmaker, desk, admin_session
):
    _, bob, cy = await _three_records_in_progress(client, app, runtime_sessionmaker, desk)
    saved, commit = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(
        _save_in_its_own_transaction(
            runtime_sessionmaker, desk, bob["id"], {"email": "same@example.com"}, saved=saved, commit=commit
        )
    )
    await asyncio.wait_for(saved.wait(), 10)
    second = asyncio.create_task(
        _save_in_its_own_transaction(runtime_sessionmaker, desk, cy["id"], {"email": "same@example.com"})
    )
    try:
        await asyncio.sleep(0.5)
        waited = not second.done()  # the second save waits for the first to decide, not for a snapshot of it
    finally:
        commit.set()
        await first

    with pytest.raises(InvalidRecordValues) as refused:
        await second
    holders = (
        await admin_session.scalars(
            select(Record.row_number).where(Record.values["email"].astext == "same@example.com")
        )
    ).all()
    assert waited
    assert refused.value.extra["problems"] == {"email": "has the same value as row 2"}
    assert holders == [2]


async def test_the_first_holder_of_a_value_saves_while_its_later_duplicate_must_change(
    client, app, runtime_sessionmaker, desk
):
    await a_schema(client, desk)
    rows = [["Ann Lee", "31", "ann@example.com"], ["Cy Young", "50", "ann@example.com"]]
    sent = await send(client, desk, "contacts.csv", csv_bytes([HEADER, *rows]))
    await run_import(app, runtime_sessionmaker, desk.tenant.id, sent.json()["id"])
    page = await client.get(f"/api/v1/data-entry/batches/{sent.json()['id']}/records", headers=desk.as_("agent"))
    ann, cy = page.json()["items"]

    first = await client.put(
        f"/api/v1/data-entry/records/{ann['id']}", json={"values": {"age": "32"}}, headers=desk.as_("agent")
    )
    duplicate = await client.put(
        f"/api/v1/data-entry/records/{cy['id']}", json={"values": {"age": "51"}}, headers=desk.as_("agent")
    )

    assert first.status_code == 200, first.text
    assert duplicate.status_code == 422
    assert duplicate.json()["extra"]["problems"] == {"email": "has the same value as row 1"}
