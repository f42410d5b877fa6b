"""``/api/v1/data-entry/documents/{id}``: a documents batch's file, for the keying screen to show beside the form.

Whoever sees the batch sees its documents: the tenant's users, and provider
staff serving the tenant (row-level security decides); another tenant's
document answers 404. The bytes go out with the type read from them when they
came in (only PDFs and images the desk accepts), inline, and never sniffed.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, get
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.documents import Documents
from bo_saas.lib.storage import storage_for
from bo_saas.work.attachments_controller import content_disposition


class DocumentController(Controller):
    path = "/api/v1/data-entry/documents"
    tags = ["data-entry"]

    # No media_type here: a handler's media_type would override the document's own type on the Stream.
    @get("/{document_id:uuid}", summary="A document's bytes (PDF or image), shown inline")
    async def get_document(self, request: Request, db: AsyncSession, document_id: UUID) -> Stream:
        document = await Documents(request.user).get(db, document_id)
        chunks = await storage_for(request.app.state.settings).open(document.storage_key)
        return Stream(
            chunks,
            media_type=document.content_type,
            headers={
                # The attachment header's safe name, but shown in the browser rather than saved.
                "Content-Disposition": "inline" + content_disposition(document.filename).removeprefix("attachment"),
                "Content-Length": str(document.size_bytes),
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, no-store",
            },
        )
