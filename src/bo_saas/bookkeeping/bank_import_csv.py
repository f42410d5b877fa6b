"""CSV statements, read through the bank account's column mapping (``CsvMapping``).

Columns are named by their header. The amount is one signed column, or a
debit column (paid out) and a credit column (received), as banks print them.
Dates follow the mapping's ``strptime`` format; amounts its decimal separator.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from bo_saas.bookkeeping.bank_parsing import ParsedLine, decimal_of, text_fields, to_minor
from bo_saas.bookkeeping.errors import BadStatement
from bo_saas.bookkeeping.schemas import CsvMapping

DELIMITERS = (",", ";", "\t", "|")


def check_mapping(mapping: CsvMapping) -> None:
    if (mapping.amount is None) == (mapping.debit is None and mapping.credit is None):
        raise BadStatement("The column mapping needs either an amount column or debit/credit columns, not both")
    try:
        datetime.strptime(datetime(2026, 1, 31).strftime(mapping.date_format), mapping.date_format)
    except ValueError:
        raise BadStatement(f"The date format {mapping.date_format!r} is not a strptime format") from None


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # what many banks' exports still are
    except UnicodeDecodeError:
        raise BadStatement("The CSV file is neither UTF-8 nor Windows-1252 text") from None


def parse_csv(data: bytes, mapping: CsvMapping, currency: str) -> list[ParsedLine]:
    check_mapping(mapping)
    text = _text(data)
    header_line = text.split("\n", 1)[0]
    delimiter = mapping.delimiter or max(DELIMITERS, key=header_line.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as problem:
        raise BadStatement(f"The CSV file cannot be read: {problem}") from None
    if not rows:
        raise BadStatement("The CSV file is empty")
    header = [name.strip() for name in rows[0]]
    wanted = [mapping.date, mapping.amount, mapping.debit, mapping.credit, mapping.description,
              mapping.reference, mapping.counterparty]  # fmt: skip
    missing = [name for name in wanted if name is not None and name not in header]
    if missing:
        raise BadStatement(f"The CSV header has no column {', '.join(map(repr, missing))}", extra={"header": header})
    index = {name: position for position, name in enumerate(header)}
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise BadStatement(f"Row {number}: {len(row)} columns where the header has {len(header)}")
        cells = {name: row[position].strip() for name, position in index.items()}
        cells[""] = ""  # an unmapped optional column reads as empty
        lines.append(_line(cells, mapping, currency, f"Row {number}"))
    return lines


def _line(cells: dict[str, str], mapping: CsvMapping, currency: str, where: str) -> ParsedLine:
    try:
        booked_on = datetime.strptime(cells[mapping.date], mapping.date_format).date()
    except ValueError:
        raise BadStatement(f"{where}: {cells[mapping.date]!r} is not a date in {mapping.date_format!r}") from None
    separator = mapping.decimal_separator
    if mapping.amount is not None:
        amount = decimal_of(cells[mapping.amount], where, decimal_separator=separator)
    else:
        paid, received = cells[mapping.debit or ""], cells[mapping.credit or ""]
        if bool(paid) == bool(received):
            raise BadStatement(f"{where}: exactly one of the debit and credit columns must have an amount")
        amount = (
            decimal_of(received, where, decimal_separator=separator)
            if received
            else -abs(decimal_of(paid, where, decimal_separator=separator))
        )
    return ParsedLine(
        booked_on=booked_on, amount=to_minor(amount, currency, where),
        **text_fields(cells[mapping.description or ""], cells[mapping.reference or ""],
                      cells[mapping.counterparty or ""]),
    )  # fmt: skip
