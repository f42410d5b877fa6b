"""A finalized run's payslip PDFs made in the background: by a pool of processes for a big run, resumable, counted."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, func, select, update

from bo_saas.hr import payslip_documents
from bo_saas.hr.payroll_models import PayrollRun, PayslipDocument
from tests.hr.payroll_helpers import RUNS, computed_run, documents, employee, payroll_tenant, payslips


async def _finalized(app, client, runtime_sessionmaker, pt) -> dict:
    run = await computed_run(app, client, runtime_sessionmaker, pt, "2026-11")
    assert (await client.post(f"{RUNS}/{run['id']}/approve", headers=pt.checker)).status_code == 200
    final = await client.post(f"{RUNS}/{run['id']}/finalize", headers=pt.hr.admin)
    assert final.status_code == 200, final.text
    return final.json()


async def test_a_big_run_is_rendered_by_a_process_pool_and_a_restart_only_makes_what_is_missing(
    app, client, admin_session, runtime_sessionmaker, monkeypatch
):
    pt = await payroll_tenant(app, admin_session)
    for number in ("E001", "E002", "E003", "E004", "E005"):
        await employee(client, pt.hr.admin, number)
    run = await _finalized(app, client, runtime_sessionmaker, pt)
    monkeypatch.setattr(payslip_documents, "POOL_FROM", 1)  # what a run of thousands does, on five payslips
    monkeypatch.setattr(payslip_documents, "RENDER_PROCESSES", 2)
    monkeypatch.setattr(payslip_documents, "CHUNK", 2)

    await documents(runtime_sessionmaker, pt.tenant_id, run["id"])

    run_id = UUID(run["id"])
    stored = select(func.count()).select_from(PayslipDocument).where(PayslipDocument.tenant_id == pt.tenant_id)
    assert await admin_session.scalar(stored) == 10
    progress = (await client.get(f"{RUNS}/{run['id']}", headers=pt.hr.admin)).json()["progress"]
    assert progress["documents_total"] == progress["documents_done"] == 10
    # A job stopped half-way: two payslips lost their documents and the progress shows it.
    slip_ids = [UUID(s["id"]) for s in await payslips(client, pt.hr.admin, run["id"])][:2]
    await admin_session.execute(delete(PayslipDocument).where(PayslipDocument.payslip_id.in_(slip_ids)))
    await admin_session.execute(update(PayrollRun).where(PayrollRun.id == run_id).values(documents_done=6))
    await admin_session.commit()
    monkeypatch.setattr(payslip_documents, "POOL_FROM", 1_000)  # the rest is small: rendered in this process

    await documents(runtime_sessionmaker, pt.tenant_id, run["id"])
    await documents(runtime_sessionmaker, pt.tenant_id, run["id"])  # a redelivered message changes nothing

    assert await admin_session.scalar(stored) == 10
    progress = (await client.get(f"{RUNS}/{run['id']}", headers=pt.hr.admin)).json()["progress"]
    assert progress["documents_done"] == 10
    pdf = await client.get(f"{RUNS}/{run['id']}/payslips/{slip_ids[0]}/pdf", params={"language": "ar"},
                           headers=pt.hr.admin)  # fmt: skip
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
