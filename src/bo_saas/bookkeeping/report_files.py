"""A report as a file: CSV, XLSX or PDF, from one table shape, in English or Arabic.

A report hands over a ``ReportTable``: a title, a few facts (the dates), column
headings, body rows and total rows. Money cells are integer minor units of the
base currency; the CSV and the spreadsheet write them as decimal major units
(numbers a spreadsheet sums), the PDF as the locale writes money (Babel).
Text cells that start like a formula are escaped, as the data entry exports are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import xlsxwriter
from babel.numbers import get_currency_precision

from bo_saas.lib.locale_text import Language, money
from bo_saas.lib.pdf import Column, PdfDocument

FORMATS = ("json", "csv", "xlsx", "pdf")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Money:
    minor: int


Cell = str | int | Money


@dataclass
class ReportTable:
    title: str
    facts: list[tuple[str, str]]
    headers: list[str]
    money_columns: set[int]  # indexes of the columns holding Money
    rows: list[list[Cell]] = field(default_factory=list)
    totals: list[list[Cell]] = field(default_factory=list)


def _text(cell: Cell) -> str:
    text = str(cell)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _major(cell: Money, currency: str) -> Decimal:
    return Decimal(cell.minor).scaleb(-get_currency_precision(currency))


def to_csv(table: ReportTable, currency: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([table.title])
    for label, value in table.facts:
        writer.writerow([label, _text(value)])
    writer.writerow([])
    writer.writerow(table.headers)
    for row in [*table.rows, *table.totals]:
        writer.writerow([str(_major(c, currency)) if isinstance(c, Money) else _text(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode()  # a BOM, so spreadsheet programs read UTF-8 (Arabic names)


def to_xlsx(table: ReportTable, currency: str, language: Language) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(table.title[:31])
    if language == "ar":
        sheet.right_to_left()
    digits = get_currency_precision(currency)
    amount = book.add_format({"num_format": "#,##0" + ("." + "0" * digits if digits else "")})
    bold = book.add_format({"bold": True})
    bold_amount = book.add_format({"bold": True, "num_format": amount.num_format})
    sheet.write(0, 0, table.title, bold)
    row_index = 1
    for label, value in table.facts:
        sheet.write_string(row_index, 0, label)
        sheet.write_string(row_index, 1, value)
        row_index += 1
    row_index += 1
    for column, header in enumerate(table.headers):
        sheet.write_string(row_index, column, header, bold)
    for rows, is_total in ((table.rows, False), (table.totals, True)):
        for row in rows:
            row_index += 1
            for column, cell in enumerate(row):
                if isinstance(cell, Money):
                    sheet.write_number(
                        row_index, column, float(_major(cell, currency)), bold_amount if is_total else amount
                    )
                elif isinstance(cell, int):
                    sheet.write_number(row_index, column, cell, bold if is_total else None)
                else:
                    sheet.write_string(row_index, column, cell, bold if is_total else None)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 36)
    sheet.set_column(2, len(table.headers), 16)
    book.close()
    return out.getvalue()


def to_pdf(table: ReportTable, currency: str, language: Language, weights: Sequence[float]) -> bytes:
    document = PdfDocument(language=language, title=table.title, footer=table.title)
    document.heading(table.title)
    document.facts(table.facts)
    columns = [
        Column(header, weight, figure=index in table.money_columns)
        for index, (header, weight) in enumerate(zip(table.headers, weights, strict=True))
    ]

    def cell(value: Cell) -> str:
        return money(value.minor, currency, language) if isinstance(value, Money) else str(value)

    document.table(
        columns, [[cell(c) for c in row] for row in [*table.rows, *table.totals]], bold_last=len(table.totals)
    )
    return document.to_bytes()
