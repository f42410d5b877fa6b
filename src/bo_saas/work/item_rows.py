"""Work items read as rows straight into ``WorkItemOut``: the columns, the joins, the conversion.

The hot paths that answer with work items (the list, the claim) select only
what ``WorkItemOut`` shows, with the people's names joined in (as
``work.names.display_names`` finds them) and each row's tenant calendar as
JSON text (read once per distinct calendar, ``tenancy.calendars.
business_time_from``), and build the structs from the records without the ORM.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
from sqlalchemy import FromClause, Select, Text, case, cast, func, select

from bo_saas.identity.models import Account, ApiClient
from bo_saas.lib.caller import Caller
from bo_saas.tenancy.calendars import business_time_from, calendar_json
from bo_saas.tenancy.models import BusinessCalendar, Tenant
from bo_saas.work.models import SlaStatus, WorkItem, WorkState
from bo_saas.work.names import api_client_display_name
from bo_saas.work.schemas import WorkItemOut
from bo_saas.work.views import work_item_out

WORK_ITEMS = WorkItem.__table__


class ItemRow(NamedTuple):
    """A record of an ``item_rows_select`` statement under ``WorkItem``'s attribute names, as ``work.views`` reads."""

    id: UUID
    tenant_id: UUID
    service_type: str
    title: str
    payload: msgspec.Raw  # the stored JSON text, passed through unparsed
    priority: str
    state: WorkState
    requester_id: UUID | None
    requester_client_id: UUID | None
    shared: bool
    assignee_id: UUID | None
    waiting_reason: str | None
    rework_count: int
    created_at: datetime
    updated_at: datetime
    queued_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    sla_first_response_minutes: int | None
    sla_resolution_minutes: int | None
    sla_warning_percent: int | None
    first_response_due_at: datetime | None
    first_responded_at: datetime | None
    resolution_due_at: datetime | None
    resolution_minutes_banked: float
    resolution_running_since: datetime | None
    paused_at: datetime | None
    sla_status: SlaStatus
    first_response_breached_at: datetime | None
    resolution_breached_at: datetime | None
    # Not WorkItem's: what the list joins in.
    requester_name: str | None
    assignee_name: str | None
    timezone: str
    calendar: str  # tenancy.calendars.calendar_json
    total: int  # the window count: every row that matches, on whichever page


# Positions of the columns that become enum members (views compare them by identity).
_STATE = ItemRow._fields.index("state")
_SLA_STATUS = ItemRow._fields.index("sla_status")
_PAYLOAD = ItemRow._fields.index("payload")


def item_rows_select(items: FromClause = WORK_ITEMS) -> Select:
    """Every column of ``ItemRow``, in its order, from ``items`` and what they join (no conditions yet).

    ``items`` is the work_items table or anything with its columns (the claim function's row).
    """
    requester = Account.__table__.alias("requester")
    client = ApiClient.__table__.alias("requester_client")
    assignee = Account.__table__.alias("assignee")
    tenant = Tenant.__table__.alias("tenant")
    calendar = BusinessCalendar.__table__.alias("calendar")
    own_columns = [items.c[name] for name in ItemRow._fields[: ItemRow._fields.index("requester_name")]]
    own_columns[_PAYLOAD] = cast(items.c.payload, Text).label("payload")
    return (
        select(
            *own_columns,
            # As display_names: the requester is a person when requester_id is set, else an API client.
            case(
                (items.c.requester_id.is_not(None), requester.c.name),
                else_=api_client_display_name(client.c.name),
            ).label("requester_name"),
            assignee.c.name.label("assignee_name"),
            tenant.c.timezone,
            calendar_json(calendar).label("calendar"),
            func.count().over().label("total"),
        )
        .select_from(items)
        .join(tenant, tenant.c.id == items.c.tenant_id)
        .outerjoin(calendar, calendar.c.tenant_id == items.c.tenant_id)
        .outerjoin(requester, requester.c.id == items.c.requester_id)
        .outerjoin(client, client.c.id == items.c.requester_client_id)
        .outerjoin(assignee, assignee.c.id == items.c.assignee_id)
    )


def item_row(record: Any) -> ItemRow:
    """A record of an ``item_rows_select`` statement as the row ``work.views`` reads."""
    values = list(record)
    values[_STATE] = WorkState(values[_STATE])
    values[_SLA_STATUS] = SlaStatus(values[_SLA_STATUS])
    values[_PAYLOAD] = msgspec.Raw(values[_PAYLOAD])
    return ItemRow._make(values)


def row_out(row: ItemRow, caller: Caller, now: datetime) -> WorkItemOut:
    calendar = business_time_from(row.timezone, row.calendar)
    return work_item_out(row, calendar, caller, now, row.requester_name, row.assignee_name)
