"""``POST /api/v1/support/inbound/{channel}``: a raw message posted by a mail service, signed with the channel's secret.

No sign-in: the signature is the credential. In order, each refusal writing
nothing: 415 unless the body is ``message/rfc822``; 413 over the size limit
(Litestar stops reading at it); 404 for an unknown channel; 401 for a missing,
forged or stale signature; 422 for bytes that are not mail. Only after the
signature is checked does the request work in the channel's tenant scope.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, post
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_415_UNSUPPORTED_MEDIA_TYPE
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.support import signatures
from bo_saas.support.channels import channel_secret, enter_channel
from bo_saas.support.errors import ChannelNotFound, MessageTooLarge, SignatureRefused
from bo_saas.support.ingest import ingest
from bo_saas.support.mail_parsing import MAX_MESSAGE_BYTES
from bo_saas.support.models import SupportChannel
from bo_saas.support.schemas import InboundOut

MEDIA_TYPE = "message/rfc822"
SIGNATURE_HEADER = "x-bo-signature"


class InboundController(Controller):
    path = "/api/v1/support/inbound"
    tags = ["support"]
    opt = {"anonymous": True}

    @post(
        "/{channel_id:uuid}",
        summary="Receive a customer's email (raw MIME, signed with the channel's secret)",
        description="Body: the raw message, Content-Type message/rfc822. Header X-BO-Signature: "
        't=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>, keyed with the channel\'s secret, at most 300 s old. '
        "The same message twice is stored once (outcome duplicate).",
        status_code=202,
        request_max_body_size=MAX_MESSAGE_BYTES,
        security=[],
    )
    async def receive(self, request: Request, db: AsyncSession, channel_id: UUID) -> InboundOut:
        media_type, _ = request.content_type
        if media_type.lower() != MEDIA_TYPE:
            raise HTTPException(
                status_code=HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                detail=f"This endpoint takes the raw message as {MEDIA_TYPE}, not {media_type or 'nothing'}",
            )
        raw = await request.body()
        if len(raw) > MAX_MESSAGE_BYTES:
            raise MessageTooLarge(f"The message is larger than the {MAX_MESSAGE_BYTES // (1024 * 1024)} MB limit")
        found = await enter_channel(db, channel_id)  # from here on, the transaction sees the channel's tenant only
        if found is None:
            raise ChannelNotFound("No such support channel")
        channel = (
            await db.execute(
                select(SupportChannel).where(
                    SupportChannel.tenant_id == found.tenant_id, SupportChannel.id == found.channel_id
                )
            )
        ).scalar_one()
        problem = signatures.verify(
            channel_secret(request.app.state.settings, channel), request.headers.get(SIGNATURE_HEADER), raw
        )
        if problem is not None:
            raise SignatureRefused(problem)
        result = await ingest(db, request.app.state.settings, found, raw, channel)
        return InboundOut(ticket_id=result.ticket_id, message_id=result.message_id, outcome=result.outcome)
