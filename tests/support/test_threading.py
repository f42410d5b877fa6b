"""Threading: a reply joins its own ticket, in its own tenant only; strangers are flagged; auto-replies never loop."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from bo_saas.support.models import Direction, MessageKind, SupportContact, Ticket, TicketMessage
from bo_saas.work.models import WorkItem, WorkState
from tests.factories import TenantFactory, save
from tests.support.helpers import CORPUS, CUSTOMER, a_channel, count, mail, messages_of, post_mail


async def _opened(client, channel, **fields) -> dict:
    answer = await post_mail(client, channel.id, mail(to=channel.address, **fields))
    assert answer.status_code == 202, answer.text
    assert answer.json()["outcome"] == "created"
    return answer.json()


async def _acknowledgement_id(admin_session, ticket_id) -> str:
    return next(
        m.message_id for m in await messages_of(admin_session, ticket_id) if m.kind is MessageKind.ACKNOWLEDGEMENT
    )


async def _item(admin_session, ticket_id) -> WorkItem:
    ticket = (await admin_session.scalars(select(Ticket).where(Ticket.id == ticket_id))).one()
    item = (
        await admin_session.scalars(
            select(WorkItem).where(WorkItem.id == ticket.work_item_id).execution_options(populate_existing=True)
        )
    ).one()
    await admin_session.commit()
    return item


async def test_a_reply_to_our_acknowledgement_joins_the_ticket(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    opened = await _opened(client, channel)
    ours = await _acknowledgement_id(admin_session, opened["ticket_id"])

    reply = await post_mail(
        client, channel.id, mail(to=channel.address, subject="Re: something else", in_reply_to=ours, references=(ours,))
    )

    assert reply.json() | {"message_id": None} == {
        "ticket_id": opened["ticket_id"],
        "message_id": None,
        "outcome": "appended",
    }
    assert await count(admin_session, Ticket) == 1


async def test_a_customer_reply_with_a_different_in_reply_to_does_not_open_a_second_conversation(
    client, admin_session, desk
):
    channel = await a_channel(admin_session, desk.tenant)
    opened = await _opened(client, channel, subject="Lamp not delivered")

    # The customer's mail client answers a copy we never saw: unknown In-Reply-To, same subject.
    reply = await post_mail(
        client,
        channel.id,
        mail(to=channel.address, subject="RE: Lamp not delivered", in_reply_to="copy-of-something@elsewhere.test"),
    )

    assert reply.json()["outcome"] == "appended"
    assert reply.json()["ticket_id"] == opened["ticket_id"]
    assert await count(admin_session, Ticket) == 1


async def test_the_ticket_reference_in_the_subject_threads_a_reply_without_headers(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    opened = await _opened(client, channel, subject="Lamp not delivered")

    reply = await post_mail(client, channel.id, mail(to=channel.address, subject="Still waiting [T-000001]"))

    assert (reply.json()["outcome"], reply.json()["ticket_id"]) == ("appended", opened["ticket_id"])


async def test_a_follow_up_from_someone_neither_the_customer_nor_on_copy_is_appended_but_flagged(
    client, admin_session, desk
):
    channel = await a_channel(admin_session, desk.tenant)
    opened = await _opened(client, channel, cc=("husband@customer.example.test",))
    ours = await _acknowledgement_id(admin_session, opened["ticket_id"])

    on_copy = await post_mail(
        client, channel.id, mail(to=channel.address, sender="husband@customer.example.test", in_reply_to=ours)
    )
    stranger = await post_mail(
        client, channel.id, mail(to=channel.address, sender="someone@else.example.test", in_reply_to=ours)
    )

    assert on_copy.json()["outcome"] == stranger.json()["outcome"] == "appended"
    flags = {
        m.from_address: m.flagged
        for m in await messages_of(admin_session, opened["ticket_id"])
        if m.direction is Direction.INBOUND
    }
    assert flags == {CUSTOMER: False, "husband@customer.example.test": False, "someone@else.example.test": True}


async def test_a_reply_quoting_another_tenants_message_id_opens_a_ticket_in_its_own_tenant_only(
    client, admin_session, desk
):
    other = TenantFactory(services=["support"])
    await save(admin_session, other)
    theirs = await a_channel(admin_session, other)
    ours = await a_channel(admin_session, desk.tenant)
    their_ticket = await _opened(client, theirs, subject="Their private matter")
    their_message_id = (await messages_of(admin_session, their_ticket["ticket_id"]))[0].message_id
    their_messages = len(await messages_of(admin_session, their_ticket["ticket_id"]))

    # Mail to our channel that claims to answer the other tenant's message, and quotes its reference.
    answer = await post_mail(
        client,
        ours.id,
        mail(
            to=ours.address,
            subject="Re: Their private matter [T-000001]",
            in_reply_to=their_message_id,
            references=(their_message_id,),
        ),
    )

    assert answer.json()["outcome"] == "created"
    assert answer.json()["ticket_id"] != their_ticket["ticket_id"]
    created = (await admin_session.scalars(select(Ticket).where(Ticket.id == answer.json()["ticket_id"]))).one()
    assert created.tenant_id == desk.tenant.id
    assert len(await messages_of(admin_session, their_ticket["ticket_id"])) == their_messages


async def test_an_auto_reply_that_threads_is_kept_without_acknowledgement_or_state_change(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    opened = await _opened(client, channel)
    ours = await _acknowledgement_id(admin_session, opened["ticket_id"])

    auto = await post_mail(
        client,
        channel.id,
        mail(to=channel.address, subject="Out of office", in_reply_to=ours, headers={"Auto-Submitted": "auto-replied"}),
    )

    assert auto.json()["outcome"] == "appended"
    stored = await messages_of(admin_session, opened["ticket_id"])
    assert [m.auto_submitted for m in stored if m.direction is Direction.INBOUND] == [False, True]
    assert sum(m.kind is MessageKind.ACKNOWLEDGEMENT for m in stored) == 1


async def test_an_auto_reply_that_threads_nowhere_is_ignored_and_opens_nothing(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)

    vacation = await post_mail(
        client, channel.id, mail(to=channel.address, headers={"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"})
    )
    bulk = await post_mail(client, channel.id, mail(to=channel.address, headers={"Precedence": "bulk"}))
    outlook = await post_mail(client, channel.id, (CORPUS / "outlook_out_of_office.eml").read_bytes())

    assert [r.json()["outcome"] for r in (vacation, bulk, outlook)] == ["ignored"] * 3
    assert vacation.json() == {"ticket_id": None, "message_id": None, "outcome": "ignored"}
    assert await count(admin_session, Ticket) == 0
    assert await count(admin_session, TicketMessage) == 0


async def test_two_auto_responders_cannot_loop_even_without_rfc_3834_headers(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    # A badly behaved responder answers each acknowledgement with a fresh message, new subject, no headers.
    outcomes = []
    for round_number in range(8):
        answer = await post_mail(
            client,
            channel.id,
            mail(to=channel.address, sender="robot@responder.example.test", subject=f"Thanks {round_number}"),
        )
        outcomes.append(answer.json()["outcome"])

    acknowledgements = await count(admin_session, TicketMessage, TicketMessage.kind == MessageKind.ACKNOWLEDGEMENT)
    assert acknowledgements == 3  # the per-address guard: at most 3 an hour, then silence ends the loop
    assert outcomes == ["created"] * 8


async def test_our_own_message_coming_back_is_ignored(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    opened = await _opened(client, channel)
    ours = await _acknowledgement_id(admin_session, opened["ticket_id"])

    echoed = await post_mail(client, channel.id, mail(to=channel.address, message_id=ours, sender=channel.from_address))

    assert echoed.json()["outcome"] == "ignored"
    assert len(await messages_of(admin_session, opened["ticket_id"])) == 2


async def test_a_bounce_marks_the_customer_bouncing_and_stops_acknowledgements(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    await _opened(client, channel, sender="gone.customer@example.org")

    bounce = await post_mail(client, channel.id, (CORPUS / "dsn_bounce.eml").read_bytes())
    again = await post_mail(
        client, channel.id, mail(to=channel.address, sender="gone.customer@example.org", subject="New")
    )

    assert bounce.json()["outcome"] in ("ignored", "appended")
    contact = (await admin_session.scalars(select(SupportContact).execution_options(populate_existing=True))).one()
    assert contact.bouncing_at is not None
    assert again.json()["outcome"] == "created"
    assert await count(admin_session, TicketMessage, TicketMessage.kind == MessageKind.ACKNOWLEDGEMENT) == 1


async def test_the_customers_reply_puts_a_ticket_waiting_on_them_back_to_work(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    opened = await _opened(client, channel)
    item = await _item(admin_session, opened["ticket_id"])
    await admin_session.execute(
        update(WorkItem)
        .where(WorkItem.id == item.id)
        .values(state=WorkState.WAITING_ON_CLIENT, assignee_id=desk.agent.id, paused_at=item.queued_at)
    )
    await admin_session.commit()

    await post_mail(client, channel.id, mail(to=channel.address, subject="Re: My order has not arrived [T-000001]"))

    assert (await _item(admin_session, opened["ticket_id"])).state is WorkState.IN_PROGRESS


async def test_a_reply_to_a_ticket_closed_long_ago_opens_a_new_ticket(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    opened = await _opened(client, channel)
    item = await _item(admin_session, opened["ticket_id"])
    long_ago = item.queued_at - timedelta(days=30)
    await admin_session.execute(
        update(WorkItem)
        .where(WorkItem.id == item.id)
        .values(state=WorkState.DONE, resolved_at=long_ago, closed_at=long_ago)
    )
    await admin_session.commit()

    reply = await post_mail(
        client, channel.id, mail(to=channel.address, subject="Re: My order has not arrived [T-000001]")
    )

    assert reply.json()["outcome"] == "created"
    assert await count(admin_session, Ticket) == 2
