"""Leave through the API on the real database: working days from the tenant's calendar, the balance rule,
overlaps, who decides (and for whom), the calendar of who is away, and balances across carry-over expiry."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from bo_saas.audit.models import AuditEvent
from bo_saas.tenancy.models import BusinessCalendar
from tests.factories import EmployeeFactory, save
from tests.hr.helpers import hr_tenant

TYPES = "/api/v1/hr/leave-types"
REQUESTS = "/api/v1/hr/leave-requests"
ANNUAL = {"code": "annual", "name": "Annual leave", "kind": "annual", "accrual": "yearly", "days_per_year": 21,
          "carry_over_cap": 5, "carry_over_expiry_months": 3}  # fmt: skip


async def _setup(app, client, admin_session, *types: dict):
    """A tenant working Sunday to Thursday with 2027-03-10 a holiday, one employee since 2025, the types given."""
    hr = await hr_tenant(app, admin_session, country=None)
    await admin_session.execute(
        update(BusinessCalendar).where(BusinessCalendar.tenant_id == hr.tenant.id).values(holidays=[date(2027, 3, 10)])
    )
    employee = EmployeeFactory(tenant_id=hr.tenant.id, start_date=date(2025, 1, 1), name="Huda Karim")
    await save(admin_session, employee)
    for body in types or (ANNUAL,):
        response = await client.post(TYPES, json=body, headers=hr.admin)
        assert response.status_code == 201, response.text
    return hr, employee


def _ask(employee, start: str, end: str, leave_type: str = "annual") -> dict:
    return {"employee_id": str(employee.id), "leave_type": leave_type, "start_date": start, "end_date": end}


async def test_a_request_counts_working_days_skipping_the_weekend_and_holidays(app, client, admin_session):
    hr, employee = await _setup(app, client, admin_session)

    # Sun 2027-03-07 .. Sat 2027-03-13: Sun-Thu work, Wed 10th a holiday, Fri-Sat weekend -> 4 days.
    response = await client.post(REQUESTS, json=_ask(employee, "2027-03-07", "2027-03-13"), headers=hr.member)

    assert response.status_code == 201, response.text
    assert response.json()["days"] == 4 and response.json()["status"] == "pending"


async def test_a_request_over_the_balance_is_refused_listing_the_problem_unless_negative_is_allowed(
    app, client, admin_session
):
    relaxed = {**ANNUAL, "code": "flex", "allow_negative": True}
    unpaid = {"code": "unpaid", "name": "Unpaid", "kind": "unpaid", "accrual": "none"}
    hr, employee = await _setup(app, client, admin_session, ANNUAL, relaxed, unpaid)
    first = await client.post(REQUESTS, json=_ask(employee, "2027-05-02", "2027-05-27"), headers=hr.admin)  # 20
    assert first.status_code == 201, first.text

    # 21 + 5 carried from 2026, which lapse after March (May's leave is later): 1 left; two weeks is 10.
    over = await client.post(REQUESTS, json=_ask(employee, "2027-06-06", "2027-06-17"), headers=hr.admin)
    flex = await client.post(REQUESTS, json=_ask(employee, "2027-06-06", "2027-06-17", "flex"), headers=hr.admin)
    await client.post(f"{REQUESTS}/{flex.json()['id']}/reject", json={"reason": "x"}, headers=hr.admin)
    unpaid_leave = await client.post(
        REQUESTS, json=_ask(employee, "2027-06-06", "2027-06-17", "unpaid"), headers=hr.admin
    )

    assert over.status_code == 422
    assert over.json()["extra"]["problems"] == [
        "asks for 10 working days of annual but only 1 are available on 2027-06-17 (accrued 21 + carried 5 - "
        "expired 5 - taken or requested 20); annual does not allow a negative balance"
    ]
    assert flex.status_code == 201 and unpaid_leave.status_code == 201


async def test_bad_dates_and_an_unknown_type_are_refused_together(app, client, admin_session):
    hr, employee = await _setup(app, client, admin_session)

    response = await client.post(REQUESTS, json=_ask(employee, "2024-12-30", "2024-12-20", "gone"), headers=hr.admin)

    assert response.status_code == 422
    assert len(response.json()["extra"]["problems"]) == 3  # unknown type, end before start, before employment


async def test_overlapping_the_employees_own_pending_or_approved_leave_is_refused(app, client, admin_session):
    hr, employee = await _setup(app, client, admin_session)
    other = EmployeeFactory(tenant_id=hr.tenant.id, start_date=date(2025, 1, 1))
    await save(admin_session, other)
    first = (await client.post(REQUESTS, json=_ask(employee, "2027-04-04", "2027-04-08"), headers=hr.admin)).json()

    clash = await client.post(REQUESTS, json=_ask(employee, "2027-04-08", "2027-04-12"), headers=hr.admin)
    colleague = await client.post(REQUESTS, json=_ask(other, "2027-04-08", "2027-04-12"), headers=hr.admin)
    await client.post(f"{REQUESTS}/{first['id']}/reject", json={"reason": "Audit week"}, headers=hr.admin)
    after_rejection = await client.post(REQUESTS, json=_ask(employee, "2027-04-08", "2027-04-12"), headers=hr.admin)

    assert clash.status_code == 409 and clash.json()["extra"]["overlapping"] == [first["id"]]
    assert colleague.status_code == 201 and after_rejection.status_code == 201


async def test_the_client_admin_approves_and_hr_staff_approve_only_on_a_named_admins_behalf(app, client, admin_session):
    hr, employee = await _setup(app, client, admin_session)
    mine = (await client.post(REQUESTS, json=_ask(employee, "2027-04-04", "2027-04-04"), headers=hr.admin)).json()
    theirs = (await client.post(REQUESTS, json=_ask(employee, "2027-04-05", "2027-04-05"), headers=hr.admin)).json()
    admin_id = (await client.get("/api/v1/me", headers=hr.admin)).json()["id"]

    member = await client.post(f"{REQUESTS}/{mine['id']}/approve", json={}, headers=hr.member)
    agent = await client.post(f"{REQUESTS}/{mine['id']}/approve", json={}, headers=hr.agent)
    unnamed = await client.post(f"{REQUESTS}/{theirs['id']}/approve", json={}, headers=hr.hr_agent)
    by_admin = await client.post(f"{REQUESTS}/{mine['id']}/approve", json={}, headers=hr.admin)
    on_behalf = await client.post(
        f"{REQUESTS}/{theirs['id']}/approve", json={"on_behalf_of": admin_id}, headers=hr.hr_agent
    )
    again = await client.post(f"{REQUESTS}/{mine['id']}/approve", json={}, headers=hr.admin)

    assert (member.status_code, agent.status_code, unnamed.status_code) == (403, 403, 422)
    assert by_admin.json()["status"] == "approved" and by_admin.json()["decided_by"] == admin_id
    assert by_admin.json()["decided_on_behalf_of"] is None
    assert on_behalf.json()["status"] == "approved" and on_behalf.json()["decided_on_behalf_of"] == admin_id
    assert on_behalf.json()["decided_by"] not in (None, admin_id)
    assert again.status_code == 409
    approvals = select(AuditEvent).where(AuditEvent.tenant_id == hr.tenant.id, AuditEvent.action == "hr.leave_approved")
    events = list(await admin_session.scalars(approvals.order_by(AuditEvent.occurred_at)))
    assert [event.changes["on_behalf_of"] for event in events] == [None, admin_id]


async def test_a_rejection_needs_a_reason_and_keeps_it(app, client, admin_session):
    hr, employee = await _setup(app, client, admin_session)
    asked = (await client.post(REQUESTS, json=_ask(employee, "2027-04-04", "2027-04-04"), headers=hr.admin)).json()

    without = await client.post(f"{REQUESTS}/{asked['id']}/reject", json={"reason": ""}, headers=hr.admin)
    rejected = await client.post(f"{REQUESTS}/{asked['id']}/reject", json={"reason": "Year end"}, headers=hr.admin)

    assert without.status_code == 400
    assert rejected.json()["status"] == "rejected" and rejected.json()["reject_reason"] == "Year end"


async def test_the_calendar_shows_who_is_away_between_two_days(app, client, admin_session):
    hr, employee = await _setup(app, client, admin_session)
    away = (await client.post(REQUESTS, json=_ask(employee, "2027-04-04", "2027-04-08"), headers=hr.admin)).json()
    later = (await client.post(REQUESTS, json=_ask(employee, "2027-06-06", "2027-06-06"), headers=hr.admin)).json()
    await client.post(f"{REQUESTS}/{away['id']}/approve", json={}, headers=hr.admin)
    url = "/api/v1/hr/leave-calendar?from=2027-04-06&to=2027-06-30"
    tenant = {"X-Tenant": str(hr.tenant.id)}

    approved_only = (await client.get(url, headers=hr.member)).json()
    with_pending = (await client.get(url + "&include_pending=true", headers={**hr.hr_agent, **tenant})).json()

    assert [(row["employee_name"], row["start_date"]) for row in approved_only["away"]] == [
        ("Huda Karim", "2027-04-04")
    ]
    assert approved_only["from"] == "2027-04-06"
    assert [row["request_id"] for row in with_pending["away"]] == [away["id"], later["id"]]


async def test_balances_follow_the_requests_across_carry_over_expiry(app, client, admin_session):
    hr, employee = await _setup(app, client, admin_session)
    asked = (await client.post(REQUESTS, json=_ask(employee, "2027-02-07", "2027-02-08"), headers=hr.admin)).json()
    await client.post(f"{REQUESTS}/{asked['id']}/approve", json={}, headers=hr.admin)
    url = f"/api/v1/hr/leave-balances?employee_id={employee.id}&as_of="

    def annual(body: dict) -> dict:
        (row,) = body["items"]
        return next(b for b in row["balances"] if b["leave_type"] == "annual")

    march = annual((await client.get(url + "2027-03-31", headers=hr.member)).json())
    april = annual((await client.get(url + "2027-04-01", headers=hr.member)).json())

    assert (march["accrued"], march["carried"], march["expired"], march["taken"], march["balance"]) == (21, 5, 0, 2, 24)
    assert (april["expired"], april["balance"], april["carry_over_expires_on"]) == (3, 21, "2027-04-01")
