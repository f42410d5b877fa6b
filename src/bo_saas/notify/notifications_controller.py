"""``/api/v1/notifications``: the caller's own in-app notifications, across the tenants in its scope.

Every statement filters on the caller's account as well as running under the
request's tenant scope: RLS keeps tenants apart, the recipient filter keeps
people apart, so someone else's notification answers 404. Reading the list
and the unread count is what every open page polls, so both go straight from
asyncpg records into structs (``lib.db.scoped_read``).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, get, post
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.params import QueryParameter
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.lib.caller import Caller
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import scoped_read
from bo_saas.lib.listing import to_struct
from bo_saas.lib.pagination import PageRequest, page_of
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.notify.models import Notification
from bo_saas.notify.repository import Notifications
from bo_saas.notify.schemas import MarkedRead, NotificationOut, UnreadCount

# Columns in NotificationOut's field order, then the window count.
_LIST_SQL = """
    SELECT id, tenant_id, kind, title, body, work_item_id, created_at, read_at, count(*) OVER () AS total
    FROM notifications
    WHERE recipient_id = $1 AND ($2 OR read_at IS NULL)
    ORDER BY created_at DESC, id
    LIMIT $3 OFFSET $4
"""
_COUNT_SQL = "SELECT count(*) FROM notifications WHERE recipient_id = $1 AND ($2 OR read_at IS NULL)"
_UNREAD_SQL = "SELECT count(*) FROM notifications WHERE recipient_id = $1 AND read_at IS NULL"


async def requires_person(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Notifications belong to people; an API client has no account to receive them."""
    caller = connection.scope.get("user")
    if isinstance(caller, Caller) and caller.account_id is None:
        raise PermissionDeniedException("API clients have no notifications; sign in as a person")


def _account_id(request: Request) -> UUID:
    caller: Caller = request.user
    assert caller.account_id is not None  # requires_person
    return caller.account_id


class NotificationController(Controller):
    path = "/api/v1/notifications"
    tags = ["notify"]
    guards = [requires_person]

    @get("/", summary="The caller's notifications, newest first")
    async def list_notifications(
        self,
        request: Request,
        db_engine: AsyncEngine,
        tenant_scope: TenantScope,
        page: PageRequest,
        unread: Annotated[bool, QueryParameter(description="only the ones not read yet")] = False,
    ) -> OffsetPagination[NotificationOut]:
        account_id = _account_id(request)
        include_read = not unread
        async with scoped_read(db_engine, tenant_scope) as connection:
            records = await connection.fetch(_LIST_SQL, account_id, include_read, page.limit, page.offset)
            if records:
                total = records[0]["total"]
            else:
                total = await connection.fetchval(_COUNT_SQL, account_id, include_read)
        return page_of([NotificationOut(*record[:-1]) for record in records], total=total, page=page)

    @get("/unread-count", summary="How many of the caller's notifications are unread")
    async def unread_count(self, request: Request, db_engine: AsyncEngine, tenant_scope: TenantScope) -> UnreadCount:
        async with scoped_read(db_engine, tenant_scope) as connection:
            return UnreadCount(unread=await connection.fetchval(_UNREAD_SQL, _account_id(request)))

    @post("/{notification_id:uuid}/read", status_code=200, summary="Mark one of the caller's notifications read")
    async def mark_read(self, request: Request, db: AsyncSession, notification_id: UUID) -> NotificationOut:
        row = await Notifications(request.user).get(db, notification_id, for_update=True)
        if row.read_at is None:  # reading it again keeps the first time it was read
            row.read_at = utc_now()
            await db.flush()
        return to_struct(row, NotificationOut)

    @post("/read-all", status_code=200, summary="Mark all the caller's notifications read")
    async def mark_all_read(self, request: Request, db: AsyncSession) -> MarkedRead:
        result = await db.execute(
            update(Notification)
            .where(Notification.recipient_id == _account_id(request), Notification.read_at.is_(None))
            .values(read_at=func.now())
        )
        return MarkedRead(marked=result.rowcount)
