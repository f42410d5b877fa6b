"""A customer's files are shown under the message that brought them, and download as the work item's files."""

from __future__ import annotations

from email import message_from_bytes, policy

from sqlalchemy import select

from bo_saas.support.models import MessageAttachment
from tests.support.helpers import a_channel, count, mail, post_mail

INVOICE = b"%PDF-1.4\n% the customer's invoice\n"
PHOTO = b"%PDF-1.7\n% a scan of the broken lamp\n"


def _with_file(raw: bytes, filename: str, data: bytes) -> bytes:
    message = message_from_bytes(raw, policy=policy.default)
    message.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    return bytes(message)


async def _messages(client, desk, ticket_id) -> list[dict]:
    answer = await client.get(f"/api/v1/support/tickets/{ticket_id}/messages", headers=desk.as_("agent"))
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


async def test_each_inbound_message_lists_the_files_it_brought_and_no_other_message_does(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    first = mail(to=channel.address, message_id="first@customer.example.test")
    opened = (await post_mail(client, channel.id, _with_file(first, "invoice.pdf", INVOICE))).json()
    follow_up = mail(to=channel.address, in_reply_to="first@customer.example.test", body="And a photo.")
    appended = (await post_mail(client, channel.id, _with_file(follow_up, "lamp.pdf", PHOTO))).json()
    plain = await post_mail(client, channel.id, mail(to=channel.address, in_reply_to="first@customer.example.test"))

    assert (opened["outcome"], appended["outcome"], plain.json()["outcome"]) == ("created", "appended", "appended")
    files = {message["id"]: message["attachments"] for message in await _messages(client, desk, opened["ticket_id"])}
    assert len(files) == 4  # three from the customer and our acknowledgement
    [invoice] = files.pop(opened["message_id"])
    [photo] = files.pop(appended["message_id"])
    assert (invoice["filename"], invoice["content_type"], invoice["size_bytes"]) == (
        "invoice.pdf",
        "application/pdf",
        len(INVOICE),
    )
    assert set(invoice) == {"id", "filename", "content_type", "size_bytes"}
    assert (photo["filename"], photo["size_bytes"]) == ("lamp.pdf", len(PHOTO))
    assert list(files.values()) == [[], []]  # the plain reply and the acknowledgement brought nothing
    assert await count(admin_session, MessageAttachment) == 2


async def test_a_listed_file_downloads_through_the_tickets_work_item(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    opened = (await post_mail(client, channel.id, _with_file(mail(to=channel.address), "invoice.pdf", INVOICE))).json()
    ticket = (await client.get(f"/api/v1/support/tickets/{opened['ticket_id']}", headers=desk.as_("admin"))).json()
    [customer_message] = [m for m in await _messages(client, desk, opened["ticket_id"]) if m["attachments"]]
    [invoice] = customer_message["attachments"]

    download = await client.get(
        f"/api/v1/work-items/{ticket['work_item_id']}/attachments/{invoice['id']}", headers=desk.as_("admin")
    )

    assert download.status_code == 200 and download.content == INVOICE
    link = (await admin_session.scalars(select(MessageAttachment))).one()
    assert (str(link.message_id), str(link.attachment_id)) == (customer_message["id"], invoice["id"])


async def test_a_refused_file_is_neither_stored_nor_listed_and_the_message_still_is(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    not_a_pdf = b"MZ\x90\x00 an executable calling itself a PDF"

    opened = (
        await post_mail(client, channel.id, _with_file(mail(to=channel.address), "invoice.pdf", not_a_pdf))
    ).json()

    assert opened["outcome"] == "created"
    [customer_message] = [m for m in await _messages(client, desk, opened["ticket_id"]) if m["direction"] == "inbound"]
    assert customer_message["attachments"] == []
    assert await count(admin_session, MessageAttachment) == 0
