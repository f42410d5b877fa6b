"""AR and AP aging: what each contact still owes (or is owed) as of a date, by how long it is past due.

As of ``to``, an item counts when it was issued by then and its entry is
posted and not reversed by then; a payment settles it when it was made by then
and its entry is posted and not reversed by then. So the aging follows the
ledger: its total equals the control account's balance at ``to`` when every
posting to that account came through invoices, bills and payments (a test
proves it). Buckets are days past the due date: 0–30 (including items not yet
due), 31–60, 61–90, over 90.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bo_saas.bookkeeping.contact_models import Allocation, Contact, OpenItem, OpenItemKind, Payment
from bo_saas.bookkeeping.models import EntryStatus, JournalEntry
from bo_saas.bookkeeping.report_files import Money, ReportTable
from bo_saas.lib.locale_text import Language, long_date

BUCKETS = ("days_0_30", "days_31_60", "days_61_90", "days_over_90")


@dataclass
class AgingRow:
    contact_id: UUID | None
    contact: str
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))

    @property
    def total(self) -> int:
        return sum(self.buckets.values())


@dataclass(frozen=True, slots=True)
class Aging:
    as_of: date
    kind: OpenItemKind
    rows: list[AgingRow]
    totals: AgingRow


def bucket(as_of: date, due: date) -> str:
    late = (as_of - due).days
    if late <= 30:
        return "days_0_30"
    if late <= 60:
        return "days_31_60"
    return "days_61_90" if late <= 90 else "days_over_90"


def _in_books_by(tenant_column, entry_column, as_of: date):
    """The entry is posted, and not reversed by ``as_of``."""
    entry, reversal = aliased(JournalEntry), aliased(JournalEntry)
    posted = exists().where(
        entry.tenant_id == tenant_column, entry.id == entry_column, entry.status == EntryStatus.POSTED
    )
    undone = exists().where(
        reversal.tenant_id == tenant_column, reversal.reverses_id == entry_column, reversal.entry_date <= as_of
    )
    return posted & ~undone


async def aging(session: AsyncSession, tenant_id: UUID, kind: OpenItemKind, as_of: date) -> Aging:
    items = (
        await session.execute(
            select(OpenItem.id, OpenItem.contact_id, OpenItem.due_date, OpenItem.amount).where(
                OpenItem.tenant_id == tenant_id, OpenItem.kind == kind, OpenItem.issue_date <= as_of,
                _in_books_by(OpenItem.tenant_id, OpenItem.entry_id, as_of),
            )
        )
    ).all()  # fmt: skip
    paid = dict(
        (
            await session.execute(
                select(Allocation.open_item_id, func.sum(Allocation.amount))
                .join(Payment, (Payment.tenant_id == Allocation.tenant_id) & (Payment.id == Allocation.payment_id))
                .where(Allocation.tenant_id == tenant_id, Payment.payment_date <= as_of,
                       _in_books_by(Payment.tenant_id, Payment.entry_id, as_of))
                .group_by(Allocation.open_item_id)
            )
        ).all()
    )  # fmt: skip
    rows: dict[UUID, AgingRow] = {}
    for item_id, contact_id, due, amount in items:
        still_open = amount - int(paid.get(item_id, 0))
        if still_open > 0:
            row = rows.setdefault(contact_id, AgingRow(contact_id, ""))
            row.buckets[bucket(as_of, due)] += still_open
    if rows:
        names = await session.execute(select(Contact.id, Contact.name).where(Contact.id.in_(list(rows))))
        for contact_id, name in names.all():
            rows[contact_id].contact = name
    ordered = sorted(rows.values(), key=lambda row: (row.contact.lower(), str(row.contact_id)))
    totals = AgingRow(None, "")
    for row in ordered:
        for name in BUCKETS:
            totals.buckets[name] += row.buckets[name]
    return Aging(as_of, kind, ordered, totals)


_WORDS = {
    "en": {"invoice": "Accounts receivable aging", "bill": "Accounts payable aging", "as_of": "As of",
           "contact": "Contact", "days_0_30": "0–30 days", "days_31_60": "31–60 days", "days_61_90": "61–90 days",
           "days_over_90": "Over 90 days", "total": "Total"},
    "ar": {"invoice": "أعمار الذمم المدينة", "bill": "أعمار الذمم الدائنة", "as_of": "في تاريخ",
           "contact": "جهة التعامل", "days_0_30": "٠–٣٠ يومًا", "days_31_60": "٣١–٦٠ يومًا",
           "days_61_90": "٦١–٩٠ يومًا", "days_over_90": "أكثر من ٩٠ يومًا", "total": "الإجمالي"},
}  # fmt: skip
PDF_WEIGHTS = (4, 2, 2, 2, 2, 2)


def aging_table(report: Aging, language: Language) -> ReportTable:
    words = _WORDS[language]
    table = ReportTable(
        words[report.kind.value], [(words["as_of"], long_date(report.as_of, language))],
        [words["contact"], *(words[name] for name in BUCKETS), words["total"]], {1, 2, 3, 4, 5},
    )  # fmt: skip
    table.rows = [[row.contact, *(Money(row.buckets[n]) for n in BUCKETS), Money(row.total)] for row in report.rows]
    totals = report.totals
    table.totals = [[words["total"], *(Money(totals.buckets[n]) for n in BUCKETS), Money(totals.total)]]
    return table
