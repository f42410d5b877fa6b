"""``/api/v1/data-entry/batches/{id}/export`` and ``/report``: what a batch gave, for the client and its systems.

The export streams the accepted values (``exports``); it answers 409 while
the batch is still importing. The report sums the batch up (``reports``).
Another tenant's batch answers 404.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, get
from litestar.params import QueryParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.dataentry.batches import Batches
from bo_saas.dataentry.exports import MEDIA_TYPES, STREAMS, ExportFormat, check_exportable, export_filename
from bo_saas.dataentry.models import RecordSchema
from bo_saas.dataentry.record_changes import fields_of
from bo_saas.dataentry.reports import batch_report
from bo_saas.dataentry.schemas import BatchReportOut


class BatchResultsController(Controller):
    path = "/api/v1/data-entry/batches"
    tags = ["data-entry"]

    # No media_type on the handler: it would override the Stream's own, which depends on the format.
    @get("/{batch_id:uuid}/export", summary="Download a batch's accepted values as CSV, XLSX or JSON")
    async def export(
        self,
        request: Request,
        db: AsyncSession,
        db_engine: AsyncEngine,
        batch_id: UUID,
        format: Annotated[ExportFormat, QueryParameter(description="csv, xlsx or json")] = "csv",  # noqa: A002
    ) -> Stream:
        batch = await Batches(request.user).get(db, batch_id)
        check_exportable(batch)
        fields = fields_of(await db.get(RecordSchema, (batch.tenant_id, batch.schema_id))).fields
        return Stream(
            STREAMS[format](db_engine, batch, fields),
            media_type=MEDIA_TYPES[format],
            headers={
                "Content-Disposition": f'attachment; filename="{export_filename(batch.id, format)}"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )

    @get("/{batch_id:uuid}/report", summary="A batch's report: records, rejected rows and why, accuracy, turnaround")
    async def report(self, request: Request, db: AsyncSession, batch_id: UUID) -> BatchReportOut:
        return await batch_report(db, await Batches(request.user).get(db, batch_id))
