"""Limit/offset pagination: every list answers ``{"items", "total", "limit", "offset"}``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from advanced_alchemy.service import OffsetPagination
from litestar.params import QueryParameter

MAX_LIMIT = 200
# PostgreSQL's OFFSET is a bigint: anything larger is refused here rather than by the driver (a 500).
MAX_OFFSET = 2**63 - 1


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int
    offset: int


def provide_page_request(
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="page size")] = 50,
    offset: Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET, description="rows to skip")] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)


def page_of(items, *, total: int, page: PageRequest) -> OffsetPagination:
    return OffsetPagination(items=items, total=total, limit=page.limit, offset=page.offset)


__all__ = ["MAX_LIMIT", "MAX_OFFSET", "OffsetPagination", "PageRequest", "page_of", "provide_page_request"]
