"""Rows for work tests that do not need an item's whole life through the API."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.work.models import WorkItem
from tests.desk import queued_item
from tests.factories import save


async def work_item(session: AsyncSession, tenant, **fields) -> WorkItem:
    """A queued data-entry item of ``tenant`` (``tests.desk.queued_item``), saved with the owner session."""
    item = queued_item(tenant, **fields)
    await save(session, item)
    return item
