"""``POST /api/v1/support/inbound/{channel}``: signed raw mail becomes tickets, and bad input writes nothing."""

from __future__ import annotations

import time

from sqlalchemy import select

from bo_saas.support.models import (
    Direction,
    MessageKind,
    SupportContact,
    Ticket,
    TicketMessage,
)
from bo_saas.work.models import WorkItem, WorkState
from tests.factories import BusinessCalendarFactory, save
from tests.support.helpers import CORPUS, CUSTOMER, a_channel, count, mail, post_mail


async def _nothing_written(admin_session) -> bool:
    for model in (Ticket, TicketMessage, SupportContact, WorkItem):
        if await count(admin_session, model):
            return False
    return True


async def test_a_signed_message_opens_a_ticket_on_a_queued_support_item_and_is_acknowledged_with_the_hours(
    client, admin_session, desk
):
    await save(admin_session, BusinessCalendarFactory(tenant_id=desk.tenant.id))  # Sunday–Thursday 09:00–17:00
    channel = await a_channel(admin_session, desk.tenant, signature="The Acme team")
    raw = mail(to=channel.address, subject="Lamp not delivered")

    answer = await post_mail(client, channel.id, raw)

    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["outcome"] == "created"
    ticket = (await admin_session.scalars(select(Ticket).where(Ticket.id == body["ticket_id"]))).one()
    item = await admin_session.get(WorkItem, (desk.tenant.id, ticket.work_item_id))
    assert (item.service_type, item.state) == ("support", WorkState.QUEUED)
    assert item.first_response_due_at is not None  # the SLA clock runs as for any item
    assert ticket.reference == "T-000001" and ticket.subject == "Lamp not delivered"
    contact = (await admin_session.scalars(select(SupportContact))).one()
    assert (contact.email, contact.name) == (CUSTOMER, "Layla Haddad")
    stored = (await admin_session.scalars(select(TicketMessage).where(TicketMessage.ticket_id == ticket.id))).all()
    kinds = sorted((m.direction, m.kind, m.auto_submitted) for m in stored)
    assert kinds == [
        (Direction.INBOUND, MessageKind.CUSTOMER, False),
        (Direction.OUTBOUND, MessageKind.ACKNOWLEDGEMENT, True),
    ]
    acknowledgement = next(m for m in stored if m.kind is MessageKind.ACKNOWLEDGEMENT)
    assert acknowledgement.to_addresses == [CUSTOMER]
    assert "T-000001" in acknowledgement.text and acknowledgement.text.endswith("The Acme team")
    assert "Our hours are Sunday–Thursday 09:00–17:00 (Asia/Riyadh time)." in acknowledgement.text
    assert "ساعات عملنا: الأحد–الخميس \u206609:00–17:00\u2069 (بتوقيت \u2066Asia/Riyadh\u2069)." in acknowledgement.text


async def test_the_same_message_delivered_twice_is_stored_once(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    raw = mail(to=channel.address)

    first = await post_mail(client, channel.id, raw)
    second = await post_mail(client, channel.id, raw)

    assert (first.json()["outcome"], second.json()["outcome"]) == ("created", "duplicate")
    assert second.json()["ticket_id"] == first.json()["ticket_id"]
    assert second.json()["message_id"] == first.json()["message_id"]
    assert await count(admin_session, Ticket) == 1
    assert await count(admin_session, TicketMessage, TicketMessage.direction == Direction.INBOUND) == 1


async def test_a_message_without_message_id_is_stored_and_its_redelivery_is_a_duplicate(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    raw = mail(to=channel.address, message_id=None)

    first = await post_mail(client, channel.id, raw)
    again = await post_mail(client, channel.id, raw)

    assert first.status_code == 202 and first.json()["outcome"] == "created"
    assert again.json()["outcome"] == "duplicate"
    stored = (
        await admin_session.scalars(
            select(TicketMessage.message_id).where(TicketMessage.direction == Direction.INBOUND)
        )
    ).all()
    assert len(stored) == 1 and stored[0].endswith("@no-message-id.invalid")


async def test_the_corpus_message_without_message_id_is_accepted(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    answer = await post_mail(client, channel.id, (CORPUS / "no_message_id.eml").read_bytes())
    assert answer.status_code == 202, answer.text
    assert answer.json()["outcome"] in ("created", "ignored")


async def test_a_forged_signature_is_refused_with_401_and_writes_nothing(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)

    answer = await post_mail(client, channel.id, mail(to=channel.address), secret="sup_not-the-channels-secret")

    assert answer.status_code == 401
    assert "does not match" in answer.json()["detail"]
    assert await _nothing_written(admin_session)


async def test_a_missing_or_stale_signature_is_refused_with_401(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    raw = mail(to=channel.address)

    stale = await post_mail(client, channel.id, raw, timestamp=int(time.time()) - 301)
    unsigned = await client.post(
        f"/api/v1/support/inbound/{channel.id}", content=raw, headers={"Content-Type": "message/rfc822"}
    )

    assert (stale.status_code, unsigned.status_code) == (401, 401)
    assert "300 seconds" in stale.json()["detail"]
    assert await _nothing_written(admin_session)


async def test_a_signature_for_one_body_does_not_sign_another(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    signed = mail(to=channel.address, body="Refund me 10 dollars")
    from bo_saas.support.signatures import signature_header
    from tests.factories import SUPPORT_CHANNEL_SECRET

    header = signature_header(SUPPORT_CHANNEL_SECRET, signed)
    answer = await client.post(
        f"/api/v1/support/inbound/{channel.id}",
        content=signed.replace(b"10 dollars", b"1000 dollars"),
        headers={"Content-Type": "message/rfc822", "X-BO-Signature": header},
    )
    assert answer.status_code == 401
    assert await _nothing_written(admin_session)


async def test_a_30_mb_message_is_refused_with_413_and_writes_nothing(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    raw = mail(to=channel.address, body="x" * 100) + b"\n" + b"y" * (30 * 1024 * 1024)

    answer = await post_mail(client, channel.id, raw)

    assert answer.status_code == 413
    assert await _nothing_written(admin_session)


async def test_bytes_that_are_not_mail_answer_422(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)

    answer = await post_mail(client, channel.id, b"\x00\x01\x02 this is not a message \xff\xfe")

    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"]
    assert await _nothing_written(admin_session)


async def test_another_content_type_is_refused_with_415(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    answer = await client.post(
        f"/api/v1/support/inbound/{channel.id}", content=b"{}", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 415


async def test_an_unknown_channel_answers_404(client, admin_session, desk):
    from uuid import uuid4

    answer = await post_mail(client, uuid4(), mail(to="nobody@in.example.test"))
    assert answer.status_code == 404


async def test_one_tenants_secret_does_not_sign_for_another_tenants_channel(client, admin_session, desk):
    from tests.factories import TenantFactory, save

    other = TenantFactory(services=["support"])
    await save(admin_session, other)
    ours = await a_channel(admin_session, desk.tenant)
    theirs = await a_channel(admin_session, other, sealed_secret=_sealed("sup_theirs"))

    answer = await post_mail(client, theirs.id, mail(to=theirs.address), secret="sup_test-channel-secret")

    assert answer.status_code == 401
    assert ours.id != theirs.id
    assert await _nothing_written(admin_session)


def _sealed(secret: str) -> str:
    from bo_saas.lib.sealed import seal
    from bo_saas.lib.settings import get_settings

    return seal(get_settings(), secret)
