"""Batches of documents: records per document or per PDF page, types read from the bytes, limits, 404 across tenants."""

from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image  # a dependency of fpdf2
from sqlalchemy import func, select

from bo_saas.dataentry.models import Batch, Chunk, Document, Record
from bo_saas.lib.caller import Role
from bo_saas.lib.storage import storage_for
from bo_saas.work.models import WorkItem
from tests.auth import bearer
from tests.dataentry.helpers import a_schema
from tests.factories import TenantFactory, client_user, save

BATCHES = "/api/v1/data-entry/batches"
INVOICE = {
    "code": "invoices",
    "name": "Supplier invoices",
    "chunk_size": 2,
    "fields": [
        {"name": "supplier", "type": "text", "required": True},
        {"name": "total", "type": "decimal", "required": True},
    ],
}


def pdf_bytes(pages: int, *, user_password: str | None = None) -> bytes:
    pdf = FPDF()
    if user_password:
        pdf.set_encryption(owner_password="owner", user_password=user_password)
    pdf.set_font("helvetica", size=24)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.cell(text=f"Invoice page {number}")
    return bytes(pdf.output())


def image_bytes(kind: str, colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format=kind)
    return out.getvalue()


async def send_documents(client, desk, files: list[tuple[str, bytes]], *, split: str | None = None, who="admin"):
    data = {"schema": "invoices"} | ({"split": split} if split else {})
    return await client.post(
        BATCHES,
        data=data,
        files=[("documents", (name, content, "application/octet-stream")) for name, content in files],
        headers=desk.as_(who),
    )


async def _records(client, desk, batch_id: str) -> list[dict]:
    page = await client.get(f"{BATCHES}/{batch_id}/records?limit=200", headers=desk.as_("agent"))
    assert page.status_code == 200, page.text
    return page.json()["items"]


async def _count(admin_session, model, tenant_id) -> int:
    return await admin_session.scalar(select(func.count()).select_from(model).where(model.tenant_id == tenant_id))


def _stored_files(app, tenant_id) -> list:
    folder = storage_for(app.state.settings).root / str(tenant_id)
    return sorted(folder.iterdir()) if folder.exists() else []


async def test_a_pdf_split_per_page_gives_one_empty_pending_record_per_page_linked_to_it(client, desk):
    await a_schema(client, desk, INVOICE)

    sent = await send_documents(client, desk, [("invoices.pdf", pdf_bytes(3))], split="page")
    assert sent.status_code == 201, sent.text
    batch = sent.json()
    records = await _records(client, desk, batch["id"])

    assert (batch["status"], batch["file_format"], batch["rows_total"]) == ("ready", "documents", 3)
    assert batch["filename"] == "invoices.pdf" and batch["counts"]["records"] == 3
    assert [record["row_number"] for record in records] == [1, 2, 3]
    assert {(record["status"], str(record["values"]), str(record["problems"])) for record in records} == {
        ("pending", "{}", "{}")
    }
    documents = {record["document"]["id"] for record in records}
    assert len(documents) == 1
    assert [(r["document"]["page"], r["document"]["pages"]) for r in records] == [(1, 3), (2, 3), (3, 3)]
    assert records[0]["document"]["content_type"] == "application/pdf"
    assert records[0]["document"]["filename"] == "invoices.pdf"


async def test_images_and_a_pdf_split_per_document_give_one_record_each_and_a_repeated_file_once(client, desk):
    await a_schema(client, desk, INVOICE)
    png, jpeg, pdf = image_bytes("PNG"), image_bytes("JPEG"), pdf_bytes(2)

    sent = await send_documents(
        client, desk, [("a.png", png), ("b.JPG", jpeg), ("c.pdf", pdf), ("a copy.png", png)], split="document"
    )
    records = await _records(client, desk, sent.json()["id"])
    one = await client.get(f"/api/v1/data-entry/records/{records[2]['id']}", headers=desk.as_("agent"))

    assert sent.status_code == 201, sent.text
    assert sent.json()["filename"] == "a.png and 2 more"
    assert [(r["document"]["filename"], r["document"]["content_type"]) for r in records] == [
        ("a.png", "image/png"),
        ("b.JPG", "image/jpeg"),
        ("c.pdf", "application/pdf"),
    ]
    assert [(r["document"]["page"], r["document"]["pages"]) for r in records] == [(None, 1), (None, 1), (None, 2)]
    assert one.json()["document"] == records[2]["document"]


async def test_the_same_documents_sent_again_are_the_same_batch(client, desk, admin_session):
    await a_schema(client, desk, INVOICE)
    files = [("a.png", image_bytes("PNG")), ("c.pdf", pdf_bytes(2))]

    first = await send_documents(client, desk, files, split="page")
    again = await send_documents(client, desk, list(reversed(files)), split="page")
    per_document = await send_documents(client, desk, files)

    assert (first.status_code, again.status_code, per_document.status_code) == (201, 200, 201)
    assert again.json()["id"] == first.json()["id"] != per_document.json()["id"]
    assert await _count(admin_session, Document, desk.tenant.id) == 4


async def test_a_file_that_is_not_what_its_name_says_is_refused_listing_it_and_nothing_is_saved(
    client, app, desk, admin_session
):
    await a_schema(client, desk, INVOICE)

    refused = await send_documents(
        client,
        desk,
        [("good.pdf", pdf_bytes(1)), ("scan.pdf", image_bytes("PNG")), ("notes.png", b"just some text, not an image")],
    )

    assert refused.status_code == 422, refused.text
    assert refused.json()["extra"]["files"] == [
        {"filename": "scan.pdf", "problem": "is named .pdf but its content is PNG"},
        {"filename": "notes.png", "problem": "is not a PDF, PNG, JPEG or WebP file"},
    ]
    assert "scan.pdf" in refused.json()["detail"] and "notes.png" in refused.json()["detail"]
    assert await _count(admin_session, Batch, desk.tenant.id) == 0
    assert await _count(admin_session, Document, desk.tenant.id) == 0
    assert _stored_files(app, desk.tenant.id) == []


async def test_a_damaged_or_password_protected_pdf_is_refused_but_an_edit_locked_one_is_taken(client, desk):
    await a_schema(client, desk, INVOICE)
    edit_locked = FPDF()
    edit_locked.set_encryption(owner_password="owner")  # opens without a password; only editing is locked
    edit_locked.add_page()

    damaged = await send_documents(client, desk, [("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Pa")])
    locked = await send_documents(client, desk, [("locked.pdf", pdf_bytes(1, user_password="secret"))])
    taken = await send_documents(client, desk, [("signed.pdf", bytes(edit_locked.output()))])

    assert damaged.status_code == 422, damaged.text
    assert damaged.json()["extra"]["files"][0]["problem"] == "is not a PDF that can be read (damaged or incomplete)"
    assert locked.status_code == 422, locked.text
    assert locked.json()["extra"]["files"][0]["problem"] == "is protected by a password; send it without one"
    assert taken.status_code == 201, taken.text


async def test_a_document_over_the_size_limit_is_refused_with_413_naming_it(client, app, desk, admin_session):
    await a_schema(client, desk, INVOICE)
    limit = app.state.settings.attachment_max_bytes
    huge = pdf_bytes(1) + b"\n%" + b"0" * limit

    refused = await send_documents(client, desk, [("ok.png", image_bytes("PNG")), ("huge.pdf", huge)])

    assert refused.status_code == 413, refused.text
    assert refused.json()["detail"] == "Larger than the 25 MB limit for one document: huge.pdf"
    assert await _count(admin_session, Batch, desk.tenant.id) == 0


async def test_a_batch_needs_a_rows_file_or_documents_but_not_both(client, desk):
    await a_schema(client, desk, INVOICE)

    neither = await client.post(BATCHES, data={"schema": "invoices"}, files=[], headers=desk.as_("admin"))
    both = await client.post(
        BATCHES,
        data={"schema": "invoices"},
        files=[
            ("file", ("rows.csv", b"supplier,total\r\nAcme,1\r\n", "text/csv")),
            ("documents", ("a.pdf", pdf_bytes(1))),
        ],
        headers=desk.as_("admin"),
    )
    bad_split = await send_documents(client, desk, [("a.pdf", pdf_bytes(1))], split="sheet")

    assert neither.status_code == 400, neither.text
    assert both.status_code == 400 and "not both" in both.json()["detail"]
    assert bad_split.status_code == 400, bad_split.text


async def test_a_document_is_served_inline_with_its_real_type_and_another_tenant_gets_404(
    client, app, desk, admin_session
):
    await a_schema(client, desk, INVOICE)
    pdf = pdf_bytes(2)
    sent = await send_documents(client, desk, [("Facture été.pdf", pdf)], split="page")
    document_id = (await _records(client, desk, sent.json()["id"]))[0]["document"]["id"]
    other = TenantFactory()
    await save(admin_session, other)
    stranger = await client_user(admin_session, other, Role.CLIENT_ADMIN)

    by_member = await client.get(f"/api/v1/data-entry/documents/{document_id}", headers=desk.as_("member"))
    by_agent = await client.get(f"/api/v1/data-entry/documents/{document_id}", headers=desk.as_("agent"))
    by_stranger = await client.get(
        f"/api/v1/data-entry/documents/{document_id}", headers=bearer(app, stranger, Role.CLIENT_ADMIN, other.id)
    )

    assert by_member.status_code == 200 and by_member.content == pdf
    assert by_member.headers["content-type"] == "application/pdf"
    assert by_member.headers["content-disposition"].startswith('inline; filename="Facture ete.pdf"')
    assert by_member.headers["x-content-type-options"] == "nosniff"
    assert by_agent.status_code == 200 and by_agent.content == pdf
    assert by_stranger.status_code == 404, by_stranger.text


async def test_document_records_are_chunked_into_data_entry_work_items_and_keyed_like_rows(client, desk, admin_session):
    await a_schema(client, desk, INVOICE)  # chunk_size 2
    sent = await send_documents(client, desk, [("a.pdf", pdf_bytes(3)), ("b.png", image_bytes("PNG"))], split="page")
    records = await _records(client, desk, sent.json()["id"])

    keyed = await client.put(
        f"/api/v1/data-entry/records/{records[3]['id']}",
        json={"values": {"supplier": "Acme", "total": "12.50"}},
        headers=desk.as_("agent"),
    )
    chunks = (await admin_session.scalars(select(Chunk).where(Chunk.tenant_id == desk.tenant.id))).all()
    items = (await admin_session.scalars(select(WorkItem).where(WorkItem.tenant_id == desk.tenant.id))).all()

    assert [r["chunk_number"] for r in records] == [1, 1, 2, 2]
    assert [(r["document"]["filename"], r["document"]["page"]) for r in records][2:] == [("a.pdf", 3), ("b.png", 1)]
    assert sorted((chunk.number, chunk.first_row, chunk.last_row) for chunk in chunks) == [(1, 1, 2), (2, 3, 4)]
    assert {item.service_type for item in items} == {"data_entry"} and len(items) == 2
    assert keyed.status_code == 200, keyed.text
    assert keyed.json()["status"] == "accepted" and keyed.json()["document"]["page"] == 1
    stored = await admin_session.scalar(select(Record).where(Record.id == records[3]["id"]))
    assert stored.values == {"supplier": "Acme", "total": "12.50"}
