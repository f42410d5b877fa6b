"""Employee documents with expiry, their files kept for who may see personal data, and compliance reminders:
one hr work item a set number of days before a document expires, once per document and expiry."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bo_saas.audit.models import AuditEvent
from bo_saas.hr.case_models import ComplianceReminder, HrSettings
from bo_saas.hr.compliance import compliance_tick
from bo_saas.work.models import WorkItem
from tests.hr.case_helpers import DOCUMENTS
from tests.hr.helpers import add_employee, hr_tenant

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
PDF = b"%PDF-1.4 a work permit\n"


async def _document(client, headers, employee_id, expires_on, kind="work_permit") -> dict:
    response = await client.post(
        DOCUMENTS, json={"employee_id": employee_id, "kind": kind, "expires_on": expires_on}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _reminders(admin_session, tenant_id) -> list[tuple[str, str]]:
    items = (
        await admin_session.scalars(
            select(WorkItem)
            .where(WorkItem.tenant_id == tenant_id, WorkItem.service_type == "hr")
            .order_by(WorkItem.title)
        )
    ).all()
    found = [(item.title, item.payload["request"]) for item in items]
    await admin_session.commit()
    return found


async def test_documents_are_recorded_their_file_kept_and_shown_only_to_who_may_see_personal_data(
    app, client, admin_session
):
    hr = await hr_tenant(app, admin_session)
    employee = await add_employee(client, hr.admin)
    document = await _document(client, hr.admin, employee["id"], "2027-01-31")
    url = f"{DOCUMENTS}/{document['id']}"

    by_member = await client.post(DOCUMENTS, json={"employee_id": employee["id"], "kind": "visa"}, headers=hr.member)
    attached = await client.put(url + "/file", files={"file": ("permit.pdf", PDF, "application/pdf")},
                                headers=hr.admin)  # fmt: skip
    wrong_type = await client.put(url + "/file", files={"file": ("x.exe", b"MZ", "application/x-msdownload")},
                                  headers=hr.admin)  # fmt: skip
    downloaded = await client.get(url + "/file", headers=hr.hr_agent)
    member_download = await client.get(url + "/file", headers=hr.member)
    listed = (await client.get(DOCUMENTS, params={"employee_id": employee["id"]}, headers=hr.member)).json()
    renewed = await client.patch(url, json={"expires_on": "2028-01-31"}, headers=hr.admin)

    assert by_member.status_code == 403
    assert attached.status_code == 200 and attached.json()["has_file"] and attached.json()["file_name"] == "permit.pdf"
    assert wrong_type.status_code == 422
    assert downloaded.status_code == 200 and downloaded.content == PDF
    assert member_download.status_code == 403
    assert [(d["kind"], d["expires_on"]) for d in listed["items"]] == [("work_permit", "2027-01-31")]
    assert renewed.json()["expires_on"] == "2028-01-31"
    reads = (
        await admin_session.scalars(
            select(AuditEvent).where(AuditEvent.tenant_id == hr.tenant.id, AuditEvent.subject_type == "hr_document",
                                     AuditEvent.action == "hr.personal_data_read")
        )
    ).all()  # fmt: skip
    assert len(reads) == 1 and reads[0].changes["employee_ids"] == [employee["id"]]


async def test_a_reminder_is_raised_the_configured_days_before_expiry_once_per_document_and_expiry(
    app, client, admin_session, runtime_sessionmaker
):
    hr = await hr_tenant(app, admin_session)
    await admin_session.merge(HrSettings(tenant_id=hr.tenant.id, compliance_reminder_days=10))
    await admin_session.commit()
    employee = await add_employee(client, hr.admin)
    due = await _document(client, hr.admin, employee["id"], "2026-06-11")  # exactly 10 days after NOW
    await _document(client, hr.admin, employee["id"], "2026-06-12", kind="visa")  # 11 days: not yet

    first = await compliance_tick(runtime_sessionmaker, now=NOW)
    again = await compliance_tick(runtime_sessionmaker, now=NOW + timedelta(hours=1))
    next_day = await compliance_tick(runtime_sessionmaker, now=NOW + timedelta(days=1))
    await client.patch(f"{DOCUMENTS}/{due['id']}", json={"expires_on": "2026-06-05"}, headers=hr.admin)  # renewed
    renewed = await compliance_tick(runtime_sessionmaker, now=NOW + timedelta(days=1, hours=1))

    assert (len(first.raised), len(again.raised), len(next_day.raised), len(renewed.raised)) == (1, 0, 1, 1)
    assert await _reminders(admin_session, hr.tenant.id) == [
        ("Compliance: Noura Saleh's visa expires 2026-06-12", "compliance"),
        ("Compliance: Noura Saleh's work permit expires 2026-06-05", "compliance"),
        ("Compliance: Noura Saleh's work permit expires 2026-06-11", "compliance"),
    ]
    reminders = (await admin_session.scalars(select(ComplianceReminder))).all()
    assert len(reminders) == 3 and all(r.work_item_id for r in reminders)


async def test_two_ticks_at_once_raise_one_reminder(app, client, admin_session, runtime_sessionmaker):
    hr = await hr_tenant(app, admin_session)
    employee = await add_employee(client, hr.admin)
    await _document(client, hr.admin, employee["id"], "2026-06-20")  # within the default 30 days

    ticks = await asyncio.gather(*(compliance_tick(runtime_sessionmaker, now=NOW) for _ in range(3)))

    assert sum(len(tick.raised) for tick in ticks) == 1
    assert len(await _reminders(admin_session, hr.tenant.id)) == 1


async def test_a_leavers_documents_and_documents_without_expiry_raise_nothing(
    app, client, admin_session, runtime_sessionmaker
):
    hr = await hr_tenant(app, admin_session)
    leaver = await add_employee(client, hr.admin, "E002", end_date="2026-05-01")
    staying = await add_employee(client, hr.admin, "E003")
    await _document(client, hr.admin, leaver["id"], "2026-06-05")
    await client.post(DOCUMENTS, json={"employee_id": staying["id"], "kind": "contract"}, headers=hr.admin)

    tick = await compliance_tick(runtime_sessionmaker, now=NOW)

    assert tick.raised == [] and await _reminders(admin_session, hr.tenant.id) == []
