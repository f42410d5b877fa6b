"""Mail the desk sends on a ticket (an agent's reply, the acknowledgement, the CSAT request): stored, then queued.

Each message is stored as a ``TicketMessage`` with the Message-ID it will carry,
and its sending job goes through the outbox in the same transaction, so it is
sent only if the transaction commits, and the customer's reply threads back by
that Message-ID. The job (``support.tasks.send_ticket_message``) reads the stored
row, so what was sent is exactly what the ticket shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.outbox import enqueue
from bo_saas.support.models import SUBJECT, Direction, MessageKind, SupportChannel, Ticket, TicketMessage
from bo_saas.support.outbound import new_message_id
from bo_saas.support.tasks import send_ticket_message

# A References header that grows without end is refused by some servers; the first and the latest suffice.
MAX_REFERENCES = 20


def reply_subject(subject: str, reference: str) -> str:
    """``Re: <subject> [T-000123]``: the reference lets a reply that lost its headers still find the ticket."""
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}"
    if f"[{reference}]" not in subject:
        subject = f"{subject} [{reference}]"
    return subject[:SUBJECT]


def trimmed_references(chain: list[str]) -> list[str]:
    """The ticket's Message-IDs as References: all of them, or the first and the latest when there are many."""
    if len(chain) > MAX_REFERENCES:
        return [chain[0], *chain[-(MAX_REFERENCES - 1) :]]
    return chain


async def thread_of(session: AsyncSession, ticket: Ticket) -> tuple[str | None, list[str]]:
    """(In-Reply-To, References) for the ticket's next outgoing message: the last inbound id and the chain."""
    rows = (
        await session.execute(
            select(TicketMessage.message_id, TicketMessage.direction)
            .where(TicketMessage.tenant_id == ticket.tenant_id, TicketMessage.ticket_id == ticket.id)
            .order_by(TicketMessage.created_at, TicketMessage.id)
        )
    ).all()
    inbound = [row.message_id for row in rows if row.direction is Direction.INBOUND]
    return (inbound[-1] if inbound else None), trimmed_references([row.message_id for row in rows])


async def queue_message(
    session: AsyncSession,
    *,
    ticket: Ticket,
    channel: SupportChannel,
    kind: MessageKind,
    to: str,
    body: str,
    cc: Sequence[str] = (),
    agent_id: UUID | None = None,
    auto_submitted: bool = False,
    thread: tuple[str | None, list[str]] | None = None,
) -> TicketMessage:
    """Store one outgoing message on the ticket and queue its sending for after the commit.

    ``thread`` is its (In-Reply-To, References) when the caller knows them without a query: the
    acknowledgement of a ticket's first message answers that message alone.
    """
    in_reply_to, references = thread if thread is not None else await thread_of(session, ticket)
    now = utc_now()
    message = TicketMessage(
        id=uuid4(),
        tenant_id=ticket.tenant_id,
        ticket_id=ticket.id,
        direction=Direction.OUTBOUND,
        kind=kind,
        message_id=new_message_id(channel.from_address).lower(),
        in_reply_to=in_reply_to,
        references=references,
        from_address=channel.from_address,
        from_name=channel.from_name,
        to_addresses=[to],
        cc_addresses=list(cc),
        subject=reply_subject(ticket.subject, ticket.reference),
        text=body,
        new_text=body,
        html=None,
        flagged=False,
        auto_submitted=auto_submitted,
        agent_id=agent_id,
        created_at=now,
    )
    session.add(message)
    if not auto_submitted:  # an automatic message is no change a person made to the ticket
        ticket.updated_at = now
    await session.flush()
    await enqueue(session, send_ticket_message, tenant_id=str(ticket.tenant_id), ticket_message_id=str(message.id))
    return message
