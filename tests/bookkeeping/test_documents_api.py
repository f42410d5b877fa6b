"""Documents to book through the API: sent by the client, worked as items under the SLA, booked, metered once."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select

from bo_saas.audit.models import AuditEvent
from bo_saas.lib.caller import Role
from bo_saas.work.models import UsageRecord
from tests.auth import bearer
from tests.bookkeeping.docs_helpers import (
    BILL,
    DOCUMENTS,
    ITEMS,
    PNG,
    booking,
    claim,
    move,
    send,
    sent,
)
from tests.bookkeeping.helpers import ENTRIES, books_headers
from tests.factories import TenantFactory, client_user, save


async def _usage(admin_session, tenant_id) -> list[tuple[str, int, object]]:
    rows = await admin_session.execute(
        select(UsageRecord.meter, UsageRecord.quantity, UsageRecord.work_item_id).where(
            UsageRecord.tenant_id == tenant_id
        )
    )
    found = [tuple(row) for row in rows]
    await admin_session.commit()
    return found


async def test_a_sent_document_is_a_bookkeeping_item_under_the_sla_and_the_same_file_again_is_the_same(client, desk):
    document = await sent(client, desk, note="Paid by card")
    again = await send(client, desk, who="admin", name="bill-again.pdf")
    item = await client.get(f"{ITEMS}/{document['work_item_id']}", headers=desk.as_("member"))

    assert document["kind"] == "bill" and document["status"] == "to_book" and document["entry"] is None
    assert document["filename"] == "bill.pdf" and document["content_type"] == "application/pdf"
    assert document["pages"] == 1 and document["note"] == "Paid by card"
    assert again.status_code == 200 and again.json()["id"] == document["id"]
    body = item.json()
    assert body["service_type"] == "bookkeeping" and body["state"] == "queued"
    assert body["title"] == "Bill: bill.pdf" and body["payload"]["task"] == "book_documents"
    assert body["sla"]["resolution_due_at"] is not None
    assert body["desk"] == {"service_type": "bookkeeping", "workspace": f"/console/books/work/{body['id']}"}


async def test_documents_are_listed_read_and_downloaded_by_the_tenant_and_its_staff(client, desk):
    document = await sent(client, desk)
    receipt = await sent(client, desk, name="receipt.png", data=PNG, kind="receipt")

    listed = await client.get(DOCUMENTS, headers=books_headers(desk, "other_member"))
    receipts = await client.get(DOCUMENTS, params={"kind": "receipt"}, headers=books_headers(desk, "agent"))
    by_item = await client.get(
        DOCUMENTS, params={"work_item_id": document["work_item_id"]}, headers=books_headers(desk, "agent")
    )
    read = await client.get(f"{DOCUMENTS}/{document['id']}", headers=books_headers(desk, "agent"))
    shown = await client.get(f"{DOCUMENTS}/{receipt['id']}/file", headers=books_headers(desk, "agent"))
    saved = await client.get(
        f"{DOCUMENTS}/{document['id']}/file", params={"download": "true"}, headers=books_headers(desk, "member")
    )

    assert [d["id"] for d in listed.json()["items"]] == [receipt["id"], document["id"]]
    assert [d["id"] for d in receipts.json()["items"]] == [receipt["id"]]
    assert [d["id"] for d in by_item.json()["items"]] == [document["id"]]
    assert read.json() == document
    assert shown.content == PNG and shown.headers["content-type"] == "image/png"
    assert shown.headers["content-disposition"].startswith("inline")
    assert saved.content == BILL and saved.headers["content-disposition"].startswith("attachment")


async def test_files_that_are_not_viewable_documents_are_refused_and_nothing_is_made(client, desk):
    text_as_pdf = await send(client, desk, name="bill.pdf", data=b"hello, I am text")
    png_as_pdf = await send(client, desk, name="bill.pdf", data=PNG)
    damaged = await send(client, desk, name="bill.pdf", data=b"%PDF-1.7\n garbage")
    empty = await send(client, desk, name="bill.pdf", data=b"")
    wrong_kind = await send(client, desk, kind="contract")
    items = await client.get(ITEMS, headers=desk.as_("member"))

    assert text_as_pdf.status_code == 422 and "PDF, PNG, JPEG or WebP" in text_as_pdf.json()["detail"]
    assert png_as_pdf.status_code == 422 and "named .pdf but its content is PNG" in png_as_pdf.json()["detail"]
    assert damaged.status_code == 422 and "damaged" in damaged.json()["detail"]
    assert empty.status_code == 422
    assert wrong_kind.status_code == 400
    assert items.json()["total"] == 0


async def test_another_tenants_document_answers_404(client, desk, admin_session, app):
    document = await sent(client, desk)
    other = TenantFactory(services=["bookkeeping"])
    await save(admin_session, other)
    stranger = await client_user(admin_session, other, Role.CLIENT_ADMIN)
    headers = bearer(app, stranger, Role.CLIENT_ADMIN, tenant_id=other.id)

    for path in (f"{DOCUMENTS}/{document['id']}", f"{DOCUMENTS}/{document['id']}/file"):
        assert (await client.get(path, headers=headers)).status_code == 404
    assert (await client.get(DOCUMENTS, headers=headers)).json()["total"] == 0


async def test_the_item_is_done_only_once_its_document_is_booked_and_earns_one_document(client, desk, admin_session):
    document = await sent(client, desk)
    item_id = document["work_item_id"]
    await claim(client, desk, item_id)

    early = await move(client, desk, item_id, "done")
    by_member = await client.post(
        f"{DOCUMENTS}/{document['id']}/book", json=booking(), headers=books_headers(desk, "admin")
    )
    unbalanced = booking()
    unbalanced["lines"][1]["credit"] -= 1
    refused = await client.post(
        f"{DOCUMENTS}/{document['id']}/book", json=unbalanced, headers=books_headers(desk, "agent")
    )
    still = await client.get(f"{DOCUMENTS}/{document['id']}", headers=books_headers(desk, "agent"))
    booked = await client.post(
        f"{DOCUMENTS}/{document['id']}/book", json=booking(), headers=books_headers(desk, "agent")
    )
    twice = await client.post(
        f"{DOCUMENTS}/{document['id']}/book", json=booking(), headers=books_headers(desk, "agent")
    )
    done = await move(client, desk, item_id, "done")

    assert early.status_code == 409
    assert early.json()["extra"] == {"service_type": "bookkeeping", "remaining": "document not booked yet"}
    assert by_member.status_code == 403
    assert refused.status_code == 422 and still.json()["status"] == "to_book" and still.json()["entry"] is None
    assert booked.status_code == 201, booked.text
    body = booked.json()
    assert body["status"] == "booked" and body["booked_at"] is not None
    assert body["entry"]["status"] == "posted" and body["entry"]["number"] == "JE-2026-000001"
    assert body["entry"]["memo"] == "Office chairs" and [ln["account"] for ln in body["entry"]["lines"]] == [
        "5000",
        "2000",
    ]
    assert twice.status_code == 409
    assert done.status_code == 200, done.text
    assert await _usage(admin_session, desk.tenant.id) == [("bookkeeping.documents", 1, UUID(body["work_item_id"]))]
    event = await admin_session.scalar(select(AuditEvent).where(AuditEvent.action == "book_document.booked"))
    assert event.changes["entry_id"] == body["entry"]["id"] and event.actor_id == desk.agent.id


async def test_an_entry_above_the_threshold_books_the_document_only_once_a_second_person_approves(
    client, desk, admin_session
):
    document = await sent(client, desk)
    item_id = document["work_item_id"]
    await claim(client, desk, item_id)
    big = booking(amount=5_000_000)

    waiting = await client.post(f"{DOCUMENTS}/{document['id']}/book", json=big, headers=books_headers(desk, "agent"))
    early = await move(client, desk, item_id, "done")
    entry_id = waiting.json()["entry"]["id"]
    approved = await client.post(f"{ENTRIES}/{entry_id}/approve", headers=books_headers(desk, "admin"))
    read = await client.get(f"{DOCUMENTS}/{document['id']}", headers=books_headers(desk, "agent"))
    done = await move(client, desk, item_id, "done")

    assert waiting.json()["status"] == "pending_approval"
    assert early.status_code == 409 and "waits for approval" in early.json()["extra"]["remaining"]
    assert approved.status_code == 200 and read.json()["status"] == "booked"
    assert done.status_code == 200
    assert [quantity for _, quantity, _ in await _usage(admin_session, desk.tenant.id)] == [1]


async def test_a_reversed_entry_leaves_the_document_to_book_again(client, desk):
    document = await sent(client, desk)
    booked = await client.post(
        f"{DOCUMENTS}/{document['id']}/book", json=booking(), headers=books_headers(desk, "agent")
    )
    reversed_ = await client.post(
        f"{ENTRIES}/{booked.json()['entry']['id']}/reverse", json={}, headers=books_headers(desk, "agent")
    )
    read = await client.get(f"{DOCUMENTS}/{document['id']}", headers=books_headers(desk, "agent"))
    again = await client.post(
        f"{DOCUMENTS}/{document['id']}/book", json=booking(amount=120000), headers=books_headers(desk, "agent")
    )

    assert reversed_.status_code == 201
    assert read.json()["status"] == "reversed"
    assert again.status_code == 201 and again.json()["status"] == "booked"
    assert again.json()["entry"]["id"] != booked.json()["entry"]["id"]


async def test_a_generic_bookkeeping_request_without_a_document_is_worked_as_any_item_and_earns_nothing(
    client, desk, admin_session
):
    created = await client.post(
        ITEMS,
        json={"service_type": "bookkeeping", "title": "Payroll journal for November",
              "payload": {"period": "2026-11", "task": "payroll"}},
        headers=desk.as_("member"),
    )  # fmt: skip
    item_id = created.json()["id"]
    await claim(client, desk, item_id)

    done = await move(client, desk, item_id, "done")

    assert created.status_code == 201, created.text
    assert done.status_code == 200, done.text
    assert await _usage(admin_session, desk.tenant.id) == []
