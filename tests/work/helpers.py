"""Rows for work tests that do not need an item's whole life through the API."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.work.models import Priority, WorkItem, WorkState
from tests.factories import save


async def work_item(session: AsyncSession, tenant, **fields) -> WorkItem:
    """A queued data-entry item of ``tenant``, saved with the owner session; ``fields`` override any column."""
    now = utc_now()
    values = {
        "id": uuid4(),
        "tenant_id": tenant.id,
        "service_type": "data_entry",
        "skill_code": "data_entry",
        "title": "Key in the November invoices",
        "payload": {},
        "priority": Priority.NORMAL,
        "state": WorkState.QUEUED,
        "requester_id": None,
        "created_at": now,
        "updated_at": now,
        "queued_at": now,
    }
    item = WorkItem(**{**values, **fields})
    await save(session, item)
    return item
