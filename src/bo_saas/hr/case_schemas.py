"""Request and response bodies of the HR desk's checklists, cases and documents (``/api/v1/hr/...``).

A checklist template: ``{"id", "kind": "onboarding|offboarding", "name",
"tasks": [{"title", "owner": "provider|client", "due_days"}]}``; ``due_days``
counts business days on the tenant's calendar from the case's day (negative:
before it). A case: ``{"id", "work_item_id", "employee_id", "employee_name",
"kind", "template_name", "reference_date", "open_tasks", "tasks": [{"id",
"title", "owner", "due_date", "done", "done_at"}]}``. A document: ``{"id",
"employee_id", "kind", "title", "expires_on", "file_name", "has_file"}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from bo_saas.hr.case_models import DOCUMENT_TITLE, TASK_TITLE
from bo_saas.lib import limits

KindName = Literal["onboarding", "offboarding"]
OwnerName = Literal["provider", "client"]
DocumentKindName = Literal["national_id", "visa", "work_permit", "contract"]
MAX_TASKS = 100
# A task is due at most about a year of business days before or after the case's day.
DueDays = Annotated[int, msgspec.Meta(ge=-250, le=250)]


class TaskTemplate(msgspec.Struct, forbid_unknown_fields=True):
    title: limits.text(TASK_TITLE, min_length=1)
    owner: OwnerName = "provider"
    due_days: DueDays = 0


Tasks = Annotated[list[TaskTemplate], msgspec.Meta(min_length=1, max_length=MAX_TASKS)]


class ChecklistIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: KindName
    name: limits.text(limits.NAME, min_length=1)
    tasks: Tasks


class ChecklistUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: limits.text(limits.NAME, min_length=1) | None = None
    tasks: Tasks | None = None


class ChecklistOut(msgspec.Struct):
    id: UUID
    kind: KindName
    name: str
    tasks: list[TaskTemplate]


class CaseIn(msgspec.Struct, forbid_unknown_fields=True):
    employee_id: UUID
    kind: KindName
    # The template by name; omitted: the tenant's only template of that kind.
    template: limits.text(limits.NAME, min_length=1) | None = None
    # The day due dates count from; omitted: the employee's start date (onboarding) or end date (offboarding).
    reference_date: dt.date | None = None


class CaseTaskOut(msgspec.Struct):
    id: UUID
    position: int
    title: str
    owner: OwnerName
    due_date: dt.date
    done: bool
    done_at: dt.datetime | None


class CaseOut(msgspec.Struct):
    id: UUID
    work_item_id: UUID
    employee_id: UUID
    employee_name: str
    kind: KindName
    template_name: str
    reference_date: dt.date
    open_tasks: int
    tasks: list[CaseTaskOut]
    created_at: dt.datetime


class TaskUpdate(msgspec.Struct, forbid_unknown_fields=True):
    done: bool


class DocumentIn(msgspec.Struct, forbid_unknown_fields=True):
    employee_id: UUID
    kind: DocumentKindName
    expires_on: dt.date | None = None
    title: limits.text(DOCUMENT_TITLE) | None = None


class DocumentUpdate(msgspec.Struct, forbid_unknown_fields=True):
    kind: DocumentKindName | None = None
    expires_on: dt.date | None = None
    title: limits.text(DOCUMENT_TITLE) | None = None


class DocumentOut(msgspec.Struct):
    id: UUID
    employee_id: UUID
    kind: DocumentKindName
    title: str | None
    expires_on: dt.date | None
    file_name: str | None
    has_file: bool
