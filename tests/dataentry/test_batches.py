"""Batches from files: encodings, delimiters and XLSX read; mismatches refused at once; imports resumable, chunked."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select

from bo_saas.dataentry import importing, reading
from bo_saas.dataentry.models import Batch, BatchStatus, Chunk, Record
from bo_saas.dataentry.tasks import import_batch_file, import_batch_gave_up
from bo_saas.lib.caller import Role
from bo_saas.lib.db import scoped_session
from bo_saas.lib.storage import storage_for
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.work.models import WorkItem, WorkState
from tests.auth import bearer
from tests.dataentry.helpers import CONTACTS, a_schema, csv_bytes, run_import, send, xlsx_bytes
from tests.factories import TenantFactory, client_user, save

HEADER = ["Full name", "Age", "E-mail", "balance"]
ROWS = [
    ["Ann Lee", "31", "ann@example.com", "10.50"],
    ["Bob Stone", "x", "bob@example.com", "3"],
    ["Cy Young", "40", "ann@example.com", ""],
]


async def _imported(client, app, runtime_sessionmaker, desk, filename: str, content: bytes) -> dict:
    sent = await send(client, desk, filename, content)
    assert sent.status_code == 201, sent.text
    await run_import(app, runtime_sessionmaker, desk.tenant.id, sent.json()["id"])
    return (await client.get(f"/api/v1/data-entry/batches/{sent.json()['id']}", headers=desk.as_("admin"))).json()


async def _records(client, desk, batch_id: str) -> list[dict]:
    page = await client.get(f"/api/v1/data-entry/batches/{batch_id}/records?limit=200", headers=desk.as_("agent"))
    return page.json()["items"]


async def test_a_utf8_csv_with_a_bom_is_imported_keeping_bad_rows_with_their_problems(
    client, app, runtime_sessionmaker, desk
):
    await a_schema(client, desk)

    batch = await _imported(
        client, app, runtime_sessionmaker, desk, "contacts.csv", csv_bytes([HEADER, *ROWS], bom=True)
    )
    records = await _records(client, desk, batch["id"])

    assert batch["status"] == "ready" and batch["encoding"] == "utf-8" and batch["delimiter"] == ","
    assert (batch["rows_total"], batch["rows_imported"]) == (3, 3)
    assert batch["counts"] == {"records": 3, "accepted": 1, "with_problems": 2, "chunks": 2, "chunks_done": 0}
    assert batch["columns"] == ["full_name", "age", "email", "balance"]
    assert records[0]["values"] == {"full_name": "Ann Lee", "age": 31, "email": "ann@example.com", "balance": "10.50"}
    assert records[0]["status"] == "accepted" and records[0]["problems"] == {}
    assert records[1]["problems"] == {"age": "'x' is not a whole number"} and records[1]["values"]["age"] == "x"
    assert records[2]["problems"] == {"email": "has the same value as row 1"} and records[2]["status"] == "pending"


async def test_a_semicolon_csv_in_windows_1256_arabic_is_read(client, app, runtime_sessionmaker, desk):
    await a_schema(client, desk)
    rows = [["full name", "age"], ["علي الأحمد", "30"], ["سارة", "25"]]

    batch = await _imported(
        client, app, runtime_sessionmaker, desk, "arabic.csv", csv_bytes(rows, delimiter=";", encoding="cp1256")
    )
    records = await _records(client, desk, batch["id"])

    assert (batch["encoding"], batch["delimiter"], batch["status"]) == ("cp1256", ";", "ready")
    assert [r["values"]["full_name"] for r in records] == ["علي الأحمد", "سارة"]
    assert [r["values"]["age"] for r in records] == [30, 25]


async def test_a_latin_1_tab_separated_file_is_read_as_western(client, app, runtime_sessionmaker, desk):
    await a_schema(client, desk)
    rows = [["full_name", "balance"], ["René Müller", "12,5"]]

    batch = await _imported(
        client, app, runtime_sessionmaker, desk, "west.tsv", csv_bytes(rows, delimiter="\t", encoding="latin-1")
    )
    records = await _records(client, desk, batch["id"])

    assert (batch["encoding"], batch["delimiter"]) == ("cp1252", "\t")
    assert records[0]["values"]["full_name"] == "René Müller" and records[0]["values"]["balance"] == "12.5"


async def test_an_xlsx_is_read_with_its_numbers(client, app, runtime_sessionmaker, desk):
    await a_schema(client, desk)
    rows = [["FULL_NAME", "age", "e-mail"], ["Ann Lee", 31, "ann@example.com"], ["Bob", 2.5, "bob@example.com"]]

    batch = await _imported(client, app, runtime_sessionmaker, desk, "rows.xlsx", xlsx_bytes(rows))
    records = await _records(client, desk, batch["id"])

    assert batch["status"] == "ready" and batch["encoding"] is None
    assert records[0]["values"]["age"] == 31 and records[0]["problems"] == {}
    assert records[1]["problems"] == {"age": "2.5 is not a whole number"}


async def test_unknown_and_missing_columns_are_listed_together_in_one_422(client, desk, admin_session):
    await a_schema(client, desk)

    answer = await send(client, desk, "contacts.csv", csv_bytes([["Age", "Shoe size", "Colour"], ["3", "9", "red"]]))

    assert answer.status_code == 422
    extra = answer.json()["extra"]
    assert extra["unknown_columns"] == ["Shoe size", "Colour"] and extra["missing_columns"] == ["Full name"]
    assert "Shoe size" in answer.json()["detail"] and "Full name" in answer.json()["detail"]
    assert await admin_session.scalar(select(func.count()).select_from(Batch)) == 0


async def test_files_that_cannot_be_rows_are_refused_with_a_4xx(client, desk, admin_session):
    await a_schema(client, desk)

    header_only = await send(client, desk, "contacts.csv", csv_bytes([HEADER]))
    text_as_xlsx = await send(client, desk, "contacts.xlsx", csv_bytes([HEADER, *ROWS]))
    zip_as_csv = await send(client, desk, "contacts.csv", xlsx_bytes([HEADER]))
    pdf = await send(client, desk, "contacts.pdf", b"%PDF-1.4")
    unknown_schema = await send(client, desk, "contacts.csv", csv_bytes([HEADER, *ROWS]), schema="nope")
    mixed = await send(client, desk, "mixed.csv", "full_name\nRené\n".encode() + "Renée\n".encode("latin-1"))

    assert header_only.status_code == 422 and "no rows" in header_only.json()["detail"]
    assert text_as_xlsx.status_code == 422 and "not an XLSX" in text_as_xlsx.json()["detail"]
    assert zip_as_csv.status_code == 422 and "binary" in zip_as_csv.json()["detail"]
    assert pdf.status_code == 422
    assert unknown_schema.status_code == 400 and unknown_schema.json()["extra"] == {"field": "schema"}
    assert mixed.status_code == 422 and "mixes encodings" in mixed.json()["detail"]
    assert await admin_session.scalar(select(func.count()).select_from(Batch)) == 0


async def test_a_sheet_or_csv_past_the_column_limit_is_refused(client, desk):
    await a_schema(client, desk)
    wide = [["full_name", *(f"c{i}" for i in range(600))], ["Ann", *range(600)]]

    answer = await send(client, desk, "wide.xlsx", xlsx_bytes(wide))
    wide_csv = await send(client, desk, "wide.csv", csv_bytes([[f"c{i}" for i in range(200_000)], ["x"]]))

    assert answer.status_code == 413 and "columns" in answer.json()["detail"]
    assert wide_csv.status_code == 413 and "200000 columns" in wide_csv.json()["detail"]


async def test_the_same_file_twice_is_one_batch(client, app, runtime_sessionmaker, desk, admin_session):
    await a_schema(client, desk)
    content = csv_bytes([HEADER, *ROWS])

    first = await send(client, desk, "contacts.csv", content)
    second = await send(client, desk, "again.csv", content, who="member")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert await admin_session.scalar(select(func.count()).select_from(Batch)) == 1


async def test_an_interrupted_import_resumes_without_duplicate_records(
    client, app, runtime_sessionmaker, desk, admin_session, monkeypatch
):
    await a_schema(client, desk)
    rows = [[f"Person {n}", str(n % 100), f"p{n}@example.com", "1"] for n in range(1, 26)]
    sent = await send(client, desk, "many.csv", csv_bytes([HEADER, *rows]))
    batch_id = sent.json()["id"]
    monkeypatch.setattr(importing, "BLOCK_ROWS", 10)
    real_store = importing._store
    calls = 0

    async def crash_on_the_third_block(session, records):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise ConnectionError("worker killed")
        await real_store(session, records)

    monkeypatch.setattr(importing, "_store", crash_on_the_third_block)
    try:
        await run_import(app, runtime_sessionmaker, desk.tenant.id, batch_id)
    except ConnectionError:
        pass
    midway = (await client.get(f"/api/v1/data-entry/batches/{batch_id}", headers=desk.as_("admin"))).json()
    monkeypatch.setattr(importing, "_store", real_store)
    await run_import(app, runtime_sessionmaker, desk.tenant.id, batch_id)
    await run_import(app, runtime_sessionmaker, desk.tenant.id, batch_id)  # a repeated message does nothing

    assert (midway["status"], midway["rows_imported"], midway["rows_total"]) == ("importing", 20, 25)
    numbers = (await admin_session.scalars(select(Record.row_number).order_by(Record.row_number))).all()
    assert numbers == list(range(1, 26))
    batch = (await admin_session.scalars(select(Batch))).one()
    assert (batch.status, batch.rows_imported) == (BatchStatus.READY, 25)
    assert await admin_session.scalar(select(func.count()).select_from(Chunk)) == 13


async def test_a_batch_is_split_into_queued_chunks_of_at_most_chunk_size(
    client, app, runtime_sessionmaker, desk, admin_session
):
    await a_schema(client, desk)
    rows = [[f"Person {n}", "30", f"p{n}@example.com", "1"] for n in range(1, 6)]

    batch = await _imported(client, app, runtime_sessionmaker, desk, "five.csv", csv_bytes([HEADER, *rows]))

    chunks = (
        await admin_session.execute(
            select(Chunk.number, Chunk.first_row, Chunk.last_row, WorkItem.state, WorkItem.service_type)
            .join(WorkItem, (WorkItem.tenant_id == Chunk.tenant_id) & (WorkItem.id == Chunk.work_item_id))
            .order_by(Chunk.number)
        )
    ).all()
    per_chunk = (
        await admin_session.execute(
            select(Chunk.number, func.count(Record.id))
            .join(
                Record,
                (Record.tenant_id == Chunk.tenant_id)
                & (Record.batch_id == Chunk.batch_id)
                & (Record.chunk_number == Chunk.number),
            )
            .group_by(Chunk.number)
            .order_by(Chunk.number)
        )
    ).all()
    assert batch["counts"]["chunks"] == 3
    assert [(c.number, c.first_row, c.last_row) for c in chunks] == [(1, 1, 2), (2, 3, 4), (3, 5, 5)]
    assert {(c.state, c.service_type) for c in chunks} == {(WorkState.QUEUED, "data_entry")}
    assert [tuple(row) for row in per_chunk] == [(1, 2), (2, 2), (3, 1)]


async def test_lists_filter_by_status_and_another_tenants_batch_is_404(
    client, app, runtime_sessionmaker, desk, admin_session
):
    await a_schema(client, desk)
    batch = await _imported(client, app, runtime_sessionmaker, desk, "c.csv", csv_bytes([HEADER, *ROWS]))
    other = TenantFactory(services=["data_entry"])
    await save(admin_session, other)
    outsider = await client_user(admin_session, other, Role.CLIENT_ADMIN)
    headers = bearer(app, outsider, Role.CLIENT_ADMIN, tenant_id=other.id)
    ready = (await client.get("/api/v1/data-entry/batches?status=ready", headers=desk.as_("admin"))).json()
    importing_now = (await client.get("/api/v1/data-entry/batches?status=importing", headers=desk.as_("admin"))).json()
    theirs = await client.get(f"/api/v1/data-entry/batches/{batch['id']}", headers=headers)
    their_records = await client.get(f"/api/v1/data-entry/batches/{batch['id']}/records", headers=headers)
    their_list = (await client.get("/api/v1/data-entry/batches", headers=headers)).json()

    assert [b["id"] for b in ready["items"]] == [batch["id"]] and importing_now["total"] == 0
    assert theirs.status_code == 404 and their_records.status_code == 404
    assert their_list["total"] == 0


async def test_a_double_keyed_schemas_records_all_wait_for_agents(client, app, runtime_sessionmaker, desk):
    await a_schema(client, desk, CONTACTS | {"code": "keyed", "double_key": True})

    sent = await send(client, desk, "k.csv", csv_bytes([HEADER, ROWS[0]]), schema="keyed")
    await run_import(app, runtime_sessionmaker, desk.tenant.id, sent.json()["id"])
    records = await _records(client, desk, sent.json()["id"])

    assert [(r["status"], r["problems"]) for r in records] == [("pending", {})]


async def test_a_file_gone_from_storage_fails_the_batch_with_a_reason(client, app, runtime_sessionmaker, desk):
    await a_schema(client, desk)
    sent = await send(client, desk, "c.csv", csv_bytes([HEADER, *ROWS]))
    batch = (await client.get(f"/api/v1/data-entry/batches/{sent.json()['id']}", headers=desk.as_("admin"))).json()
    stored = await storage_key_of(runtime_sessionmaker, desk.tenant.id, batch["id"])
    await storage_for(app.state.settings).delete(stored)

    await run_import(app, runtime_sessionmaker, desk.tenant.id, batch["id"])
    failed = (await client.get(f"/api/v1/data-entry/batches/{batch['id']}", headers=desk.as_("admin"))).json()

    assert failed["status"] == "failed" and "send it again" in failed["error"]
    assert failed["counts"]["records"] == 0


async def test_an_import_that_exhausts_its_retries_fails_the_batch_instead_of_staying_importing(
    client, app, runtime_sessionmaker, desk
):
    await a_schema(client, desk)
    sent = await send(client, desk, "c.csv", csv_bytes([HEADER, *ROWS]))
    batch_id = sent.json()["id"]

    # What the give-up actor (dramatiq's on_retry_exhausted for the import) runs after the last retry.
    await importing.give_up(runtime_sessionmaker, desk.tenant.id, UUID(batch_id), 6)
    failed = (await client.get(f"/api/v1/data-entry/batches/{batch_id}", headers=desk.as_("admin"))).json()

    assert failed["status"] == "failed" and "after 6 attempts" in failed["error"]
    assert import_batch_file.options["on_retry_exhausted"] == import_batch_gave_up.actor_name


async def test_an_xlsx_sheet_past_the_row_limit_is_refused(client, desk, monkeypatch):
    await a_schema(client, desk)
    monkeypatch.setattr(reading, "MAX_ROWS", 2)

    answer = await send(client, desk, "long.xlsx", xlsx_bytes([["full_name"], ["A"], ["B"], ["C"]]))

    assert answer.status_code == 413 and "rows" in answer.json()["detail"]


async def storage_key_of(sessionmaker, tenant_id, batch_id: str) -> str:
    async with scoped_session(sessionmaker, TenantScope.of(tenant_id)) as session:
        return await session.scalar(select(Batch.storage_key).where(Batch.id == batch_id))
