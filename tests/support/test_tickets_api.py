"""Tickets through the API: list and filter, tags and priority, an agent's threaded reply, done earns usage."""

from __future__ import annotations

import asyncio
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from uuid import uuid4

import pytest
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy import select, update

from bo_saas.lib.outbox import wait_for_relays
from bo_saas.support.models import Direction, MessageKind, Ticket, TicketMessage
from bo_saas.support.tasks import QUEUE
from bo_saas.work.models import Comment, UsageRecord, WorkItem, WorkState
from tests.factories import MacroFactory, save
from tests.support.helpers import CUSTOMER, a_channel, mail, messages_of, post_mail


async def _ticket(client, admin_session, desk, **fields) -> dict:
    channel = await a_channel(admin_session, desk.tenant, signature="The Acme team")
    answer = await post_mail(client, channel.id, mail(to=channel.address, **fields))
    return answer.json() | {"channel": channel}


async def test_the_ticket_list_is_paginated_and_filters_by_status_tag_and_contact(client, admin_session, desk):
    first = await _ticket(client, admin_session, desk, subject="First")
    channel = first["channel"]
    await post_mail(client, channel.id, mail(to=channel.address, subject="Second", sender="omar@example.test"))
    await client.patch(
        f"/api/v1/support/tickets/{first['ticket_id']}",
        json={"tags": ["Shipping", "shipping", " urgent "]},
        headers=desk.as_("agent"),
    )

    everything = (await client.get("/api/v1/support/tickets?limit=1", headers=desk.as_("admin"))).json()
    tagged = (await client.get("/api/v1/support/tickets?tag=shipping", headers=desk.as_("agent"))).json()
    queued = (await client.get("/api/v1/support/tickets?status=queued", headers=desk.as_("agent"))).json()
    done = (await client.get("/api/v1/support/tickets?status=done", headers=desk.as_("agent"))).json()

    assert (everything["total"], everything["limit"], everything["offset"], len(everything["items"])) == (2, 1, 0, 1)
    assert [t["subject"] for t in tagged["items"]] == ["First"]
    assert tagged["items"][0]["tags"] == ["shipping", "urgent"]
    assert tagged["items"][0]["customer"] == {"email": CUSTOMER, "name": "Layla Haddad"}
    assert queued["total"] == 2 and done["total"] == 0
    contact_id = (await client.get("/api/v1/support/contacts?q=omar", headers=desk.as_("agent"))).json()["items"][0][
        "id"
    ]
    by_contact = (
        await client.get(f"/api/v1/support/tickets?contact_id={contact_id}", headers=desk.as_("agent"))
    ).json()
    assert [t["subject"] for t in by_contact["items"]] == ["Second"]
    item_id = tagged["items"][0]["work_item_id"]
    by_item = (await client.get(f"/api/v1/support/tickets?work_item_id={item_id}", headers=desk.as_("agent"))).json()
    assert [t["id"] for t in by_item["items"]] == [first["ticket_id"]]


async def test_the_ticket_list_searches_by_customer_and_names_the_tenant(client, admin_session, desk):
    first = await _ticket(client, admin_session, desk, subject="Lamp", sender_name="Layla Haddad")
    channel = first["channel"]
    await post_mail(
        client, channel.id, mail(to=channel.address, subject="Chair", sender="omar@example.test", sender_name="Omar")
    )

    by_name = (await client.get("/api/v1/support/tickets?q=hADDad", headers=desk.as_("agent"))).json()
    by_email = (await client.get("/api/v1/support/tickets?q=omar@example", headers=desk.as_("agent"))).json()
    wildcard = (await client.get("/api/v1/support/tickets?q=%25", headers=desk.as_("agent"))).json()

    assert [t["subject"] for t in by_name["items"]] == ["Lamp"]
    assert [t["subject"] for t in by_email["items"]] == ["Chair"]
    assert wildcard["total"] == 0
    assert by_name["items"][0]["tenant_id"] == str(desk.tenant.id)


async def test_a_ticket_shows_its_status_priority_and_message_count(client, admin_session, desk):
    opened = await _ticket(client, admin_session, desk)
    changed = await client.patch(
        f"/api/v1/support/tickets/{opened['ticket_id']}", json={"priority": "urgent"}, headers=desk.as_("admin")
    )
    shown = (await client.get(f"/api/v1/support/tickets/{opened['ticket_id']}", headers=desk.as_("agent"))).json()

    assert changed.status_code == 200
    assert shown["status"] == "queued" and shown["priority"] == "urgent"
    assert shown["reference"] == "T-000001" and shown["message_count"] == 2  # the message and our acknowledgement
    assert shown["csat"] is None


async def test_an_agents_reply_fills_the_macro_and_threads_with_the_customers_message(client, admin_session, desk):
    opened = await _ticket(client, admin_session, desk)
    macro = MacroFactory(
        tenant_id=desk.tenant.id, body="Dear {customer_name}, {ticket_reference} ships today. {agent_name}"
    )
    await save(admin_session, macro)

    answer = await client.post(
        f"/api/v1/support/tickets/{opened['ticket_id']}/messages",
        json={"macro_id": str(macro.id), "body": "Tracking: 123", "cc": ["Sister@Customer.example.test"]},
        headers=desk.as_("agent"),
    )

    assert answer.status_code == 201, answer.text
    reply = answer.json()
    stored = await messages_of(admin_session, opened["ticket_id"])
    customers = [m for m in stored if m.direction is Direction.INBOUND]
    assert reply["kind"] == "reply" and reply["in_reply_to"] == customers[-1].message_id
    assert reply["text"].startswith(f"Dear Layla Haddad, T-000001 ships today. {desk.agent.name}\n\nTracking: 123")
    assert reply["text"].endswith("The Acme team")
    assert reply["cc_addresses"] == ["sister@customer.example.test"]
    sent = next(m for m in stored if m.kind is MessageKind.REPLY)
    assert sent.references == [m.message_id for m in stored if m.id != sent.id]
    # The customer's answer to the reply threads back, and the one on copy is not a stranger.
    back = await post_mail(
        client,
        opened["channel"].id,
        mail(to=opened["channel"].address, sender="sister@customer.example.test", in_reply_to=reply["message_id"]),
    )
    assert back.json()["outcome"] == "appended" and back.json()["ticket_id"] == opened["ticket_id"]
    assert not (await messages_of(admin_session, opened["ticket_id"]))[-1].flagged


async def test_a_reply_is_the_items_first_response_and_a_public_comment(client, admin_session, desk):
    opened = await _ticket(client, admin_session, desk)
    url = f"/api/v1/support/tickets/{opened['ticket_id']}/messages"

    first = await client.post(url, json={"body": "  Looking into it.  "}, headers=desk.as_("agent"))
    item = await admin_session.scalar(
        select(WorkItem)
        .join(Ticket, (Ticket.tenant_id == WorkItem.tenant_id) & (Ticket.work_item_id == WorkItem.id))
        .where(Ticket.id == opened["ticket_id"])
        .execution_options(populate_existing=True)
    )
    responded_at = item.first_responded_at
    await admin_session.commit()
    second = await client.post(url, json={"body": "Found it."}, headers=desk.as_("agent"))
    comments = (
        await admin_session.scalars(select(Comment).where(Comment.work_item_id == item.id).order_by(Comment.created_at))
    ).all()
    await admin_session.refresh(item)

    assert first.status_code == second.status_code == 201
    assert responded_at is not None and item.first_responded_at == responded_at  # the first reply, once
    # After the customer's own message, which the item's conversation shows too.
    assert [(c.body, c.internal, c.author_name, c.author_id) for c in comments[-2:]] == [
        ("Looking into it.", False, desk.agent.name, desk.agent.id),
        ("Found it.", False, desk.agent.name, desk.agent.id),
    ]
    ticket = await admin_session.get(Ticket, (desk.tenant.id, opened["ticket_id"]))
    assert ticket.updated_at > comments[-2].created_at  # the latest reply moved it


async def test_each_of_many_replies_threads_after_every_earlier_message(client, admin_session, desk):
    opened = await _ticket(client, admin_session, desk)
    url = f"/api/v1/support/tickets/{opened['ticket_id']}/messages"

    answers = await asyncio.gather(
        *(client.post(url, json={"body": f"Reply {n}"}, headers=desk.as_("agent")) for n in range(6))
    )

    assert [a.status_code for a in answers] == [201] * 6, [a.text for a in answers]
    stored = await messages_of(admin_session, opened["ticket_id"])
    for position, message in enumerate(stored):
        if message.kind is MessageKind.REPLY:
            assert message.references == [m.message_id for m in stored[:position]]


async def test_a_reply_with_an_unknown_macro_or_to_a_cancelled_ticket_is_refused(client, admin_session, desk):
    opened = await _ticket(client, admin_session, desk)
    url = f"/api/v1/support/tickets/{opened['ticket_id']}/messages"
    unknown = await client.post(url, json={"macro_id": str(uuid4())}, headers=desk.as_("agent"))
    await admin_session.execute(
        update(WorkItem)
        .where(WorkItem.id == select(Ticket.work_item_id).where(Ticket.id == opened["ticket_id"]).scalar_subquery())
        .values(state=WorkState.CANCELLED)
    )
    await admin_session.commit()
    closed = await client.post(url, json={"body": "Hello?"}, headers=desk.as_("agent"))
    missing = await client.post(
        f"/api/v1/support/tickets/{uuid4()}/messages", json={"body": "x"}, headers=desk.as_("agent")
    )

    assert unknown.status_code == 404
    assert closed.status_code == 400 and "cancelled" in closed.json()["detail"]
    assert missing.status_code == 404


async def test_a_reply_needs_words(client, admin_session, desk):
    opened = await _ticket(client, admin_session, desk)
    answer = await client.post(
        f"/api/v1/support/tickets/{opened['ticket_id']}/messages", json={"body": "  "}, headers=desk.as_("agent")
    )
    assert answer.status_code == 400 and answer.json()["extra"] == {"field": "body"}


async def test_a_ticket_is_done_only_after_a_reply_and_earns_one_unit_and_a_rating_request(client, admin_session, desk):
    opened = await _ticket(client, admin_session, desk)
    item_id = (await client.get(f"/api/v1/support/tickets/{opened['ticket_id']}", headers=desk.as_("agent"))).json()[
        "work_item_id"
    ]
    await client.post("/api/v1/queue/claim", headers=desk.as_("agent") | {"X-Tenant": str(desk.tenant.id)})

    early = await client.post(
        f"/api/v1/work-items/{item_id}/transitions", json={"to": "done"}, headers=desk.as_("agent")
    )
    await client.post(
        f"/api/v1/support/tickets/{opened['ticket_id']}/messages",
        json={"body": "Sent today."},
        headers=desk.as_("agent"),
    )
    done = await client.post(
        f"/api/v1/work-items/{item_id}/transitions", json={"to": "done"}, headers=desk.as_("agent")
    )

    assert early.status_code == 409 and "no reply sent to the customer yet" in early.json()["detail"]
    assert done.status_code == 200, done.text
    usage = (await admin_session.scalars(select(UsageRecord))).all()
    assert [(u.meter, u.quantity) for u in usage] == [("support.tickets", 1)]
    request = [m for m in await messages_of(admin_session, opened["ticket_id"]) if m.kind is MessageKind.CSAT_REQUEST]
    assert len(request) == 1 and "/csat/" in request[0].text and request[0].auto_submitted


@pytest.mark.usefixtures("job_worker")
async def test_the_reply_is_sent_after_commit_as_threaded_email_under_the_channel(
    client, admin_session, desk, worker_environment, job_broker: RedisBroker, tmp_path: Path
):
    opened = await _ticket(client, admin_session, desk)
    answer = await client.post(
        f"/api/v1/support/tickets/{opened['ticket_id']}/messages",
        json={"body": "On its way."},
        headers=desk.as_("agent"),
    )
    await wait_for_relays()
    await asyncio.to_thread(job_broker.join, QUEUE, timeout=15_000)

    def written() -> list[EmailMessage]:
        return [
            message_from_bytes(path.read_bytes(), policy=policy.default) for path in (tmp_path / "mail").glob("*.eml")
        ]

    def reply_of(messages: list[EmailMessage]) -> EmailMessage | None:
        return next((m for m in messages if m["Message-ID"] == f"<{answer.json()['message_id']}>"), None)

    # The worker may still be writing the file when its queue reads empty: wait for the outcome itself.
    for _ in range(150):
        if reply_of(written()) is not None:
            break
        await asyncio.sleep(0.1)
    reply = reply_of(written())
    assert reply is not None, "the reply was never written to the mail folder"
    customer_id = next(
        m.message_id for m in await messages_of(admin_session, opened["ticket_id"]) if m.direction is Direction.INBOUND
    )
    assert reply["In-Reply-To"] == f"<{customer_id}>"
    assert f"<{customer_id}>" in reply["References"]
    assert reply["To"] == CUSTOMER and opened["channel"].from_address in reply["From"]
    assert "[T-000001]" in reply["Subject"]
    assert reply.get_content().startswith("On its way.")
    acknowledgement = next(m for m in written() if m["Auto-Submitted"] == "auto-replied")
    assert acknowledgement["To"] == CUSTOMER
    sent = (
        await admin_session.scalars(select(TicketMessage.sent_at).where(TicketMessage.direction == Direction.OUTBOUND))
    ).all()
    assert all(sent)


async def test_raising_a_tickets_priority_brings_its_sla_due_times_forward_and_moves_the_ticket(
    client, admin_session, desk
):
    opened = await _ticket(client, admin_session, desk)
    ticket_url = f"/api/v1/support/tickets/{opened['ticket_id']}"
    before = (await client.get(ticket_url, headers=desk.as_("agent"))).json()
    item_url = f"/api/v1/work-items/{before['work_item_id']}"
    normal = (await client.get(item_url, headers=desk.as_("agent"))).json()["sla"]

    changed = await client.patch(ticket_url, json={"priority": "urgent"}, headers=desk.as_("agent"))
    urgent = (await client.get(item_url, headers=desk.as_("agent"))).json()["sla"]
    after = (await client.get(ticket_url, headers=desk.as_("agent"))).json()

    assert changed.status_code == 200
    # The policy is the urgent one now, and both clocks come due sooner, counted from the same start.
    assert urgent["policy"]["first_response_minutes"] < normal["policy"]["first_response_minutes"]
    assert urgent["policy"]["resolution_minutes"] < normal["policy"]["resolution_minutes"]
    assert urgent["first_response_due_at"] < normal["first_response_due_at"]
    assert urgent["resolution_due_at"] < normal["resolution_due_at"]
    assert after["updated_at"] > before["updated_at"]


async def test_setting_the_same_priority_again_changes_nothing(client, admin_session, desk):
    opened = await _ticket(client, admin_session, desk)
    ticket_url = f"/api/v1/support/tickets/{opened['ticket_id']}"
    before = (await client.get(ticket_url, headers=desk.as_("agent"))).json()

    same = await client.patch(ticket_url, json={"priority": before["priority"]}, headers=desk.as_("agent"))
    after = (await client.get(ticket_url, headers=desk.as_("agent"))).json()

    assert same.status_code == 200 and after["updated_at"] == before["updated_at"]
