"""Plain-text email: composed here, delivered by SMTP or, without an SMTP host, written to files.

``send_email`` is the job every floor queues (through ``lib.outbox.enqueue``) to
send one message after its transaction commits; it lives here, below the
domains, so identity's invitations and notify's notices share it.

The file transport is the development mail server, like Django's file email
backend: every message becomes a real ``.eml`` file under ``<data_dir>/mail/``
that any mail client opens, and nothing leaves the machine.
"""

from __future__ import annotations

import os
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

import aiosmtplib
import dramatiq
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.outbox import idempotent
from bo_saas.lib.sealed import unseal
from bo_saas.lib.settings import Settings, get_settings

# Below the send_email actor's time limit, so a hung server fails the attempt and it is retried.
SMTP_TIMEOUT_SECONDS = 30


def compose(settings: Settings, *, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utc_now())
    sender_domain = parseaddr(settings.smtp_from)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=sender_domain)
    message.set_content(body)
    return message


async def deliver(settings: Settings, message: EmailMessage) -> None:
    """Send by SMTP when ``BO_SMTP_HOST`` is set; otherwise write it to ``<data_dir>/mail/``."""
    if settings.smtp_host:
        await send_by_smtp(settings, message)
    else:
        write_to_mail_folder(settings.data_dir / "mail", message)


async def send_by_smtp(settings: Settings, message: EmailMessage) -> None:
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username or None,
        password=settings.smtp_password or None,
        start_tls=settings.smtp_starttls,
        timeout=SMTP_TIMEOUT_SECONDS,
    )


def write_to_mail_folder(folder: Path, message: EmailMessage) -> Path:
    """Write ``message`` as ``<UTC time>-<Message-ID>.eml``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    local_id = str(message["Message-ID"]).strip("<>").partition("@")[0]
    path = folder / f"{utc_now():%Y%m%dT%H%M%SZ}-{local_id}.eml"
    # Written aside and renamed, so a mail client watching the folder never opens half a message.
    partial = path.with_suffix(".eml.partial")
    # Owner-only: a message may carry a one-time link (invitation, password reset).
    partial.touch(mode=0o600)
    partial.write_bytes(bytes(message))
    os.replace(partial, path)
    return path


QUEUE = "notify"


# Ten retries, 5 s doubling to at most 15 min apart (under an hour in all): a mail server's outage passes.
@dramatiq.actor(queue_name=QUEUE, max_retries=10, time_limit=2 * 60_000)
@idempotent
async def send_email(
    _session: AsyncSession, *, to: str, subject: str, body: str, sealed: dict[str, str] | None = None
) -> None:
    """Send one plain-text email.

    ``sealed`` maps placeholder names to secrets sealed with ``lib.sealed.seal``: each
    ``{{name}}`` in the body becomes the secret, opened only here, so the job's stored
    arguments (outbox, Redis, dead letters) never hold it in clear.
    """
    settings = get_settings()
    body = open_sealed(settings, body, sealed)
    await deliver(settings, compose(settings, to=to, subject=subject, body=body))


def open_sealed(settings: Settings, body: str, sealed: dict[str, str] | None) -> str:
    """The body as sent: each ``{{name}}`` replaced by its unsealed secret."""
    for name, value in (sealed or {}).items():
        body = body.replace("{{" + name + "}}", unseal(settings, value))
    return body
