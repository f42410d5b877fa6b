"""``/api/v1/invoices``: a tenant's invoices, and finalizing a draft.

Client admins read their own tenant's; provider admins name one with
``X-Tenant``, as on every billing route. Only provider admins finalize. An id
of another tenant's invoice answers 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.params import QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.invoice_pdf import invoice_pdf
from bo_saas.billing.invoices import finalize, visible_invoice
from bo_saas.billing.models import BillingProfile, Invoice, InvoiceLine, InvoiceStatus
from bo_saas.billing.schemas import InvoiceLineOut, InvoiceOut
from bo_saas.billing.scope import tenant_in_scope
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_admin, requires_provider_admin
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope

Status = Literal["draft", "open", "paid", "void", "uncollectible"]


async def invoices_out(session: AsyncSession, invoices: Sequence[Invoice]) -> list[InvoiceOut]:
    """The invoices with their lines, read in one query."""
    lines: dict[UUID, list[InvoiceLineOut]] = {invoice.id: [] for invoice in invoices}
    if invoices:
        rows = await session.scalars(
            select(InvoiceLine)
            .where(
                InvoiceLine.tenant_id.in_({invoice.tenant_id for invoice in invoices}),
                InvoiceLine.invoice_id.in_(lines),
            )
            .order_by(InvoiceLine.invoice_id, InvoiceLine.position)
        )
        for row in rows:
            lines[row.invoice_id].append(
                InvoiceLineOut(row.kind, row.description, row.quantity, row.unit_price, row.amount)  # type: ignore[arg-type]
            )
    return [
        InvoiceOut(
            id=str(invoice.id),
            number=invoice.number,
            status=invoice.status.value,  # type: ignore[arg-type]
            period=invoice.period,
            currency=invoice.currency,
            lines=lines[invoice.id],
            subtotal=invoice.subtotal,
            tax=invoice.tax,
            total=invoice.total,
            amount_due=invoice.amount_due,
            issued_at=invoice.issued_at,
            due_at=invoice.due_at,
        )
        for invoice in invoices
    ]


class InvoiceController(Controller):
    path = "/api/v1/invoices"
    tags = ["billing"]

    @get("/", guards=[requires_admin], summary="The tenant's invoices, newest period first")
    async def list_invoices(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        page: PageRequest,
        status: Annotated[Status | None, QueryParameter(description="only invoices in this status")] = None,
    ) -> OffsetPagination[InvoiceOut]:
        tenant = await tenant_in_scope(db, tenant_scope)
        filters = [Invoice.tenant_id == tenant.id]
        if status is not None:
            filters.append(Invoice.status == InvoiceStatus(status))
        return await list_page(
            db,
            select(Invoice),
            page,
            filters=filters,
            order_by=(Invoice.period.desc(), Invoice.id),
            into=lambda rows: invoices_out(db, rows),
        )

    @get("/{invoice_id:uuid}", guards=[requires_admin], summary="One invoice, every line explained")
    async def get_invoice(self, db: AsyncSession, tenant_scope: TenantScope, invoice_id: UUID) -> InvoiceOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        (invoice,) = await invoices_out(db, [await visible_invoice(db, tenant, invoice_id)])
        return invoice

    @get(
        "/{invoice_id:uuid}/pdf",
        guards=[requires_admin],
        media_type="application/pdf",
        summary="One invoice as a PDF, in the billing profile's invoice language (English or Arabic)",
    )
    async def get_invoice_pdf(self, db: AsyncSession, tenant_scope: TenantScope, invoice_id: UUID) -> Response[bytes]:
        tenant = await tenant_in_scope(db, tenant_scope)
        (invoice,) = await invoices_out(db, [await visible_invoice(db, tenant, invoice_id)])
        profile = await db.get(BillingProfile, tenant.id)
        name = invoice.number or f"draft-{invoice.period}"
        return Response(
            invoice_pdf(invoice, tenant.name, profile),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
        )

    @post(
        "/{invoice_id:uuid}/finalize",
        guards=[requires_provider_admin],
        status_code=200,
        summary="Finalize a draft: its number, issue and due dates; it is open for payment and never changes again",
    )
    async def finalize_invoice(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, invoice_id: UUID
    ) -> InvoiceOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        (invoice,) = await invoices_out(db, [await finalize(db, request, tenant, invoice_id, utc_now())])
        return invoice
