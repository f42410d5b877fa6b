"""Sales invoices and bills: each becomes a receivable or a payable, booked as one balanced journal entry.

An invoice debits the receivables control account (trade receivables, 1100)
with its total and credits each of its lines (revenue, output VAT, ...); a bill
credits the payables control account (trade payables, 2000) and debits its
lines (expenses, input VAT, ...). The entry is posted like any other: above
the book's approval threshold it waits for a second person, and the item reads
``pending_approval`` until then. The item and its entry never change; a
reversal of the entry voids the item.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping import posting
from bo_saas.bookkeeping.contact_models import Contact, OpenItem, OpenItemKind
from bo_saas.bookkeeping.contacts import Contacts
from bo_saas.bookkeeping.contacts_schemas import OpenItemIn, OpenItemOut
from bo_saas.bookkeeping.entries import LineInput, create_draft
from bo_saas.bookkeeping.errors import InvalidBookkeepingRequest, LedgerConflict
from bo_saas.bookkeeping.models import AccountStatus, AccountType, Book, LedgerAccount
from bo_saas.bookkeeping.open_amounts import open_amounts
from bo_saas.lib.errors import NotFoundError
from bo_saas.lib.repository import TenantRepository

RECEIVABLES = "1100"  # both shipped charts: trade receivables (asset)
PAYABLES = "2000"  # both shipped charts: trade payables (liability)
CONTROL = {OpenItemKind.INVOICE: (RECEIVABLES, AccountType.ASSET), OpenItemKind.BILL: (PAYABLES, AccountType.LIABILITY)}
ITEM_NAMES = {OpenItemKind.INVOICE: "invoice", OpenItemKind.BILL: "bill"}


class OpenItemNotFound(NotFoundError):
    pass


class OpenItems(TenantRepository[OpenItem]):
    model = OpenItem
    not_found = OpenItemNotFound
    not_found_message = "No such invoice or bill"


async def control_account(session: AsyncSession, tenant_id: UUID, kind: OpenItemKind) -> LedgerAccount:
    """The receivables or payables control account; 409 when the chart has none open."""
    code, account_type = CONTROL[kind]
    account = await session.scalar(
        select(LedgerAccount).where(LedgerAccount.tenant_id == tenant_id, LedgerAccount.code == code)
    )
    if account is None or account.type is not account_type or account.status is not AccountStatus.OPEN:
        side = "receivables" if kind is OpenItemKind.INVOICE else "payables"
        raise LedgerConflict(
            f"The chart has no open {side} control account {code} ({account_type.value}): "
            f"{ITEM_NAMES[kind]}s are booked on it",
            extra={"account": code},
        )
    return account


async def contact_of_kind(session: AsyncSession, caller, contact_id: UUID, kind: OpenItemKind) -> Contact:
    contact = await Contacts(caller).get(session, contact_id)
    if contact.kind is not kind.contact_kind:
        raise InvalidBookkeepingRequest(
            f"{contact.name} is a {contact.kind.value}: a {ITEM_NAMES[kind]} is for a {kind.contact_kind.value}",
            extra={"field": "contact"},
        )
    return contact


def _entry_lines(kind: OpenItemKind, contact: Contact, data: OpenItemIn, total: int) -> list[LineInput]:
    code, _ = CONTROL[kind]
    label = f"{ITEM_NAMES[kind].capitalize()} {data.number.strip()} — {contact.name}"
    if kind is OpenItemKind.INVOICE:
        control = LineInput(code, debit=total, description=label)
        rest = [LineInput(line.account, credit=line.amount, description=line.description) for line in data.lines]
    else:
        control = LineInput(code, credit=total, description=label)
        rest = [LineInput(line.account, debit=line.amount, description=line.description) for line in data.lines]
    return [control, *rest]


async def _check(session: AsyncSession, book: Book, kind: OpenItemKind, contact: Contact, data: OpenItemIn) -> date:
    """The due date; 400 or 409 for what is wrong, before anything is written."""
    number = data.number.strip()
    if not number:
        raise InvalidBookkeepingRequest(f"A {ITEM_NAMES[kind]} needs its number", extra={"field": "number"})
    due = data.due_date or data.date + timedelta(days=contact.payment_terms_days)
    if due < data.date:
        raise InvalidBookkeepingRequest(
            f"due_date ({due}) is before the {ITEM_NAMES[kind]}'s date ({data.date})", extra={"field": "due_date"}
        )
    code, _ = CONTROL[kind]
    for index, line in enumerate(data.lines):
        if line.account in (RECEIVABLES, PAYABLES):
            raise InvalidBookkeepingRequest(
                f"lines[{index}].account: {line.account} is a control account; the {ITEM_NAMES[kind]} books it itself",
                extra={"field": f"lines[{index}].account"},
            )
    taken = await session.scalar(
        select(
            exists().where(
                OpenItem.tenant_id == book.tenant_id, OpenItem.kind == kind, OpenItem.contact_id == contact.id,
                OpenItem.number == number,
            )
        )
    )  # fmt: skip
    if taken:
        raise LedgerConflict(
            f"{contact.name} already has {ITEM_NAMES[kind]} {number}", extra={"field": "number", "number": number}
        )
    await control_account(session, book.tenant_id, kind)
    return due


async def create_item(
    session: AsyncSession,
    book: Book,
    kind: OpenItemKind,
    contact: Contact,
    data: OpenItemIn,
    *,
    maker_id: UUID | None,
    now: datetime,
) -> OpenItem:
    """The invoice or bill and its entry, posted (or waiting for approval above the threshold)."""
    due = await _check(session, book, kind, contact, data)
    total = sum(line.amount for line in data.lines)
    if total > 2**62:
        raise InvalidBookkeepingRequest("The lines add up to more than the books can hold")
    memo = data.description.strip() or f"{ITEM_NAMES[kind].capitalize()} {data.number.strip()} — {contact.name}"
    entry = await create_draft(
        session, book, entry_date=data.date, memo=memo, lines=_entry_lines(kind, contact, data, total),
        maker_id=maker_id,
    )  # fmt: skip
    await posting.post(session, book, entry, now)
    item = OpenItem(
        id=uuid4(), tenant_id=book.tenant_id, kind=kind, contact_id=contact.id, number=data.number.strip(),
        issue_date=data.date, due_date=due, description=data.description.strip(), amount=total, entry_id=entry.id,
        created_at=now,
    )  # fmt: skip
    session.add(item)
    await session.flush()
    return item


async def items_out(session: AsyncSession, items: Sequence[OpenItem]) -> list[OpenItemOut]:
    """The items' bodies with their contacts' names and what is open, in two queries."""
    if not items:
        return []
    names = dict(
        (
            await session.execute(
                select(Contact.id, Contact.name).where(Contact.id.in_({item.contact_id for item in items}))
            )
        ).all()
    )
    states = await open_amounts(session, [item.id for item in items])
    return [
        OpenItemOut(
            id=item.id,
            kind=item.kind.value,
            contact_id=item.contact_id,
            contact=names.get(item.contact_id, ""),
            number=item.number,
            date=item.issue_date,
            due_date=item.due_date,
            description=item.description,
            amount=item.amount,
            open_amount=states[item.id].open_amount,
            status=states[item.id].status,
            entry_id=item.entry_id,
            entry_number=states[item.id].entry_number,
        )  # fmt: skip
        for item in items
    ]
