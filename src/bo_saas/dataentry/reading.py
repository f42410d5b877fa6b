"""A sent file as a header and rows of cells: CSV (encoding and delimiter detected) or XLSX (python-calamine).

Encoding, in this order: a byte-order mark decides (UTF-8, UTF-16 LE/BE);
otherwise the file is UTF-8 if all of it decodes as UTF-8. Otherwise it is a
legacy Windows file: decoded as Windows-1256, if most of its non-ASCII
characters come out as Arabic letters it is Arabic (Windows-1256); if not, it
is Western (Windows-1252, or Latin-1 for the few bytes 1252 leaves undefined).
Windows-1256 keeps the French accented letters where Latin-1 has them, so a
French file never reads as Arabic. A file whose lines are partly UTF-8 and
partly not is refused: any single guess would garble some of its rows.

Delimiter: ``csv.Sniffer`` over the first lines, among comma, semicolon, tab
and pipe; when it cannot tell, the one that splits the header into the most
columns.

XLSX: refused unless it is a zip holding a workbook, and before calamine reads
it, if its parts unpacked would pass ``MAX_UNPACKED_BYTES`` (a zip bomb); its
first sheet is read, refused past ``MAX_ROWS`` rows or ``MAX_COLUMNS`` columns.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

from bo_saas.dataentry.errors import FileTooLarge, UnreadableFile

MAX_ROWS = 1_000_000
MAX_COLUMNS = 500
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_CELL_CHARS = 10_000
DELIMITERS = ",;\t|"
SNIFF_LINES = 20
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ZIP_MAGIC = b"PK\x03\x04"
# What a CSV never starts with: a zip (XLSX, DOCX), an old Office file, a PDF.
_BINARY_MAGIC = (_ZIP_MAGIC, b"\xd0\xcf\x11\xe0", b"%PDF-")


@dataclass
class Table:
    """What a file holds: its header cells and its rows, with how the CSV was read (None for XLSX)."""

    header: list[str]
    rows: Iterator[list[Any]]
    encoding: str | None = None
    delimiter: str | None = None


def file_format(filename: str) -> str:
    """``csv`` or ``xlsx`` from the file's name; 422 for any other name."""
    lowered = filename.lower()
    if lowered.endswith((".csv", ".txt", ".tsv")):
        return "csv"
    if lowered.endswith(".xlsx"):
        return "xlsx"
    raise UnreadableFile(f"{filename!r} is neither a CSV (.csv, .tsv, .txt) nor an XLSX (.xlsx) file")


def check_content(data: bytes, fmt: str, filename: str) -> None:
    """Refuse a file whose bytes are not what its name says, before anything is stored."""
    if fmt == "xlsx":
        if not data.startswith(_ZIP_MAGIC):
            raise UnreadableFile(f"{filename!r} is named .xlsx but is not an XLSX workbook")
        return
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if data.startswith(_BINARY_MAGIC) or (not utf16 and b"\x00" in data[:4096]):
        raise UnreadableFile(f"{filename!r} is named as a CSV but holds binary data (a spreadsheet? send it as .xlsx)")


def read_table(data: bytes, fmt: str) -> Table:
    return _read_xlsx(data) if fmt == "xlsx" else _read_csv(data)


def detect_encoding(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed(data)
    as_arabic = data.decode("cp1256", errors="replace")
    non_ascii = [char for char in as_arabic if ord(char) > 127]
    if non_ascii and sum(1 for char in non_ascii if _ARABIC.match(char)) * 2 > len(non_ascii):
        return "cp1256"
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _refuse_mixed(data: bytes) -> None:
    utf8_line = other_line = None
    for number, line in enumerate(data.splitlines(), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_line = utf8_line or number
        except UnicodeDecodeError:
            other_line = other_line or number
        if utf8_line and other_line:
            raise UnreadableFile(
                f"The file mixes encodings: line {utf8_line} is UTF-8 but line {other_line} is not. "
                "Save it again as UTF-8 and send it again."
            )


def _sniff_delimiter(sample: str) -> str:
    lines = sample.splitlines()[:SNIFF_LINES]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = lines[0] if lines else ""
        return max(DELIMITERS, key=header.count)


def _read_csv(data: bytes) -> Table:
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace")
    delimiter = _sniff_delimiter(text[: 64 * 1024])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise UnreadableFile(f"The header row cannot be read: {exc}") from None
    if not header or not any(cell.strip() for cell in header):
        raise UnreadableFile("The file is empty: the first row must name the columns")
    if len(header) > MAX_COLUMNS:
        raise FileTooLarge(f"The file has {len(header)} columns; at most {MAX_COLUMNS} are read")
    return Table([cell.strip() for cell in header], _csv_rows(reader), encoding.removesuffix("-sig"), delimiter)


def _csv_rows(reader) -> Iterator[list[Any]]:
    count = 0
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank lines are not records
            count += 1
            if count > MAX_ROWS:
                raise FileTooLarge(f"The file has more than {MAX_ROWS} rows")
            yield row
    except csv.Error as exc:
        raise UnreadableFile(f"Row {count + 1} cannot be read: {exc}") from None


def _read_xlsx(data: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise UnreadableFile("The file is named .xlsx but is not an XLSX workbook") from None
    if "xl/workbook.xml" not in names:
        raise UnreadableFile("The file is a zip archive but not an XLSX workbook")
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileTooLarge(f"The workbook unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,} are read")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
    except (CalamineError, ValueError, OSError) as exc:
        raise UnreadableFile(f"The workbook cannot be read: {exc}") from None
    # The size of the range read, not the sheet's declared dimension (which a file may leave out or lie about).
    if sheet.height > MAX_ROWS + 1 or sheet.width > MAX_COLUMNS:
        raise FileTooLarge(
            f"The first sheet is {sheet.height:,} rows by {sheet.width:,} columns; "
            f"at most {MAX_ROWS:,} rows and {MAX_COLUMNS} columns are read"
        )
    rows = iter(sheet.to_python(skip_empty_area=True))
    header = next(rows, None)
    if not header or not any(str(cell).strip() for cell in header):
        raise UnreadableFile("The first sheet is empty: its first row must name the columns")
    return Table([str(cell).strip() for cell in header], _xlsx_rows(rows))


def _xlsx_rows(rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        if all(cell == "" or cell is None for cell in row):
            continue
        yield row
