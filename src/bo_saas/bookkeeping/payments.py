"""Payments: money received from a customer or paid to a vendor, settling one or more of its open items.

A payment names its bank or cash account and its allocations (item and amount);
its amount is their sum. All its items belong to one contact and one side:
invoices (a payment received: debit the bank, credit receivables) or bills (a
payment made: debit payables, credit the bank). An item is settled partially or
in full, never beyond what is open: payments to one contact are serialised on
the contact's row, and the database refuses an allocation that would overrun
its item (migration 0027). The entry posts like any other, so a payment above
the approval threshold waits for a second person, its allocations held.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping import posting
from bo_saas.bookkeeping.contact_models import Allocation, Contact, OpenItem, OpenItemKind, Payment, PaymentKind
from bo_saas.bookkeeping.contacts_schemas import AllocationOut, PaymentIn, PaymentOut
from bo_saas.bookkeeping.entries import LineInput, create_draft
from bo_saas.bookkeeping.errors import InvalidBookkeepingRequest, LedgerConflict
from bo_saas.bookkeeping.models import AccountStatus, AccountType, Book, EntryStatus, JournalEntry, LedgerAccount
from bo_saas.bookkeeping.open_amounts import open_amounts, reversed_entry
from bo_saas.bookkeeping.open_items import ITEM_NAMES, OpenItems, control_account
from bo_saas.lib.errors import NotFoundError
from bo_saas.lib.repository import TenantRepository


class PaymentNotFound(NotFoundError):
    pass


class Payments(TenantRepository[Payment]):
    model = Payment
    not_found = PaymentNotFound
    not_found_message = "No such payment"


async def _money_account(session: AsyncSession, tenant_id: UUID, code: str) -> LedgerAccount:
    account = await session.scalar(
        select(LedgerAccount).where(LedgerAccount.tenant_id == tenant_id, LedgerAccount.code == code)
    )
    if account is None or account.type is not AccountType.ASSET or account.status is not AccountStatus.OPEN:
        raise InvalidBookkeepingRequest(
            f"No open asset account {code!r}: a payment moves money through a bank or cash account",
            extra={"field": "account"},
        )
    return account


async def _items(session: AsyncSession, caller, data: PaymentIn) -> list[OpenItem]:
    """The allocations' items (404 for one that is not the tenant's), all of one contact and one side."""
    ids = [allocation.item for allocation in data.allocations]
    if len(set(ids)) != len(ids):
        raise InvalidBookkeepingRequest("An item appears twice in the allocations; give it one amount")
    items = [await OpenItems(caller).get(session, item_id) for item_id in ids]
    if len({item.contact_id for item in items}) > 1:
        raise InvalidBookkeepingRequest("A payment settles items of one contact; record one payment per contact")
    if len({item.kind for item in items}) > 1:
        raise InvalidBookkeepingRequest("A payment settles invoices (received) or bills (paid), not both")
    return items


async def _check_allocations(session: AsyncSession, items: list[OpenItem], data: PaymentIn) -> None:
    states = await open_amounts(session, [item.id for item in items])
    problems = []
    for index, (item, allocation) in enumerate(zip(items, data.allocations, strict=True)):
        state = states[item.id]
        name = f"{ITEM_NAMES[item.kind]} {item.number}"
        if state.status == "void":
            problems.append(f"allocations[{index}]: {name} is void (its entry was reversed)")
        elif state.status == "pending_approval":
            problems.append(f"allocations[{index}]: {name} waits for approval; it is paid once posted")
        elif allocation.amount > state.open_amount:
            problems.append(f"allocations[{index}]: {name} has {state.open_amount} open, not {allocation.amount}")
        if data.date < item.issue_date:
            problems.append(f"allocations[{index}]: the payment's date is before {name}'s date ({item.issue_date})")
    if problems:
        raise LedgerConflict("The payment does not fit its items", extra={"problems": problems})


async def record_payment(
    session: AsyncSession, book: Book, caller, data: PaymentIn, *, maker_id: UUID | None, now: datetime
) -> Payment:
    items = await _items(session, caller, data)
    # Serialise payments to this contact: what is open is read and allocated under the contact's row lock.
    contact = await session.scalar(
        select(Contact).where(Contact.tenant_id == book.tenant_id, Contact.id == items[0].contact_id).with_for_update()
    )
    await _check_allocations(session, items, data)
    kind = items[0].kind
    money = await _money_account(session, book.tenant_id, data.account)
    control = await control_account(session, book.tenant_id, kind)
    amount = sum(allocation.amount for allocation in data.allocations)
    numbers = ", ".join(item.number for item in items)
    label = f"{'Payment from' if kind is OpenItemKind.INVOICE else 'Payment to'} {contact.name} ({numbers})"
    if kind is OpenItemKind.INVOICE:
        lines = [LineInput(money.code, debit=amount, description=label), LineInput(control.code, credit=amount)]
    else:
        lines = [LineInput(control.code, debit=amount), LineInput(money.code, credit=amount, description=label)]
    memo = " — ".join(part for part in (label, data.reference.strip()) if part)
    entry = await create_draft(session, book, entry_date=data.date, memo=memo, lines=lines, maker_id=maker_id)
    await posting.post(session, book, entry, now)
    payment = Payment(
        id=uuid4(), tenant_id=book.tenant_id, kind=kind.payment_kind, contact_id=contact.id,
        payment_date=data.date, amount=amount, account_id=money.id, reference=data.reference.strip(),
        entry_id=entry.id, created_at=now,
    )  # fmt: skip
    session.add(payment)
    await session.flush()
    for item, allocation in zip(items, data.allocations, strict=True):
        session.add(Allocation(tenant_id=book.tenant_id, payment_id=payment.id, open_item_id=item.id,
                               amount=allocation.amount))  # fmt: skip
    await session.flush()
    return payment


async def payments_out(session: AsyncSession, payments: Sequence[Payment]) -> list[PaymentOut]:
    """The payments' bodies: contact, account, entry and allocations, in a few queries for the whole page."""
    if not payments:
        return []
    ids = [payment.id for payment in payments]
    contact_ids = {payment.contact_id for payment in payments}
    names = dict((await session.execute(select(Contact.id, Contact.name).where(Contact.id.in_(contact_ids)))).all())
    codes = dict(
        (
            await session.execute(
                select(LedgerAccount.id, LedgerAccount.code).where(
                    LedgerAccount.id.in_({p.account_id for p in payments})
                )
            )
        ).all()
    )
    entries = {
        row.id: row
        for row in await session.execute(
            select(JournalEntry.id, JournalEntry.status, JournalEntry.fiscal_year, JournalEntry.number,
                   reversed_entry(JournalEntry.tenant_id, JournalEntry.id).label("void"))
            .where(JournalEntry.id.in_({p.entry_id for p in payments}))
        )
    }  # fmt: skip
    allocations: dict[UUID, list[AllocationOut]] = {payment_id: [] for payment_id in ids}
    for payment_id, item_id, number, amount in await session.execute(
        select(Allocation.payment_id, Allocation.open_item_id, OpenItem.number, Allocation.amount)
        .join(OpenItem, (OpenItem.tenant_id == Allocation.tenant_id) & (OpenItem.id == Allocation.open_item_id))
        .where(Allocation.payment_id.in_(ids))
        .order_by(OpenItem.number)
    ):
        allocations[payment_id].append(AllocationOut(item=item_id, number=number, amount=amount))
    out = []
    for payment in payments:
        entry = entries[payment.entry_id]
        status = "void" if entry.void else "posted" if entry.status is EntryStatus.POSTED else "pending_approval"
        out.append(
            PaymentOut(
                id=payment.id, kind=payment.kind.value, contact_id=payment.contact_id,
                contact=names.get(payment.contact_id, ""), date=payment.payment_date,
                account=codes.get(payment.account_id, ""), amount=payment.amount, reference=payment.reference,
                status=status, entry_id=payment.entry_id,
                entry_number=f"JE-{entry.fiscal_year}-{entry.number:06d}" if entry.number is not None else None,
                allocations=allocations[payment.id],
            )
        )  # fmt: skip
    return out


__all__ = ["PaymentKind", "Payments", "payments_out", "record_payment"]
