"""``[[hr.leave_types]]``: applying makes the tenant's types match, twice changes nothing, export writes them back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from bo_saas.hr.leave_manifest import LeaveTypeEntry, apply_leave_types, export_leave_types
from bo_saas.hr.leave_types import tenant_types
from bo_saas.tenancy.manifest_sections import ApplyContext, ExportContext, Manifest
from tests.factories import EmployeeFactory, LeaveRequestFactory, TenantFactory, save

ANNUAL = {"code": "annual", "name": "Annual leave", "kind": "annual", "accrual": "monthly", "days_per_year": 21,
          "carry_over_cap": 5, "carry_over_expiry_months": 3}  # fmt: skip
SICK = {"code": "sick", "name": "Sick leave", "kind": "sick", "days_per_year": 30}


def _context(session, tenant) -> ApplyContext:
    return ApplyContext(session, Manifest(Path("tenants/t.toml"), {}), tenant.id, tenant_created=False)


async def _apply(session, tenant, *tables: dict) -> list[str]:
    phrases = await apply_leave_types(_context(session, tenant), [LeaveTypeEntry(**table) for table in tables])
    await session.commit()
    return phrases


async def test_applying_adds_changes_and_retires_types_and_the_same_file_twice_changes_nothing(admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)

    added = await _apply(admin_session, tenant, ANNUAL, SICK)
    again = await _apply(admin_session, tenant, ANNUAL, SICK)
    changed = await _apply(admin_session, tenant, {**ANNUAL, "days_per_year": 24.5})

    assert added == ["added leave type annual", "added leave type sick"]
    assert again == []
    assert changed == ["changed leave type annual: days_per_year 21 -> 24.5", "removed leave type sick"]


async def test_a_type_with_requests_is_switched_off_not_removed_and_export_writes_the_active_ones(admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    await _apply(admin_session, tenant, ANNUAL, SICK)
    sick = next(t for t in await tenant_types(admin_session, tenant.id) if t.code == "sick")
    employee = EmployeeFactory(tenant_id=tenant.id, start_date=date(2025, 1, 1))
    await save(admin_session, employee)
    await save(admin_session, LeaveRequestFactory(tenant_id=tenant.id, employee_id=employee.id, leave_type_id=sick.id))

    retired = await _apply(admin_session, tenant, ANNUAL)
    exported = await export_leave_types(ExportContext(admin_session, tenant.id))

    assert retired == ["switched off leave type sick"]
    assert exported == [{**ANNUAL, "allow_negative": False}]
    assert [LeaveTypeEntry(**table).rule() for table in exported] == [LeaveTypeEntry(**ANNUAL).rule()]


def test_a_rule_that_does_not_hold_together_is_refused_naming_the_key():
    with pytest.raises(ValidationError) as refused:
        LeaveTypeEntry(code="unpaid", name="Unpaid", accrual="none", days_per_year=3, carry_over_cap=2)

    reasons = {error["loc"][-1]: error["msg"] for error in refused.value.errors()}
    assert reasons == {
        "days_per_year": 'must be 0 when accrual is "none" (nothing accrues)',
        "carry_over_cap": 'must be 0 when accrual is "none" (nothing accrues to carry)',
    }
