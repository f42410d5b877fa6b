"""A single-keyed save's fast path: the batch's own schema version judges it, audited, no tenant's rules leaking."""

from __future__ import annotations

from sqlalchemy import select

from bo_saas.audit.models import AuditEvent
from bo_saas.dataentry import compiled_schemas
from bo_saas.dataentry.models import RecordSchema
from bo_saas.lib.db import driver_connection, scoped_session
from bo_saas.lib.tenant_scope import TenantScope
from tests.dataentry.helpers import CONTACTS, a_schema, csv_bytes, run_import, send
from tests.factories import RecordSchemaFactory, TenantFactory, save

HEADER = ["Full name", "Age", "E-mail"]


async def _records(client, app, runtime_sessionmaker, desk, rows: list[list[str]], filename: str) -> list[dict]:
    sent = await send(client, desk, filename, csv_bytes([HEADER, *rows]))
    await run_import(app, runtime_sessionmaker, desk.tenant.id, sent.json()["id"])
    page = await client.get(f"/api/v1/data-entry/batches/{sent.json()['id']}/records", headers=desk.as_("agent"))
    return page.json()["items"]


async def test_each_batch_is_judged_by_its_own_schema_version_while_both_are_kept(
    client, app, runtime_sessionmaker, desk
):
    schema = await a_schema(client, desk)
    first = await _records(client, app, runtime_sessionmaker, desk, [["Ann", "31", "ann@example.com"]], "a.csv")
    agent = desk.as_("agent")
    assert (await client.put(f"/api/v1/data-entry/records/{first[0]['id']}", json={"values": {"age": "120"}},
                             headers=agent)).status_code == 200  # fmt: skip
    stricter = {**CONTACTS, "fields": [{**f, "max": 100} if f["name"] == "age" else f for f in CONTACTS["fields"]]}
    changed = await client.put(f"/api/v1/data-entry/schemas/{schema['id']}", json=stricter, headers=desk.as_("admin"))
    assert changed.status_code in (200, 201), changed.text
    second = await _records(client, app, runtime_sessionmaker, desk, [["Bob", "31", "bob@example.com"]], "b.csv")

    refused = await client.put(f"/api/v1/data-entry/records/{second[0]['id']}", json={"values": {"age": "120"}},
                               headers=agent)  # fmt: skip
    still_old = await client.put(f"/api/v1/data-entry/records/{first[0]['id']}", json={"values": {"age": "125"}},
                                 headers=agent)  # fmt: skip

    assert refused.status_code == 422 and refused.json()["extra"]["problems"] == {"age": "must be at most 100"}
    assert still_old.status_code == 200 and still_old.json()["values"]["age"] == 125


async def test_a_kept_schema_version_is_found_only_under_its_own_tenant(runtime_sessionmaker, admin_session, desk):
    other = TenantFactory(services=["data_entry"])
    await save(admin_session, other)
    theirs = RecordSchemaFactory(tenant_id=other.id)
    await save(admin_session, theirs)
    async with scoped_session(runtime_sessionmaker, TenantScope.of(other.id)) as session:
        kept = await compiled_schemas.compiled_by_id(await driver_connection(session), other.id, theirs.id)
    assert kept is not None and kept.tenant_id == other.id

    async with scoped_session(runtime_sessionmaker, TenantScope.of(desk.tenant.id)) as session:
        connection = await driver_connection(session)
        # Under the wrong tenant's key, and read again under this tenant's policy: nothing.
        assert await compiled_schemas.compiled_by_id(connection, desk.tenant.id, theirs.id) is None
        schemas = (await session.scalars(select(RecordSchema))).all()
    assert theirs.id not in {schema.id for schema in schemas}


async def test_a_save_is_audited_with_the_values_it_changed(client, app, runtime_sessionmaker, desk, admin_session):
    await a_schema(client, desk)
    records = await _records(client, app, runtime_sessionmaker, desk, [["Ann", "31", "ann@example.com"]], "c.csv")

    saved = await client.put(f"/api/v1/data-entry/records/{records[0]['id']}",
                             json={"values": {"age": "32", "balance": "1.50"}}, headers=desk.as_("agent"))  # fmt: skip

    assert saved.status_code == 200, saved.text
    assert saved.json()["status"] == "accepted" and saved.json()["values"]["age"] == 32
    events = (
        await admin_session.scalars(select(AuditEvent).where(AuditEvent.action == "data_entry_record.saved"))
    ).all()
    assert len(events) == 1
    assert events[0].actor_id == desk.agent.id and events[0].subject_id == records[0]["id"]
    assert events[0].changes == {
        "row": 1, "values": {"age": {"old": 31, "new": 32}, "balance": {"old": None, "new": "1.50"}},
    }  # fmt: skip
