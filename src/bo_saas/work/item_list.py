"""``GET /api/v1/work-items`` as a hot path: one statement, records straight into the response structs.

The statement selects only what ``WorkItemOut`` shows, with the people's names
joined in (as ``work.names.display_names`` finds them), each row's tenant
calendar as JSON text (read once per distinct calendar, ``tenancy.calendars.
business_time_from``), and the total from a window count. It runs in
``lib.db.scoped_read``: one read-only transaction that has declared the
tenant scope, so RLS applies exactly as on the ORM path.

The filters, the visibility rule and the sorting are ``work.repository``'s
(``item_filters``, ``ITEM_SORTING``). A statement depends only on which
filters apply and the sort key, never on their values: each combination is
compiled once per process and every request binds its own values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

import msgspec
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import Select, Text, bindparam, case, cast, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine

from bo_saas.identity.models import Account, ApiClient
from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import scoped_read
from bo_saas.lib.pagination import PageRequest, page_of
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.calendars import business_time_from, calendar_json
from bo_saas.tenancy.models import BusinessCalendar, Tenant
from bo_saas.work.models import SlaStatus, WorkItem, WorkState
from bo_saas.work.names import api_client_display_name
from bo_saas.work.repository import ITEM_SORTING, ItemFilters
from bo_saas.work.schemas import WorkItemOut
from bo_saas.work.views import work_item_out


class ItemRow(NamedTuple):
    """One record of the list's statement, under ``WorkItem``'s attribute names (what ``work.views`` reads)."""

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


def _page_statement() -> Select:
    """Every column of ``ItemRow``, in its order, from the items and what they join (no conditions yet)."""
    items = WorkItem.__table__
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


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    parameters: tuple[str, ...]  # bind names in the order of $1, $2, ...

    def arguments(self, values: dict[str, Any]) -> list[Any]:
        return [values[name] for name in self.parameters]


def _compile(statement: Select, dialect: Dialect, provided: set[str]) -> _Compiled:
    compiled = statement.compile(dialect=dialect)
    parameters = tuple(compiled.positiontup or ())
    baked = set(parameters) - provided
    if baked:
        # A condition that carried its own value would serve the first request's value to every later one.
        raise RuntimeError(f"the work-items list statement has parameters no request binds: {sorted(baked)}")
    return _Compiled(compiled.string, parameters)


# (filter names, sort) -> (page statement, count statement); bounded by the combinations there are.
_statements: dict[tuple[tuple[str, ...], str], tuple[_Compiled, _Compiled]] = {}


def _statements_for(filters: ItemFilters, sort: str, dialect: Dialect) -> tuple[_Compiled, _Compiled]:
    key = (filters.names, sort)
    found = _statements.get(key)
    if found is None:
        order_by = ITEM_SORTING.order_by(sort)  # an unknown key answers 400 here, before anything is cached
        conditions = filters.conditions()
        provided = {*filters.values, "limit", "offset"}
        page = _page_statement().where(*conditions).order_by(*order_by)
        page = page.limit(bindparam("limit")).offset(bindparam("offset"))
        count = select(func.count()).select_from(WorkItem.__table__).where(*conditions)
        found = _statements[key] = (_compile(page, dialect, provided), _compile(count, dialect, provided))
    return found


def _item_row(record: Any) -> ItemRow:
    values = list(record)
    values[_STATE] = WorkState(values[_STATE])
    values[_SLA_STATUS] = SlaStatus(values[_SLA_STATUS])
    values[_PAYLOAD] = msgspec.Raw(values[_PAYLOAD])
    return ItemRow._make(values)


async def list_work_items(
    engine: AsyncEngine, scope: TenantScope, caller: Caller, page: PageRequest, filters: ItemFilters, sort: str
) -> OffsetPagination[WorkItemOut]:
    """One page of the items the caller may see, as ``WorkItemOut``, with the total of all that match."""
    page_sql, count_sql = _statements_for(filters, sort, engine.dialect)
    values = {**filters.values, "limit": page.limit, "offset": page.offset}
    async with scoped_read(engine, scope) as connection:
        records = await connection.fetch(page_sql.sql, *page_sql.arguments(values))
        if records:
            total = records[0][-1]
        elif page.offset:  # past the end: the window counted nothing, so count on its own
            total = await connection.fetchval(count_sql.sql, *count_sql.arguments(values))
        else:
            total = 0
    now = utc_now()
    items = []
    for record in records:
        row = _item_row(record)
        calendar = business_time_from(row.timezone, row.calendar)
        items.append(work_item_out(row, calendar, caller, now, row.requester_name, row.assignee_name))
    return page_of(items, total=total, page=page)
