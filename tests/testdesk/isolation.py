"""The isolation walker's entries for the test desk's routes, and the rows they walk over.

Wiring (for the walker): mount the test desk in the walked app
(``registry(["tests.testdesk.domain"])``), add ``ROUTES`` to the walker's table,
and call ``seed(session, tenant_world)`` for each tenant after its work items exist.
"""

from __future__ import annotations

from uuid import uuid4

from bo_saas.work.models import WorkState
from tests.desk import queued_item
from tests.isolation.walker import Entry
from tests.testdesk.models import Widget

ITEMS = "/api/v1/test-desk/items/{item_id:uuid}/widgets"
WIDGET = "/api/v1/test-desk/widgets/{widget_id:uuid}"


def _widgets(t, w) -> str:
    return f"/api/v1/test-desk/items/{t.work['test_desk']}/widgets"


ROUTES = [
    # Whoever sees the item sees its widgets (a member sees their own items).
    Entry("GET", ITEMS, "client_member", _widgets),
    # A desk's work is provider staff's: the tenant's own people are refused.
    Entry(
        "POST", ITEMS, "agent", _widgets, body=lambda t, w: {"label": "walked"}, own_status=201, lower="client_admin"
    ),
    Entry(
        "PATCH",
        WIDGET,
        "agent",
        lambda t, w: f"/api/v1/test-desk/widgets/{t.work['test_desk_widget']}",
        body=lambda t, w: {"checked": True},
        lower="client_admin",
    ),
]


async def seed(session, t) -> None:
    """Per tenant: a test-desk item in progress, requested by the tenant's member, with one widget."""
    item = queued_item(t.tenant, service_type="test_desk", requester_id=t.member.id, state=WorkState.IN_PROGRESS)
    session.add(item)
    await session.flush()
    widget = Widget(id=uuid4(), tenant_id=t.tenant.id, work_item_id=item.id, label="walk", checked=False)
    session.add(widget)
    await session.commit()
    t.work.update(test_desk=item.id, test_desk_widget=widget.id)
