"""The isolation walker's entries for the HR desk's checklists, cases (with their tasks) and employee documents."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from sqlalchemy import select, update

from bo_saas.hr.case_models import CaseTask, ChecklistTemplate, EmployeeDocument, HrCase
from bo_saas.hr.models import Employee
from bo_saas.tenancy.models import Tenant
from bo_saas.work.models import Attachment
from tests.desk import queued_item
from tests.isolation.walker import Entry

CHECKLISTS = "/api/v1/hr/checklists"
CHECKLIST = CHECKLISTS + "/{template_id:uuid}"
CASES = "/api/v1/hr/cases"
CASE = CASES + "/{case_id:uuid}"
TASK = CASE + "/tasks/{task_id:uuid}"
DOCUMENTS = "/api/v1/hr/documents"
DOCUMENT = DOCUMENTS + "/{document_id:uuid}"
TEMPLATE_NAME = "Walk onboarding"
TASKS = [{"title": "Walk task", "owner": "client", "due_days": 1}]


def _own(t, w) -> dict:
    return {"X-Tenant": str(t.tenant.id)}


def _at(base: str, key: str):
    return lambda t, w: f"{base}/{t.work[key]}"


ROUTES = [
    Entry("GET", CHECKLISTS, "client_member", lambda t, w: CHECKLISTS, cross_status=(200,)),
    Entry(
        "POST", CHECKLISTS, "client_admin", lambda t, w: CHECKLISTS,
        body=lambda t, w: {"kind": "offboarding", "name": f"Walk {uuid4().hex[:6]}", "tasks": TASKS},
        own_status=201, lower="client_member", headers=_own, cross_status=(400,),
    ),
    Entry("GET", CHECKLIST, "client_member", _at(CHECKLISTS, "hr_template")),
    Entry("PATCH", CHECKLIST, "client_admin", _at(CHECKLISTS, "hr_template"), body=lambda t, w: {"name": "Walked"},
          lower="client_member"),
    Entry("DELETE", CHECKLIST, "client_admin", _at(CHECKLISTS, "hr_template"), own_status=204, lower="client_member"),
    Entry("GET", CASES, "client_member", lambda t, w: CASES, cross_status=(200,)),
    Entry(
        "POST", CASES, "client_admin", lambda t, w: CASES,
        body=lambda t, w: {"employee_id": str(t.work["hr_case_employee"]), "kind": "onboarding",
                           "template": TEMPLATE_NAME},
        own_status=201, lower="client_member", headers=_own, cross_status=(400,),
    ),
    Entry("GET", CASE, "client_member", _at(CASES, "hr_case")),
    Entry(
        "PATCH", TASK, "client_admin", lambda t, w: f"{CASES}/{t.work['hr_case']}/tasks/{t.work['hr_task']}",
        body=lambda t, w: {"done": True}, lower="client_member",
    ),
    Entry("GET", DOCUMENTS, "client_member", lambda t, w: DOCUMENTS, cross_status=(200,)),
    Entry(
        "POST", DOCUMENTS, "client_admin", lambda t, w: DOCUMENTS,
        body=lambda t, w: {"employee_id": str(t.work["hr_case_employee"]), "kind": "visa",
                           "expires_on": "2030-01-31"},
        own_status=201, lower="client_member", headers=_own, cross_status=(400,),
    ),
    Entry("GET", DOCUMENT, "client_member", _at(DOCUMENTS, "hr_document")),
    Entry("PATCH", DOCUMENT, "client_admin", _at(DOCUMENTS, "hr_document"), body=lambda t, w: {"title": "Walked"},
          lower="client_member"),
    Entry("DELETE", DOCUMENT, "client_admin", _at(DOCUMENTS, "hr_document"), own_status=204, lower="client_member"),
    Entry(
        "PUT", DOCUMENT + "/file", "client_admin", lambda t, w: f"{DOCUMENTS}/{t.work['hr_document']}/file",
        files={"file": ("permit.pdf", b"%PDF-1.4 walk permit\n", "application/pdf")}, lower="client_member",
    ),
    Entry("GET", DOCUMENT + "/file", "client_admin", lambda t, w: f"{DOCUMENTS}/{t.work['hr_document']}/file",
          lower="client_member"),
]  # fmt: skip


async def seed(session, t) -> None:
    """Per tenant: an employee, a template, a case on an hr item with one client task, a document with a file."""
    # Starting a case makes an hr work item: the tenant must have the service (the walk's tenants may not).
    services = await session.scalar(select(Tenant.services).where(Tenant.id == t.tenant.id))
    if "hr" not in services:
        await session.execute(update(Tenant).where(Tenant.id == t.tenant.id).values(services=[*services, "hr"]))
    employee = Employee(
        id=uuid4(), tenant_id=t.tenant.id, employee_number="C001", name="Case Employee", contract_type="permanent",
        start_date=date(2024, 1, 1), on_leave=False,
    )  # fmt: skip
    template = ChecklistTemplate(id=uuid4(), tenant_id=t.tenant.id, kind="onboarding", name=TEMPLATE_NAME, tasks=TASKS)
    item = queued_item(t.tenant, skill="hr")
    session.add_all([employee, template, item])
    await session.flush()
    case = HrCase(
        id=uuid4(), tenant_id=t.tenant.id, work_item_id=item.id, employee_id=employee.id, kind="onboarding",
        template_name=TEMPLATE_NAME, reference_date=date(2024, 1, 1),
    )  # fmt: skip
    session.add(case)
    await session.flush()
    task = CaseTask(
        id=uuid4(), tenant_id=t.tenant.id, case_id=case.id, position=0, title="Walk task", owner="client",
        due_date=date(2024, 1, 2),
    )  # fmt: skip
    # The walk's attachment file stands in as the document's scan: its bytes are already in the test storage.
    attachment = await session.get(Attachment, (t.tenant.id, t.attachment_id))
    document = EmployeeDocument(
        id=uuid4(), tenant_id=t.tenant.id, employee_id=employee.id, kind="work_permit", expires_on=date(2030, 1, 1),
        file_key=attachment.storage_key, file_name="permit.pdf", content_type="application/pdf",
        file_size=attachment.size_bytes,
    )  # fmt: skip
    session.add_all([task, document])
    await session.commit()
    t.work.update(hr_case_employee=employee.id, hr_template=template.id, hr_case=case.id, hr_task=task.id,
                  hr_document=document.id, hr_case_item=item.id)  # fmt: skip
