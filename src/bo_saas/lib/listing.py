"""One way to answer a list: filters, a declared sorting, count and page, ``{items, total, limit, offset}``.

A list route declares what it may be sorted by once (``Sorting``), takes the
``sort`` query parameter that declaration describes, and hands the select, its
filters and the page to ``list_page``. Unknown sort keys answer 400 naming the
allowed ones, so a client can correct itself.

Hot paths that read asyncpg records straight into structs (users,
notifications, work items, the queue counts) keep their single statement
(``lib.db.scoped_read``); everything else lists here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
from advanced_alchemy.service import OffsetPagination
from litestar.params import QueryParameter
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

from bo_saas.lib.errors import InvalidInputError
from bo_saas.lib.pagination import PageRequest


@dataclass(frozen=True)
class Sorting:
    """The sort keys a list allows, each naming its columns; ``-key`` sorts the same columns descending.

    ``tiebreak`` columns always come last, ascending, so pages never overlap when
    the key's columns tie. ``nulls_last`` keeps rows without a value at the end
    whichever way the list runs (an item with no due time is never the most urgent).
    """

    keys: Mapping[str, Sequence[Any]]
    default: str
    tiebreak: Sequence[Any] = ()
    nulls_last: bool = False

    def __post_init__(self) -> None:
        if self.default not in self.options:
            raise ValueError(f"default sort {self.default!r} is not one of {self.options}")

    @property
    def options(self) -> list[str]:
        return [option for key in self.keys for option in (key, f"-{key}")]

    def parameter(self, description: str = "sort key; a leading '-' sorts descending") -> Any:
        """The ``sort`` query parameter's declaration (the OpenAPI document lists the allowed values)."""
        return QueryParameter(description=description, enum=self.options)

    def order_by(self, sort: str | None) -> list[ColumnElement[Any]]:
        sort = sort or self.default
        descending = sort.startswith("-")
        columns = self.keys.get(sort.removeprefix("-"))
        if columns is None:
            raise InvalidInputError(
                f"Cannot sort by {sort!r}; sort by one of {', '.join(self.options)}",
                extra={"allowed": self.options},
            )
        order = []
        for column in columns:
            # A column declared descending (``Model.priority.desc()``) runs the other way round under ``-key``.
            reverse = isinstance(column, UnaryExpression) and column.modifier is operators.desc_op
            base = column.element if reverse else column
            ordered = base.desc() if descending != reverse else base.asc()
            order.append(ordered.nulls_last() if self.nulls_last else ordered)
        return [*order, *(column.asc() for column in self.tiebreak)]


Into = type | Callable[[list[Any]], Any]


async def list_page(
    session: AsyncSession,
    statement: Select,
    page: PageRequest,
    *,
    filters: Iterable[ColumnElement[bool] | bool] = (),
    sorting: Sorting | None = None,
    sort: str | None = None,
    order_by: Sequence[Any] = (),
    into: Into | None = None,
) -> OffsetPagination:
    """Count the filtered rows, read one page of them in the declared order, and convert them.

    ``statement`` selects one entity (rows come back as objects) or several
    columns (rows come back as rows). ``into`` is a response struct (converted
    from the rows' attributes) or a function of the page's rows, sync or async
    (for responses that need more than the row, such as names). ``order_by``
    serves lists with one fixed order and no ``sort`` parameter.
    """
    ordering = sorting.order_by(sort) if sorting is not None else list(order_by)
    statement = statement.where(*(condition for condition in filters if condition is not True))
    total = await session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    result = await session.execute(statement.order_by(*ordering).limit(page.limit).offset(page.offset))
    rows = result.scalars().all() if len(statement.column_descriptions) == 1 else result.all()
    items = await _convert(list(rows), into)
    return OffsetPagination(items=items, total=total or 0, limit=page.limit, offset=page.offset)


async def _convert(rows: list[Any], into: Into | None) -> list[Any]:
    if into is None:
        return rows
    if isinstance(into, type):
        return [to_struct(row, into) for row in rows]
    converted = into(rows)
    return await converted if inspect.isawaitable(converted) else converted


def to_struct(row: Any, struct: type, **values: Any) -> Any:
    """A row (an ORM object or a result row) as a response struct, field by field from its attributes.

    ``values`` supply or override fields the row does not carry under the struct's names.
    Enums become their values and lists stay lists through msgspec's own conversion rules.
    """
    if values:
        fields = {name: values[name] if name in values else getattr(row, name) for name in struct.__struct_fields__}
        return msgspec.convert(fields, struct, from_attributes=True, strict=False)
    return msgspec.convert(row, struct, from_attributes=True, strict=False)
