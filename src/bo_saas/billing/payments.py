"""Paying an invoice: card charges through Stripe, bank transfers a provider admin records, and what each outcome does.

A payment row is written per attempt. A card attempt is on record as
``processing`` (and committed) before Stripe is asked, and the charge carries
the payment's id in its metadata, so no outcome can arrive for a payment we do
not know (the webhook finds it by that id until the PaymentIntent's id is
stored). It then moves only forward: processing, failed,
succeeded, whichever news comes first and however often (``apply_outcome``);
succeeded is final, and only Stripe's own word moves it: a charge that went
unanswered leaves it processing until the webhook says what happened.

Every change to an invoice's payments holds the invoice's row lock first and
the payment's second, so a charge, a bank transfer and an event about the same
invoice take turns. When payments cover the amount due the invoice is paid
(migration 0014's trigger lets status and payment fields move on a finalized
invoice, and nothing else).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from litestar import Request
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.billing.invoices import visible_invoice
from bo_saas.billing.models import Invoice, InvoicePayment, InvoiceStatus, PaymentMethodKind, PaymentStatus
from bo_saas.billing.payment_methods import stripe_customer
from bo_saas.billing.standing import settle_if_paid
from bo_saas.billing.stripe_gateway import ChargeResult, require_payments, stripe_gateway
from bo_saas.lib.clock import utc_now
from bo_saas.lib.errors import ConflictError, InvalidInputError, UnprocessableError
from bo_saas.lib.settings import Settings
from bo_saas.tenancy.models import Tenant

PAYABLE = (InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE)
# Older or repeated news never moves a payment back: a status is taken only if it ranks higher.
_RANK = {PaymentStatus.PROCESSING: 0, PaymentStatus.FAILED: 1, PaymentStatus.SUCCEEDED: 2}
# Stripe's PaymentIntent statuses (and the gateway's own two) as ours.
_FROM_STRIPE = {
    "succeeded": PaymentStatus.SUCCEEDED,
    "processing": PaymentStatus.PROCESSING,
    "unknown": PaymentStatus.PROCESSING,
    "requires_confirmation": PaymentStatus.PROCESSING,
    "requires_payment_method": PaymentStatus.FAILED,
    "requires_action": PaymentStatus.FAILED,
    "canceled": PaymentStatus.FAILED,
    "declined": PaymentStatus.FAILED,
}
_AUTHENTICATION_NEEDED = "The card's bank asks the cardholder to authenticate this payment; it was not charged"
_MESSAGE_LIMIT = 500


class PaymentRefused(ConflictError):
    """409: the invoice's state refuses this payment (not open, a payment in flight, no card on file)."""


class Overpayment(UnprocessableError):
    """422: the payment would take more than the invoice still asks for."""


def idempotency_key(invoice_id: UUID, attempt: int) -> str:
    """One key per invoice and attempt: a retried request for the same attempt is one charge at Stripe."""
    return f"bo-invoice-{invoice_id}-attempt-{attempt}"


def stripe_status(status: str) -> PaymentStatus:
    return _FROM_STRIPE.get(status, PaymentStatus.PROCESSING)


def _label(invoice: Invoice) -> str:
    return invoice.number or f"draft {invoice.period}"


def _require_payable(invoice: Invoice) -> None:
    if invoice.status not in PAYABLE:
        raise PaymentRefused(f"Invoice {_label(invoice)} is {invoice.status.value}: only open invoices take payments")


async def _next_attempt(session: AsyncSession, invoice: Invoice) -> int:
    last = await session.scalar(
        select(func.max(InvoicePayment.attempt)).where(
            InvoicePayment.tenant_id == invoice.tenant_id, InvoicePayment.invoice_id == invoice.id
        )
    )
    return (last or 0) + 1


async def _in_flight(session: AsyncSession, invoice: Invoice) -> int:
    """What payments still processing may yet take from the amount due."""
    amount = await session.scalar(
        select(func.coalesce(func.sum(InvoicePayment.amount), 0)).where(
            InvoicePayment.tenant_id == invoice.tenant_id,
            InvoicePayment.invoice_id == invoice.id,
            InvoicePayment.status == PaymentStatus.PROCESSING,
        )
    )
    return int(amount)


def _credit(invoice: Invoice, amount: int) -> None:
    invoice.amount_paid += amount
    invoice.amount_due -= amount
    if invoice.amount_due <= 0 and invoice.status in PAYABLE:
        invoice.status = InvoiceStatus.PAID
        invoice.paid_at = utc_now()


async def apply_outcome(
    session: AsyncSession,
    request: Request | None,
    payment: InvoicePayment,
    status: PaymentStatus,
    failure_message: str | None = None,
    *,
    actor: tuple[UUID | None, str] | None = None,
    payment_intent_id: str | None = None,
) -> bool:
    """Move the payment to ``status`` if that is forward, crediting the invoice once on success; True if it moved.

    ``payment_intent_id`` is the charge's PaymentIntent, kept on the payment the first time it is known
    (from the charge's answer or from an event), under the same locks as the outcome.
    """
    invoice = await _locked_invoice(session, payment.tenant_id, payment.invoice_id)
    payment = await session.scalar(
        select(InvoicePayment)
        .where(InvoicePayment.tenant_id == payment.tenant_id, InvoicePayment.id == payment.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert payment is not None
    if payment_intent_id is not None and payment.stripe_payment_intent_id is None:
        payment.stripe_payment_intent_id = payment_intent_id
    if _RANK[status] <= _RANK[payment.status]:
        return False
    payment.status = status
    if status is PaymentStatus.FAILED:
        payment.failure_message = (failure_message or "The payment failed")[:_MESSAGE_LIMIT]
    if status is PaymentStatus.SUCCEEDED:
        payment.failure_message = None
        _credit(invoice, payment.amount)
        await session.flush()
        await settle_if_paid(session, invoice.tenant_id, utc_now())  # paid up: lift what dunning did
    record_event(
        session,
        request,
        tenant_id=payment.tenant_id,
        action=f"invoice.payment_{status.value}",
        subject_type="invoice",
        subject_id=str(invoice.id),
        changes={"payment": str(payment.id), "attempt": payment.attempt, "amount": payment.amount},
        actor=actor,
    )
    await session.flush()
    return True


async def _locked_invoice(session: AsyncSession, tenant_id: UUID, invoice_id: UUID) -> Invoice:
    """The invoice, locked: every change to its payments takes this lock first."""
    invoice = await session.scalar(
        select(Invoice)
        .where(Invoice.tenant_id == tenant_id, Invoice.id == invoice_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert invoice is not None  # a payment's invoice: finalized invoices are never deleted
    return invoice


async def pay_with_card(
    session: AsyncSession, request: Request | None, settings: Settings, tenant: Tenant, invoice_id: UUID
) -> InvoicePayment:
    """Charge the card on file for what the invoice still asks, off-session; the payment as it then stands."""
    invoice = await visible_invoice(session, tenant, invoice_id, for_update=True)
    require_payments(settings)
    _require_payable(invoice)
    if invoice.amount_due <= 0:
        raise PaymentRefused(f"Invoice {_label(invoice)} has nothing left to pay")
    if await _in_flight(session, invoice):
        raise PaymentRefused(f"A payment of invoice {_label(invoice)} is in flight; wait for its outcome")
    customer = await stripe_customer(session, tenant)
    if customer is None or customer.card_payment_method_id is None:
        raise PaymentRefused("No card on file: save a card first")
    payment = InvoicePayment(
        tenant_id=tenant.id,
        id=uuid4(),
        invoice_id=invoice.id,
        attempt=await _next_attempt(session, invoice),
        method=PaymentMethodKind.CARD,
        amount=invoice.amount_due,
        currency=invoice.currency,
        status=PaymentStatus.PROCESSING,
        stripe_payment_method_id=customer.card_payment_method_id,
        recorded_by=request.user.actor_id if request is not None else None,  # None: dunning's retry
    )
    session.add(payment)
    # On record (and the invoice's lock let go) before Stripe is asked: a crash from here leaves it processing.
    await session.commit()
    async with stripe_gateway(settings) as gateway:
        result = await gateway.charge(
            customer_id=customer.stripe_customer_id,
            payment_method_id=customer.card_payment_method_id,
            amount=payment.amount,
            currency=payment.currency,
            key=idempotency_key(invoice.id, payment.attempt),
            metadata={"bo_invoice_id": str(invoice.id), "bo_payment_id": str(payment.id)},
        )
    await _apply_charge_result(session, request, payment, result)
    return payment


async def _apply_charge_result(
    session: AsyncSession, request: Request | None, payment: InvoicePayment, result: ChargeResult
) -> None:
    message = _AUTHENTICATION_NEEDED if result.status == "requires_action" else result.failure_message
    await apply_outcome(
        session, request, payment, stripe_status(result.status), message, payment_intent_id=result.payment_intent_id
    )
    await session.flush()
    await session.refresh(payment)


async def record_bank_transfer(
    session: AsyncSession,
    request: Request,
    tenant: Tenant,
    invoice_id: UUID,
    *,
    amount: int,
    reference: str,
    received_on: date,
) -> InvoicePayment:
    """A transfer a provider admin saw arrive: succeeded at once; refused if it would pay more than is due."""
    invoice = await visible_invoice(session, tenant, invoice_id, for_update=True)
    _require_payable(invoice)
    if received_on > utc_now().date():
        raise InvalidInputError(f"received_on: {received_on.isoformat()} is in the future")
    open_amount = invoice.amount_due - await _in_flight(session, invoice)
    if amount > open_amount:
        raise Overpayment(
            f"The transfer of {amount} is more than the {open_amount} still open on invoice {_label(invoice)}",
            extra={"amount_open": open_amount},
        )
    payment = InvoicePayment(
        tenant_id=tenant.id,
        id=uuid4(),
        invoice_id=invoice.id,
        attempt=await _next_attempt(session, invoice),
        method=PaymentMethodKind.BANK_TRANSFER,
        amount=amount,
        currency=invoice.currency,
        status=PaymentStatus.SUCCEEDED,
        reference=reference,
        received_on=received_on,
        recorded_by=request.user.actor_id,
    )
    session.add(payment)
    _credit(invoice, amount)
    await session.flush()
    await settle_if_paid(session, tenant.id, utc_now())  # paid up: lift what dunning did
    record_event(
        session,
        request,
        tenant_id=tenant.id,
        action="invoice.payment_recorded",
        subject_type="invoice",
        subject_id=str(invoice.id),
        changes={"payment": str(payment.id), "amount": amount, "reference": reference},
    )
    await session.flush()
    return payment
