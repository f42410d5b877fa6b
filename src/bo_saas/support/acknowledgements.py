"""The automatic "we got your message", and the guard that keeps two auto-responders from looping.

RFC 3834's headers stop a well-behaved auto-responder (``support.loops``), and
our acknowledgement carries ``Auto-Submitted: auto-replied`` for the other
side. A badly behaved one that answers everything, without those headers,
would still ping-pong with us: so an address gets at most
``ACKNOWLEDGEMENTS_PER_HOUR`` acknowledgements an hour, counted from the ones
stored, whatever its mail looks like.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.support.models import MessageKind, SupportChannel, SupportContact, Ticket, TicketMessage
from bo_saas.support.outgoing import queue_message

ACKNOWLEDGEMENTS_PER_HOUR = 3
WINDOW = timedelta(hours=1)


async def may_acknowledge(session: AsyncSession, contact: SupportContact, now: datetime) -> bool:
    if contact.bouncing_at is not None:
        return False
    sent = await session.scalar(
        select(func.count()).where(
            TicketMessage.tenant_id == contact.tenant_id,
            TicketMessage.kind == MessageKind.ACKNOWLEDGEMENT,
            TicketMessage.created_at >= now - WINDOW,
            TicketMessage.to_addresses.any(contact.email),
        )
    )
    return (sent or 0) < ACKNOWLEDGEMENTS_PER_HOUR


def acknowledgement_text(channel: SupportChannel, contact: SupportContact, ticket: Ticket) -> str:
    greeting = f"Hello {contact.name}," if contact.name else "Hello,"
    lines = [
        greeting,
        "",
        f"Thank you for writing to {channel.from_name}. We have received your message and will answer soon.",
        f"Your reference is {ticket.reference}; keep it in the subject when you write to us about this.",
        "",
        f"شكراً لتواصلك مع {channel.from_name}. استلمنا رسالتك وسنرد عليك قريباً. رقم المرجع: {ticket.reference}",
    ]
    if channel.signature:
        lines += ["", "-- ", channel.signature]
    return "\n".join(lines)


async def acknowledge(
    session: AsyncSession, channel: SupportChannel, contact: SupportContact, ticket: Ticket, now: datetime
) -> bool:
    """Queue the acknowledgement if the channel sends them and the guard allows; whether it was queued."""
    if not channel.auto_ack or not await may_acknowledge(session, contact, now):
        return False
    await queue_message(
        session,
        ticket=ticket,
        channel=channel,
        kind=MessageKind.ACKNOWLEDGEMENT,
        to=contact.email,
        body=acknowledgement_text(channel, contact, ticket),
        auto_submitted=True,
    )
    return True
