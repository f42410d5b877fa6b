"""The SMTP listener (`bo-saas mail serve`): mail to a channel's address becomes a support ticket.

It is the last hop of delivery, behind the provider's MX (or the tenant's forwarding rule), and
answers the way a mailbox server does, so the sending server knows what to do next:

- RCPT TO an address no channel has: 550 5.1.1, at once, before the sender sends the body;
- a message over MAX_MESSAGE_BYTES: 552 (aiosmtpd's data_size_limit stops storing it);
- a message that is not mail at all: 554 5.6.0 (permanent: a retry would fail the same way);
- anything unexpected while ingesting (database down, a bug): 451 4.3.0, temporary, so the
  sender keeps the message and retries for days. The ingest deduplicates by Message-ID, so a
  retry after a partial success (two recipients, the second failed) adds nothing twice.

The ingest and the recipient check are passed in (``SupportMailHandler(accepts=, ingest=)``):
``serve`` wires the Support desk's ingest module; tests wire recording functions and talk to a
real socket.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from collections.abc import Awaitable, Callable
from functools import partial

import structlog
from aiosmtpd.smtp import SMTP, Envelope, Session

from bo_saas.lib.settings import Settings
from bo_saas.support.mail_parsing import MAX_MESSAGE_BYTES, MalformedMessageError, MessageTooLargeError

log = structlog.get_logger("bo_saas.support.smtp")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 2525
# One message fans out to at most this many channels; more is a spammer's envelope, not a customer.
MAX_RECIPIENTS = 50

Accepts = Callable[[str], Awaitable[bool]]
Ingest = Callable[[str, bytes], Awaitable[object | None]]


class SupportMailHandler:
    """aiosmtpd hooks: check each recipient against the channels, hand each accepted message to the ingest."""

    def __init__(self, *, accepts: Accepts, ingest: Ingest) -> None:
        self._accepts = accepts
        self._ingest = ingest

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        recipient = address.strip().lower()
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        try:
            known = await self._accepts(recipient)
        except Exception:
            log.exception("mail.recipient_check_failed", recipient=recipient)
            return "451 4.3.0 Temporary failure, please try again later"
        if not known:
            return "550 5.1.1 No such mailbox here"
        if recipient not in envelope.rcpt_tos:
            envelope.rcpt_tos.append(recipient)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = with_return_path(envelope.mail_from or "", envelope.original_content or b"")
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer)
        delivered = 0
        for recipient in envelope.rcpt_tos:
            try:
                result = await self._ingest(recipient, raw)
            except MessageTooLargeError:
                return "552 5.3.4 Message too big"
            except MalformedMessageError:
                return "554 5.6.0 Malformed message"
            except Exception:
                log.exception("mail.ingest_failed", recipient=recipient, peer=peer, size=len(raw))
                return "451 4.3.0 Temporary failure, please try again later"
            if result is None:
                # The channel went away between RCPT and DATA.
                log.info("mail.no_channel", recipient=recipient, peer=peer)
                continue
            delivered += 1
            log.info("mail.ingested", recipient=recipient, peer=peer, outcome=getattr(result, "outcome", None))
        if not delivered:
            return "550 5.1.1 No such mailbox here"
        return "250 2.0.0 Message accepted"


def with_return_path(mail_from: str, content: bytes) -> bytes:
    """The message with the envelope sender on top, as the final delivery hop records it (RFC 5321 4.4).

    The loop checks read it: ``Return-Path: <>`` marks a bounce or other delivery notice.
    """
    sender = "".join(char for char in mail_from if char not in "\r\n<>").strip()
    return f"Return-Path: <{sender}>\r\n".encode() + content


class _SupportSMTP(SMTP):
    # RFC 5321 caps lines at 1,000 bytes, but some mailers send whole HTML bodies on one line; a
    # mailbox server refusing them would bounce a customer's mail, so we take lines up to 64 KiB.
    line_length_limit = 64 * 1024


async def start_listener(
    handler: SupportMailHandler,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    data_size_limit: int = MAX_MESSAGE_BYTES,
) -> asyncio.Server:
    """Listen on ``host:port`` in the running event loop (the one the ingest's database engine lives in)."""
    loop = asyncio.get_running_loop()
    # An explicit hostname: aiosmtpd's default calls socket.getfqdn(), a DNS lookup that can hang.
    hostname = socket.gethostname()
    return await loop.create_server(
        lambda: _SupportSMTP(
            handler,
            data_size_limit=data_size_limit,
            hostname=hostname,
            ident="bo-saas support",
            enable_SMTPUTF8=True,
        ),
        host=host,
        port=port,
    )


async def serve(settings: Settings, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Run the listener until SIGTERM or SIGINT, then return (the command exits 0).

    Sessions still open at the stop are cut; their senders retry later, as SMTP senders do.
    """
    # The ingest brings the database layer; the handler and its tests do without it.
    from bo_saas.support.errors import MessageTooLarge, UnreadableMessage
    from bo_saas.support.ingest import channel_exists_for_address, ingest_for_recipient

    async def ingest(recipient: str, raw: bytes) -> object | None:
        # The desk's ingest raises the HTTP-shaped errors the inbound endpoint answers with (413, 422);
        # here they are permanent SMTP failures (552, 554), not the 451 of an unexpected error.
        try:
            return await ingest_for_recipient(settings, recipient, raw)
        except MessageTooLarge as exc:
            raise MessageTooLargeError(str(exc)) from exc
        except UnreadableMessage as exc:
            raise MalformedMessageError(str(exc)) from exc

    handler = SupportMailHandler(accepts=partial(channel_exists_for_address, settings), ingest=ingest)
    # aiosmtpd logs every SMTP command, addresses included, at INFO; our own lines say what happened.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = await start_listener(handler, host=host, port=port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info("mail.listening", host=host, port=port)
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        server.close()
        await server.wait_closed()
        log.info("mail.stopped")
