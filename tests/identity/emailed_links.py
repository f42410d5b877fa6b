"""The one-time links that invitation and password-reset emails carry, read as the email job sends them."""

from __future__ import annotations

import json
import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.email import open_sealed
from bo_saas.lib.outbox_models import OutboxMessage
from bo_saas.lib.settings import Settings, get_settings

_LINK = re.compile(r"(https?://\S+?)(/[a-z-]+)#token=(\S+)")


async def emailed_links(
    admin_session: AsyncSession, to: str, settings: Settings | None = None
) -> list[tuple[str, str, str]]:
    """Each email queued for ``to``: (base URL, path, token), in the order queued.

    Also checks what the stored job holds: the token only sealed, never in clear.
    """
    rows = (
        await admin_session.execute(
            select(OutboxMessage).where(OutboxMessage.actor_name == "send_email").order_by(OutboxMessage.created_at)
        )
    ).scalars()
    links = []
    for row in rows:
        kwargs = row.message["kwargs"]
        if kwargs["to"] != to:
            continue
        sent = open_sealed(settings or get_settings(), kwargs["body"], kwargs.get("sealed"))
        base, path, token = _LINK.search(sent).groups()
        assert token not in json.dumps(row.message), "the token must not be stored in clear"
        links.append((base, path, token))
    return links
