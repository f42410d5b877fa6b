"""Exports: a batch's accepted values as CSV, XLSX or JSON, with spreadsheet formulas neutralized."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from bo_saas.dataentry.exports import FORMULA_STARTS, neutralized
from tests.dataentry.helpers import a_schema, csv_bytes, run_import, send

HEADER = ["Full name", "Age", "E-mail", "Balance"]
ROWS = [
    ["Ann Lee", "31", "ann@example.com", "-12.50"],
    ["Bob Stone", "x", "bob@example", ""],  # rejected: stays pending, never exported
    ['=HYPERLINK("http://evil.example")', "40", "", "7"],
    ["@SUM(A1)", "", "", ""],
    ["+cmd|' /C calc'!A0", "", "", ""],
    ["-2+3", "", "", ""],
]


async def _batch(client, app, runtime_sessionmaker, desk) -> str:
    await a_schema(client, desk)
    sent = await send(client, desk, "contacts.csv", csv_bytes([HEADER, *ROWS]))
    await run_import(app, runtime_sessionmaker, desk.tenant.id, sent.json()["id"])
    return sent.json()["id"]


def _export(batch_id: str) -> str:
    return f"/api/v1/data-entry/batches/{batch_id}/export"


async def test_csv_export_has_only_accepted_records_and_neutralizes_formula_cells(
    client, app, runtime_sessionmaker, desk
):
    batch_id = await _batch(client, app, runtime_sessionmaker, desk)

    answer = await client.get(_export(batch_id), params={"format": "csv"}, headers=desk.as_("member"))

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert f"data-entry-batch-{batch_id}.csv" in answer.headers["content-disposition"]
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows == [
        ["row", "full_name", "age", "email", "balance"],
        ["1", "Ann Lee", "31", "ann@example.com", "-12.50"],  # a negative number is no formula
        ["3", '\'=HYPERLINK("http://evil.example")', "40", "", "7"],
        ["4", "'@SUM(A1)", "", "", ""],
        ["5", "'+cmd|' /C calc'!A0", "", "", ""],
        ["6", "'-2+3", "", "", ""],
    ]


async def test_xlsx_export_writes_text_and_numbers_never_formulas(client, app, runtime_sessionmaker, desk):
    batch_id = await _batch(client, app, runtime_sessionmaker, desk)

    answer = await client.get(_export(batch_id), params={"format": "xlsx"}, headers=desk.as_("admin"))

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(answer.content)).get_sheet_by_index(0).to_python()
    assert sheet[0] == ["row", "full_name", "age", "email", "balance"]
    assert sheet[1] == [1, "Ann Lee", 31, "ann@example.com", -12.5]
    assert [row[1] for row in sheet[2:]] == [
        '\'=HYPERLINK("http://evil.example")',
        "'@SUM(A1)",
        "'+cmd|' /C calc'!A0",
        "'-2+3",
    ]
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


async def test_json_export_gives_the_accepted_values_as_stored(client, app, runtime_sessionmaker, desk):
    batch_id = await _batch(client, app, runtime_sessionmaker, desk)

    answer = await client.get(_export(batch_id), params={"format": "json"}, headers=desk.as_("admin"))

    body = json.loads(answer.content)
    assert answer.headers["content-type"].startswith("application/json")
    assert body["batch_id"] == batch_id and body["schema"] == "contacts"
    assert body["fields"] == ["full_name", "age", "email", "balance"]
    assert [r["row"] for r in body["records"]] == [1, 3, 4, 5, 6]
    assert body["records"][0]["values"] == {
        "full_name": "Ann Lee", "age": 31, "email": "ann@example.com", "balance": "-12.50"
    }  # fmt: skip
    assert body["records"][2]["values"]["full_name"] == "@SUM(A1)"


async def test_a_batch_still_importing_cannot_be_exported_and_an_unknown_format_is_refused(client, desk):
    await a_schema(client, desk)
    sent = await send(client, desk, "contacts.csv", csv_bytes([HEADER, *ROWS]))

    importing = await client.get(_export(sent.json()["id"]), headers=desk.as_("admin"))
    odd = await client.get(_export(sent.json()["id"]), params={"format": "pdf"}, headers=desk.as_("admin"))

    assert importing.status_code == 409 and "still importing" in importing.json()["detail"]
    assert odd.status_code == 400


@given(st.text())
def test_a_neutralized_cell_never_starts_a_formula_and_keeps_the_text_after_its_apostrophe(text):
    cell = neutralized(text)

    assert cell == text or cell == "'" + text
    if cell.startswith(FORMULA_STARTS):
        float(cell)  # only a plain number may start with + or -, and it parses as one
