"""``/api/v1/credit-notes``: corrections of finalized invoices; provider admins issue them, admins read them.

Client admins read their own tenant's; provider admins name one with
``X-Tenant``, as on every billing route. An id of another tenant's credit note
or invoice answers 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.credit_note_pdf import credit_note_pdf
from bo_saas.billing.credit_note_schemas import CreditNoteIn, CreditNoteOut
from bo_saas.billing.credit_notes import issue_credit_note, visible_credit_note
from bo_saas.billing.errors import InvoiceNotFound
from bo_saas.billing.models import BillingProfile, CreditNote, Invoice
from bo_saas.billing.scope import tenant_in_scope
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_admin, requires_provider_admin
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.access import tenant_for_write


async def credit_notes_out(session: AsyncSession, notes: Sequence[CreditNote]) -> list[CreditNoteOut]:
    """The notes with their invoices' numbers, read in one query."""
    numbers = {}
    if notes:
        rows = await session.execute(
            select(Invoice.id, Invoice.number).where(
                Invoice.tenant_id.in_({note.tenant_id for note in notes}),
                Invoice.id.in_({note.invoice_id for note in notes}),
            )
        )
        numbers = {invoice_id: number for invoice_id, number in rows}
    return [
        CreditNoteOut(
            id=str(note.id),
            number=note.number,
            invoice_id=str(note.invoice_id),
            invoice_number=numbers.get(note.invoice_id) or "",
            reason=note.reason,
            currency=note.currency,
            subtotal=note.subtotal,
            tax=note.tax,
            total=note.total,
            full=note.full,
            issued_at=note.issued_at,
        )  # fmt: skip
        for note in notes
    ]


def _invoice_id(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise InvoiceNotFound("No such invoice") from None


class CreditNoteController(Controller):
    path = "/api/v1/credit-notes"
    tags = ["billing"]

    @get("/", guards=[requires_admin], summary="The tenant's credit notes, newest first")
    async def list_credit_notes(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        page: PageRequest,
        invoice_id: Annotated[UUID | None, QueryParameter(description="only this invoice's")] = None,
    ) -> OffsetPagination[CreditNoteOut]:
        tenant = await tenant_in_scope(db, tenant_scope)
        filters = [CreditNote.tenant_id == tenant.id]
        if invoice_id is not None:
            filters.append(CreditNote.invoice_id == invoice_id)
        return await list_page(
            db,
            select(CreditNote),
            page,
            filters=filters,
            order_by=(CreditNote.issued_at.desc(), CreditNote.id),
            into=lambda rows: credit_notes_out(db, rows),
        )

    @post(
        "/",
        guards=[requires_provider_admin],
        summary="Credit a finalized invoice, in part (an amount before tax) or in full; never more than invoiced",
    )
    async def create_credit_note(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: CreditNoteIn
    ) -> CreditNoteOut:
        tenant = await tenant_for_write(db, request.user, tenant_scope)
        note = await issue_credit_note(
            db, request, tenant, invoice_id=_invoice_id(data.invoice_id), amount=data.amount, reason=data.reason,
            issued_by=request.user.account_id, now=utc_now(),
        )  # fmt: skip
        (out,) = await credit_notes_out(db, [note])
        return out

    @get("/{credit_note_id:uuid}", guards=[requires_admin], summary="One credit note")
    async def get_credit_note(self, db: AsyncSession, tenant_scope: TenantScope, credit_note_id: UUID) -> CreditNoteOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        (out,) = await credit_notes_out(db, [await visible_credit_note(db, tenant, credit_note_id)])
        return out

    @get(
        "/{credit_note_id:uuid}/pdf",
        guards=[requires_admin],
        media_type="application/pdf",
        summary="One credit note as a PDF, in the billing profile's invoice language (English or Arabic)",
    )
    async def get_credit_note_pdf(
        self, db: AsyncSession, tenant_scope: TenantScope, credit_note_id: UUID
    ) -> Response[bytes]:
        tenant = await tenant_in_scope(db, tenant_scope)
        (out,) = await credit_notes_out(db, [await visible_credit_note(db, tenant, credit_note_id)])
        profile = await db.get(BillingProfile, tenant.id)
        return Response(
            credit_note_pdf(out, tenant.name, profile),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{out.number}.pdf"'},
        )
