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
from typing import Any

from advanced_alchemy.service import OffsetPagination
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine

from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import scoped_read
from bo_saas.lib.pagination import PageRequest, page_of
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.work.item_rows import item_row, item_rows_select, row_out
from bo_saas.work.models import WorkItem
from bo_saas.work.repository import ITEM_SORTING, ItemFilters
from bo_saas.work.schemas import WorkItemOut


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
        page = item_rows_select().where(*conditions).order_by(*order_by)
        page = page.limit(bindparam("limit")).offset(bindparam("offset"))
        count = select(func.count()).select_from(WorkItem.__table__).where(*conditions)
        found = _statements[key] = (_compile(page, dialect, provided), _compile(count, dialect, provided))
    return found


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
    return page_of([row_out(item_row(record), caller, now) for record in records], total=total, page=page)
