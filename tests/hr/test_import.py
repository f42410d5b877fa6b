"""Employees imported from CSV and XLSX: every row's problems answered at once with nothing saved, and a second
import of the same file changes nothing."""

from __future__ import annotations

import io

import xlsxwriter
from sqlalchemy import select

from bo_saas.hr.models import Employee
from tests.hr.helpers import EMPLOYEES, IBAN, SAUDI_ID, hr_tenant

IMPORT = f"{EMPLOYEES}/import"
HEADER = "Employee Number,Name,Start Date,Department,Manager Number,IBAN,National ID,Salary,Currency\n"
GOOD = (
    HEADER
    + f"E002,Omar Zaid,2024-03-01,Finance,E001,{IBAN},{SAUDI_ID},900000,SAR\n"
    + f"E001,Noura Saleh,2023-01-15,Finance,,{IBAN},,1500000,SAR\n"
)


async def _send(client, headers, content: bytes, filename: str = "staff.csv"):
    return await client.post(IMPORT, files={"file": (filename, content, "text/csv")}, headers=headers)


async def test_a_file_with_bad_rows_answers_every_rows_problems_and_saves_nothing(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    bad = (
        HEADER
        + f"E001,Noura Saleh,2023-01-15,Finance,,{IBAN},,1500000,SAR\n"
        + "E002,Omar Zaid,2024-03-01,Finance,E009,DE00123,,900000,SAR\n"
        + f"E001,Noura Again,2023-01-15,Finance,,{IBAN},,,\n"
        + "E003,,not a date,Sales,,,,,\n"
    )

    refused = await _send(client, hr.admin, bad.encode())

    assert refused.status_code == 422, refused.text
    rows = {row["row"]: row["problems"] for row in refused.json()["extra"]["rows"]}
    assert set(rows) == {3, 4, 5}
    assert set(rows[3]) == {"manager_number"}  # E009 is nobody; the IBAN is checked once the row is otherwise whole
    assert "also on row 2" in rows[4]["employee_number"]
    assert set(rows[5]) <= {"name", "start_date"} and rows[5]
    assert (await client.get(EMPLOYEES, headers=hr.admin)).json()["total"] == 0


async def test_a_bad_iban_in_an_otherwise_good_file_names_the_row_and_field(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    bad_iban = GOOD.replace(f"Finance,,{IBAN}", "Finance,,DE00123")

    refused = await _send(client, hr.admin, bad_iban.encode())

    assert refused.status_code == 422
    assert refused.json()["extra"]["rows"][0]["row"] == 3
    assert "iban" in refused.json()["extra"]["rows"][0]["problems"]
    assert (await client.get(EMPLOYEES, headers=hr.admin)).json()["total"] == 0


async def test_importing_the_same_file_twice_changes_nothing_the_second_time(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)

    first = await _send(client, hr.hr_agent, GOOD.encode())
    stored = list(await admin_session.scalars(select(Employee).order_by(Employee.employee_number)))
    before = [(row.id, row.updated_at, row.personal_sealed) for row in stored]
    await admin_session.commit()
    second = await _send(client, hr.hr_agent, GOOD.encode())
    after = list(await admin_session.scalars(
        select(Employee).order_by(Employee.employee_number).execution_options(populate_existing=True)
    ))  # fmt: skip

    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}
    assert second.json() == {"created": 0, "updated": 0, "unchanged": 2}
    assert [(row.id, row.updated_at, row.personal_sealed) for row in after] == before
    listed = {row["employee_number"]: row for row in (await client.get(EMPLOYEES, headers=hr.admin)).json()["items"]}
    assert listed["E002"]["manager_id"] == listed["E001"]["id"]
    assert listed["E002"]["personal"]["salary"] == 900_000 and listed["E001"]["personal"]["national_id"] is None


async def test_an_xlsx_import_updates_an_employee_by_number(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)
    await _send(client, hr.admin, GOOD.encode())
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    for row, values in enumerate([["employee_number", "name", "start_date", "job_title"],
                                  ["E001", "Noura Saleh", "2023-01-15", "Finance lead"]]):  # fmt: skip
        sheet.write_row(row, 0, values)
    book.close()

    updated = await _send(client, hr.admin, buffer.getvalue(), "staff.xlsx")
    listed = {row["employee_number"]: row for row in (await client.get(EMPLOYEES, headers=hr.admin)).json()["items"]}

    assert updated.json() == {"created": 0, "updated": 1, "unchanged": 0}
    assert listed["E001"]["job_title"] == "Finance lead"
    assert listed["E001"]["personal"]["iban"] == IBAN  # a file without personal columns leaves them be


async def test_only_keepers_import_and_a_file_that_is_not_a_table_is_refused(app, client, admin_session):
    hr = await hr_tenant(app, admin_session)

    by_member = await _send(client, hr.member, GOOD.encode())
    not_a_table = await _send(client, hr.admin, b"%PDF-1.4 nope", "staff.csv")
    unknown_column = await _send(client, hr.admin, b"employee_number,name,start_date,shoe_size\nE1,A,2024-01-01,42\n")

    assert by_member.status_code == 403
    assert not_a_table.status_code == 422 and "file" in not_a_table.json()["extra"]["problems"]
    assert unknown_column.status_code == 422 and "shoe_size" in unknown_column.json()["extra"]["problems"]
