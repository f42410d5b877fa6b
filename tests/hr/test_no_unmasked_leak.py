"""Every employee route, called by each role that may not see personal data, answers without any of it."""

from __future__ import annotations

from tests.hr.helpers import EMPLOYEES, IBAN, SAUDI_ID, add_employee, hr_tenant

SECRETS = (IBAN, SAUDI_ID, "1250000", "1990-04-01", "King Fahd")


async def test_no_route_shows_a_personal_value_to_a_member_or_an_agent_without_the_hr_skill(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    made = await add_employee(client, hr.admin)
    one = f"{EMPLOYEES}/{made['id']}"
    csv = b"employee_number,name,start_date\nE001,Noura Saleh,2024-01-01\n"

    for who in ("member", "agent"):
        headers = getattr(hr, who)
        answers = [
            await client.get(EMPLOYEES, headers=headers),
            await client.get(EMPLOYEES, params={"search": "Noura", "status": "active"}, headers=headers),
            await client.get(one, headers=headers),
            await client.patch(one, json={"job_title": "Peek"}, headers=headers),
            await client.post(EMPLOYEES, json={"employee_number": "E9", "name": "X", "start_date": "2024-01-01"},
                              headers=headers),
            await client.post(f"{EMPLOYEES}/import", files={"file": ("s.csv", csv, "text/csv")}, headers=headers),
        ]  # fmt: skip

        assert [answer.status_code for answer in answers] == [200, 200, 200, 403, 403, 403], who
        leaked = [secret for answer in answers for secret in SECRETS if secret in answer.text]
        assert leaked == [], who
