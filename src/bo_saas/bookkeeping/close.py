"""Closing a period: a work item with a checklist the agent ticks, then the lock.

Starting a close makes a ``bookkeeping`` work item (task ``close_period``)
under the SLA with a fixed checklist. The agent ticks each check (their
judgement, helped by the facts shown beside it: documents not booked, bank
lines not reconciled, entries waiting for approval or left as drafts in the
month). ``POST /periods/{id}/close`` locks the period only when an open close
of it has every check ticked, and marks that close closed; the work item can
then be done. Reopening a locked period stays a provider admin's, with a
reason (``periods_controller``); closing it again needs a new close.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid4

from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.document_models import BookDocument, PeriodClose
from bo_saas.bookkeeping.errors import InvalidBookkeepingRequest, LedgerConflict
from bo_saas.bookkeeping.models import EntryStatus, JournalEntry, Period, PeriodStatus, StatementLine
from bo_saas.bookkeeping.periods import period_name
from bo_saas.lib.caller import Caller
from bo_saas.lib.errors import NotFoundError
from bo_saas.lib.repository import TenantRepository
from bo_saas.tenancy.models import Tenant
from bo_saas.work import items
from bo_saas.work.models import Priority, WorkItem

CLOSE_TASK = "close_period"  # the service form's task (migration 0026)
# The checklist, in the order it is worked; the web app translates the codes.
CHECKS = {
    "documents_booked": "Every document of the month is booked",
    "bank_reconciled": "The bank statements of the month are reconciled",
    "approvals_cleared": "No entry of the month waits for approval or stays a draft",
    "trial_balance_reviewed": "The trial balance is reviewed",
}


class CloseNotFound(NotFoundError):
    pass


class Closes(TenantRepository[PeriodClose]):
    model = PeriodClose
    not_found = CloseNotFound
    not_found_message = "No such period close"


def empty_checklist() -> dict[str, dict | None]:
    return dict.fromkeys(CHECKS)


def unticked(close: PeriodClose) -> list[str]:
    return [code for code in CHECKS if not (close.checks or {}).get(code)]


def close_status(close: PeriodClose) -> str:
    if close.closed_at is not None:
        return "closed"
    return "cancelled" if close.cancelled_at is not None else "open"


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass(frozen=True, slots=True)
class CloseFacts:
    """What the books say about the month, beside the checks the agent ticks."""

    documents_to_book: int  # sent before the month ended and not booked (no entry, or one not posted)
    unreconciled_lines: int  # bank statement lines dated in the month
    entries_pending_approval: int
    draft_entries: int


async def close_facts(session: AsyncSession, tenant_id: UUID, month: date) -> CloseFacts:
    end = _next_month(month)
    posted = exists().where(
        JournalEntry.tenant_id == BookDocument.tenant_id,
        JournalEntry.id == BookDocument.entry_id,
        JournalEntry.status == EntryStatus.POSTED,
    )
    documents = await session.scalar(
        select(func.count()).where(
            BookDocument.tenant_id == tenant_id,
            func.date(BookDocument.created_at) < end,
            or_(BookDocument.entry_id.is_(None), ~posted),
        )
    )
    lines = await session.scalar(
        select(func.count()).where(
            StatementLine.tenant_id == tenant_id,
            StatementLine.booked_on >= month,
            StatementLine.booked_on < end,
            StatementLine.reconciled_at.is_(None),
        )
    )
    by_status = dict(
        (
            await session.execute(
                select(JournalEntry.status, func.count())
                .where(
                    JournalEntry.tenant_id == tenant_id,
                    JournalEntry.entry_date >= month,
                    JournalEntry.entry_date < end,
                    JournalEntry.status != EntryStatus.POSTED,
                )
                .group_by(JournalEntry.status)
            )
        ).all()
    )
    return CloseFacts(
        documents_to_book=int(documents or 0),
        unreconciled_lines=int(lines or 0),
        entries_pending_approval=int(by_status.get(EntryStatus.PENDING_APPROVAL, 0)),
        draft_entries=int(by_status.get(EntryStatus.DRAFT, 0)),
    )


def _open_close(tenant_id: UUID, period_id: UUID):
    return select(PeriodClose).where(
        PeriodClose.tenant_id == tenant_id,
        PeriodClose.period_id == period_id,
        PeriodClose.closed_at.is_(None),
        PeriodClose.cancelled_at.is_(None),
    )


async def start_close(
    session: AsyncSession, caller: Caller, tenant: Tenant, period: Period
) -> tuple[PeriodClose, bool]:
    """(the period's open close, False) if it has one; else (a new close on a new work item, True)."""
    if period.status is PeriodStatus.LOCKED:
        raise LedgerConflict(f"The period {period_name(period)} is locked already; a provider admin reopens it")
    same = _open_close(tenant.id, period.id)
    if (existing := await session.scalar(same)) is not None:
        return existing, False
    try:
        async with session.begin_nested():
            item = await items.create_item(
                session, caller, tenant, service_type="bookkeeping", title=f"Close the books for {period_name(period)}",
                payload={"period": period_name(period), "task": CLOSE_TASK}, priority=Priority.NORMAL, submit=True,
            )  # fmt: skip
            close = PeriodClose(
                id=uuid4(), tenant_id=tenant.id, work_item_id=item.id, period_id=period.id,
                checks=empty_checklist(), started_by=caller.actor_id,
            )  # fmt: skip
            session.add(close)
            await session.flush()
    except IntegrityError:
        # Two starts at once: the other request's close is the answer.
        if (existing := await session.scalar(same)) is None:
            raise
        return existing, False
    return close, True


def tick(close: PeriodClose, code: str, done: bool, by: UUID | None, now: datetime) -> bool:
    """Tick or untick one check of an open close; whether it changed."""
    if code not in CHECKS:
        raise InvalidBookkeepingRequest(
            f"No check {code!r} on the close checklist; the checks: {', '.join(CHECKS)}", extra={"checks": list(CHECKS)}
        )
    if close.closed_at is not None or close.cancelled_at is not None:
        raise LedgerConflict(f"The close is {close_status(close)}: its checklist no longer changes")
    checks = dict(close.checks or empty_checklist())
    was = checks.get(code) is not None
    if was == done:
        return False
    checks[code] = {"by": str(by) if by else None, "at": now.isoformat()} if done else None
    close.checks = checks  # a new dict: the JSONB column sees the change
    return True


async def finish_close(session: AsyncSession, period: Period, now: datetime) -> PeriodClose:
    """The open close that lets ``period`` lock, marked closed; 409 when there is none or it is not complete."""
    close = await session.scalar(_open_close(period.tenant_id, period.id).with_for_update())
    if close is None:
        raise LedgerConflict(
            f"Start the close checklist of {period_name(period)} and tick every check before closing it",
            extra={"period": period_name(period)},
        )
    left = unticked(close)
    if left:
        raise LedgerConflict(
            f"The close checklist of {period_name(period)} is not complete: {', '.join(left)} not ticked",
            extra={"unticked": left, "close_id": str(close.id)},
        )
    close.closed_at = now
    return close


# --- The desk's part for close items (domain.py's Desk) --------------------------------------------------------


async def close_of_item(session: AsyncSession, item: WorkItem) -> PeriodClose | None:
    return await session.scalar(
        select(PeriodClose).where(PeriodClose.tenant_id == item.tenant_id, PeriodClose.work_item_id == item.id)
    )


def close_remaining(close: PeriodClose) -> str | None:
    left = unticked(close)
    if left:
        return f"{len(left)} close check(s) not ticked: {', '.join(left)}"
    return None if close.closed_at is not None else "the period is not closed yet"


async def close_abandoned(session: AsyncSession, item: WorkItem, now: datetime) -> None:
    """The close's item was rejected or cancelled: the close stops being open, so a new one can start."""
    close = await close_of_item(session, item)
    if close is not None and close.closed_at is None and close.cancelled_at is None:
        close.cancelled_at = now
        await session.flush()
