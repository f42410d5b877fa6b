"""What payroll's tests share: a tenant with two client admins, components, employees, and running the jobs here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from bo_saas.hr.crypto import keyring
from bo_saas.hr.payroll_compute import compute_run
from bo_saas.hr.payslip_documents import produce_documents
from bo_saas.lib.caller import Role
from tests.auth import bearer
from tests.factories import client_user
from tests.hr.helpers import HrTenant, add_employee, hr_tenant

RUNS = "/api/v1/hr/payroll-runs"
COMPONENTS = "/api/v1/hr/pay-components"


@dataclass
class PayrollTenant:
    hr: HrTenant
    checker: dict[str, str]  # a second client admin: approves what the first one prepared

    @property
    def tenant_id(self) -> UUID:
        return self.hr.tenant.id


async def payroll_tenant(app, admin_session) -> PayrollTenant:
    hr = await hr_tenant(app, admin_session)
    checker = await client_user(admin_session, hr.tenant, Role.CLIENT_ADMIN)
    return PayrollTenant(hr, bearer(app, checker, Role.CLIENT_ADMIN, hr.tenant.id))


async def component(client, headers, code: str, kind: str, **fields: Any) -> dict:
    body = {"code": code, "name": code.title(), "kind": kind, **fields}
    body.setdefault("calculation", "percent" if "percent" in fields else "fixed")
    response = await client.post(COMPONENTS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def employee(client, headers, number: str, salary: int = 1_000_000, **fields: Any) -> dict:
    personal = {"iban": "DE89370400440532013000", "salary": salary, "currency": "SAR", **fields.pop("personal", {})}
    return await add_employee(client, headers, number, personal=personal, **fields)


async def prepare(client, headers, period: str = "2026-11") -> dict:
    response = await client.post(RUNS, json={"period": period}, headers=headers)
    assert response.status_code == 202, response.text
    return response.json()


async def compute(app, runtime_sessionmaker, tenant_id: UUID, run_id: str) -> None:
    """What the worker's actor does for the run, in this process."""
    await compute_run(runtime_sessionmaker, keyring(app.state.settings), tenant_id, UUID(run_id))


async def documents(runtime_sessionmaker, tenant_id: UUID, run_id: str) -> None:
    await produce_documents(runtime_sessionmaker, tenant_id, UUID(run_id))


async def payslips(client, headers, run_id: str) -> list[dict]:
    response = await client.get(f"{RUNS}/{run_id}/payslips?limit=200", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def computed_run(app, client, runtime_sessionmaker, pt: PayrollTenant, period: str = "2026-11") -> dict:
    run = await prepare(client, pt.hr.admin, period)
    await compute(app, runtime_sessionmaker, pt.tenant_id, run["id"])
    return (await client.get(f"{RUNS}/{run['id']}", headers=pt.hr.admin)).json()
