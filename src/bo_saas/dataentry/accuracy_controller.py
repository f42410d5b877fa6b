"""``/api/v1/data-entry/accuracy``: double keying's accuracy per agent and agreement per field and batch.

For provider staff: it names agents. A client sees its batches' accuracy,
without names, in each batch's report (``/batches/{id}/report``).
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.accuracy import accuracy
from bo_saas.dataentry.batches import Batches
from bo_saas.dataentry.schemas import AccuracyOut
from bo_saas.lib.guards import requires_staff


class AccuracyController(Controller):
    path = "/api/v1/data-entry/accuracy"
    tags = ["data-entry"]
    guards = [requires_staff]

    @get("/", summary="Keying accuracy per agent, and agreement per field and per batch (provider staff)")
    async def get_accuracy(
        self,
        request: Request,
        db: AsyncSession,
        batch_id: Annotated[UUID | None, QueryParameter(description="only this batch's records")] = None,
    ) -> AccuracyOut:
        if batch_id is not None:
            await Batches(request.user).get(db, batch_id)  # another tenant's batch answers 404
        return await accuracy(db, batch_id)
