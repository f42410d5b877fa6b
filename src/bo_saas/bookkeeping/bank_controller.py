"""``/api/v1/books/bank-accounts``: bank accounts, statement imports and reconciliation.

The tenant's people read; its keepers (provider staff with the bookkeeping
skill) add accounts, import statements and accept matches. Another tenant's
bank account answers 404 (RLS).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated
from uuid import UUID

import msgspec
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.bookkeeping import reconciliation
from bo_saas.bookkeeping.access import one_tenant, open_book, require_keeper
from bo_saas.bookkeeping.bank_accounts import BankAccounts, bank_accounts_out, create_bank_account, save_mapping
from bo_saas.bookkeeping.bank_statements import MAX_FILE_BYTES, import_statement, statement_line_out
from bo_saas.bookkeeping.errors import BadStatement, InvalidBookkeepingRequest, LedgerConflict
from bo_saas.bookkeeping.models import BankAccount, StatementLine
from bo_saas.bookkeeping.schemas import (
    AutoMatchedOut,
    AutoMatchIn,
    AutoMatchOut,
    BankAccountIn,
    BankAccountOut,
    CsvMapping,
    JournalLineRef,
    MatchIn,
    MatchOut,
    ReconciliationLineOut,
    ReconciliationOut,
    StatementImportOut,
    UnmatchedJournalLinesOut,
)
from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_staff
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope

MAX_MAPPING_CHARS = 2000
UNMATCHED_DEFAULT_DAYS = 31  # either side of today when no dates are given
UNMATCHED_MAX_DAYS = 366
AUTO_MATCH_MAX_LINES = 5000  # statement lines looked at per call, oldest first; call again for the rest


@dataclass
class StatementUpload:
    file: UploadFile  # CSV, OFX or CAMT.053 XML; the format is told from the content
    mapping: str | None = None  # CSV only: a CsvMapping as JSON, saved on the bank account for next time


def _mapping(text: str) -> CsvMapping:
    if len(text) > MAX_MAPPING_CHARS:
        raise InvalidBookkeepingRequest(f"The mapping is over {MAX_MAPPING_CHARS} characters")
    try:
        return msgspec.json.decode(text, type=CsvMapping)
    except msgspec.DecodeError as problem:  # ValidationError is a DecodeError
        raise InvalidBookkeepingRequest(f"The mapping is not a valid column mapping: {problem}") from None


async def _keepers(db: AsyncSession, request: Request, bank_account_id: UUID) -> BankAccount:
    account = await BankAccounts(request.user).get(db, bank_account_id, for_update=True)
    await require_keeper(db, request.user, account.tenant_id)
    return account


class BankAccountController(Controller):
    path = "/api/v1/books/bank-accounts"
    tags = ["books"]

    @get("/", summary="List the tenant's bank accounts, by name")
    async def list_bank_accounts(
        self, db: AsyncSession, tenant_scope: TenantScope, page: PageRequest
    ) -> OffsetPagination[BankAccountOut]:
        book = await open_book(db, one_tenant(tenant_scope))
        statement = BankAccounts().select().where(BankAccount.tenant_id == book.tenant_id)
        page_of_rows = await list_page(db, statement, page, order_by=(BankAccount.name, BankAccount.id))
        page_of_rows.items = await bank_accounts_out(db, list(page_of_rows.items))
        return page_of_rows

    @post("/", summary="Add a bank account, booked on an open asset account (bookkeepers)", guards=[requires_staff])
    async def create_bank_account(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: BankAccountIn
    ) -> BankAccountOut:
        tenant_id = one_tenant(tenant_scope)
        await require_keeper(db, request.user, tenant_id)
        book = await open_book(db, tenant_id)
        account = await create_bank_account(db, book, data)
        record_event(
            db, request, tenant_id=tenant_id, action="bank_account.created", subject_type="bank_account",
            subject_id=str(account.id), changes={"name": account.name, "ledger_account": data.ledger_account},
        )  # fmt: skip
        return (await bank_accounts_out(db, [account]))[0]

    @get("/{bank_account_id:uuid}", summary="One bank account")
    async def get_bank_account(self, request: Request, db: AsyncSession, bank_account_id: UUID) -> BankAccountOut:
        account = await BankAccounts(request.user).get(db, bank_account_id)
        return (await bank_accounts_out(db, [account]))[0]

    @post(
        "/{bank_account_id:uuid}/statements",
        summary="Import a statement file: CSV (through the column mapping), OFX or CAMT.053 (bookkeepers)",
        description="multipart/form-data with `file` and, for CSV, optionally `mapping` (a column mapping as JSON, "
        "then saved on the account). Lines already imported (same bank transaction id, or same date, amount, "
        "reference and text) are counted as `known` and not added again. A file that cannot be read imports "
        "nothing (422, naming the row).",
        guards=[requires_staff],
        request_max_body_size=MAX_FILE_BYTES + 64 * 1024,
        status_code=HTTP_201_CREATED,
    )
    async def import_statement(
        self,
        request: Request,
        db: AsyncSession,
        bank_account_id: UUID,
        data: Annotated[StatementUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> StatementImportOut:
        account = await _keepers(db, request, bank_account_id)
        if data.mapping:
            save_mapping(account, _mapping(data.mapping))
        content = await data.file.read()
        if len(content) > MAX_FILE_BYTES:
            raise BadStatement(f"The file is over {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it into several")
        result = await import_statement(db, account, data.file.filename or "", content, utc_now())
        record_event(
            db, request, tenant_id=account.tenant_id, action="bank_statement.imported", subject_type="bank_account",
            subject_id=str(account.id),
            changes={"file": (data.file.filename or "")[:200], "format": result.format, "new": result.new,
                     "known": result.known},
        )  # fmt: skip
        return result

    @get("/{bank_account_id:uuid}/reconciliation", summary="Unreconciled statement lines with suggested matches")
    async def reconciliation(
        self,
        request: Request,
        db: AsyncSession,
        bank_account_id: UUID,
        page: PageRequest,
        window_days: Annotated[
            int, Parameter(query="window_days", ge=0, le=31, description="days either side of the statement date")
        ] = reconciliation.DEFAULT_WINDOW_DAYS,
    ) -> ReconciliationOut:
        account = await BankAccounts(request.user).get(db, bank_account_id)
        book = await open_book(db, account.tenant_id)
        open_lines = select(StatementLine).where(
            StatementLine.bank_account_id == account.id, StatementLine.reconciled_at.is_(None)
        )
        total = await db.scalar(select(func.count()).select_from(open_lines.subquery()))
        lines = list(
            await db.scalars(
                open_lines.order_by(StatementLine.booked_on, StatementLine.id).limit(page.limit).offset(page.offset)
            )
        )
        items = []
        if lines:
            window = timedelta(days=window_days)
            pool = await reconciliation.candidates(
                db, account, book, min(line.booked_on for line in lines) - window,
                max(line.booked_on for line in lines) + window,
            )  # fmt: skip
            items = [
                ReconciliationLineOut(statement_line_out(line), reconciliation.suggest(line, pool, window_days))
                for line in lines
            ]
        return ReconciliationOut(
            items=items, total=total or 0, limit=page.limit, offset=page.offset, window_days=window_days
        )

    @post(
        "/{bank_account_id:uuid}/reconciliation/auto",
        summary="Accept every match that leaves no doubt; the rest stay for a person (bookkeepers)",
        description="A match is accepted only when the one suggestion shares a reference with the statement line, "
        "or, where neither side names a reference, when it is the only suggestion, one journal line no other "
        "statement line wants (bookkeeping/reconciliation.py). Lines whose references disagree are never paired.",
        guards=[requires_staff],
        status_code=HTTP_200_OK,
    )
    async def auto_match(
        self, request: Request, db: AsyncSession, bank_account_id: UUID, data: AutoMatchIn
    ) -> AutoMatchOut:
        account = await _keepers(db, request, bank_account_id)  # the account row locked: one auto-match at a time
        book = await open_book(db, account.tenant_id)
        statements = list(
            await db.scalars(
                select(StatementLine)
                .where(StatementLine.bank_account_id == account.id, StatementLine.reconciled_at.is_(None))
                .order_by(StatementLine.booked_on, StatementLine.id)
                .limit(AUTO_MATCH_MAX_LINES)
            )
        )
        matches: list[AutoMatchedOut] = []
        if statements:
            window = timedelta(days=data.window_days)
            pool = await reconciliation.candidates(
                db, account, book, min(line.booked_on for line in statements) - window,
                max(line.booked_on for line in statements) + window,
            )  # fmt: skip
            now = utc_now()
            for statement, group in reconciliation.auto_matches(statements, pool, data.window_days):
                refs = [JournalLineRef(part.entry_id, part.line_number) for part in group]
                try:
                    line = await reconciliation.reconcile(
                        db, account, book, statement.id, refs, by=request.user.actor_id, now=now
                    )
                except LedgerConflict:  # matched by hand meanwhile: nothing to do for it
                    continue
                matches.append(AutoMatchedOut(statement_line_out(line), [part.out() for part in group]))
                record_event(
                    db, request, tenant_id=account.tenant_id, action="bank_statement_line.reconciled",
                    subject_type="bank_statement_line", subject_id=str(line.id),
                    changes={"amount": line.amount, "auto": True,
                             "journal_lines": [f"{r.entry_id}#{r.line_number}" for r in refs]},
                )  # fmt: skip
        left = await db.scalar(
            select(func.count())
            .select_from(StatementLine)
            .where(StatementLine.bank_account_id == account.id, StatementLine.reconciled_at.is_(None))
        )
        return AutoMatchOut(matched=len(matches), left=left or 0, matches=matches)

    @get(
        "/{bank_account_id:uuid}/unmatched-journal-lines",
        summary="Posted journal lines on the bank's ledger account not matched yet, to match by hand",
        description="Dated from `from` to `to` (at most 366 days; default a month either side of today, or "
        "two months from the one date given), optionally only those of one signed `amount` (minor units of the "
        "bank account's currency).",
    )
    async def unmatched_journal_lines(
        self,
        request: Request,
        db: AsyncSession,
        bank_account_id: UUID,
        page: PageRequest,
        date_from: Annotated[date | None, Parameter(query="from", description="first date (YYYY-MM-DD)")] = None,
        date_to: Annotated[date | None, Parameter(query="to", description="last date (YYYY-MM-DD)")] = None,
        amount: Annotated[int | None, Parameter(description="only lines of this signed amount")] = None,
    ) -> UnmatchedJournalLinesOut:
        account = await BankAccounts(request.user).get(db, bank_account_id)
        side = timedelta(days=UNMATCHED_DEFAULT_DAYS)
        if date_from is None and date_to is None:
            today = utc_now().date()
            start, end = today - side, today + side
        else:
            start = date_from or date_to - 2 * side  # type: ignore[operator]  (one of the two is given)
            end = date_to or start + 2 * side
        if end < start:
            raise InvalidBookkeepingRequest("'to' is before 'from'")
        if (end - start).days > UNMATCHED_MAX_DAYS:
            raise InvalidBookkeepingRequest(f"Ask for at most {UNMATCHED_MAX_DAYS} days at a time")
        book = await open_book(db, account.tenant_id)
        # Amounts are told in the bank's currency line by line (reconciliation._signed), so the filter is here.
        found = await reconciliation.candidates(db, account, book, start, end)
        if amount is not None:
            found = [candidate for candidate in found if candidate.amount == amount]
        shown = found[page.offset : page.offset + page.limit]
        return UnmatchedJournalLinesOut(
            items=[candidate.out() for candidate in shown], total=len(found), limit=page.limit,
            offset=page.offset, date_from=start, date_to=end,
        )  # fmt: skip

    @post("/{bank_account_id:uuid}/reconciliation", summary="Accept a match, for good (bookkeepers)",
          guards=[requires_staff])  # fmt: skip
    async def accept_match(self, request: Request, db: AsyncSession, bank_account_id: UUID, data: MatchIn) -> MatchOut:
        account = await _keepers(db, request, bank_account_id)
        book = await open_book(db, account.tenant_id)
        line = await reconciliation.reconcile(
            db, account, book, data.statement_line_id, data.journal_lines, by=request.user.actor_id, now=utc_now()
        )
        record_event(
            db, request, tenant_id=account.tenant_id, action="bank_statement_line.reconciled",
            subject_type="bank_statement_line", subject_id=str(line.id),
            changes={"amount": line.amount,
                     "journal_lines": [f"{r.entry_id}#{r.line_number}" for r in data.journal_lines]},
        )  # fmt: skip
        return MatchOut(line=statement_line_out(line), journal_lines=data.journal_lines)
