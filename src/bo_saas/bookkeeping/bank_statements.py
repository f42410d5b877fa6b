"""Importing a statement file into a bank account: the format told from the content, every line read first.

A file that fails anywhere imports nothing (the whole file is parsed before a
row is written). Lines whose dedupe key the account already has are counted
as known and left as they were, so importing the same statement twice, or two
overlapping ones, never doubles a booking.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import uuid4

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.bank_accounts import mapping_of
from bo_saas.bookkeeping.bank_import_camt import parse_camt
from bo_saas.bookkeeping.bank_import_csv import parse_csv
from bo_saas.bookkeeping.bank_import_ofx import parse_ofx
from bo_saas.bookkeeping.bank_parsing import ParsedLine, keyed
from bo_saas.bookkeeping.errors import BadStatement
from bo_saas.bookkeeping.models import BankAccount, StatementLine
from bo_saas.bookkeeping.schemas import StatementImportOut, StatementLineOut

Format = Literal["csv", "ofx", "camt053"]
MAX_FILE_BYTES = 10 * 1024 * 1024
INSERT_CHUNK = 1000  # rows per INSERT: well under PostgreSQL's 32 767 bind parameters


def format_of(filename: str, data: bytes) -> Format:
    """By content first (a renamed file is common), then by the file name's extension."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    if head.startswith(b"OFXHEADER") or b"<OFX>" in head:
        return "ofx"
    if head.startswith(b"<"):
        return "camt053"
    if filename.lower().endswith((".ofx", ".qfx")):
        return "ofx"
    if filename.lower().endswith(".xml"):
        return "camt053"
    return "csv"


def parse_statement(account: BankAccount, filename: str, data: bytes) -> tuple[Format, list[ParsedLine]]:
    if not data.strip():
        raise BadStatement("The file is empty")
    kind = format_of(filename, data)
    if kind == "ofx":
        return kind, parse_ofx(data, account.currency)
    if kind == "camt053":
        return kind, parse_camt(data, account.currency)
    mapping = mapping_of(account)
    if mapping is None:
        raise BadStatement("This bank account has no CSV column mapping yet: send one as `mapping` with the file")
    return kind, parse_csv(data, mapping, account.currency)


async def import_statement(
    session: AsyncSession, account: BankAccount, filename: str, data: bytes, now: datetime
) -> StatementImportOut:
    kind, lines = parse_statement(account, filename, data)
    rows = [
        {
            "id": uuid4(),
            "tenant_id": account.tenant_id,
            "bank_account_id": account.id,
            "booked_on": line.booked_on,
            "amount": line.amount,
            "description": line.description,
            "reference": line.reference,
            "counterparty": line.counterparty,
            "dedupe_key": key,
            "imported_at": now,
        }  # fmt: skip
        for line, key in keyed(lines)
    ]
    new = 0
    for start in range(0, len(rows), INSERT_CHUNK):
        statement = (
            insert(StatementLine)
            .values(rows[start : start + INSERT_CHUNK])
            .on_conflict_do_nothing(index_elements=["tenant_id", "bank_account_id", "dedupe_key"])
            .returning(StatementLine.id)
        )
        new += len((await session.execute(statement)).all())
    return StatementImportOut(format=kind, lines=len(rows), new=new, known=len(rows) - new)


def statement_line_out(line: StatementLine) -> StatementLineOut:
    return StatementLineOut(
        id=line.id, date=line.booked_on, amount=line.amount, description=line.description, reference=line.reference,
        counterparty=line.counterparty, reconciled=line.reconciled_at is not None,
    )  # fmt: skip
