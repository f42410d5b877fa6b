"""Employees through the API: personal data shown only to who may see it, every unmasked read audited,
bad values refused naming the field, and another tenant's employees not there."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bo_saas.audit.models import AuditEvent
from bo_saas.hr.models import Employee
from bo_saas.lib.clock import utc_now
from tests.hr.helpers import EMPLOYEES, IBAN, SAUDI_ID, add_employee, employee_body, hr_tenant

MASKED = {"national_id": None, "iban": None, "salary": None, "currency": None, "birth_date": None, "address": None}


async def _reads(admin_session, tenant_id) -> list[AuditEvent]:
    rows = await admin_session.scalars(
        select(AuditEvent)
        .where(AuditEvent.tenant_id == tenant_id, AuditEvent.action == "hr.personal_data_read")
        .order_by(AuditEvent.occurred_at)
    )
    events = list(rows)
    await admin_session.commit()
    return events


async def test_client_admin_and_hr_staff_see_personal_data_others_get_it_masked(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    made = await add_employee(client, hr.admin)
    url = f"{EMPLOYEES}/{made['id']}"

    seen = {who: (await client.get(url, headers=getattr(hr, who))).json() for who in
            ("admin", "member", "agent", "hr_agent")}  # fmt: skip

    assert seen["admin"]["personal"] == {"national_id": SAUDI_ID, "iban": IBAN, "salary": 1_250_000,
                                         "currency": "SAR", "birth_date": "1990-04-01",
                                         "address": "King Fahd Rd, Riyadh"}  # fmt: skip
    assert seen["hr_agent"]["personal"] == seen["admin"]["personal"]
    assert seen["member"]["personal"] == MASKED
    assert seen["agent"]["personal"] == MASKED
    assert seen["member"]["name"] == "Noura Saleh" and seen["member"]["status"] == "active"
    listed = (await client.get(EMPLOYEES, headers=hr.member)).json()["items"]
    assert [row["personal"] for row in listed] == [MASKED]


async def test_personal_data_is_stored_encrypted_not_in_clear(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    made = await add_employee(client, hr.admin)

    row = await admin_session.get(Employee, (hr.tenant.id, made["id"]))
    stored = row.personal_sealed

    assert stored is not None and stored.startswith(b"\x03dev")
    for clear in (IBAN.encode(), SAUDI_ID.encode(), b"Riyadh", b"1250000"):
        assert clear not in stored


async def test_an_unmasked_read_is_audited_once_per_request_listing_the_employees(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    first = await add_employee(client, hr.admin, "E001")
    second = await add_employee(client, hr.admin, "E002")

    await client.get(EMPLOYEES, headers=hr.member)
    await client.get(f"{EMPLOYEES}/{first['id']}", headers=hr.agent)
    assert await _reads(admin_session, hr.tenant.id) == []

    await client.get(EMPLOYEES, headers=hr.hr_agent)
    await client.get(f"{EMPLOYEES}/{second['id']}", headers=hr.admin)
    events = await _reads(admin_session, hr.tenant.id)

    assert [event.changes["employee_ids"] for event in events] == [[first["id"], second["id"]], [second["id"]]]
    assert events[1].subject_id == second["id"]

    await client.patch(f"{EMPLOYEES}/{first['id']}", json={"job_title": "Lead"}, headers=hr.admin)
    assert (await _reads(admin_session, hr.tenant.id))[-1].changes == {"employee_ids": [first["id"]]}


async def test_a_bad_iban_or_national_id_is_refused_naming_the_field_and_nothing_is_saved(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    body = employee_body()
    body["personal"] |= {"iban": "DE89370400440532013001", "national_id": "1000000009"}

    refused = await client.post(EMPLOYEES, json=body, headers=hr.admin)

    assert refused.status_code == 422
    assert set(refused.json()["extra"]["problems"]) == {"iban", "national_id"}
    assert "checksum" in refused.json()["extra"]["problems"]["iban"].lower()
    assert (await client.get(EMPLOYEES, headers=hr.admin)).json()["total"] == 0


async def test_a_salary_without_currency_a_missing_name_or_a_duplicate_number_answer_4xx(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    await add_employee(client, hr.admin, "E001")
    no_currency = employee_body("E002")
    del no_currency["personal"]["currency"]

    unpriced = await client.post(EMPLOYEES, json=no_currency, headers=hr.admin)
    nameless = await client.post(EMPLOYEES, json={"employee_number": "E3", "start_date": "2024-01-01"},
                                 headers=hr.admin)  # fmt: skip
    twice = await client.post(EMPLOYEES, json=employee_body("E001"), headers=hr.admin)

    assert unpriced.status_code == 422 and "currency" in unpriced.json()["extra"]["problems"]
    assert nameless.status_code == 400 and "name" in nameless.text
    assert twice.status_code == 409 and twice.json()["extra"] == {"field": "employee_number"}


async def test_only_the_client_admin_and_hr_staff_change_employees(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    made = await add_employee(client, hr.hr_agent, "E001")
    url = f"{EMPLOYEES}/{made['id']}"

    by_member = await client.post(EMPLOYEES, json=employee_body("E002"), headers=hr.member)
    by_agent = await client.patch(url, json={"job_title": "Lead"}, headers=hr.agent)
    by_admin = await client.patch(url, json={"job_title": "Lead"}, headers=hr.admin)

    assert (by_member.status_code, by_agent.status_code, by_admin.status_code) == (403, 403, 200)
    assert by_admin.json()["job_title"] == "Lead"


async def test_status_follows_leave_and_the_last_working_day(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    staying = await add_employee(client, hr.admin, "E001")
    leaving = await add_employee(client, hr.admin, "E002")
    yesterday = (utc_now() - timedelta(days=2)).date().isoformat()

    away = await client.patch(f"{EMPLOYEES}/{staying['id']}", json={"status": "on_leave"}, headers=hr.admin)
    gone = await client.patch(f"{EMPLOYEES}/{leaving['id']}", json={"end_date": yesterday}, headers=hr.admin)
    terminated = (await client.get(EMPLOYEES, params={"status": "terminated"}, headers=hr.member)).json()

    assert away.json()["status"] == "on_leave" and gone.json()["status"] == "terminated"
    assert [row["employee_number"] for row in terminated["items"]] == ["E002"]
    assert gone.json()["personal"]["iban"] == IBAN  # a change without `personal` keeps it


async def test_lists_filter_by_department_and_search_and_page(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    await add_employee(client, hr.admin, "E001", name="Ali Hassan", department="Sales")
    await add_employee(client, hr.admin, "E002", name="Sara Ali", department="Finance")
    await add_employee(client, hr.admin, "E003", name="Omar Zaid", department="Finance")

    finance = (await client.get(EMPLOYEES, params={"department": "Finance"}, headers=hr.member)).json()
    alis = (await client.get(EMPLOYEES, params={"search": "ali"}, headers=hr.member)).json()
    page = (await client.get(EMPLOYEES, params={"limit": 1, "offset": 1}, headers=hr.member)).json()

    assert [row["employee_number"] for row in finance["items"]] == ["E002", "E003"]
    assert [row["employee_number"] for row in alis["items"]] == ["E001", "E002"]
    assert (page["total"], [row["employee_number"] for row in page["items"]]) == (3, ["E002"])


async def test_a_manager_must_be_an_employee_of_the_same_tenant(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    other = await hr_tenant(app, admin_session)
    boss = await add_employee(client, hr.admin, "E001")
    elsewhere = await add_employee(client, other.admin, "X001")

    managed = await client.post(EMPLOYEES, json=employee_body("E002", manager_id=boss["id"]), headers=hr.admin)
    foreign = await client.post(EMPLOYEES, json=employee_body("E003", manager_id=elsewhere["id"]), headers=hr.admin)

    assert managed.status_code == 201 and managed.json()["manager_id"] == boss["id"]
    assert foreign.status_code == 422 and "manager_id" in foreign.json()["extra"]["problems"]


async def test_another_tenants_employee_answers_404(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    other = await hr_tenant(app, admin_session)
    theirs = await add_employee(client, other.admin, "X001")
    url = f"{EMPLOYEES}/{theirs['id']}"

    read = await client.get(url, headers=hr.admin)
    changed = await client.patch(url, json={"name": "Taken"}, headers=hr.hr_agent)
    listed = (await client.get(EMPLOYEES, headers=hr.admin)).json()

    assert (read.status_code, changed.status_code, listed["total"]) == (404, 404, 0)
    assert (await client.get(url, headers=other.admin)).json()["name"] == "Noura Saleh"


async def test_a_null_clears_manager_end_date_and_contact_fields_while_a_left_out_field_keeps_its_value(
    app, client, admin_session
):
    hr = await hr_tenant(app, admin_session)
    boss = await add_employee(client, hr.admin, "E001")
    made = await add_employee(
        client, hr.admin, "E002", manager_id=boss["id"], end_date="2024-06-30", email="noura@example.com",
        job_title="Accountant",
    )  # fmt: skip
    url = f"{EMPLOYEES}/{made['id']}"

    renamed = (await client.patch(url, json={"name": "Noura S."}, headers=hr.admin)).json()
    rehired = (await client.patch(url, json={"end_date": None, "manager_id": None}, headers=hr.admin)).json()
    cleared = (await client.patch(url, json={"email": None, "job_title": None, "department": None},
                                  headers=hr.admin)).json()  # fmt: skip
    kept_name = (await client.patch(url, json={"name": None, "start_date": None}, headers=hr.admin)).json()

    assert (renamed["manager_id"], renamed["end_date"], renamed["status"]) == (boss["id"], "2024-06-30", "terminated")
    assert (renamed["email"], renamed["job_title"], renamed["department"]) == (
        "noura@example.com", "Accountant", "Finance")  # fmt: skip
    assert (rehired["manager_id"], rehired["end_date"], rehired["status"]) == (None, None, "active")
    assert rehired["email"] == "noura@example.com" and rehired["personal"]["iban"] == IBAN
    assert (cleared["email"], cleared["job_title"], cleared["department"]) == (None, None, None)
    assert (kept_name["name"], kept_name["start_date"]) == ("Noura S.", "2024-01-01")
    stored = await admin_session.get(Employee, (hr.tenant.id, made["id"]))
    assert (stored.manager_id, stored.end_date, stored.email) == (None, None, None)
