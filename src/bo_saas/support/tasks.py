"""The Support desk's job: send one stored outgoing message as email under the tenant's channel."""

from __future__ import annotations

import dramatiq
import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.email import deliver
from bo_saas.lib.outbox import idempotent
from bo_saas.lib.settings import get_settings
from bo_saas.support.models import SupportChannel, Ticket, TicketMessage
from bo_saas.support.outbound import compose_reply

log = structlog.get_logger(__name__)
QUEUE = "notify"


# As lib.email.send_email: retried for under an hour, so a mail server's outage passes.
@dramatiq.actor(queue_name=QUEUE, max_retries=10, time_limit=2 * 60_000)
@idempotent
async def send_ticket_message(session: AsyncSession, *, tenant_id: str, ticket_message_id: str) -> None:
    """Compose the stored message with its threading headers and deliver it; mark it sent."""
    row = (
        await session.execute(
            select(TicketMessage, Ticket, SupportChannel)
            .join(Ticket, (Ticket.tenant_id == TicketMessage.tenant_id) & (Ticket.id == TicketMessage.ticket_id))
            .join(
                SupportChannel,
                (SupportChannel.tenant_id == Ticket.tenant_id) & (SupportChannel.id == Ticket.channel_id),
            )
            .where(TicketMessage.id == ticket_message_id)
        )
    ).first()
    if row is None:
        log.warning("support.message_gone", ticket_message_id=ticket_message_id)  # deleted with its ticket
        return
    message: TicketMessage = row.TicketMessage
    email = compose_reply(
        from_name=message.from_name,
        from_address=message.from_address,
        to=message.to_addresses[0],
        cc=message.cc_addresses,
        subject=message.subject,
        body=message.text,
        message_id=message.message_id,
        in_reply_to=message.in_reply_to,
        references=message.references,
        auto_submitted=message.auto_submitted,
    )
    await deliver(get_settings(), email)
    message.sent_at = utc_now()
