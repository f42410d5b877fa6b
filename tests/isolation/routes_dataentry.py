"""The isolation walker's entries for the Data entry desk: schemas, batches, records."""

from __future__ import annotations

from uuid import uuid4

from bo_saas.dataentry.models import Keying, RecordStatus
from bo_saas.lib.clock import utc_now
from bo_saas.work.models import Attachment
from tests.desk import queued_item
from tests.factories import BatchFactory, ChunkFactory, DocumentFactory, RecordFactory, RecordSchemaFactory, save
from tests.isolation.walker import Entry

SCHEMAS = "/api/v1/data-entry/schemas"
SCHEMA = "/api/v1/data-entry/schemas/{schema_id:uuid}"
BATCHES = "/api/v1/data-entry/batches"
BATCH = "/api/v1/data-entry/batches/{batch_id:uuid}"
RECORDS = "/api/v1/data-entry/records"
RECORD = "/api/v1/data-entry/records/{record_id:uuid}"
DOCUMENT = "/api/v1/data-entry/documents/{document_id:uuid}"
ACCURACY = "/api/v1/data-entry/accuracy"
FIELDS = [{"name": "full_name", "type": "text", "required": True}, {"name": "age", "type": "integer"}]
WALK_CSV = b"full_name,age\r\nAnn,31\r\n"
WALK_PNG = b"\x89PNG\r\n\x1a\n isolation walk"  # an image is taken by its signature; nothing parses it


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


def _schema(t, w) -> str:
    return f"{SCHEMAS}/{t.work['dataentry_schema']}"


def _batch(t, w) -> str:
    return f"{BATCHES}/{t.work['dataentry_batch']}"


def _record(t, w) -> str:
    return f"/api/v1/data-entry/records/{t.work['dataentry_record']}"


def _document(t, w) -> str:
    return f"/api/v1/data-entry/documents/{t.work['dataentry_document']}"


def _disputed(t, w) -> str:
    return f"/api/v1/data-entry/records/{t.work['dataentry_disputed']}"


ROUTES = [
    Entry("GET", SCHEMAS, "client_member", lambda t, w: SCHEMAS, cross_status=(200,)),
    Entry(
        "POST",
        SCHEMAS,
        "client_admin",
        lambda t, w: SCHEMAS,
        body=lambda t, w: {"code": f"walk_{uuid4().hex[:8]}", "name": "Walk", "fields": FIELDS},
        own_status=201,
        lower="client_member",
        headers=_own,
        cross_status=(400,),
    ),
    Entry("GET", SCHEMA, "client_member", _schema),
    Entry(
        "PUT",
        SCHEMA,
        "client_admin",
        _schema,
        body=lambda t, w: {"code": "walk", "name": "Walk, renamed", "fields": FIELDS},
        lower="client_member",
    ),
    Entry("GET", BATCHES, "client_member", lambda t, w: BATCHES, cross_status=(200,)),
    Entry(
        "POST",
        BATCHES,
        "client_member",
        lambda t, w: BATCHES,
        body=lambda t, w: {"schema": "walk"},
        files={"file": ("walk.csv", WALK_CSV, "text/csv")},
        own_status=201,
        headers=_own,
        cross_status=(400,),
    ),
    Entry(
        "POST",
        BATCHES,
        "client_member",
        lambda t, w: BATCHES,
        body=lambda t, w: {"schema": "walk", "split": "page"},
        files={"documents": ("walk.png", WALK_PNG, "image/png")},
        own_status=201,
        headers=_own,
        cross_status=(400,),
    ),
    Entry("GET", BATCH, "client_member", _batch),
    Entry("GET", BATCH + "/records", "client_member", lambda t, w: _batch(t, w) + "/records"),
    Entry("GET", BATCH + "/export", "client_member", lambda t, w: _batch(t, w) + "/export?format=json"),
    Entry("GET", BATCH + "/report", "client_member", lambda t, w: _batch(t, w) + "/report"),
    # A work item's chunk: aimed at the other tenant's item it answers, with no records.
    Entry(
        "GET",
        RECORDS,
        "client_member",
        lambda t, w: f"{RECORDS}?work_item={t.work['dataentry_chunk_item']}",
        cross_status=(200,),
    ),
    Entry("GET", RECORD, "client_member", _record),
    Entry("GET", DOCUMENT, "client_member", _document),
    Entry("GET", DOCUMENT, "agent", _document),
    # Keying is provider staff's work: the tenant's own admin is refused.
    Entry("PUT", RECORD, "agent", _record, body=lambda t, w: {"values": {"age": 32}}, lower="client_admin"),
    # Adjudication is for provider staff who keyed neither pass (the seeded passes are the tenant's own people).
    Entry(
        "GET", RECORD + "/adjudication", "agent", lambda t, w: _disputed(t, w) + "/adjudication", lower="client_admin"
    ),
    Entry(
        "POST",
        RECORD + "/adjudicate",
        "agent",
        lambda t, w: _disputed(t, w) + "/adjudicate",
        body=lambda t, w: {"values": {"age": 33}},
        lower="client_admin",
    ),
    # Measured over the tenants the caller serves: aimed at the other tenant it answers, without its rows.
    Entry("GET", ACCURACY, "agent", lambda t, w: ACCURACY, lower="client_admin", cross_status=(200,)),
]


async def seed(session, t) -> None:
    """Per tenant: a schema, a ready batch of it (no file needed to read it), one record waiting for an agent.

    The record's chunk has a work item of its own, so no other route's item waits on its records.
    """
    tenant_id = t.tenant.id
    schema = RecordSchemaFactory(tenant_id=tenant_id, code="walk", name="Walk", fields=FIELDS)
    await save(session, schema)
    batch = BatchFactory(tenant_id=tenant_id, schema_id=schema.id, schema_code="walk", columns=["full_name", "age"])
    await save(session, batch)
    record = RecordFactory(
        tenant_id=tenant_id, batch_id=batch.id, status=RecordStatus.PENDING,
        values={"full_name": "Ann", "age": None}, problems={"age": "is required"},
    )  # fmt: skip
    item = queued_item(t.tenant, requester_id=t.member.id)
    await save(session, record, item)
    await save(session, ChunkFactory(tenant_id=tenant_id, batch_id=batch.id, work_item_id=item.id))
    t.work.update(
        dataentry_schema=schema.id, dataentry_batch=batch.id, dataentry_record=record.id, dataentry_chunk_item=item.id
    )
    await _seed_document(session, t)
    await _seed_double_keyed(session, t)


async def _seed_document(session, t) -> None:
    """A documents batch with one document; its bytes are the walk's attachment file, already in test storage."""
    tenant_id = t.tenant.id
    file = await session.get(Attachment, (tenant_id, t.attachment_id))
    batch = BatchFactory(
        tenant_id=tenant_id, schema_id=t.work["dataentry_schema"], schema_code="walk", file_format="documents",
        storage_key=None, columns=[],
    )  # fmt: skip
    await save(session, batch)
    document = DocumentFactory(
        tenant_id=tenant_id, batch_id=batch.id, storage_key=file.storage_key, size_bytes=file.size_bytes
    )
    await save(session, document)
    t.work.update(dataentry_document=document.id)


async def _seed_double_keyed(session, t) -> None:
    """A double-keyed batch whose record's two passes (by the tenant's admin and member) disagree on age."""
    tenant_id = t.tenant.id
    schema = RecordSchemaFactory(tenant_id=tenant_id, code="walk_twice", double_key=True, fields=FIELDS)
    await save(session, schema)
    batch = BatchFactory(
        tenant_id=tenant_id, schema_id=schema.id, schema_code=schema.code, columns=["full_name", "age"]
    )
    await save(session, batch)
    record = RecordFactory(
        tenant_id=tenant_id, batch_id=batch.id, status=RecordStatus.IN_ADJUDICATION,
        values={"full_name": "Ann", "age": 30},
    )  # fmt: skip
    await save(session, record)
    passes = [
        Keying(tenant_id=tenant_id, record_id=record.id, pass_number=number, keyer_id=keyer.id,
               values={"full_name": "Ann", "age": age}, keyed_at=utc_now())
        for number, keyer, age in ((1, t.admin, 31), (2, t.member, 32))
    ]  # fmt: skip
    await save(session, *passes)
    t.work.update(dataentry_double_batch=batch.id, dataentry_disputed=record.id)
