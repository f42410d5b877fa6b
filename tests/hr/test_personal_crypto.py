"""Personal data sealing: it opens only on its own row, tampering is caught, and keys rotate without losing a row."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from uuid import uuid4

import pytest
from sqlalchemy import select

from bo_saas.hr.crypto import Keyring, SealedDataError, keyring
from bo_saas.hr.models import Employee
from bo_saas.hr.personal import Personal, opened, seal_onto
from tests.factories import EmployeeFactory, TenantFactory, save
from tests.hr.helpers import EMPLOYEES, IBAN, add_employee, hr_tenant

OLD, NEW = os.urandom(32), os.urandom(32)
FIELDS = {"iban": IBAN, "salary": 900_000, "currency": "EUR"}


def _setting(*pairs: tuple[str, bytes]) -> str:
    return ",".join(f"{key_id}:{base64.b64encode(key).decode()}" for key_id, key in pairs)


def test_a_sealed_blob_opens_on_its_own_row_and_nowhere_else():
    ring = Keyring.from_pairs([("k1", OLD)])
    tenant, employee = uuid4(), uuid4()
    blob = ring.seal(tenant, employee, FIELDS)

    assert ring.open(tenant, employee, blob) == FIELDS
    with pytest.raises(SealedDataError, match="does not belong"):
        ring.open(tenant, uuid4(), blob)  # another employee
    with pytest.raises(SealedDataError, match="does not belong"):
        ring.open(uuid4(), employee, blob)  # the same id in another tenant
    flipped = bytearray(blob)
    flipped[-1] ^= 1
    with pytest.raises(SealedDataError, match="altered"):
        ring.open(tenant, employee, bytes(flipped))
    with pytest.raises(SealedDataError, match="no longer has"):
        Keyring.from_pairs([("k2", NEW)]).open(tenant, employee, blob)


async def test_a_blob_copied_onto_another_employee_in_the_database_does_not_open(admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    ring = Keyring.from_pairs([("k1", OLD)])
    noura, omar = EmployeeFactory(tenant_id=tenant.id), EmployeeFactory(tenant_id=tenant.id)
    seal_onto(ring, noura, Personal(iban=IBAN))
    await save(admin_session, noura, omar)

    omar.personal_sealed = noura.personal_sealed
    await admin_session.commit()
    stored = await admin_session.get(Employee, (tenant.id, omar.id), populate_existing=True)

    assert opened(ring, noura).iban == IBAN
    with pytest.raises(SealedDataError):
        opened(ring, stored)


def test_without_configured_keys_a_development_key_is_derived_from_the_secret(settings):
    ring = keyring(settings)
    configured = keyring(settings.model_copy(update={"hr_keys": (_setting(("k1", OLD)),)}))

    assert ring.sealing_id == "dev" and len(ring.keys["dev"]) == 32
    assert configured.sealing_id == "k1"
    assert configured.keys["dev"] == ring.keys["dev"]  # still opens what was sealed before keys were set


def _rotate(*pairs: tuple[str, bytes]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bo_saas.server.cli", "hr", "rotate-keys"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "BO_HR_KEYS": _setting(*pairs)},
    )  # fmt: skip


async def test_rotate_keys_reseals_every_row_with_the_new_key_and_the_old_key_can_then_go(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    made_on_dev = await add_employee(client, hr.admin, "E001")  # sealed with the development key
    old_ring = Keyring.from_pairs([("old", OLD)])
    on_old = [EmployeeFactory(tenant_id=hr.tenant.id) for _ in range(3)]
    for employee in on_old:
        seal_onto(old_ring, employee, Personal(iban=IBAN, salary=1000, currency="EUR"))
    await save(admin_session, *on_old)
    both = Keyring.from_pairs([("new", NEW), ("old", OLD), ("dev", keyring(app.state.settings).keys["dev"])])
    assert all(opened(both, employee).iban == IBAN for employee in on_old)  # readable once the new key is added

    result = _rotate(("new", NEW), ("old", OLD))
    rows = list(
        await admin_session.scalars(
            select(Employee).where(Employee.tenant_id == hr.tenant.id).execution_options(populate_existing=True)
        )
    )
    await admin_session.commit()

    assert result.returncode == 0, result.stderr
    assert "resealed 4 employee record(s) with key new" in result.stdout
    new_only = Keyring.from_pairs([("new", NEW)])
    assert {new_only.key_id_of(row.personal_sealed) for row in rows} == {"new"}
    assert sorted(opened(new_only, row).iban for row in rows) == [IBAN] * 4
    assert made_on_dev["id"] in {str(row.id) for row in rows}
    assert (await client.get(EMPLOYEES, headers=hr.member)).json()["total"] == 4


async def test_rotate_keys_without_the_key_a_row_was_sealed_with_fails_clearly_and_changes_nothing(admin_session):
    tenant = TenantFactory()
    await save(admin_session, tenant)
    employee = EmployeeFactory(tenant_id=tenant.id)
    seal_onto(Keyring.from_pairs([("old", OLD)]), employee, Personal(iban=IBAN))
    await save(admin_session, employee)
    before = employee.personal_sealed

    result = _rotate(("new", NEW))
    stored = await admin_session.get(Employee, (tenant.id, employee.id), populate_existing=True)

    assert result.returncode == 1
    assert "'old', which BO_HR_KEYS no longer has" in result.stderr
    assert stored.personal_sealed == before
