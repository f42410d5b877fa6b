"""What the Support desk's tests share: a channel on the desk's tenant, mail to it, and posting it signed."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from uuid import uuid4

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.support.models import SupportChannel, TicketMessage
from bo_saas.support.signatures import signature_header
from tests.factories import SUPPORT_CHANNEL_SECRET, SupportChannelFactory, save

CORPUS = Path(__file__).parent / "corpus"
CUSTOMER = "layla@customer.example.test"


async def a_channel(session: AsyncSession, tenant, **fields) -> SupportChannel:
    channel = SupportChannelFactory(tenant_id=tenant.id, **fields)
    await save(session, channel)
    return channel


def mail(
    *,
    to: str,
    sender: str = CUSTOMER,
    sender_name: str = "Layla Haddad",
    subject: str = "My order has not arrived",
    body: str = "Hello, I ordered a lamp two weeks ago and it has not arrived.",
    message_id: str | None = "auto",
    in_reply_to: str | None = None,
    references: tuple[str, ...] = (),
    cc: tuple[str, ...] = (),
    headers: dict[str, str] | None = None,
) -> bytes:
    """A plain customer email as raw bytes; ``message_id=None`` leaves the header out."""
    message = EmailMessage()
    message["From"] = f"{sender_name} <{sender}>"
    message["To"] = to
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = format_datetime(utc_now())
    if message_id == "auto":
        message_id = f"{uuid4().hex}@customer.example.test"
    if message_id:
        message["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        message["References"] = " ".join(f"<{ref}>" for ref in references)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return bytes(message)


async def post_mail(client, channel_id, raw: bytes, *, secret: str = SUPPORT_CHANNEL_SECRET, timestamp=None, **headers):
    return await client.post(
        f"/api/v1/support/inbound/{channel_id}",
        content=raw,
        headers={
            "Content-Type": "message/rfc822",
            "X-BO-Signature": signature_header(secret, raw, timestamp),
            **headers,
        },
    )


async def count(session: AsyncSession, model, *where) -> int:
    total = await session.scalar(select(func.count()).select_from(model).where(*where))
    await session.commit()
    return total


async def messages_of(session: AsyncSession, ticket_id) -> list[TicketMessage]:
    rows = (
        await session.scalars(
            select(TicketMessage)
            .where(TicketMessage.ticket_id == ticket_id)
            .order_by(TicketMessage.created_at)
            .execution_options(populate_existing=True)
        )
    ).all()
    await session.commit()
    return list(rows)
