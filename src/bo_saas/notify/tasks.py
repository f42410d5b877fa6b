"""Notification jobs: queued with ``lib.outbox.enqueue``, run by ``bo-saas worker``."""

from __future__ import annotations

import dramatiq
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.outbox import idempotent
from bo_saas.lib.settings import get_settings
from bo_saas.notify.email import compose, deliver

QUEUE = "notify"


# Ten retries, 5 s doubling to at most 15 min apart (under an hour in all): a mail server's outage passes.
@dramatiq.actor(queue_name=QUEUE, max_retries=10, time_limit=2 * 60_000)
@idempotent
async def send_email(_session: AsyncSession, *, to: str, subject: str, body: str) -> None:
    """Send one plain-text email."""
    settings = get_settings()
    await deliver(settings, compose(settings, to=to, subject=subject, body=body))
