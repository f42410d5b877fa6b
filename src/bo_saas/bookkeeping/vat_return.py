"""The VAT return for a date range: VAT charged on sales, VAT paid on purchases, and what is owed or reclaimed.

Read from the trial balance of the range, through the VAT accounts the book's
chart names (``[vat]`` in its template: ``vat_standard`` names 1400 input and
2400 output). Output VAT is the output accounts' credits less debits, input VAT
the input accounts' debits less credits; the net is output less input: owed
when positive, to reclaim when negative. Sales and purchases (income and
expenses of the range, net) are shown beside them, as a return's boxes ask.
Post the settlement of a return after its last day, so it is not in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.charts import chart
from bo_saas.bookkeeping.errors import LedgerConflict
from bo_saas.bookkeeping.models import AccountType, Book
from bo_saas.bookkeeping.trial_balance import trial_balance


@dataclass(frozen=True, slots=True)
class VatReturn:
    start: date | None
    end: date | None
    sales: int  # income of the range, net of VAT
    purchases: int  # expenses of the range, net of VAT
    output_vat: int
    input_vat: int

    @property
    def net_vat(self) -> int:
        """Owed when positive, to reclaim when negative."""
        return self.output_vat - self.input_vat


async def vat_return(session: AsyncSession, book: Book, start: date | None, end: date | None) -> VatReturn:
    vat = chart(book.chart).vat
    if vat is None:
        raise LedgerConflict(
            f"The books are on the chart {book.chart!r}, which has no VAT accounts: a VAT return needs a VAT chart "
            f"such as 'vat_standard'"
        )
    rows = (await trial_balance(session, book.tenant_id, start, end)).rows
    return VatReturn(
        start=start,
        end=end,
        sales=-sum(row.balance for row in rows if row.type is AccountType.INCOME),
        purchases=sum(row.balance for row in rows if row.type is AccountType.EXPENSE),
        output_vat=-sum(row.balance for row in rows if row.account in vat.output),
        input_vat=sum(row.balance for row in rows if row.account in vat.input),
    )
