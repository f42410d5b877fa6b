"""Checklist templates and onboarding/offboarding cases through the API: an hr work item with its tasks,
due in business days on the tenant's calendar, owned by the provider or the client, and the item not done
before every task is ticked."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bo_saas.tenancy.models import BusinessCalendar
from bo_saas.work.models import WorkItem
from tests.hr.case_helpers import CASES, CHECKLISTS, add_template, employee_with_template, start_case
from tests.hr.helpers import add_employee, hr_tenant

HOLIDAY = date(2026, 2, 8)  # a Sunday, which the factory's Sun-Thu week would otherwise open


async def _with_holiday(admin_session, tenant_id) -> None:
    calendar = await admin_session.scalar(select(BusinessCalendar).where(BusinessCalendar.tenant_id == tenant_id))
    calendar.holidays = [HOLIDAY]
    await admin_session.commit()


async def test_templates_are_added_listed_renamed_and_a_repeated_name_is_refused(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    made = await add_template(client, hr.admin)
    await add_template(client, hr.hr_agent | {"X-Tenant": str(hr.tenant.id)}, name="Leaver", kind="offboarding",
                       tasks=[{"title": "Collect the badge"}])  # fmt: skip

    again = await client.post(CHECKLISTS, json={"kind": "onboarding", "name": "Standard onboarding",
                                                "tasks": [{"title": "x"}]}, headers=hr.admin)  # fmt: skip
    empty = await client.post(CHECKLISTS, json={"kind": "onboarding", "name": "Empty", "tasks": []}, headers=hr.admin)
    renamed = await client.patch(f"{CHECKLISTS}/{made['id']}", json={"name": "Joiners"}, headers=hr.admin)
    by_member = await client.patch(f"{CHECKLISTS}/{made['id']}", json={"name": "No"}, headers=hr.member)
    listed = (await client.get(CHECKLISTS, headers=hr.member)).json()

    assert again.status_code == 409 and again.json()["extra"] == {"field": "name"}
    assert empty.status_code == 400
    assert renamed.status_code == 200 and renamed.json()["name"] == "Joiners"
    assert by_member.status_code == 403
    assert [(t["kind"], t["name"]) for t in listed] == [("onboarding", "Joiners"), ("offboarding", "Leaver")]
    assert listed[1]["tasks"] == [{"title": "Collect the badge", "owner": "provider", "due_days": 0}]


async def test_an_onboarding_case_makes_a_queued_hr_item_with_tasks_due_in_business_days(app, client, admin_session):
    hr = await hr_tenant(app, admin_session, country=None)
    await _with_holiday(admin_session, hr.tenant.id)
    employee = await employee_with_template(client, hr, start_date="2026-02-05")  # a Thursday

    started = await start_case(client, hr.admin, employee["id"])

    assert started.status_code == 201, started.text
    case = started.json()
    item = await admin_session.get(WorkItem, (hr.tenant.id, case["work_item_id"]))
    assert (item.service_type, item.state.value, item.payload["request"]) == ("hr", "queued", "hire")
    assert item.title == "Onboarding: Noura Saleh"
    # Sun-Thu week: -1 is Wednesday; +1 skips Friday, Saturday and the Sunday holiday; +2 is Tuesday.
    assert [(t["title"], t["owner"], t["due_date"]) for t in case["tasks"]] == [
        ("Order the laptop", "provider", "2026-02-04"),
        ("Sign the contract", "client", "2026-02-05"),
        ("Register with social insurance", "provider", "2026-02-09"),
        ("Welcome lunch", "client", "2026-02-10"),
    ]
    assert case["open_tasks"] == 4 and case["template_name"] == "Standard onboarding"
    found = (await client.get(CASES, params={"work_item_id": case["work_item_id"]}, headers=hr.member)).json()
    assert [c["id"] for c in found["items"]] == [case["id"]]


async def test_the_item_cannot_be_done_while_tasks_are_open_and_can_once_all_are_ticked(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    employee = await employee_with_template(client, hr)
    case = (await start_case(client, hr.admin, employee["id"])).json()
    item_url = f"/api/v1/work-items/{case['work_item_id']}/transitions"
    claimed = await client.post("/api/v1/queue/claim", headers=hr.hr_agent | {"X-Tenant": str(hr.tenant.id)})
    assert claimed.status_code == 200, claimed.text

    early = await client.post(item_url, json={"to": "done"}, headers=hr.hr_agent)
    for task in case["tasks"]:
        ticked = await client.patch(f"{CASES}/{case['id']}/tasks/{task['id']}", json={"done": True},
                                    headers=hr.hr_agent)  # fmt: skip
        assert ticked.status_code == 200, ticked.text
    done = await client.post(item_url, json={"to": "done"}, headers=hr.hr_agent)

    assert early.status_code == 409 and "4 checklist tasks open" in early.json()["detail"]
    assert ticked.json()["open_tasks"] == 0 and all(t["done"] and t["done_at"] for t in ticked.json()["tasks"])
    assert done.status_code == 200, done.text


async def test_the_client_admin_ticks_the_clients_tasks_only_and_a_member_none(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    employee = await employee_with_template(client, hr)
    case = (await start_case(client, hr.admin, employee["id"])).json()
    provider_task, client_task = case["tasks"][0], case["tasks"][1]
    url = f"{CASES}/{case['id']}/tasks/"

    theirs = await client.patch(url + provider_task["id"], json={"done": True}, headers=hr.admin)
    own = await client.patch(url + client_task["id"], json={"done": True}, headers=hr.admin)
    by_member = await client.patch(url + client_task["id"], json={"done": False}, headers=hr.member)
    undone = await client.patch(url + client_task["id"], json={"done": False}, headers=hr.admin)

    assert theirs.status_code == 403 and "provider" in theirs.json()["detail"]
    assert own.status_code == 200 and own.json()["open_tasks"] == 3
    assert by_member.status_code == 403
    assert undone.status_code == 200 and undone.json()["open_tasks"] == 4


async def test_a_case_that_cannot_start_is_refused_naming_why_and_makes_no_item(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    employee = await employee_with_template(client, hr)

    no_template = await start_case(client, hr.admin, employee["id"], kind="offboarding")
    await add_template(client, hr.admin, name="Leaver", kind="offboarding", tasks=[{"title": "Badge"}])
    no_last_day = await start_case(client, hr.admin, employee["id"], kind="offboarding")
    by_agent = await start_case(client, hr.agent | {"X-Tenant": str(hr.tenant.id)}, employee["id"])
    by_member = await start_case(client, hr.member, employee["id"])

    assert no_template.status_code == 422 and "template" in no_template.json()["extra"]["problems"]
    assert no_last_day.status_code == 422 and "reference_date" in no_last_day.json()["extra"]["problems"]
    assert by_agent.status_code == 403 and by_member.status_code == 403
    items = (await admin_session.scalars(select(WorkItem).where(WorkItem.tenant_id == hr.tenant.id))).all()
    assert items == []


async def test_an_offboarding_case_counts_from_the_last_day(app, client, admin_session):
    hr = await hr_tenant(app, admin_session, country=None)
    await add_template(client, hr.admin, name="Leaver", kind="offboarding",
                       tasks=[{"title": "Collect the laptop", "owner": "client", "due_days": 0},
                              {"title": "Final settlement", "due_days": 3}])  # fmt: skip
    employee = await add_employee(client, hr.admin, end_date="2026-02-05")

    case = (await start_case(client, hr.admin, employee["id"], kind="offboarding")).json()

    assert [t["due_date"] for t in case["tasks"]] == ["2026-02-05", "2026-02-10"]  # Sun, Mon, Tue
    item = await admin_session.get(WorkItem, (hr.tenant.id, case["work_item_id"]))
    assert item.payload["request"] == "offboarding" and item.title == "Offboarding: Noura Saleh"


async def test_an_hr_item_without_a_case_is_worked_as_any_other(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    asked = await client.post(
        "/api/v1/work-items",
        json={"service_type": "hr", "title": "Change of address",
              "payload": {"request": "change", "details": "New address for E001"}, "submit": True},
        headers=hr.admin,
    )  # fmt: skip
    assert asked.status_code == 201, asked.text
    await client.post("/api/v1/queue/claim", headers=hr.hr_agent | {"X-Tenant": str(hr.tenant.id)})

    done = await client.post(f"/api/v1/work-items/{asked.json()['id']}/transitions", json={"to": "done"},
                             headers=hr.hr_agent)  # fmt: skip

    assert done.status_code == 200, done.text
