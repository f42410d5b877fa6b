"""Who someone is, by id: the names screens show for requesters, agents and the actors of history."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Account, ApiClient


async def display_names(session: AsyncSession, ids: Iterable[UUID | None]) -> dict[UUID, str]:
    """People by account id, and a tenant's API clients (marked as such), in two small queries."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    names = dict((await session.execute(select(Account.id, Account.name).where(Account.id.in_(wanted)))).all())
    missing = wanted - names.keys()
    if missing:
        clients = await session.execute(select(ApiClient.id, ApiClient.name).where(ApiClient.id.in_(missing)))
        names.update({client_id: f"{name} (API)" for client_id, name in clients})
    return names
