"""Arranging SLA history straight in the database: items with the clock fields a test chooses.

Reports read what the clocks left on an item's row, so tests write those rows directly (as the
owner role, past RLS) instead of replaying weeks of state changes through the API.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.tenancy.models import BusinessCalendar, Tenant
from bo_saas.work.models import Priority, SlaStatus, WorkItem, WorkState

RIYADH = ZoneInfo("Asia/Riyadh")  # UTC+3 all year: no daylight saving to think about
# The Saudi working week: Sunday to Thursday, 09:00-17:00 local.
SUN_TO_THU_NINE_TO_FIVE = {day: ["09:00-17:00"] for day in ("sun", "mon", "tue", "wed", "thu")}

_BREACH_FIELDS = ("first_response_breached_at", "resolution_breached_at")


def riyadh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Riyadh wall-clock time as the aware UTC instant the database stores."""
    return datetime(year, month, day, hour, minute, tzinfo=RIYADH).astimezone(UTC)


async def business_calendar(
    session: AsyncSession, tenant: Tenant, weekly_hours: dict[str, list[str]] = SUN_TO_THU_NINE_TO_FIVE
) -> BusinessCalendar:
    calendar = BusinessCalendar(tenant_id=tenant.id, weekly_hours=weekly_hours, holidays=[])
    session.add(calendar)
    await session.commit()
    return calendar


async def work_item(session: AsyncSession, tenant: Tenant, **fields: Any) -> WorkItem:
    """A work item of ``tenant`` with its SLA policy fixed; ``fields`` override any column.

    By default a done support item of normal priority; ``sla_status`` follows the breach fields
    (met when done without a breach) unless given, as the clocks would have left it.
    """
    service_type = fields.pop("service_type", "support")
    values: dict[str, Any] = {
        "id": uuid4(),
        "tenant_id": tenant.id,
        "service_type": service_type,
        "skill_code": service_type,
        "title": f"{service_type} item",
        "payload": {},
        "priority": Priority.NORMAL,
        "state": WorkState.DONE,
        "sla_first_response_minutes": 60,
        "sla_resolution_minutes": 480,
        "sla_warning_percent": 75,
        **fields,
    }
    if "sla_status" not in values:
        if any(values.get(name) is not None for name in _BREACH_FIELDS):
            values["sla_status"] = SlaStatus.BREACHED
        elif values["state"] is WorkState.DONE:
            values["sla_status"] = SlaStatus.MET
        else:
            values["sla_status"] = SlaStatus.OK
    item = WorkItem(**values)
    session.add(item)
    await session.commit()
    return item
