"""Request and response bodies of the SLA routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

from bo_saas.lib import limits

Minutes = Annotated[int, msgspec.Meta(ge=1, le=525_600)]  # up to a year of business minutes
Weekday = limits.text(limits.CODE)  # mon..sun; which ones is checked with the periods
Period = limits.text(limits.PERIOD)
Country = limits.text(limits.COUNTRY, min_length=1)


class SlaPolicyOut(msgspec.Struct):
    plan: str
    service_type: str
    priority: str
    first_response_minutes: int
    resolution_minutes: int
    warning_percent: int


class SlaPolicyUpdate(msgspec.Struct, forbid_unknown_fields=True):
    first_response_minutes: Minutes
    resolution_minutes: Minutes
    warning_percent: Annotated[int, msgspec.Meta(ge=1, le=99)] = 75


class CalendarOut(msgspec.Struct):
    tenant_id: UUID
    timezone: str
    # None: no calendar set, the clocks run round the clock.
    weekly_hours: dict[str, list[str]] | None
    holidays: list[date]
    holiday_country: str | None


class CalendarUpdate(msgspec.Struct, forbid_unknown_fields=True):
    weekly_hours: dict[Weekday, list[Period]]
    holidays: list[date] = []
    holiday_country: Country | None = None


class SlaEventOut(msgspec.Struct):
    id: UUID
    tenant_id: UUID
    work_item_id: UUID
    work_item_title: str
    clock: str
    kind: str
    due_at: datetime
    recorded_at: datetime
    assignee_id: UUID | None
