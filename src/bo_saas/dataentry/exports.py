"""A batch's accepted values as a download: CSV, XLSX or JSON, streamed as they are read.

Only accepted records are exported, in row order, with their row number first
(``row``, the line under the header in the client's file) and then the
schema's fields. Records are read with a server-side cursor in one read-only
transaction, so a 100k-row batch never sits in memory.

Formula injection: a spreadsheet runs a cell that starts with ``=``, ``+``,
``-`` or ``@`` (and some also after a tab or carriage return) as a formula, and
a client's data is whatever its sources typed. In CSV and XLSX such a text
cell gets a leading apostrophe (``'=SUM(A1)``), OWASP's advice, which Excel and
LibreOffice show as text; a plain number written as text ("-12.50",
"+966501234567") is left alone, being no formula. XLSX cells are written as
strings or numbers, never as formulas, in any case. JSON is data for programs
and is exported as stored.

CSV starts with a UTF-8 byte order mark so Excel reads Arabic and other
non-Latin text correctly. XLSX is built by xlsxwriter in ``constant_memory``
mode (each row goes to a temporary file as soon as it is written), in a worker
thread, then sent in blocks.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import tempfile
from collections.abc import AsyncIterator, Sequence
from typing import IO, Any, Literal
from uuid import UUID

import xlsxwriter
from sqlalchemy.ext.asyncio import AsyncEngine

from bo_saas.dataentry.definitions import FieldDefinition, FieldType
from bo_saas.dataentry.models import Batch, BatchStatus
from bo_saas.lib.db import scoped_read
from bo_saas.lib.errors import ConflictError
from bo_saas.lib.tenant_scope import TenantScope

ExportFormat = Literal["csv", "xlsx", "json"]
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?\Z")
BLOCK_BYTES = 64 * 1024
CURSOR_ROWS = 1_000
_ACCEPTED_ROWS = (
    "SELECT row_number, values FROM data_entry_records "
    "WHERE tenant_id = $1 AND batch_id = $2 AND status = 'accepted' ORDER BY row_number"
)


class BatchNotExportable(ConflictError):
    """409: the batch has no settled records to export yet (still importing), or never will (failed)."""


def neutralized(text: str) -> str:
    """Text a spreadsheet shows as text: a cell that would start a formula gets a leading apostrophe."""
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def check_exportable(batch: Batch) -> None:
    if batch.status is BatchStatus.IMPORTING:
        raise BatchNotExportable("The batch is still importing; export it once it is ready")
    if batch.status is BatchStatus.FAILED:
        raise BatchNotExportable(f"The batch failed to import, so it has nothing to export: {batch.error}")


async def _accepted_rows(engine: AsyncEngine, batch: Batch) -> AsyncIterator[list[tuple[int, dict[str, Any]]]]:
    """The batch's accepted records, ``CURSOR_ROWS`` at a time, as (row number, values)."""
    async with scoped_read(engine, TenantScope.of(batch.tenant_id)) as connection:
        cursor = await connection.cursor(_ACCEPTED_ROWS, batch.tenant_id, batch.id)
        while rows := await cursor.fetch(CURSOR_ROWS):
            yield [(row["row_number"], _json(row["values"])) for row in rows]


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _text_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralized(str(value)) if isinstance(value, str) else str(value)


async def csv_stream(engine: AsyncEngine, batch: Batch, fields: Sequence[FieldDefinition]) -> AsyncIterator[bytes]:
    names = [field.name for field in fields]
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["row", *(neutralized(name) for name in names)])
    async for rows in _accepted_rows(engine, batch):
        for number, values in rows:
            writer.writerow([number, *(_text_cell(values.get(name)) for name in names)])
        if buffer.tell() >= BLOCK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


async def json_stream(engine: AsyncEngine, batch: Batch, fields: Sequence[FieldDefinition]) -> AsyncIterator[bytes]:
    """``{"batch_id", "schema", "fields", "records": [{"row", "values"}]}``, written a block at a time."""
    head = {"batch_id": str(batch.id), "schema": batch.schema_code, "fields": [field.name for field in fields]}
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "records": [').encode()
    first = True
    async for rows in _accepted_rows(engine, batch):
        parts = [json.dumps({"row": number, "values": values}, ensure_ascii=False) for number, values in rows]
        yield (("" if first else ",") + ",".join(parts)).encode()
        first = False
    yield b"]}"


_NUMBERS = (FieldType.INTEGER.value, FieldType.DECIMAL.value)


class _Sheet:
    """One worksheet in constant_memory mode: rows must come in order, each is flushed as the next starts."""

    def __init__(self, output: IO[bytes], fields: Sequence[FieldDefinition]) -> None:
        self.workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
        self.sheet = self.workbook.add_worksheet("Records")
        self.fields = fields
        self.next_row = 0
        self._write(["row", *(field.name for field in fields)])

    def _write(self, cells: Sequence[Any]) -> None:
        for column, value in enumerate(cells):
            if isinstance(value, bool):
                self.sheet.write_boolean(self.next_row, column, value)
            elif isinstance(value, int | float):
                self.sheet.write_number(self.next_row, column, value)
            elif value is not None:
                self.sheet.write_string(self.next_row, column, neutralized(str(value)))
        self.next_row += 1

    def add(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        for number, values in rows:
            self._write([number, *(self._typed(field, values.get(field.name)) for field in self.fields)])

    @staticmethod
    def _typed(field: FieldDefinition, value: Any) -> Any:
        # Decimals are stored as exact strings; a spreadsheet wants the number (Excel keeps 15 digits).
        if field.type in _NUMBERS and isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                return value
        return value

    def close(self) -> None:
        self.workbook.close()


async def xlsx_stream(engine: AsyncEngine, batch: Batch, fields: Sequence[FieldDefinition]) -> AsyncIterator[bytes]:
    with tempfile.TemporaryFile() as output:
        sheet = await asyncio.to_thread(_Sheet, output, fields)
        async for rows in _accepted_rows(engine, batch):
            await asyncio.to_thread(sheet.add, rows)
        await asyncio.to_thread(sheet.close)
        output.seek(0)
        while block := await asyncio.to_thread(output.read, BLOCK_BYTES):
            yield block


STREAMS = {"csv": csv_stream, "xlsx": xlsx_stream, "json": json_stream}


def export_filename(batch_id: UUID, fmt: ExportFormat) -> str:
    return f"data-entry-batch-{batch_id}.{fmt}"
