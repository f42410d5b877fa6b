"""Posting a finalized payroll run to the tenant's books: a separate step, one balanced entry, through the ledger seam.

Finalizing pays people; posting books it (frappe/hrms #818 keeps them apart
for good reason: the books may be closed, or the accountant may post later).
The entry, on the standard chart's accounts:

    Dr 6000 Salaries and wages   gross pay + employer contributions
    Cr 2200 Salaries payable     net pay (what the bank file pays out)
    Cr 2100 Accrued expenses     deductions withheld + employer contributions (owed to authorities and funds)

The ledger seam deduplicates by source, so posting twice books once.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.ledger import LineInput, post_entry
from bo_saas.hr.payroll_models import PayrollRun, Payslip, RunStatus
from bo_saas.hr.payroll_runs import require_status
from bo_saas.lib.errors import ConflictError
from bo_saas.tenancy.models import Tenant

EXPENSE_ACCOUNT = "6000"
NET_PAYABLE_ACCOUNT = "2200"
WITHHELD_ACCOUNT = "2100"
BOOKKEEPING = "bookkeeping"


async def post_run(session: AsyncSession, tenant: Tenant, run: PayrollRun) -> str:
    """Post the run's entry and return its number; 409 when the tenant keeps no books or the run is not final."""
    require_status(run, RunStatus.FINALIZED, doing="posted to the books (finalize it first)")
    if BOOKKEEPING not in (tenant.services or []):
        raise ConflictError("This tenant has no bookkeeping service: there are no books to post the payroll to")
    gross, deductions, net, employer = (
        await session.execute(
            select(
                func.coalesce(func.sum(Payslip.gross), 0), func.coalesce(func.sum(Payslip.deductions), 0),
                func.coalesce(func.sum(Payslip.net), 0), func.coalesce(func.sum(Payslip.employer_cost), 0),
            ).where(Payslip.tenant_id == run.tenant_id, Payslip.run_id == run.id)
        )
    ).one()  # fmt: skip
    memo = f"Payroll {run.period}"
    lines = [
        LineInput(EXPENSE_ACCOUNT, debit=int(gross) + int(employer), description=f"{memo}: pay and contributions"),
        LineInput(NET_PAYABLE_ACCOUNT, credit=int(net), description=f"{memo}: net pay"),
        LineInput(WITHHELD_ACCOUNT, credit=int(deductions) + int(employer), description=f"{memo}: withheld and owed"),
    ]
    lines = [line for line in lines if line.debit or line.credit]
    if not lines:
        raise ConflictError(f"The {run.period} run pays nothing: there is nothing to post")
    posted = await post_entry(session, run.tenant_id, run.period_end, memo, lines, source=f"hr.payroll_run:{run.id}")
    run.journal_entry_number = posted.number
    return posted.number
