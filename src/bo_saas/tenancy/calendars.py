"""A tenant's business calendar as ``BusinessTime``: its manifest/API calendar in the tenant's time zone.

A tenant without a calendar row works round the clock in its own zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.business_time import BusinessTime
from bo_saas.tenancy.models import BusinessCalendar, Tenant


def business_time_of(timezone: str, calendar: BusinessCalendar | None) -> BusinessTime:
    if calendar is None:
        return BusinessTime(timezone=timezone)
    return BusinessTime(
        timezone=timezone,
        weekly_hours=calendar.weekly_hours,
        holidays=frozenset(calendar.holidays or ()),
        holiday_country=calendar.holiday_country,
    )


# session.info key: the calendars this session has read. A request moves an item and then shows it,
# and both need the tenant's calendar; it is read once. (Sessions are per request or per job.)
_CACHE_KEY = "sla_business_times"


async def business_times(session: AsyncSession, tenant_ids: Iterable[UUID]) -> dict[UUID, BusinessTime]:
    """Each tenant's business time: one query for those this session has not read yet."""
    cache: dict[UUID, BusinessTime] = session.info.setdefault(_CACHE_KEY, {})
    ids = set(tenant_ids)
    missing = ids - cache.keys()
    if missing:
        rows = await session.execute(
            select(Tenant.id, Tenant.timezone, BusinessCalendar)
            .outerjoin(BusinessCalendar, BusinessCalendar.tenant_id == Tenant.id)
            .where(Tenant.id.in_(missing))
        )
        cache.update({tenant_id: business_time_of(timezone, calendar) for tenant_id, timezone, calendar in rows})
    return {tenant_id: cache[tenant_id] for tenant_id in ids if tenant_id in cache}


async def business_time_for(session: AsyncSession, tenant_id: UUID) -> BusinessTime:
    return (await business_times(session, [tenant_id]))[tenant_id]
