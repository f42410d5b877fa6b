"""Who someone is, by id: the names screens show for requesters, agents and the actors of history."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import ColumnElement, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Account, ApiClient

# Shown after an API client's name, so a person reading a list can tell the tenant's system from a person.
_API_CLIENT_MARK = " (API)"


async def display_names(session: AsyncSession, ids: Iterable[UUID | None]) -> dict[UUID, str]:
    """People by account id, and a tenant's API clients (marked as such), in two small queries."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    names = dict((await session.execute(select(Account.id, Account.name).where(Account.id.in_(wanted)))).all())
    missing = wanted - names.keys()
    if missing:
        clients = await session.execute(select(ApiClient.id, ApiClient.name).where(ApiClient.id.in_(missing)))
        names.update({client_id: f"{name}{_API_CLIENT_MARK}" for client_id, name in clients})
    return names


def api_client_display_name(name: ColumnElement[str]) -> ColumnElement[str]:
    """An API client's name column as ``display_names`` shows it, for statements that join the name in."""
    # A literal, not a bound parameter: a compiled statement reused across requests binds only their values.
    return name.concat(literal_column(f"'{_API_CLIENT_MARK}'"))
