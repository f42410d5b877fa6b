"""Request and response bodies of the HR desk's employee routes (``/api/v1/hr/employees``).

An employee reads ``{"id", "employee_number", "name", "email", "job_title",
"department", "manager_id", "contract_type", "start_date", "end_date",
"status", "personal": {"national_id", "iban", "salary", "currency",
"birth_date", "address"}}``; every ``personal`` value is null (masked) unless
the caller may see personal data. Salary is integer minor units of ``currency``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from bo_saas.hr.models import DEPARTMENT, EMPLOYEE_NUMBER, JOB_TITLE
from bo_saas.lib import limits

ContractTypeName = Literal["permanent", "fixed_term", "part_time", "contractor", "intern"]
StatusName = Literal["active", "on_leave", "terminated"]
# PostgreSQL's bigint bounds what the row could hold; a salary is refused here, naming the field.
Salary = Annotated[int, msgspec.Meta(ge=0, le=2**62)]
Currency = Annotated[str, msgspec.Meta(min_length=3, max_length=3, pattern="^[A-Z]{3}$")]
NATIONAL_ID = 40
IBAN_TEXT = 42  # 34 characters, written in groups of four with spaces


class PersonalIn(msgspec.Struct, forbid_unknown_fields=True):
    national_id: limits.text(NATIONAL_ID) | None = None
    iban: limits.text(IBAN_TEXT) | None = None
    salary: Salary | None = None
    currency: Currency | None = None
    birth_date: dt.date | None = None
    address: limits.text(limits.ADDRESS) | None = None


class EmployeeIn(msgspec.Struct, forbid_unknown_fields=True):
    employee_number: limits.text(EMPLOYEE_NUMBER, min_length=1)
    name: limits.text(limits.NAME, min_length=1)
    start_date: dt.date
    email: limits.text(limits.EMAIL) | None = None
    job_title: limits.text(JOB_TITLE) | None = None
    department: limits.text(DEPARTMENT) | None = None
    manager_id: UUID | None = None
    contract_type: ContractTypeName = "permanent"
    end_date: dt.date | None = None
    personal: PersonalIn | None = None


class EmployeeUpdate(msgspec.Struct, forbid_unknown_fields=True):
    """Fields left out stay as they are. ``personal``, when sent, replaces the whole personal record.

    The fields an employee may lack (``CLEARABLE``) are cleared by sending null: a rehire clears
    ``end_date``, a reorganisation ``manager_id``. For the others null, like leaving them out, keeps them.
    ``end_date`` is the last working day: the employee is terminated from the day after.
    ``status`` sets or ends leave (``active`` or ``on_leave``); termination is by ``end_date``.
    """

    name: limits.text(limits.NAME, min_length=1) | None = None
    # UNSET (left out) keeps the value; null clears it. msgspec tells the two apart, None alone could not.
    email: limits.text(limits.EMAIL) | None | msgspec.UnsetType = msgspec.UNSET
    job_title: limits.text(JOB_TITLE) | None | msgspec.UnsetType = msgspec.UNSET
    department: limits.text(DEPARTMENT) | None | msgspec.UnsetType = msgspec.UNSET
    manager_id: UUID | None | msgspec.UnsetType = msgspec.UNSET
    contract_type: ContractTypeName | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None | msgspec.UnsetType = msgspec.UNSET
    status: Literal["active", "on_leave"] | None = None
    personal: PersonalIn | None = None


CLEARABLE = frozenset({"email", "job_title", "department", "manager_id", "end_date"})


class PersonalOut(msgspec.Struct):
    national_id: str | None = None
    iban: str | None = None
    salary: int | None = None
    currency: str | None = None
    birth_date: dt.date | None = None
    address: str | None = None


class EmployeeOut(msgspec.Struct):
    id: UUID
    employee_number: str
    name: str
    email: str | None
    job_title: str | None
    department: str | None
    manager_id: UUID | None
    contract_type: ContractTypeName
    start_date: dt.date
    end_date: dt.date | None
    status: StatusName
    personal: PersonalOut


class ImportProblem(msgspec.Struct):
    row: int  # the file's line: the header is row 1
    problems: dict[str, str]  # field (or "row") -> what is wrong


class ImportOut(msgspec.Struct):
    created: int
    updated: int
    unchanged: int
