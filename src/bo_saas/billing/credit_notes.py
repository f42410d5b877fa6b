"""Credit notes: the one way to correct a finalized invoice, partial or full, never more than was invoiced.

A credit note credits an amount before tax (tax added at the invoice's rate,
rounded once, half-even) or, without an amount, everything the invoice still
has uncredited. It takes the next ``CN-YYYY-NNNNNN`` (gap-free, a locked counter
row per year, as invoice numbers). The database applies it (migration 0021):
the invoice's ``amount_credited`` goes up and ``amount_due`` down in the same
statement, and a note past the invoice's total is refused even if this code
were wrong. A full credit of an invoice nobody has paid voids it; an invoice
whose credits and payments cover it is paid. Every note is in the audit trail.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from uuid import UUID, uuid4

from litestar import Request
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.billing.errors import InvalidBillingRequest, InvoiceFinalized, InvoiceNotFound
from bo_saas.billing.invoice_pricing import BASIS_POINTS
from bo_saas.billing.invoices import visible_invoice
from bo_saas.billing.models import CreditNote, Invoice, InvoiceStatus
from bo_saas.billing.standing import settle_if_paid
from bo_saas.tenancy.models import Tenant

_NEXT_NUMBER = text(
    "INSERT INTO credit_note_number_counters (year, last_number) VALUES (:year, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_number = credit_note_number_counters.last_number + 1 "
    "RETURNING last_number"
)


class CreditNoteRefused(InvoiceFinalized):
    """409: the invoice cannot take this credit note (a draft, void, or nothing left to credit)."""


async def _credited(session: AsyncSession, invoice: Invoice) -> tuple[int, int]:
    """(subtotal, tax) the invoice's credit notes have credited so far."""
    subtotal, tax = (
        await session.execute(
            select(func.coalesce(func.sum(CreditNote.subtotal), 0), func.coalesce(func.sum(CreditNote.tax), 0)).where(
                CreditNote.tenant_id == invoice.tenant_id, CreditNote.invoice_id == invoice.id
            )
        )
    ).one()
    return int(subtotal), int(tax)


async def issue_credit_note(
    session: AsyncSession,
    request: Request | None,
    tenant: Tenant,
    *,
    invoice_id: UUID,
    amount: int | None,
    reason: str,
    issued_by: UUID | None,
    now: datetime,
) -> CreditNote:
    invoice = await visible_invoice(session, tenant, invoice_id, for_update=True)
    if invoice.status is InvoiceStatus.DRAFT:
        raise CreditNoteRefused("A draft invoice is corrected by changing it, not by a credit note")
    if invoice.status is InvoiceStatus.VOID:
        raise CreditNoteRefused(f"Invoice {invoice.number} is void: there is nothing to credit")
    credited_subtotal, credited_tax = await _credited(session, invoice)
    left_subtotal, left_tax = invoice.subtotal - credited_subtotal, invoice.tax - credited_tax
    if left_subtotal <= 0:
        raise CreditNoteRefused(f"Invoice {invoice.number} has been credited in full already")
    if amount is None or amount == left_subtotal:
        subtotal, tax, full = left_subtotal, left_tax, True
    elif amount > left_subtotal:
        raise InvalidBillingRequest(
            f"A credit note is never more than was invoiced: invoice {invoice.number} has {left_subtotal} "
            f"(minor units, before tax) left to credit",
            extra={"field": "amount", "most": left_subtotal},
        )
    else:
        tax = min(round(Fraction(amount * invoice.tax_rate_bp, BASIS_POINTS)), left_tax)  # half to even, once
        subtotal, full = amount, False
    number = await session.scalar(_NEXT_NUMBER, {"year": now.year})
    note = CreditNote(
        tenant_id=tenant.id, id=uuid4(), invoice_id=invoice.id, number=f"CN-{now.year:04d}-{number:06d}",
        reason=reason.strip(), currency=invoice.currency, subtotal=subtotal, tax_rate_bp=invoice.tax_rate_bp,
        tax=tax, total=subtotal + tax, full=full, issued_at=now, created_by=issued_by,
    )  # fmt: skip
    session.add(note)
    await session.flush()  # the database applies it to the invoice (migration 0021)
    await session.refresh(invoice)
    if full and invoice.amount_paid == 0 and invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE):
        invoice.status = InvoiceStatus.VOID
    elif invoice.amount_due <= 0 and invoice.status in (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE):
        invoice.status, invoice.paid_at = InvoiceStatus.PAID, now
    await session.flush()
    await settle_if_paid(session, tenant.id, now)  # nothing overdue left: lift what dunning did
    record_event(
        session,
        request,
        tenant_id=tenant.id,
        action="credit_note.issued",
        subject_type="invoice",
        subject_id=str(invoice.id),
        changes={"number": note.number, "invoice": invoice.number, "total": note.total, "full": full,
                 "reason": note.reason, "invoice_status": invoice.status.value},
    )  # fmt: skip
    await session.flush()
    return note


async def visible_credit_note(session: AsyncSession, tenant: Tenant, credit_note_id: UUID) -> CreditNote:
    """The tenant's credit note, or 404 (another tenant's id answers the same)."""
    note = await session.scalar(
        select(CreditNote).where(CreditNote.tenant_id == tenant.id, CreditNote.id == credit_note_id)
    )
    if note is None:
        raise InvoiceNotFound("No such credit note")
    return note
