"""The employee list's hot path: one statement, asyncpg records straight into ``EmployeeOut``.

Like the users list (``lib.db.scoped_read``): no ORM objects, and the page,
its total and the tenant's "today" (status is read on the tenant's own date)
come back from one round trip. The sealed personal data is selected only for
a caller who may see it; for everyone else nothing is decrypted and nothing
audited, every ``personal`` value is null. An unmasked page is opened in one
pass and its read recorded once, as ``employees.views`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import asyncpg

from bo_saas.hr.crypto import Keyring
from bo_saas.hr.models import EmployeeStatus
from bo_saas.hr.personal import open_sealed
from bo_saas.hr.schemas import EmployeeOut, PersonalOut
from bo_saas.lib.pagination import PageRequest

MASKED = PersonalOut()  # every value null; shared by the rows (the encoder only reads it)

# ``today`` is the tenant's date at the request's clock ($2), as hr.access.tenant_today works it out.
_STATUS = """CASE WHEN e.end_date IS NOT NULL AND e.end_date < d.today THEN 'terminated'
                  WHEN e.on_leave THEN 'on_leave' ELSE 'active' END"""
_TODAY = """(SELECT ($2::timestamptz AT TIME ZONE coalesce(
                (SELECT timezone FROM tenants WHERE id = $1), 'UTC'))::date AS today) d"""


@dataclass(frozen=True, slots=True)
class Filters:
    status: EmployeeStatus | None = None
    department: str | None = None
    search: str | None = None


def _where(filters: Filters, first: int) -> tuple[str, list]:
    """The filters as SQL over ``e`` and ``d``, their parameters numbered from ``$first``."""
    conditions, values = ["e.tenant_id = $1"], []

    def parameter(value) -> str:
        values.append(value)
        return f"${first + len(values) - 1}"

    if filters.status is not None:
        conditions.append(f"{_STATUS} = {parameter(filters.status.value)}")
    if filters.department is not None:
        conditions.append(f"e.department = {parameter(filters.department)}")
    if filters.search is not None:
        # Name, number or email containing the text, any case, LIKE's own characters taken literally.
        text = filters.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        n = parameter(f"%{text}%")
        either = " OR ".join(f"{column} ILIKE {n} ESCAPE '\\'" for column in ("e.name", "e.employee_number", "e.email"))
        conditions.append(f"({either})")
    return " AND ".join(conditions), values


async def employee_page(
    connection: asyncpg.Connection,
    tenant_id: UUID,
    now: datetime,
    page: PageRequest,
    filters: Filters,
    keyring: Keyring | None,
) -> tuple[list[EmployeeOut], int, list[UUID]]:
    """The page, the filtered total, and the ids whose personal data was opened (``keyring`` None: masked)."""
    where, values = _where(filters, first=5)  # $1 tenant, $2 now, $3 limit, $4 offset
    sealed = "e.personal_sealed" if keyring is not None else "NULL::bytea"
    records = await connection.fetch(
        f"""SELECT e.id, e.employee_number, e.name, e.email, e.job_title, e.department, e.manager_id,
                   e.contract_type, e.start_date, e.end_date, {_STATUS} AS status, {sealed} AS sealed,
                   (SELECT count(*) FROM hr_employees e, {_TODAY} WHERE {where}) AS total
            FROM hr_employees e, {_TODAY}
            WHERE {where}
            ORDER BY e.employee_number  -- unique in the tenant: the index (tenant_id, employee_number) gives the order
            LIMIT $3 OFFSET $4""",  # noqa: S608  (the text is ours; every value is a parameter)
        tenant_id, now, page.limit, page.offset, *values,
    )  # fmt: skip
    if records:
        total = records[0]["total"]
    else:  # past the last page: the count alone
        where, values = _where(filters, first=3)
        total = await connection.fetchval(
            f"SELECT count(*) FROM hr_employees e, {_TODAY} WHERE {where}",  # noqa: S608
            tenant_id, now, *values,
        )  # fmt: skip
    if keyring is None:
        return [EmployeeOut(*record[:11], MASKED) for record in records], total, []
    items, opened = [], []
    for record in records:  # one pass: each row opened as it is converted
        personal = MASKED
        if record["sealed"] is not None:
            fields = open_sealed(keyring, tenant_id, record["id"], record["sealed"])
            personal = PersonalOut(fields.national_id, fields.iban, fields.salary, fields.currency,
                                   fields.birth_date, fields.address)  # fmt: skip
            opened.append(record["id"])
        items.append(EmployeeOut(*record[:11], personal))
    return items, total, opened
