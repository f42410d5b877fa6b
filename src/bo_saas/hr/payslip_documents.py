"""Producing a finalized run's payslip PDFs (English and Arabic) in the background, with progress.

A chunk of payslips at a time, each chunk its own transaction that inserts its
documents and advances ``documents_done``: a restart resumes with the payslips
that have no document yet (the (payslip, language) key makes a repeat a no-op).
"""

from __future__ import annotations

from collections import defaultdict
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.hr.payroll_models import PayrollRun, Payslip, PayslipDocument, PayslipLine, RunStatus
from bo_saas.hr.payslip_pdf import payslip_pdf
from bo_saas.lib.db import scoped_session
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant

LANGUAGES = ("en", "ar")
CHUNK = 50


async def lines_of(session: AsyncSession, tenant_id: UUID, payslip_ids: list[UUID]) -> dict[UUID, list[PayslipLine]]:
    rows = await session.scalars(
        select(PayslipLine)
        .where(PayslipLine.tenant_id == tenant_id, PayslipLine.payslip_id.in_(payslip_ids))
        .order_by(PayslipLine.payslip_id, PayslipLine.position)
    )
    lines: dict[UUID, list[PayslipLine]] = defaultdict(list)
    for line in rows:
        lines[line.payslip_id].append(line)
    return lines


async def produce_documents(sessions: async_sessionmaker[AsyncSession], tenant_id: UUID, run_id: UUID) -> None:
    scope = TenantScope.of(tenant_id)
    while True:
        async with scoped_session(sessions, scope) as session:
            run = await session.scalar(
                select(PayrollRun).where(PayrollRun.tenant_id == tenant_id, PayrollRun.id == run_id).with_for_update()
            )
            if run is None or run.status != RunStatus.FINALIZED:
                return
            tenant_name = await session.scalar(select(Tenant.name).where(Tenant.id == tenant_id))
            done = select(PayslipDocument.payslip_id).where(PayslipDocument.tenant_id == tenant_id)
            payslips = list(
                await session.scalars(
                    select(Payslip)
                    .where(Payslip.tenant_id == tenant_id, Payslip.run_id == run_id, Payslip.id.not_in(done))
                    .order_by(Payslip.number)
                    .limit(CHUNK)
                )
            )
            if not payslips:
                return
            lines = await lines_of(session, tenant_id, [payslip.id for payslip in payslips])
            currency = run.currency or "USD"
            documents = [
                {"tenant_id": tenant_id, "payslip_id": payslip.id, "language": language,
                 "content": payslip_pdf(payslip, lines[payslip.id], run.period, currency, tenant_name or "", language)}
                for payslip in payslips
                for language in LANGUAGES
            ]  # fmt: skip
            await session.execute(insert(PayslipDocument).on_conflict_do_nothing(), documents)
            count = await session.scalar(
                select(func.count())
                .select_from(PayslipDocument)
                .join(
                    Payslip,
                    (Payslip.tenant_id == PayslipDocument.tenant_id) & (Payslip.id == PayslipDocument.payslip_id),
                )
                .where(Payslip.tenant_id == tenant_id, Payslip.run_id == run_id)
            )
            await session.execute(
                update(PayrollRun)
                .where(PayrollRun.tenant_id == tenant_id, PayrollRun.id == run_id)
                .values(documents_done=count)
            )
