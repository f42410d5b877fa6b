"""A tenant's business calendar as ``BusinessTime``: its manifest/API calendar in the tenant's time zone.

A tenant without a calendar row works round the clock in its own zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, FromClause, Text, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.business_time import BusinessTime
from bo_saas.tenancy.models import BusinessCalendar, Tenant


def business_time_of(timezone: str, calendar: BusinessCalendar | _CalendarFields | None) -> BusinessTime:
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


async def tenant_with_business_time(session: AsyncSession, tenant_id: UUID) -> Tenant:
    """The tenant, its business time cached as ``business_times`` does: one statement for a caller needing both."""
    cache: dict[UUID, BusinessTime] = session.info.setdefault(_CACHE_KEY, {})
    row = (
        await session.execute(
            select(Tenant, BusinessCalendar)
            .outerjoin(BusinessCalendar, BusinessCalendar.tenant_id == Tenant.id)
            .where(Tenant.id == tenant_id)
        )
    ).one()
    cache.setdefault(tenant_id, business_time_of(row.Tenant.timezone, row.BusinessCalendar))
    return row.Tenant


# For hot lists that read the calendar in the same statement as their rows: the calendar row's fields
# as one JSON array text (``[weekly_hours, holidays, holiday_country]``; all null without a row).
class _CalendarFields(NamedTuple):
    weekly_hours: dict[str, list[str]] | None
    holidays: list[date] | None
    holiday_country: str | None


def calendar_json(calendars: FromClause) -> ColumnElement[str]:
    """The calendar of ``calendars`` (``business_calendars``, often outer-joined) as ``business_time_from`` reads it."""
    c: Any = calendars.c
    return cast(func.json_build_array(c.weekly_hours, c.holidays, c.holiday_country), Text)


_decode_fields = msgspec.json.Decoder(_CalendarFields).decode


# Keyed by the calendar's content, not by tenant, so a changed calendar is a new key and never a stale
# answer; the bound only matters for a process that sees very many distinct calendars.
@lru_cache(maxsize=4096)
def business_time_from(timezone: str, fields_json: str) -> BusinessTime:
    """A tenant's business time from its zone and ``calendar_json``; the same as ``business_time_of`` for its row.

    A row of nulls (no calendar) is round the clock, as ``business_time_of(timezone, None)``.
    """
    return business_time_of(timezone, _decode_fields(fields_json))
