"""What is still open on an invoice or a bill: its amount less what live payments allocated to it.

Everything is derived from the ledger, nothing is stored twice: an item whose
entry was reversed is ``void`` (nothing open); a payment whose entry was
reversed no longer settles anything; an item whose entry waits for approval is
``pending_approval`` and cannot be paid yet. A payment waiting for approval
already holds its allocations, so two payments can never settle the same
amount twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bo_saas.bookkeeping.contact_models import Allocation, OpenItem, Payment
from bo_saas.bookkeeping.models import EntryStatus, JournalEntry


@dataclass(frozen=True, slots=True)
class ItemState:
    open_amount: int
    status: str  # pending_approval, open, partially_paid, paid, void
    entry_number: str | None


def reversed_entry(tenant_id_column, entry_id_column):
    """True when the entry in ``entry_id_column`` has a reversal."""
    reversal = aliased(JournalEntry)
    return exists().where(reversal.tenant_id == tenant_id_column, reversal.reverses_id == entry_id_column)


def live_allocations():
    """Allocations of payments whose entries are not reversed: ``(open_item_id, payment_id, amount, date)``."""
    return (
        select(Allocation.open_item_id, Allocation.payment_id, Allocation.amount, Payment.payment_date)
        .join(Payment, (Payment.tenant_id == Allocation.tenant_id) & (Payment.id == Allocation.payment_id))
        .where(~reversed_entry(Payment.tenant_id, Payment.entry_id))
    )


def _status(amount: int, allocated: int, entry_status: EntryStatus, void: bool) -> str:
    if void:
        return "void"
    if entry_status is not EntryStatus.POSTED:
        return "pending_approval"
    if allocated == 0:
        return "open"
    return "paid" if allocated >= amount else "partially_paid"


async def open_amounts(session: AsyncSession, item_ids: Sequence[UUID]) -> dict[UUID, ItemState]:
    """Each item's state, in one query."""
    if not item_ids:
        return {}
    allocations = live_allocations().where(Allocation.open_item_id.in_(item_ids)).subquery()
    allocated = (
        select(allocations.c.open_item_id, func.sum(allocations.c.amount).label("amount"))
        .group_by(allocations.c.open_item_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            OpenItem.id, OpenItem.amount, JournalEntry.status, JournalEntry.fiscal_year, JournalEntry.number,
            reversed_entry(OpenItem.tenant_id, OpenItem.entry_id).label("void"), func.coalesce(allocated.c.amount, 0),
        )
        .join(JournalEntry, (JournalEntry.tenant_id == OpenItem.tenant_id) & (JournalEntry.id == OpenItem.entry_id))
        .outerjoin(allocated, allocated.c.open_item_id == OpenItem.id)
        .where(OpenItem.id.in_(item_ids))
    )  # fmt: skip
    states = {}
    for item_id, amount, entry_status, year, number, void, paid in rows.all():
        status = _status(amount, int(paid), entry_status, void)
        states[item_id] = ItemState(
            open_amount=0 if void else amount - int(paid),
            status=status,
            entry_number=f"JE-{year}-{number:06d}" if number is not None else None,
        )
    return states
