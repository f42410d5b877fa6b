"""What the HR desk's tests share: a tenant with its people, callers of each role, employees through the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bo_saas.identity.models import StaffSkill
from bo_saas.lib.caller import Role
from tests.auth import bearer
from tests.factories import BusinessCalendarFactory, TenantFactory, client_user, save, staff_user

EMPLOYEES = "/api/v1/hr/employees"
IBAN = "DE89370400440532013000"
SAUDI_ID = "1000000008"  # ten digits, starts with 1, Luhn check digit right


@dataclass
class HrTenant:
    tenant: Any
    admin: dict[str, str]  # the client admin's headers
    member: dict[str, str]
    agent: dict[str, str]  # serves the tenant, no hr skill
    hr_agent: dict[str, str]  # serves the tenant with the hr skill


async def hr_tenant(app, admin_session, country: str | None = "SA") -> HrTenant:
    tenant = TenantFactory(services=["hr"])
    await save(admin_session, tenant)
    await save(admin_session, BusinessCalendarFactory(tenant_id=tenant.id, holiday_country=country))
    admin = await client_user(admin_session, tenant, Role.CLIENT_ADMIN)
    member = await client_user(admin_session, tenant, Role.CLIENT_MEMBER)
    agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(tenant,))
    hr_agent = await staff_user(admin_session, Role.PROVIDER_AGENT, tenants=(tenant,))
    await save(admin_session, StaffSkill(account_id=hr_agent.id, skill_code="hr"))
    return HrTenant(
        tenant,
        bearer(app, admin, Role.CLIENT_ADMIN, tenant.id),
        bearer(app, member, Role.CLIENT_MEMBER, tenant.id),
        bearer(app, agent, Role.PROVIDER_AGENT),
        bearer(app, hr_agent, Role.PROVIDER_AGENT),
    )


def employee_body(number: str = "E001", **fields: Any) -> dict[str, Any]:
    personal = {"national_id": SAUDI_ID, "iban": IBAN, "salary": 1_250_000, "currency": "SAR",
                "birth_date": "1990-04-01", "address": "King Fahd Rd, Riyadh"}  # fmt: skip
    return {"employee_number": number, "name": "Noura Saleh", "start_date": "2024-01-01",
            "department": "Finance", "personal": personal, **fields}  # fmt: skip


async def add_employee(client, headers: dict[str, str], number: str = "E001", **fields: Any) -> dict[str, Any]:
    response = await client.post(EMPLOYEES, json=employee_body(number, **fields), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()
