"""Customer satisfaction: a signed link when a ticket is done, a 1-5 rating and a comment, once.

The link names the tenant and the ticket, sealed by an HMAC keyed from the
platform's signing secret (its own context, so it is good for nothing else);
the customer never signs in. A forged or altered token is simply not found.
The rating page runs in the token's tenant scope only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.settings import Settings, get_settings
from bo_saas.support.models import CsatRating, MessageKind, SupportChannel, SupportContact, Ticket
from bo_saas.support.outgoing import queue_message
from bo_saas.work.models import WorkItem

_CONTEXT = b"bo-saas:support-csat:v1:"
_MAC_BYTES = 16


def _key(settings: Settings) -> bytes:
    return hashlib.sha256(_CONTEXT + settings.signing_key().encode()).digest()


def csat_token(settings: Settings, tenant_id: UUID, ticket_id: UUID) -> str:
    payload = tenant_id.bytes + ticket_id.bytes
    mac = hmac.new(_key(settings), payload, hashlib.sha256).digest()[:_MAC_BYTES]
    return base64.urlsafe_b64encode(payload + mac).decode().rstrip("=")


def read_token(settings: Settings, token: str) -> tuple[UUID, UUID] | None:
    """(tenant id, ticket id) for a token this platform made; None for anything else."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError):
        return None
    if len(raw) != 32 + _MAC_BYTES:
        return None
    payload, mac = raw[:32], raw[32:]
    expected = hmac.new(_key(settings), payload, hashlib.sha256).digest()[:_MAC_BYTES]
    if not hmac.compare_digest(mac, expected):
        return None
    return UUID(bytes=payload[:16]), UUID(bytes=payload[16:])


def csat_link(settings: Settings, tenant_id: UUID, ticket_id: UUID) -> str:
    return settings.web_url(f"/csat/{csat_token(settings, tenant_id, ticket_id)}")


def request_text(contact: SupportContact, ticket: Ticket, link: str, channel: SupportChannel) -> str:
    greeting = f"Hello {contact.name}," if contact.name else "Hello,"
    lines = [
        greeting,
        "",
        f"We have answered your request {ticket.reference} (“{ticket.subject}”).",
        "How did we do? Rate our answer from 1 to 5, it takes a few seconds:",
        link,
        "",
        f"كيف كانت خدمتنا في الطلب {ticket.reference}؟ قيّمها من ١ إلى ٥: {link}",
    ]
    if channel.signature:
        lines += ["", "-- ", channel.signature]
    return "\n".join(lines)


async def ask_for_rating(session: AsyncSession, item: WorkItem, now: datetime) -> None:
    """The desk's ``on_done``: email the customer the rating link, once per ticket, unless mail to them bounces."""
    row = (
        await session.execute(
            select(Ticket, SupportContact, SupportChannel)
            .join(
                SupportContact,
                (SupportContact.tenant_id == Ticket.tenant_id) & (SupportContact.id == Ticket.contact_id),
            )
            .join(
                SupportChannel,
                (SupportChannel.tenant_id == Ticket.tenant_id) & (SupportChannel.id == Ticket.channel_id),
            )
            .where(Ticket.tenant_id == item.tenant_id, Ticket.work_item_id == item.id)
            .with_for_update(of=Ticket)
        )
    ).first()
    if row is None:
        return  # a support item asked for through the portal form, with no ticket: no customer to ask
    ticket, contact, channel = row
    if ticket.csat_requested_at is not None or contact.bouncing_at is not None:
        return
    ticket.csat_requested_at = now
    link = csat_link(get_settings(), ticket.tenant_id, ticket.id)
    await queue_message(
        session,
        ticket=ticket,
        channel=channel,
        kind=MessageKind.CSAT_REQUEST,
        to=contact.email,
        body=request_text(contact, ticket, link, channel),
        auto_submitted=True,  # an automatic message: the customer's auto-responder must not answer it
    )


async def rated(session: AsyncSession, tenant_id: UUID, ticket_id: UUID) -> CsatRating | None:
    return (
        await session.execute(
            select(CsatRating).where(CsatRating.tenant_id == tenant_id, CsatRating.ticket_id == ticket_id)
        )
    ).scalar()


async def rate(session: AsyncSession, ticket: Ticket, rating: int, comment: str) -> bool:
    """Record the customer's rating; False when the ticket was rated already (the first one stands)."""
    inserted = await session.scalar(
        insert(CsatRating)
        .values(
            id=uuid4(),
            tenant_id=ticket.tenant_id,
            ticket_id=ticket.id,
            rating=rating,
            comment=comment.strip(),
            rated_at=utc_now(),
        )
        .on_conflict_do_nothing(constraint="support_csat_once")
        .returning(CsatRating.id)
    )
    return inserted is not None
