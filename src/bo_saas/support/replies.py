"""An agent's answer to the customer: stored on the ticket, sent as email under the channel, in the conversation.

The reply is also a public comment on the work item, so the first-response
clock stops and the item's conversation shows it, as any staff reply does
(``work.items.add_comment``: the same clock functions, timers, webhook and
notification; only the rows are locked, read and written by
``support.reply_rows`` in three statements, since this is the desk's hottest write). A macro's
placeholders are filled in here; the agent's text (if any) follows the
macro's, and the channel's signature closes the message. The message is
stored with the Message-ID it will carry and its sending job goes through the
outbox in the same transaction (``support.outgoing`` explains why).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast
from uuid import UUID, uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import driver_connection
from bo_saas.lib.limits import BODY
from bo_saas.lib.outbox import enqueue
from bo_saas.notify.notifications import notify
from bo_saas.notify.webhooks import publish_event
from bo_saas.support.channels import mail_address
from bo_saas.support.errors import InvalidSupportRequest, MacroNotFound, TicketNotFound
from bo_saas.support.macros import render
from bo_saas.support.models import Direction, MessageKind
from bo_saas.support.outbound import new_message_id
from bo_saas.support.outgoing import reply_subject, trimmed_references
from bo_saas.support.reply_rows import OutgoingReply, ReplyComment, read_context, write_reply
from bo_saas.support.schemas import MessageOut
from bo_saas.support.tasks import send_ticket_message
from bo_saas.tenancy.calendars import business_time_from
from bo_saas.work import clocks
from bo_saas.work.items import event_data
from bo_saas.work.lifecycle import sla_hooks
from bo_saas.work.models import WorkItem, WorkState

CLOSED = (WorkState.REJECTED, WorkState.CANCELLED)


async def reply(
    session: AsyncSession,
    caller: Caller,
    ticket_id: UUID,
    *,
    body: str,
    cc: Sequence[str],
    macro_id: UUID | None,
) -> tuple[UUID, MessageOut]:
    """Answer the ticket as ``caller`` (provider staff): its tenant, and the stored message as the API shows it."""
    driver = await driver_connection(session)
    context = await read_context(driver, ticket_id, caller.account_id, macro_id)
    if context is None:
        raise TicketNotFound("No such ticket")
    item = context.item
    if item.state in CLOSED:
        raise InvalidSupportRequest(f"The ticket is {item.state}; it takes no more replies")
    text = body.strip()
    if macro_id is not None:
        if context.macro_body is None:
            raise MacroNotFound("No such macro")
        filled = render(
            context.macro_body,
            customer_name=context.contact_name or context.contact_email,
            ticket_reference=context.reference,
            agent_name=context.account_name or context.from_name,
        )
        text = f"{filled}\n\n{text}".strip() if text else filled.strip()
    if not text:
        raise InvalidSupportRequest("Write the reply: give a body, a macro, or both", extra={"field": "body"})
    if len(text) > BODY:
        raise InvalidSupportRequest(f"The reply is longer than {BODY} characters", extra={"field": "body"})
    copies = sorted({mail_address(address, "cc") for address in cc} - {context.contact_email})
    ticket_cc = sorted({*context.cc, *copies})
    signed = f"{text}\n\n-- \n{context.signature}" if context.signature else text
    now = utc_now()
    message = OutgoingReply(
        id=uuid4(),
        message_id=new_message_id(context.from_address).lower(),
        in_reply_to=context.last_inbound,
        references=trimmed_references(context.chain),
        from_address=context.from_address,
        from_name=context.from_name,
        to_addresses=[context.contact_email],
        cc_addresses=ticket_cc,
        subject=reply_subject(context.subject, context.reference),
        text=signed,
        agent_id=caller.account_id,
        created_at=now,
    )
    comment = ReplyComment(
        id=uuid4(),
        author_id=caller.actor_id,
        author_kind=caller.actor_kind,
        author_name=context.account_name or "Someone",  # as work.items.author_name names a person
        body=text.strip(),
    )
    # The first public staff reply is the item's first response (a no-op once given); the clocks work on
    # the plain row object as on a WorkItem, and the write below stores what they set.
    armed = clocks.due_instants(cast(WorkItem, item))
    clocks.first_response_given(cast(WorkItem, item), business_time_from(context.timezone, context.calendar), now)
    await write_reply(driver, context, message, ticket_cc=ticket_cc, comment=comment)
    await enqueue(session, send_ticket_message, tenant_id=str(context.tenant_id), ticket_message_id=str(message.id))
    await sla_hooks().due_times_changed(session, cast(WorkItem, item), armed)
    await publish_event(
        session,
        context.tenant_id,
        "work_item.commented",
        {**event_data(item), "comment_id": str(comment.id), "author": comment.author_name, "body": comment.body},
    )
    if item.requester_id is not None:
        await notify(
            session,
            tenant_id=context.tenant_id,
            recipient_ids=[item.requester_id],
            kind="work_item.commented",
            title=f"New reply on “{item.title}”",
            body=comment.body[:500],
            work_item_id=item.id,
        )
    return context.tenant_id, MessageOut(
        id=message.id,
        ticket_id=context.ticket_id,
        direction=Direction.OUTBOUND.value,
        kind=MessageKind.REPLY.value,
        message_id=message.message_id,
        in_reply_to=message.in_reply_to,
        from_address=message.from_address,
        from_name=message.from_name,
        to_addresses=message.to_addresses,
        cc_addresses=message.cc_addresses,
        subject=message.subject,
        text=message.text,
        new_text=message.text,
        html=None,
        flagged=False,
        auto_submitted=False,
        agent_id=message.agent_id,
        received_at=None,
        sent_at=None,
        created_at=now,
    )
