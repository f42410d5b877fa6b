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

from bo_saas.lib.bidi import isolated_ltr
from bo_saas.lib.business_time import BusinessTime
from bo_saas.support.hours_text import hours_notice
from bo_saas.support.models import MessageKind, SupportChannel, SupportContact, Ticket, TicketMessage
from bo_saas.support.outgoing import queue_message
from bo_saas.tenancy.calendars import business_time_for

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


def acknowledgement_text(
    channel: SupportChannel, contact: SupportContact, ticket: Ticket, business_time: BusinessTime, now: datetime
) -> str:
    """The acknowledgement's body for a message that arrived at ``now``, with the tenant's hours as of then."""
    greeting = f"Hello {contact.name}," if contact.name else "Hello,"
    hours = hours_notice(business_time, now)
    english = [
        f"Thank you for writing to {channel.from_name}. We have received your message and will answer soon.",
        f"Your reference is {ticket.reference}; keep it in the subject when you write to us about this.",
    ]
    arabic = (
        f"شكراً لتواصلك مع {channel.from_name}. استلمنا رسالتك وسنرد عليك قريباً. "
        f"رقم المرجع: {isolated_ltr(ticket.reference)}"
    )
    if hours.english:
        english.append(hours.english)
        arabic += f". {hours.arabic}"
    lines = [greeting, "", *english, "", arabic]
    if channel.signature:
        lines += ["", "-- ", channel.signature]
    return "\n".join(lines)


async def acknowledge(
    session: AsyncSession,
    channel: SupportChannel,
    contact: SupportContact,
    ticket: Ticket,
    now: datetime,
    answering: str,
) -> bool:
    """Queue the acknowledgement of the ticket's first message (Message-ID ``answering``) if the channel sends
    them and the guard allows; whether it was queued."""
    if not channel.auto_ack or not await may_acknowledge(session, contact, now):
        return False
    # The ingest read this calendar when it made the work item, so the session's cache answers without a query.
    business_time = await business_time_for(session, ticket.tenant_id)
    await queue_message(
        session,
        ticket=ticket,
        channel=channel,
        kind=MessageKind.ACKNOWLEDGEMENT,
        to=contact.email,
        body=acknowledgement_text(channel, contact, ticket, business_time, now),
        auto_submitted=True,
        thread=(answering, [answering]),  # the ticket holds that one message so far
    )
    return True
