"""Producing a finalized run's payslip PDFs (English and Arabic) in the background, with progress.

The payslips still without a document are read once, as plain tuples, and
rendered a chunk at a time outside any transaction (rendering is the slow
part; no lock is held meanwhile). Each rendered chunk is written in its own
short transaction: one bulk insert of its documents and ``documents_done``
advanced by what was inserted, so progress shows as chunks commit. A restart
resumes with the payslips that have no document yet (the (payslip, language)
key makes a repeat a no-op). A run with many payslips is rendered by a pool of
processes, one per core, a few chunks ahead of the writes; a small one (and
a single payslip on demand) is rendered here.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections import defaultdict, deque
from collections.abc import Awaitable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import NamedTuple
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
CHUNK = 50  # payslips per rendering task and per write transaction
POOL_FROM = 400  # payslips left to render from which a process pool is worth its start-up (about a second)
RENDER_PROCESSES = os.cpu_count() or 1


class SlipRow(NamedTuple):
    """The payslip's fields a document shows (picklable, for the rendering processes)."""

    id: UUID
    number: str | None
    employee_name: str
    employee_number: str
    days_paid: int
    days_in_period: int
    gross: int
    deductions: int
    net: int


class LineRow(NamedTuple):
    name: str
    name_ar: str | None
    kind: str
    amount: int
    hidden: bool


class Batch(NamedTuple):
    """Everything one rendering task needs: no database, no session."""

    period: str
    currency: str
    tenant_name: str
    slips: list[tuple[SlipRow, list[LineRow]]]


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


def render_batch(batch: Batch) -> list[tuple[UUID, str, bytes]]:
    """The batch's documents, (payslip id, language, PDF): runs in a rendering process or in this one."""
    return [
        (slip.id, language, payslip_pdf(slip, lines, batch.period, batch.currency, batch.tenant_name, language))
        for slip, lines in batch.slips
        for language in LANGUAGES
    ]


async def produce_documents(sessions: async_sessionmaker[AsyncSession], tenant_id: UUID, run_id: UUID) -> None:
    scope = TenantScope.of(tenant_id)
    async with scoped_session(sessions, scope) as session:
        pending = await _pending(session, tenant_id, run_id)
    if pending is None:
        return
    period, currency, tenant_name, slips = pending
    batches = [
        Batch(period, currency, tenant_name, slips[start : start + CHUNK]) for start in range(0, len(slips), CHUNK)
    ]
    with _renderer(len(slips)) as render:
        # A few batches rendering ahead of the writes keep every process busy while a chunk commits.
        ahead: deque[Awaitable[list[tuple[UUID, str, bytes]]]] = deque()
        queued = iter(batches)
        for batch in queued:
            ahead.append(render(batch))
            if len(ahead) > RENDER_PROCESSES:
                break
        while ahead:
            documents = await ahead.popleft()
            if (batch := next(queued, None)) is not None:
                ahead.append(render(batch))
            async with scoped_session(sessions, scope) as session:
                if not await _write(session, tenant_id, run_id, documents):
                    for waiting in ahead:  # the run was reopened or removed meanwhile: the rest is not wanted
                        waiting.close() if asyncio.iscoroutine(waiting) else waiting.cancel()
                    return


async def _pending(
    session: AsyncSession, tenant_id: UUID, run_id: UUID
) -> tuple[str, str, str, list[tuple[SlipRow, list[LineRow]]]] | None:
    """The run's period, currency, tenant name and payslips still without a document; None unless finalized."""
    run = (
        await session.execute(
            select(PayrollRun.status, PayrollRun.period, PayrollRun.currency).where(
                PayrollRun.tenant_id == tenant_id, PayrollRun.id == run_id
            )
        )
    ).one_or_none()
    if run is None or run.status != RunStatus.FINALIZED:
        return None
    tenant_name = await session.scalar(select(Tenant.name).where(Tenant.id == tenant_id))
    done = select(PayslipDocument.payslip_id).where(
        PayslipDocument.tenant_id == tenant_id, PayslipDocument.payslip_id == Payslip.id
    )
    slip_rows = await session.execute(
        select(
            Payslip.id, Payslip.number, Payslip.employee_name, Payslip.employee_number, Payslip.days_paid,
            Payslip.days_in_period, Payslip.gross, Payslip.deductions, Payslip.net,
        )
        .where(Payslip.tenant_id == tenant_id, Payslip.run_id == run_id, ~done.exists())
        .order_by(Payslip.number)
    )  # fmt: skip
    slips = [SlipRow(*row) for row in slip_rows]
    line_rows = await session.execute(
        select(PayslipLine.payslip_id, PayslipLine.name, PayslipLine.name_ar, PayslipLine.kind, PayslipLine.amount,
               PayslipLine.hidden)
        .join(Payslip, (Payslip.tenant_id == PayslipLine.tenant_id) & (Payslip.id == PayslipLine.payslip_id))
        .where(Payslip.tenant_id == tenant_id, Payslip.run_id == run_id, ~done.exists())
        .order_by(PayslipLine.payslip_id, PayslipLine.position)
    )  # fmt: skip
    lines: dict[UUID, list[LineRow]] = defaultdict(list)
    for payslip_id, *values in line_rows:
        lines[payslip_id].append(LineRow(*values))
    return run.period, run.currency or "USD", tenant_name or "", [(slip, lines[slip.id]) for slip in slips]


async def _write(session: AsyncSession, tenant_id: UUID, run_id: UUID, documents: Sequence[tuple]) -> bool:
    """Insert a chunk's documents and advance the progress by what was new; False once the run is not final."""
    status = await session.scalar(
        select(PayrollRun.status).where(PayrollRun.tenant_id == tenant_id, PayrollRun.id == run_id).with_for_update()
    )
    if status != RunStatus.FINALIZED:
        return False
    inserted = await session.scalars(
        insert(PayslipDocument)
        .on_conflict_do_nothing()
        .returning(PayslipDocument.payslip_id),
        [{"tenant_id": tenant_id, "payslip_id": payslip_id, "language": language, "content": content}
         for payslip_id, language, content in documents],
    )  # fmt: skip
    added = len(inserted.all())
    if added:
        await session.execute(
            update(PayrollRun)
            .where(PayrollRun.tenant_id == tenant_id, PayrollRun.id == run_id)
            .values(documents_done=func.least(PayrollRun.documents_total, PayrollRun.documents_done + added))
        )
    return True


@contextmanager
def _renderer(payslips: int):
    """``render(batch)``: in a pool of processes for a big run, else in this process (still awaitable)."""
    if payslips < POOL_FROM or RENDER_PROCESSES < 2:

        async def here(batch: Batch) -> list[tuple[UUID, str, bytes]]:
            return render_batch(batch)  # when its turn to be written comes, not when queued

        yield here
        return
    # spawn, not fork: the caller runs threads (the worker's, asyncio's) that a fork would copy mid-flight.
    pool = ProcessPoolExecutor(max_workers=RENDER_PROCESSES, mp_context=multiprocessing.get_context("spawn"))
    try:
        loop = asyncio.get_running_loop()
        yield lambda batch: loop.run_in_executor(pool, render_batch, batch)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
