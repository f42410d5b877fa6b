"""A tenant's invoices: the draft a billing run writes (once per period), finalizing it, and reading them.

A period's draft is written with ``INSERT ... ON CONFLICT DO NOTHING`` on
``(tenant_id, period)``: of two runs at once, the second waits for the first's
row and then finds it instead of making another. A draft found again is
recomputed (its lines replaced) only if something changed; a finalized one is
left alone, and the database would refuse to change it anyway (migration 0014).

Finalizing gives the invoice its number (``INV-YYYY-NNNNNN``, gap-free: see
``next_number``), its issue date and its due date, and opens it for payment.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from litestar import Request
from sqlalchemy import delete, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.billing.errors import InvoiceFinalized, InvoiceNotFound
from bo_saas.billing.invoice_builder import BuiltInvoice
from bo_saas.billing.invoice_pricing import InvoiceLineData
from bo_saas.billing.models import Invoice, InvoiceLine, InvoiceStatus
from bo_saas.tenancy.models import Tenant

# Days from issue to due date. Neither plans nor billing profiles carry payment terms yet; one place to change.
PAYMENT_TERMS = timedelta(days=14)

_NEXT_NUMBER = text(
    "INSERT INTO invoice_number_counters (year, last_number) VALUES (:year, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_number = invoice_number_counters.last_number + 1 "
    "RETURNING last_number"
)


class DraftOutcome(enum.StrEnum):
    CREATED = "created"
    RECOMPUTED = "recomputed"
    UNCHANGED = "unchanged"
    FINALIZED = "finalized"  # already finalized: left as it is


def line_rows(tenant_id: UUID, invoice_id: UUID, lines: tuple[InvoiceLineData, ...]) -> list[InvoiceLine]:
    return [
        InvoiceLine(
            tenant_id=tenant_id,
            invoice_id=invoice_id,
            position=position,
            kind=line.kind,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
        )
        for position, line in enumerate(lines, start=1)
    ]


def money_columns(built: BuiltInvoice) -> dict:
    priced = built.priced
    return {
        "currency": built.currency,
        "plan_version_id": built.version.id,
        "subtotal": priced.subtotal,
        "tax_rate_bp": built.tax_rate_bp,
        "tax": priced.tax,
        "total": priced.total,
        "amount_due": priced.total,
        "usage_quantities": built.usage_quantities,
    }


async def invoice_lines(session: AsyncSession, invoice: Invoice) -> list[InvoiceLine]:
    return list(
        await session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.tenant_id == invoice.tenant_id, InvoiceLine.invoice_id == invoice.id)
            .order_by(InvoiceLine.position)
        )
    )


def same_as_built(invoice: Invoice, lines: list[InvoiceLine], built: BuiltInvoice) -> bool:
    stored = [InvoiceLineData(r.kind, r.description, r.quantity, r.unit_price, r.amount) for r in lines]
    return stored == list(built.priced.lines) and all(getattr(invoice, k) == v for k, v in money_columns(built).items())


async def save_draft(session: AsyncSession, tenant: Tenant, built: BuiltInvoice) -> tuple[Invoice, DraftOutcome]:
    """The period's invoice as ``built`` says: created, recomputed, unchanged, or (finalized) left alone."""
    period = built.period
    inserted = await session.scalar(
        insert(Invoice)
        .values(
            tenant_id=tenant.id,
            id=uuid4(),
            period=period.label,
            period_start=period.start,
            period_end=period.end,
            status=InvoiceStatus.DRAFT,
            amount_paid=0,
            **money_columns(built),
        )
        .on_conflict_do_nothing(constraint="invoices_one_per_period")
        .returning(Invoice.id)
    )
    if inserted is not None:
        session.add_all(line_rows(tenant.id, inserted, built.priced.lines))
        await session.flush()
        invoice = await session.get(Invoice, (tenant.id, inserted))
        assert invoice is not None
        return invoice, DraftOutcome.CREATED
    invoice = await session.scalar(
        select(Invoice)
        .where(Invoice.tenant_id == tenant.id, Invoice.period == period.label)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert invoice is not None  # the conflict was with it, and invoices are never deleted once finalized
    if invoice.status is not InvoiceStatus.DRAFT:
        return invoice, DraftOutcome.FINALIZED
    if same_as_built(invoice, await invoice_lines(session, invoice), built):
        return invoice, DraftOutcome.UNCHANGED
    await session.execute(
        delete(InvoiceLine).where(InvoiceLine.tenant_id == tenant.id, InvoiceLine.invoice_id == invoice.id)
    )
    for key, value in money_columns(built).items():
        setattr(invoice, key, value)
    session.add_all(line_rows(tenant.id, invoice.id, built.priced.lines))
    await session.flush()
    return invoice, DraftOutcome.RECOMPUTED


async def next_number(session: AsyncSession, year: int) -> str:
    """The year's next number; the counter row stays locked until this transaction ends, so none is lost."""
    number = await session.scalar(_NEXT_NUMBER, {"year": year})
    return f"INV-{year:04d}-{number:06d}"


async def visible_invoice(
    session: AsyncSession, tenant: Tenant, invoice_id: UUID, *, for_update: bool = False
) -> Invoice:
    """The tenant's invoice, or 404 (another tenant's id answers the same)."""
    statement = select(Invoice).where(Invoice.tenant_id == tenant.id, Invoice.id == invoice_id)
    if for_update:
        statement = statement.with_for_update()
    invoice = await session.scalar(statement.execution_options(populate_existing=True))
    if invoice is None:
        raise InvoiceNotFound("No such invoice")
    return invoice


async def finalize(
    session: AsyncSession, request: Request | None, tenant: Tenant, invoice_id: UUID, now: datetime
) -> Invoice:
    invoice = await visible_invoice(session, tenant, invoice_id, for_update=True)
    if invoice.status is not InvoiceStatus.DRAFT:
        raise InvoiceFinalized(f"Invoice {invoice.number} is already finalized ({invoice.status.value})")
    invoice.number = await next_number(session, now.year)
    invoice.issued_at = now
    invoice.due_at = now + PAYMENT_TERMS
    invoice.status = InvoiceStatus.OPEN
    record_event(
        session,
        request,
        tenant_id=tenant.id,
        action="invoice.finalized",
        subject_type="invoice",
        subject_id=str(invoice.id),
        changes={"number": invoice.number, "period": invoice.period, "total": invoice.total},
    )
    await session.flush()
    return invoice
