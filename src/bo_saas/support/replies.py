"""An agent's answer to the customer: stored on the ticket, sent as email under the channel, in the conversation.

The reply is also a public comment on the work item (``work.items.add_comment``),
so the first-response clock stops and the item's conversation shows it, as any
staff reply does. A macro's placeholders are filled in here; the agent's text
(if any) follows the macro's, and the channel's signature closes the message.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Account
from bo_saas.lib.caller import Caller
from bo_saas.lib.limits import BODY
from bo_saas.support.channels import mail_address
from bo_saas.support.errors import InvalidSupportRequest
from bo_saas.support.macros import Macros, render
from bo_saas.support.models import MessageKind, SupportChannel, SupportContact, Ticket, TicketMessage
from bo_saas.support.outgoing import queue_message
from bo_saas.work import items
from bo_saas.work.models import WorkItem, WorkState
from bo_saas.work.repository import WorkItems

CLOSED = (WorkState.REJECTED, WorkState.CANCELLED)


async def reply(
    session: AsyncSession,
    caller: Caller,
    ticket: Ticket,
    *,
    body: str,
    cc: Sequence[str],
    macro_id: UUID | None,
) -> TicketMessage:
    item: WorkItem = await WorkItems(caller).get(session, ticket.work_item_id, for_update=True)
    if item.state in CLOSED:
        raise InvalidSupportRequest(f"The ticket is {item.state}; it takes no more replies")
    contact = (
        await session.execute(
            select(SupportContact).where(
                SupportContact.tenant_id == ticket.tenant_id, SupportContact.id == ticket.contact_id
            )
        )
    ).scalar_one()
    channel = (
        await session.execute(
            select(SupportChannel).where(
                SupportChannel.tenant_id == ticket.tenant_id, SupportChannel.id == ticket.channel_id
            )
        )
    ).scalar_one()
    agent_name = await session.scalar(select(Account.name).where(Account.id == caller.account_id)) or channel.from_name
    text = body.strip()
    if macro_id is not None:
        macro = await Macros(caller).get(session, macro_id)
        filled = render(
            macro.body,
            customer_name=contact.name or contact.email,
            ticket_reference=ticket.reference,
            agent_name=agent_name,
        )
        text = f"{filled}\n\n{text}".strip() if text else filled.strip()
    if not text:
        raise InvalidSupportRequest("Write the reply: give a body, a macro, or both", extra={"field": "body"})
    if len(text) > BODY:
        raise InvalidSupportRequest(f"The reply is longer than {BODY} characters", extra={"field": "body"})
    copies = sorted({mail_address(address, "cc") for address in cc} - {contact.email})
    signed = f"{text}\n\n-- \n{channel.signature}" if channel.signature else text
    message = await queue_message(
        session,
        ticket=ticket,
        channel=channel,
        kind=MessageKind.REPLY,
        to=contact.email,
        cc=sorted({*ticket.cc, *copies}),
        body=signed,
        agent_id=caller.account_id,
    )
    if copies:
        ticket.cc = sorted({*ticket.cc, *copies})
    # The conversation and the SLA's first response, as for any staff reply.
    await items.add_comment(session, caller, item, text, internal=False)
    return message
