"""Seats: a tenant's active client users, the count its plan's seat price applies to.

An invited person who has not accepted yet, or a deactivated one, takes no
seat; API clients are systems, not people, and take none either.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Account, AccountStatus, Membership
from bo_saas.lib.caller import CLIENT_ROLES


async def active_seats(session: AsyncSession, tenant_id: UUID) -> int:
    statement = (
        select(func.count())
        .select_from(Membership)
        .join(Account, Account.id == Membership.account_id)
        .where(
            Membership.tenant_id == tenant_id,
            Membership.role.in_(CLIENT_ROLES),
            Account.status == AccountStatus.ACTIVE,
        )
    )
    return int(await session.scalar(statement) or 0)
