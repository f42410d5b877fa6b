"""The HR desk's onboarding/offboarding and compliance tables.

- ``hr_settings``: one row per tenant with the HR desk's own settings (how many
  days before a document expires its reminder is raised).
- ``hr_checklist_templates``: a tenant's onboarding and offboarding checklists;
  each template keeps its tasks as one JSON list (title, owner, due in business
  days from the case's day), edited as a whole in the console or the manifest.
- ``hr_cases`` and ``hr_case_tasks``: a case is the desk's record on one ``hr``
  work item (the desk seam); starting it copies the template's tasks with their
  due dates worked out once, so editing the template later changes no open case.
- ``hr_documents``: an employee's national id, visa, work permit or contract
  with its expiry date and, optionally, a stored file.
- ``hr_compliance_reminders``: the reminder raised for one document and one
  expiry date, unique on ``(tenant_id, document_id, expires_on)``: however often
  the sweeper runs or races, each expiry is reminded once; a renewed document
  (a new expiry) is reminded again.

Every table is tenant-owned with forced RLS (migration 0028).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Date, ForeignKeyConstraint, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from bo_saas.lib import limits
from bo_saas.lib.models import Base, TenantOwned, Timestamps, UUIDPrimaryKey
from bo_saas.work.models import DeskRecord, work_item_key

DEFAULT_REMINDER_DAYS = 30
TASK_TITLE = 200
DOCUMENT_TITLE = 200
FILE_NAME = 255
CONTENT_TYPE = 100


class CaseKind(enum.StrEnum):
    ONBOARDING = "onboarding"
    OFFBOARDING = "offboarding"


class TaskOwner(enum.StrEnum):
    PROVIDER = "provider"  # the provider's staff serving the tenant
    CLIENT = "client"  # the client company itself (its admin ticks it)


class DocumentKind(enum.StrEnum):
    NATIONAL_ID = "national_id"
    VISA = "visa"
    WORK_PERMIT = "work_permit"
    CONTRACT = "contract"


def _employee_key(name: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["tenant_id", "employee_id"], ["hr_employees.tenant_id", "hr_employees.id"], name=name)


class HrSettings(TenantOwned, Timestamps, Base):
    __tablename__ = "hr_settings"

    compliance_reminder_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_REMINDER_DAYS)


class ChecklistTemplate(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "hr_checklist_templates"
    __table_args__ = (UniqueConstraint("tenant_id", "name", name="hr_checklist_templates_name"),)

    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(limits.NAME))
    # [{"title": str, "owner": "provider"|"client", "due_days": int}], in order.
    tasks: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)


class HrCase(DeskRecord, Timestamps, Base):
    __tablename__ = "hr_cases"
    __table_args__ = (
        work_item_key(),
        _employee_key("hr_cases_employee"),
        UniqueConstraint("tenant_id", "work_item_id", name="hr_cases_item"),
    )

    employee_id: Mapped[UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))
    template_name: Mapped[str] = mapped_column(String(limits.NAME))
    # The day the due dates count from: the first working day (onboarding) or the last (offboarding).
    reference_date: Mapped[date] = mapped_column(Date)


class CaseTask(TenantOwned, UUIDPrimaryKey, Base):
    __tablename__ = "hr_case_tasks"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "case_id"],
            ["hr_cases.tenant_id", "hr_cases.id"],
            ondelete="CASCADE",
            name="hr_case_tasks_case",
        ),
    )

    case_id: Mapped[UUID] = mapped_column()
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(TASK_TITLE))
    owner: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    done_by: Mapped[UUID | None] = mapped_column()  # the account that ticked it


class EmployeeDocument(TenantOwned, UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "hr_documents"
    __table_args__ = (_employee_key("hr_documents_employee"),)

    employee_id: Mapped[UUID] = mapped_column()
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(DOCUMENT_TITLE))
    expires_on: Mapped[date | None] = mapped_column(Date)
    file_key: Mapped[str | None] = mapped_column(String(300))
    file_name: Mapped[str | None] = mapped_column(String(FILE_NAME))
    content_type: Mapped[str | None] = mapped_column(String(CONTENT_TYPE))
    file_size: Mapped[int | None] = mapped_column(Integer)


class ComplianceReminder(TenantOwned, UUIDPrimaryKey, Base):
    __tablename__ = "hr_compliance_reminders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "document_id", "expires_on", name="hr_compliance_reminders_once"),
        ForeignKeyConstraint(
            ["tenant_id", "document_id"], ["hr_documents.tenant_id", "hr_documents.id"], ondelete="CASCADE",
            name="hr_compliance_reminders_document",
        ),
        work_item_key(),
    )  # fmt: skip

    document_id: Mapped[UUID] = mapped_column()
    expires_on: Mapped[date] = mapped_column(Date)
    work_item_id: Mapped[UUID | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
