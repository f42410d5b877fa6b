"""``/api/v1/test-desk``: the test desk's records on its work items.

Reading follows the work item (whoever may see the item sees its widgets);
writing is provider staff's, as a desk's work is. RLS keeps tenants apart, so
another tenant's item or widget answers 404 like a missing one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID, uuid4

import msgspec
from litestar import Controller, Request, get, patch, post
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.errors import NotFoundError
from bo_saas.lib.guards import requires_staff
from bo_saas.lib.repository import TenantRepository
from bo_saas.work.models import WorkItem
from bo_saas.work.repository import WorkItems
from tests.testdesk.models import Widget

SERVICE_TYPE = "test_desk"


class WidgetCreate(msgspec.Struct, forbid_unknown_fields=True):
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    checked: bool = False


class WidgetUpdate(msgspec.Struct, forbid_unknown_fields=True):
    checked: bool


class WidgetOut(msgspec.Struct):
    id: UUID
    work_item_id: UUID
    label: str
    checked: bool
    created_at: datetime


class Widgets(TenantRepository[Widget]):
    model = Widget
    not_found_message = "No such widget"


def widget_out(row: Widget) -> WidgetOut:
    return WidgetOut(row.id, row.work_item_id, row.label, row.checked, row.created_at)


async def desk_item(db: AsyncSession, request: Request, item_id: UUID, *, for_update: bool = False) -> WorkItem:
    item = await WorkItems(request.user).get(db, item_id, for_update=for_update)
    if item.service_type != SERVICE_TYPE:
        raise NotFoundError("No such test-desk item")
    return item


class WidgetController(Controller):
    path = "/api/v1/test-desk"
    tags = ["test desk"]

    @get("/items/{item_id:uuid}/widgets", summary="The item's widgets")
    async def list_widgets(self, request: Request, db: AsyncSession, item_id: UUID) -> list[WidgetOut]:
        item = await desk_item(db, request, item_id)
        rows = await db.scalars(
            select(Widget)
            .where(Widget.tenant_id == item.tenant_id, Widget.work_item_id == item.id)
            .order_by(Widget.created_at, Widget.id)
        )
        return [widget_out(row) for row in rows]

    @post("/items/{item_id:uuid}/widgets", summary="Add a widget to the item", guards=[requires_staff])
    async def add_widget(self, request: Request, db: AsyncSession, item_id: UUID, data: WidgetCreate) -> WidgetOut:
        item = await desk_item(db, request, item_id, for_update=True)
        widget = Widget(
            id=uuid4(), tenant_id=item.tenant_id, work_item_id=item.id, label=data.label.strip(), checked=data.checked
        )
        db.add(widget)
        await db.flush()
        return widget_out(widget)

    @patch("/widgets/{widget_id:uuid}", summary="Check or uncheck a widget", guards=[requires_staff])
    async def update_widget(self, request: Request, db: AsyncSession, widget_id: UUID, data: WidgetUpdate) -> WidgetOut:
        widget = await Widgets(request.user).get(db, widget_id, for_update=True)
        widget.checked = data.checked
        await db.flush()
        return widget_out(widget)
