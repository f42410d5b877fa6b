"""Which ticket an inbound message belongs to, looked for in its own tenant only.

In order: the Message-IDs it answers (``In-Reply-To``, then ``References``
from the newest) against the ids this tenant sent and received; then a ticket
reference in the subject (``[T-000123]``); then, for a reply whose headers
were lost or point at a message we never saw (a mail client that answers an
old copy), the same customer's open ticket with the same subject. The last
rule is why a customer's reply with a different In-Reply-To does not open a
second conversation.

Every statement names the tenant and runs under that tenant's RLS scope: a
Message-ID or a reference of another tenant simply is not there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from sqlalchemy import String, any_, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.support.mail_parsing import ParsedMessage
from bo_saas.support.models import Direction, SupportContact, Ticket, TicketMessage
from bo_saas.work.models import WorkItem
from bo_saas.work.states import OPEN_STATES

SUBJECT_REFERENCE = re.compile(r"\[(T-\d{6,})\]", re.IGNORECASE)
# Reply and forward prefixes mail clients add, in English, German, Nordic languages, French and Arabic.
_PREFIXES = re.compile(r"^\s*((re|fw|fwd|aw|wg|sv|vs|tr|رد|إعادة توجيه|توجيه)\s*(\[\d+\])?\s*[:：]\s*)+", re.IGNORECASE)
# How long an open ticket with the same subject catches a customer's reply that lost its threading headers.
SAME_SUBJECT_WINDOW = timedelta(days=30)


def normal_subject(subject: str) -> str:
    without_reference = SUBJECT_REFERENCE.sub(" ", subject)
    return " ".join(_PREFIXES.sub("", without_reference).split()).casefold()


@dataclass(frozen=True, slots=True)
class Known:
    """A message the tenant has stored already under the Message-ID being ingested."""

    id: UUID
    ticket_id: UUID
    direction: Direction


async def by_message_ids(
    session: AsyncSession, tenant_id: UUID, message: ParsedMessage, own_id: str | None = None
) -> tuple[Known | None, Ticket | None]:
    """The stored message with ``own_id`` (a redelivery), and the ticket of the ids the message answers.

    One statement for both, with the tickets joined: every inbound message asks both questions.
    """
    wanted = list(dict.fromkeys(i.lower() for i in (*message.in_reply_to, *reversed(message.references)) if i))
    if not wanted and own_id is None:
        return None, None
    rows = (
        await session.execute(
            select(TicketMessage.message_id, TicketMessage.id, TicketMessage.direction, Ticket)
            .join(Ticket, (Ticket.tenant_id == TicketMessage.tenant_id) & (Ticket.id == TicketMessage.ticket_id))
            .where(
                TicketMessage.tenant_id == tenant_id,
                # One array parameter, not an IN list: one statement text (and prepared statement) for any count.
                TicketMessage.message_id
                == any_(literal([*wanted, *([own_id] if own_id is not None else [])], ARRAY(String))),
            )
        )
    ).all()
    found = {row.message_id: row for row in rows}
    known = found.get(own_id) if own_id is not None else None
    if known is not None:
        return Known(known.id, known.Ticket.id, known.direction), None
    # The message it answers first, then the newest it refers to.
    return None, next((found[i].Ticket for i in wanted if i in found), None)


async def by_subject_reference(session: AsyncSession, tenant_id: UUID, subject: str) -> Ticket | None:
    match = SUBJECT_REFERENCE.search(subject)
    if match is None:
        return None
    return (
        await session.execute(
            select(Ticket).where(Ticket.tenant_id == tenant_id, Ticket.reference == match.group(1).upper())
        )
    ).scalar()


async def by_same_subject(session: AsyncSession, tenant_id: UUID, sender: str, subject: str) -> Ticket | None:
    wanted = normal_subject(subject)
    if not wanted or not sender:
        return None
    candidates = (
        await session.execute(
            select(Ticket)
            .join(
                SupportContact,
                (SupportContact.tenant_id == Ticket.tenant_id) & (SupportContact.id == Ticket.contact_id),
            )
            .join(WorkItem, (WorkItem.tenant_id == Ticket.tenant_id) & (WorkItem.id == Ticket.work_item_id))
            .where(
                Ticket.tenant_id == tenant_id,
                SupportContact.email == sender,
                WorkItem.state.in_(OPEN_STATES),
                Ticket.created_at >= utc_now() - SAME_SUBJECT_WINDOW,
            )
            .order_by(Ticket.created_at.desc())
        )
    ).scalars()
    return next((ticket for ticket in candidates if normal_subject(ticket.subject) == wanted), None)


_ASK = object()


async def find_ticket(session: AsyncSession, tenant_id: UUID, message: ParsedMessage, by_ids=_ASK) -> Ticket | None:
    """The message's ticket; ``by_ids`` is what ``by_message_ids`` found, when the caller asked it already."""
    if by_ids is _ASK:
        by_ids = (await by_message_ids(session, tenant_id, message))[1]
    return (
        by_ids
        or await by_subject_reference(session, tenant_id, message.subject)
        or await by_same_subject(session, tenant_id, message.from_address, message.subject)
    )
