"""In-app notifications: what other domains call to tell people something, optionally by email too.

A notification lives in the tenant it is about, whoever receives it: a
client's person has that one tenant, and provider staff see the tenants they
are assigned to, so the row is readable by exactly the people it concerns.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID, uuid4

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Account, AccountStatus, StaffProfile
from bo_saas.lib.clock import utc_now
from bo_saas.lib.email import send_email
from bo_saas.lib.outbox import enqueue
from bo_saas.lib.settings import get_settings
from bo_saas.notify.models import Notification


async def notify(
    session: AsyncSession,
    *,
    tenant_id: UUID,
    recipient_ids: Iterable[UUID],
    kind: str,
    title: str,
    body: str,
    work_item_id: UUID | None = None,
    email: bool = False,
) -> None:
    """Give each recipient (once, however often listed) a notification in ``tenant_id``.

    Runs in the caller's transaction; the session's scope must include
    ``tenant_id``. With ``email=True`` each active recipient also gets the
    title and body by email, sent through the outbox after the commit, with a
    link to the item in the web app (the console for staff, the portal for clients).
    ``kind`` names what happened, e.g. ``sla.warning`` or ``work_item.state_changed``.
    """
    recipients = list(dict.fromkeys(recipient_ids))
    if not recipients:
        return
    now = utc_now()
    await session.execute(
        insert(Notification),
        [
            {
                "id": uuid4(),
                "tenant_id": tenant_id,
                "recipient_id": recipient_id,
                "kind": kind,
                "title": title,
                "body": body,
                "work_item_id": work_item_id,
                "created_at": now,
            }
            for recipient_id in recipients
        ],
    )
    if not email:
        return
    # Invited people have not chosen to use the platform yet and deactivated ones have left it.
    people = await session.execute(
        select(Account.email, StaffProfile.account_id.is_not(None).label("staff"))
        .outerjoin(StaffProfile, StaffProfile.account_id == Account.id)
        .where(Account.id.in_(recipients), Account.status == AccountStatus.ACTIVE)
        .order_by(Account.email)
    )
    for address, staff in people.all():
        text = body
        if work_item_id is not None:
            text = f"{body}\n\nOpen it: {item_link(work_item_id, staff=staff)}"
        await enqueue(session, send_email, to=address, subject=title, body=text)


def item_link(work_item_id: UUID, *, staff: bool) -> str:
    """Where a person opens the item in the web app (``BO_PUBLIC_URL``, by default the serve address)."""
    return get_settings().web_url(f"/{'console' if staff else 'portal'}/items/{work_item_id}")
