"""Employees imported from a CSV or XLSX file: all or nothing, and idempotent on the employee number.

The file is read by data entry's reader (encodings, delimiters, XLSX through
python-calamine). Its header names the fields; each row is checked like a
request body (``EmployeeIn``) and then like any employee (IBAN, national id,
dates, manager). If any row has a problem, the answer lists every row's
problems and nothing is saved: a half-imported staff list is worse than none.

A number already on file updates that employee, with only the columns the file
has; a row that matches what is stored is left alone, so importing the same
file twice changes nothing. Personal columns, when the file has them, are the
employee's whole personal record. ``manager_number`` names the manager by
employee number, in the file or already on file.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.dataentry.errors import UnreadableFile
from bo_saas.dataentry.reading import check_content, file_format, read_table
from bo_saas.hr import personal as personal_data
from bo_saas.hr.crypto import Keyring
from bo_saas.hr.employees import ROW_FIELDS, new_employee, save_employee
from bo_saas.hr.errors import InvalidEmployee
from bo_saas.hr.models import Employee
from bo_saas.hr.schemas import EmployeeIn, ImportOut, PersonalIn

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
REQUIRED = ("employee_number", "name", "start_date")
PERSONAL_COLUMNS = set(personal_data.FIELDS)
ROW_COLUMNS = {*ROW_FIELDS} - {"manager_id"} | {"manager_number"}
_WHERE = re.compile(r"at `\$\.(?:personal\.)?(\w+)")


def _column(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(header).strip().lower())


def _cell(value: Any) -> str | None:
    """A cell as text (as a request would send it); None when empty. XLSX numbers and dates come typed."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _parse(cells: dict[str, str | None]) -> tuple[EmployeeIn | None, dict[str, str]]:
    body: dict[str, Any] = {name: value for name, value in cells.items() if name in ROW_COLUMNS and value is not None}
    body.pop("manager_number", None)
    personal = {name: value for name, value in cells.items() if name in PERSONAL_COLUMNS and value is not None}
    if personal:
        body["personal"] = personal
    try:
        return msgspec.convert(body, EmployeeIn, strict=False), {}
    except msgspec.ValidationError as exc:
        where = _WHERE.search(str(exc))
        return None, {where.group(1) if where else "row": str(exc).split(" - at ")[0]}


async def import_employees(
    session: AsyncSession, keyring: Keyring, tenant_id: UUID, filename: str, data: bytes, *, country: str | None,
    today: date,
) -> tuple[ImportOut, list[UUID]]:  # fmt: skip
    """Save every row or none; what was created, updated and left alone, and the ids saved."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidEmployee(f"The file is over {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it into several")
    try:
        fmt = file_format(filename)
        check_content(data, fmt, filename)
        table = read_table(data, fmt)
    except UnreadableFile as exc:
        raise InvalidEmployee(exc.message, extra={"problems": {"file": exc.message}}) from None
    columns = [_column(header) for header in table.header]
    unknown = [name for name in columns if name not in ROW_COLUMNS | PERSONAL_COLUMNS]
    missing = [name for name in REQUIRED if name not in columns]
    if unknown or missing:
        problems = {**{name: "not a column this import knows" for name in unknown},
                    **{name: "this column is required" for name in missing}}  # fmt: skip
        raise InvalidEmployee("The file's header does not fit: " + "; ".join(f"{k}: {v}" for k, v in problems.items()),
                              extra={"problems": problems})  # fmt: skip
    rows: list[tuple[int, dict[str, str | None]]] = []
    for line, raw in enumerate(table.rows, start=2):
        cells = {name: _cell(value) for name, value in zip(columns, raw, strict=False)}
        if any(value is not None for value in cells.values()):
            rows.append((line, cells))
        if len(rows) > MAX_ROWS:
            raise InvalidEmployee(f"The file has over {MAX_ROWS} employees; split it into several")
    return await _save_rows(session, keyring, tenant_id, columns, rows, country=country, today=today)


async def _save_rows(
    session: AsyncSession, keyring: Keyring, tenant_id: UUID, columns: list[str],
    rows: list[tuple[int, dict[str, str | None]]], *, country: str | None, today: date,
) -> tuple[ImportOut, list[UUID]]:  # fmt: skip
    problems: dict[int, dict[str, str]] = {}
    parsed: list[tuple[int, EmployeeIn, str | None]] = []
    first_line: dict[str, int] = {}
    for line, cells in rows:
        body, found = _parse(cells)
        if body is not None:
            number, manager_number = body.employee_number, cells.get("manager_number")
            if number in first_line:
                found["employee_number"] = f"{number!r} is also on row {first_line[number]}"
            first_line.setdefault(number, line)
            if manager_number == number:
                found["manager_number"] = "an employee cannot be their own manager"
            parsed.append((line, body, manager_number))
        if found:
            problems[line] = found
    numbers = set(first_line) | {manager for _, _, manager in parsed if manager}
    on_file = {e.employee_number: e for e in await session.scalars(
        select(Employee).where(Employee.tenant_id == tenant_id, Employee.employee_number.in_(numbers))
    )} if numbers else {}  # fmt: skip
    ids = {number: employee.id for number, employee in on_file.items()}
    employees: dict[str, Employee] = {}
    for _line, body, _manager in parsed:
        employees[body.employee_number] = on_file.get(body.employee_number) or new_employee(tenant_id)
        ids[body.employee_number] = employees[body.employee_number].id
    for line, _body, manager in parsed:
        if manager and manager not in ids:
            problems.setdefault(line, {})["manager_number"] = f"no employee has the number {manager!r}"

    fields_in_file = [name for name in ROW_FIELDS if name in columns]
    personal_in_file = bool(PERSONAL_COLUMNS & set(columns))
    created, updated, touched, managers = 0, 0, [], []
    for line, body, manager in parsed if not problems else []:
        employee = employees[body.employee_number]
        fresh = employee.employee_number is None
        fields = {name: getattr(body, name) for name in (ROW_FIELDS if fresh else fields_in_file)}
        fields["manager_id"] = ids[manager] if manager else (None if fresh else employee.manager_id)
        changed = fresh or any(getattr(employee, name) != value for name, value in fields.items())
        personal_changed = personal_in_file and _personal_differs(keyring, employee, body.personal, country, today)
        if not (changed or personal_changed):
            continue
        # Managers are set once every employee of the file exists (a manager may come later in the file).
        wanted_manager = fields.pop("manager_id")
        found = await save_employee(
            session, keyring, employee, fields, body.personal, country=country, today=today,
            replace_personal=personal_changed,
        )  # fmt: skip
        if found:
            problems[line] = found
            continue
        managers.append((employee, wanted_manager))
        created, updated = created + fresh, updated + (not fresh)
        touched.append(employee.id)
    if problems:
        rows_out = [{"row": line, "problems": found} for line, found in sorted(problems.items())]
        raise InvalidEmployee(f"{len(problems)} row(s) have problems; nothing was imported", extra={"rows": rows_out})
    for employee, manager_id in managers:
        employee.manager_id = manager_id
    await session.flush()
    return ImportOut(created=created, updated=updated, unchanged=len(parsed) - created - updated), touched


def _personal_differs(
    keyring: Keyring, employee: Employee, sent: PersonalIn | None, country: str | None, today: date
) -> bool:
    values = {} if sent is None else {name: getattr(sent, name) for name in sent.__struct_fields__}
    cleaned, found = personal_data.clean(values, country, today)
    return bool(found) or cleaned != personal_data.opened(keyring, employee)
