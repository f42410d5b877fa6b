"""Finalizing payroll on the real database: numbers, immutability, bank files, PDFs, usage and the books."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from uuid import UUID
from xml.etree import ElementTree as ET

import pytest
from pypdf import PdfReader
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from bo_saas.hr.payroll_models import Payslip
from bo_saas.tenancy.models import Tenant
from bo_saas.work.usage import usage_totals
from tests.hr.payroll_helpers import (
    RUNS,
    component,
    computed_run,
    documents,
    employee,
    payroll_tenant,
    payslips,
)


async def _finalized(app, client, admin_session, runtime_sessionmaker, pt, period="2026-11") -> dict:
    run = await computed_run(app, client, runtime_sessionmaker, pt, period)
    assert (await client.post(f"{RUNS}/{run['id']}/approve", headers=pt.checker)).status_code == 200
    final = await client.post(f"{RUNS}/{run['id']}/finalize", headers=pt.hr.admin)
    assert final.status_code == 200, final.text
    return final.json()


async def test_finalized_payslips_are_numbered_gap_free_per_year_and_the_database_refuses_changes(
    app, client, admin_session, runtime_sessionmaker
):
    pt = await payroll_tenant(app, admin_session)
    for number in ("E001", "E002", "E003"):
        await employee(client, pt.hr.admin, number)
    november = await _finalized(app, client, admin_session, runtime_sessionmaker, pt, "2026-11")
    december = await _finalized(app, client, admin_session, runtime_sessionmaker, pt, "2026-12")

    numbers = [s["number"] for run in (november, december) for s in await payslips(client, pt.hr.admin, run["id"])]
    assert numbers == [f"PS-2026-{n:06d}" for n in range(1, 7)]
    assert november["status"] == "finalized"
    with pytest.raises(DBAPIError, match="is final"):
        async with admin_session.begin_nested():
            await admin_session.execute(update(Payslip).where(Payslip.run_id == UUID(november["id"])).values(net=1))
    with pytest.raises(DBAPIError, match="final payslip"):
        async with admin_session.begin_nested():
            await admin_session.execute(text("DELETE FROM hr_payslip_lines"))
    slip = (await payslips(client, pt.hr.admin, november["id"]))[0]
    late = {"kind": "earning", "description": "Late", "amount": 1}
    refused = await client.post(
        f"{RUNS}/{november['id']}/payslips/{slip['id']}/adjustments", json=late, headers=pt.checker
    )
    assert refused.status_code == 409


async def test_a_run_for_a_finalized_period_is_409(app, client, admin_session, runtime_sessionmaker):
    pt = await payroll_tenant(app, admin_session)
    await employee(client, pt.hr.admin, "E001")
    await _finalized(app, client, admin_session, runtime_sessionmaker, pt)

    again = await client.post(RUNS, json={"period": "2026-11"}, headers=pt.hr.admin)

    assert again.status_code == 409 and again.json()["detail"] == "Payroll for 2026-11 is already finalized"


async def test_finalize_lists_employees_without_a_bank_account_and_changes_nothing(
    app, client, admin_session, runtime_sessionmaker
):
    pt = await payroll_tenant(app, admin_session)
    await employee(client, pt.hr.admin, "E001")
    await employee(client, pt.hr.admin, "E002", personal={"iban": None})
    await employee(client, pt.hr.admin, "E003", personal={"iban": None})
    run = await computed_run(app, client, runtime_sessionmaker, pt)
    await client.post(f"{RUNS}/{run['id']}/approve", headers=pt.checker)

    refused = await client.post(f"{RUNS}/{run['id']}/finalize", headers=pt.hr.admin)

    assert refused.status_code == 422
    assert [e["employee_number"] for e in refused.json()["extra"]["employees"]] == ["E002", "E003"]
    after = (await client.get(f"{RUNS}/{run['id']}", headers=pt.hr.admin)).json()
    assert after["status"] == "approved"
    assert all(s["number"] is None for s in await payslips(client, pt.hr.admin, run["id"]))


async def test_bank_file_pays_each_net_as_csv_and_sepa_pain001(app, client, admin_session, runtime_sessionmaker):
    pt = await payroll_tenant(app, admin_session)
    await employee(client, pt.hr.admin, "E001", 1_000_000)
    await employee(client, pt.hr.admin, "E002", 2_000_050, personal={"iban": "GB82WEST12345698765432"})
    run = await _finalized(app, client, admin_session, runtime_sessionmaker, pt)
    url = f"{RUNS}/{run['id']}/bank-file"

    csv_text = (await client.get(url, headers=pt.hr.admin)).text
    sepa = await client.get(url, params={"format": "sepa", "debtor_iban": "DE89 3704 0044 0532 0130 00"},
                            headers=pt.hr.admin)  # fmt: skip
    no_debtor = await client.get(url, params={"format": "sepa"}, headers=pt.hr.admin)

    rows = [line.split(",") for line in csv_text.strip().splitlines()]
    assert rows[1][:6] == ["PS-2026-000001", "E001", "Noura Saleh", "DE89370400440532013000", "10000.00", "SAR"]
    assert rows[2][3:5] == ["GB82WEST12345698765432", "20000.50"]
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
    document = ET.fromstring(sepa.content)
    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=ns) == "2"
    assert document.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=ns) == "30000.50"
    amounts = document.findall(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", ns)
    assert [(a.text, a.get("Ccy")) for a in amounts] == [("10000.00", "SAR"), ("20000.50", "SAR")]
    assert no_debtor.status_code == 400
    draft = await computed_run(app, client, runtime_sessionmaker, pt, "2026-12")
    assert (await client.get(f"{RUNS}/{draft['id']}/bank-file", headers=pt.hr.admin)).status_code == 409


async def test_payslip_pdfs_in_english_and_arabic_leave_hidden_components_off(
    app, client, admin_session, runtime_sessionmaker
):
    pt = await payroll_tenant(app, admin_session)
    await component(client, pt.hr.admin, "housing", "earning", amount=100_000, name_ar="بدل سكن")
    await component(client, pt.hr.admin, "cost_centre_levy", "deduction", amount=5_000, hidden=True)
    await employee(client, pt.hr.admin, "E001")
    run = await _finalized(app, client, admin_session, runtime_sessionmaker, pt)

    await documents(runtime_sessionmaker, pt.tenant_id, run["id"])

    progress = (await client.get(f"{RUNS}/{run['id']}", headers=pt.hr.admin)).json()["progress"]
    assert progress["documents_total"] == progress["documents_done"] == 2
    (slip,) = await payslips(client, pt.hr.admin, run["id"])
    texts = {}
    for language in ("en", "ar"):
        response = await client.get(f"{RUNS}/{run['id']}/payslips/{slip['id']}/pdf", params={"language": language},
                                    headers=pt.hr.admin)  # fmt: skip
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        texts[language] = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Housing" in texts["en"] and "PS-2026-000001" in texts["en"]
    assert "Cost_Centre_Levy" not in texts["en"] and "Cost_Centre_Levy" not in texts["ar"]
    assert slip["deductions"] == 5_000  # hidden from the document, still paid as computed


async def test_posting_to_the_books_is_one_balanced_entry_made_once(app, client, admin_session, runtime_sessionmaker):
    pt = await payroll_tenant(app, admin_session)
    tenant = await admin_session.get(Tenant, pt.tenant_id)
    tenant.services = ["hr", "bookkeeping"]
    await admin_session.commit()
    await component(client, pt.hr.admin, "pension", "deduction", percent="10", basis=["base"])
    await component(client, pt.hr.admin, "pension_employer", "employer_contribution", percent="12", basis=["base"])
    await employee(client, pt.hr.admin, "E001", 1_000_000)
    run = await _finalized(app, client, admin_session, runtime_sessionmaker, pt)
    assert run["journal_entry_number"] is None  # finalizing does not post: posting is its own step

    first = await client.post(f"{RUNS}/{run['id']}/post", headers=pt.hr.admin)
    second = await client.post(f"{RUNS}/{run['id']}/post", headers=pt.hr.admin)

    assert first.status_code == 200, first.text
    number = first.json()["journal_entry_number"]
    assert number and second.json()["journal_entry_number"] == number
    entries = (await client.get("/api/v1/books/journal-entries", headers=pt.hr.admin)).json()["items"]
    (entry,) = [e for e in entries if e["number"] == number]
    lines = {line["account"]: (line["debit"], line["credit"]) for line in entry["lines"]}
    assert lines == {"6000": (1_120_000, 0), "2200": (0, 900_000), "2100": (0, 220_000)}
    assert entry["status"] == "posted"


async def test_posting_without_bookkeeping_is_409(app, client, admin_session, runtime_sessionmaker):
    pt = await payroll_tenant(app, admin_session)
    await employee(client, pt.hr.admin, "E001")
    run = await _finalized(app, client, admin_session, runtime_sessionmaker, pt)

    refused = await client.post(f"{RUNS}/{run['id']}/post", headers=pt.hr.admin)

    assert refused.status_code == 409 and "no bookkeeping" in refused.json()["detail"]


async def test_finalizing_records_payslips_and_employees_usage_once(app, client, admin_session, runtime_sessionmaker):
    pt = await payroll_tenant(app, admin_session)
    for number in ("E001", "E002"):
        await employee(client, pt.hr.admin, number)
    await _finalized(app, client, admin_session, runtime_sessionmaker, pt)

    start, end = datetime(2026, 11, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    async with runtime_sessionmaker() as session:
        await session.execute(
            text("SELECT set_config('bo.tenant_ids', :t, false)"), {"t": "{" + str(pt.tenant_id) + "}"}
        )
        assert await usage_totals(session, pt.tenant_id, "hr.payslips", start, end) == 2
        assert await usage_totals(session, pt.tenant_id, "hr.employees", start, end) == 2
    rows = (await admin_session.scalars(select(Payslip.number))).all()
    assert len(rows) == 2
