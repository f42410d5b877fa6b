"""The test desk's descriptor: everything it plugs in, as a real desk's ``domain.py`` would."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.domain import Domain, Meter
from bo_saas.work.desks import Desk
from bo_saas.work.models import WorkItem
from tests.testdesk.controllers import SERVICE_TYPE, WidgetController
from tests.testdesk.models import Widget

METER = "test_desk.widgets"


async def _count(session: AsyncSession, item: WorkItem, *only) -> int:
    return await session.scalar(
        select(func.count())
        .select_from(Widget)
        .where(Widget.tenant_id == item.tenant_id, Widget.work_item_id == item.id, *only)
    )


async def widgets_done(session: AsyncSession, item: WorkItem) -> int:
    """An item earns one unit per widget on it."""
    return await _count(session, item)


async def widgets_remaining(session: AsyncSession, item: WorkItem) -> str | None:
    """Complete when the item has widgets and every one is checked."""
    if not await _count(session, item):
        return "no widgets yet"
    unchecked = await _count(session, item, Widget.checked.is_(False))
    return f"{unchecked} widget(s) not checked" if unchecked else None


DOMAIN = Domain(
    name="test_desk",
    route_handlers=[WidgetController],
    models="tests.testdesk.models",
    desks=[
        Desk(
            service_type=SERVICE_TYPE,
            meter=METER,
            quantity=widgets_done,
            remaining=widgets_remaining,
            workspace="/console/desks/test-desk/{item_id}",
        )
    ],
    meters=[Meter(METER, "widget", "sum", "Widgets on test-desk items done")],
)
