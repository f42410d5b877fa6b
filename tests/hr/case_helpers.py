"""What the HR cases tests share: a template through the API and a case started for a new employee."""

from __future__ import annotations

from typing import Any

from tests.hr.helpers import add_employee

CHECKLISTS = "/api/v1/hr/checklists"
CASES = "/api/v1/hr/cases"
DOCUMENTS = "/api/v1/hr/documents"
ONBOARDING_TASKS = [
    {"title": "Order the laptop", "owner": "provider", "due_days": -1},
    {"title": "Sign the contract", "owner": "client", "due_days": 0},
    {"title": "Register with social insurance", "owner": "provider", "due_days": 1},
    {"title": "Welcome lunch", "owner": "client", "due_days": 2},
]


async def add_template(client, headers, name="Standard onboarding", kind="onboarding", tasks=None) -> dict[str, Any]:
    response = await client.post(
        CHECKLISTS, json={"kind": kind, "name": name, "tasks": tasks or ONBOARDING_TASKS}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def start_case(client, headers, employee_id, kind="onboarding", **fields) -> Any:
    return await client.post(CASES, json={"employee_id": employee_id, "kind": kind, **fields}, headers=headers)


async def employee_with_template(client, hr, **employee_fields) -> dict[str, Any]:
    await add_template(client, hr.admin)
    return await add_employee(client, hr.admin, **employee_fields)
