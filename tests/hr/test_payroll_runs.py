"""Payroll runs through the API on the real database: computing, prorating, four eyes, adjustments, reruns."""

from __future__ import annotations

from uuid import UUID

import pytest
from sqlalchemy import select

from bo_saas.hr import payroll_compute
from bo_saas.hr.payroll_models import Payslip
from tests.hr.payroll_helpers import (
    RUNS,
    component,
    compute,
    computed_run,
    employee,
    payroll_tenant,
    payslips,
    prepare,
)


async def test_draft_run_pays_every_active_employee_with_components_and_prorating(
    app, client, admin_session, runtime_sessionmaker
):
    pt = await payroll_tenant(app, admin_session)
    admin = pt.hr.admin
    await component(client, admin, "housing", "earning", percent="25", basis=["base"])
    await component(client, admin, "transport", "earning", amount=50_000)
    await component(client, admin, "pension", "deduction", percent="10", basis=["base", "housing"])
    await component(client, admin, "pension_employer", "employer_contribution", percent="12", basis=["base"])
    await employee(client, admin, "E001", 1_000_000)
    await employee(client, admin, "E002", 600_000, start_date="2026-11-16")  # joiner: 15 of 30 days
    await employee(client, admin, "E003", 900_000, end_date="2026-11-10")  # leaver: 10 of 30 days
    await employee(client, admin, "E004", 900_000, end_date="2026-10-31")  # left before the period
    await employee(client, admin, "E005", 900_000, start_date="2026-12-01")  # joins after it

    run = await computed_run(app, client, runtime_sessionmaker, pt)

    assert run["status"] == "draft" and run["currency"] == "SAR"
    assert run["progress"]["employees_total"] == run["progress"]["employees_done"] == 3
    slips = {slip["employee_number"]: slip for slip in await payslips(client, admin, run["id"])}
    assert sorted(slips) == ["E001", "E002", "E003"]
    full = {line["code"]: line["amount"] for line in slips["E001"]["lines"]}
    assert full == {"base": 1_000_000, "housing": 250_000, "transport": 50_000, "pension": 125_000,
                    "pension_employer": 120_000}  # fmt: skip
    assert (slips["E001"]["gross"], slips["E001"]["deductions"], slips["E001"]["net"]) == (
        1_300_000,
        125_000,
        1_175_000,
    )
    assert slips["E001"]["employer_cost"] == 120_000
    joiner = {line["code"]: line["amount"] for line in slips["E002"]["lines"]}
    assert (slips["E002"]["days_paid"], joiner["base"], joiner["transport"]) == (15, 300_000, 25_000)
    leaver = {line["code"]: line["amount"] for line in slips["E003"]["lines"]}
    assert (slips["E003"]["days_paid"], leaver["base"], leaver["housing"]) == (10, 300_000, 75_000)
    assert run["totals"]["payslips"] == 3 and run["totals"]["net"] == sum(s["net"] for s in slips.values())


async def test_an_employees_own_amount_overrides_the_component_default(
    app, client, admin_session, runtime_sessionmaker
):
    pt = await payroll_tenant(app, admin_session)
    bonus = await component(client, pt.hr.admin, "bonus", "earning", amount=0, applies_to_all=False)
    first = await employee(client, pt.hr.admin, "E001")
    await employee(client, pt.hr.admin, "E002")
    put = await client.put(f"/api/v1/hr/pay-components/{bonus['id']}/employees/{first['id']}",
                           json={"amount": 70_000}, headers=pt.hr.admin)  # fmt: skip
    assert put.status_code == 200, put.text

    run = await computed_run(app, client, runtime_sessionmaker, pt)

    lines = {
        s["employee_number"]: [line["code"] for line in s["lines"]]
        for s in await payslips(client, pt.hr.admin, run["id"])
    }
    assert lines == {"E001": ["base", "bonus"], "E002": ["base"]}


async def test_the_checker_approves_and_the_preparer_cannot(app, client, admin_session, runtime_sessionmaker):
    pt = await payroll_tenant(app, admin_session)
    await employee(client, pt.hr.admin, "E001")
    run = await computed_run(app, client, runtime_sessionmaker, pt)
    url = f"{RUNS}/{run['id']}/approve"

    own = await client.post(url, headers=pt.hr.admin)
    staff = await client.post(url, headers=pt.hr.hr_agent)
    checked = await client.post(url, headers=pt.checker)

    assert own.status_code == 403 and "prepared" in own.json()["detail"]
    assert staff.status_code == 403 and "client admin" in staff.json()["detail"]
    assert checked.status_code == 200 and checked.json()["status"] == "approved"
    assert (await client.post(url, headers=pt.checker)).status_code == 409


async def test_people_without_the_right_to_see_pay_get_403(app, client, admin_session, runtime_sessionmaker):
    pt = await payroll_tenant(app, admin_session)
    await employee(client, pt.hr.admin, "E001")
    run = await computed_run(app, client, runtime_sessionmaker, pt)

    for who in (pt.hr.member, pt.hr.agent):
        assert (await client.get(RUNS, headers=who)).status_code == 403
        assert (await client.get(f"{RUNS}/{run['id']}/payslips", headers=who)).status_code == 403
        assert (await client.post(RUNS, json={"period": "2026-12"}, headers=who)).status_code == 403
    assert (await client.get(f"{RUNS}/{run['id']}/payslips", headers=pt.hr.hr_agent)).status_code == 200


async def test_a_manual_adjustment_survives_recomputation(app, client, admin_session, runtime_sessionmaker):
    pt = await payroll_tenant(app, admin_session)
    await employee(client, pt.hr.admin, "E001", 1_000_000)
    await employee(client, pt.hr.admin, "E002", 1_000_000)
    run = await computed_run(app, client, runtime_sessionmaker, pt)
    (slip, _) = await payslips(client, pt.hr.admin, run["id"])

    adjusted = await client.post(
        f"{RUNS}/{run['id']}/payslips/{slip['id']}/adjustments",
        json={"kind": "earning", "description": "Overtime 10 h", "amount": 40_000}, headers=pt.checker,
    )  # fmt: skip
    assert adjusted.status_code == 201, adjusted.json()
    assert adjusted.json()["net"] == 1_040_000
    await component(client, pt.hr.admin, "transport", "earning", amount=10_000)
    assert (await client.post(f"{RUNS}/{run['id']}/compute", headers=pt.hr.admin)).status_code == 202
    await compute(app, runtime_sessionmaker, pt.tenant_id, run["id"])

    first, second = await payslips(client, pt.hr.admin, run["id"])
    assert first["net"] == 1_050_000 and second["net"] == 1_010_000
    assert [line["name"] for line in first["lines"] if line["adjusted"]] == ["Overtime 10 h"]


async def test_a_run_that_fails_half_way_is_rerun_without_duplicate_payslips(
    app, client, admin_session, runtime_sessionmaker, monkeypatch
):
    pt = await payroll_tenant(app, admin_session)
    for number in range(5):
        await employee(client, pt.hr.admin, f"E{number:03d}")
    run = await prepare(client, pt.hr.admin)
    monkeypatch.setattr(payroll_compute, "CHUNK", 2)
    real_write = payroll_compute._write_chunk
    calls = []

    async def crash_on_the_second_chunk(*args, **kwargs):  # the machine going down mid-run
        calls.append(1)
        if len(calls) == 2:
            raise ConnectionError("database connection lost")
        await real_write(*args, **kwargs)

    monkeypatch.setattr(payroll_compute, "_write_chunk", crash_on_the_second_chunk)
    with pytest.raises(ConnectionError):
        await compute(app, runtime_sessionmaker, pt.tenant_id, run["id"])
    failed = (await client.get(f"{RUNS}/{run['id']}", headers=pt.hr.admin)).json()
    assert failed["status"] == "failed" and failed["progress"]["employees_done"] == 2
    assert failed["totals"]["payslips"] == 2

    monkeypatch.setattr(payroll_compute, "_write_chunk", real_write)
    assert (await client.post(f"{RUNS}/{run['id']}/compute", headers=pt.hr.admin)).status_code == 202
    await compute(app, runtime_sessionmaker, pt.tenant_id, run["id"])
    await compute(app, runtime_sessionmaker, pt.tenant_id, run["id"])  # the same message delivered twice

    done = (await client.get(f"{RUNS}/{run['id']}", headers=pt.hr.admin)).json()
    assert done["status"] == "draft" and done["totals"]["payslips"] == 5
    rows = (await admin_session.scalars(select(Payslip.employee_id).where(Payslip.run_id == UUID(run["id"])))).all()
    assert len(rows) == len(set(rows)) == 5


async def test_a_second_run_for_a_period_is_409(app, client, admin_session, runtime_sessionmaker):
    pt = await payroll_tenant(app, admin_session)
    await employee(client, pt.hr.admin, "E001")
    await computed_run(app, client, runtime_sessionmaker, pt)

    again = await client.post(RUNS, json={"period": "2026-11"}, headers=pt.hr.hr_agent)

    assert again.status_code == 409 and "already has a draft run" in again.json()["detail"]


async def test_salaries_in_two_currencies_fail_the_run_with_the_reason(
    app, client, admin_session, runtime_sessionmaker
):
    pt = await payroll_tenant(app, admin_session)
    await employee(client, pt.hr.admin, "E001")
    await employee(client, pt.hr.admin, "E002", personal={"currency": "USD"})

    run = await computed_run(app, client, runtime_sessionmaker, pt)

    assert run["status"] == "failed" and "more than one currency" in run["failure"] and "E002" in run["failure"]
