"""``/api/v1/books/reports/...``: reports read from posted entries, as JSON or as a CSV, XLSX or PDF file.

Every report takes ``from`` and ``to`` (inclusive dates; the balance sheet is
at ``to``), ``format`` (json, csv, xlsx or pdf) and, for files, ``lang`` (en or
ar: headings, dates and money written for the reader; an Arabic spreadsheet
and PDF run right to left). Amounts are minor units of the book's base currency
in JSON, decimal major units in CSV and XLSX.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated, Literal

from litestar import Controller, Response, get
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.access import one_tenant, open_book
from bo_saas.bookkeeping.errors import InvalidBookkeepingRequest
from bo_saas.bookkeeping.general_ledger import general_ledger
from bo_saas.bookkeeping.models import Book
from bo_saas.bookkeeping.report_files import MEDIA_TYPES, ReportTable, to_csv, to_pdf, to_xlsx
from bo_saas.bookkeeping.report_tables import (
    balance_sheet_table,
    general_ledger_table,
    profit_and_loss_table,
    trial_balance_table,
    vat_return_table,
)
from bo_saas.bookkeeping.schemas import (
    BalanceSheetOut,
    GeneralLedgerOut,
    ProfitAndLossOut,
    TrialBalanceOut,
    VatReturnOut,
)
from bo_saas.bookkeeping.statements import balance_sheet, profit_and_loss
from bo_saas.bookkeeping.trial_balance import trial_balance
from bo_saas.bookkeeping.vat_return import vat_return
from bo_saas.bookkeeping.views import balance_sheet_out, general_ledger_out, profit_and_loss_out, trial_balance_out
from bo_saas.lib.locale_text import Language
from bo_saas.lib.tenant_scope import TenantScope

Format = Literal["json", "csv", "xlsx", "pdf"]
Start = Annotated[date | None, Parameter(query="from", description="first date (YYYY-MM-DD)")]
End = Annotated[date | None, Parameter(query="to", description="last date (YYYY-MM-DD)")]
FormatParameter = Annotated[Format, Parameter(query="format", description="json (default), csv, xlsx or pdf")]
LanguageParameter = Annotated[Language, Parameter(description="the file's language: en (default) or ar")]


def _check_range(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        raise InvalidBookkeepingRequest(f"from ({start}) is after to ({end})")


def _answer(
    book: Book,
    body: object,
    table: Callable[[Language], ReportTable],
    name: str,
    file_format: Format,
    language: Language,
    pdf_weights: Sequence[float],
) -> Response:
    """The report's JSON, or its file (named after the report and its dates) in the chosen format."""
    if file_format == "json":
        return Response(body)
    built = table(language)
    currency = book.base_currency
    content = {
        "csv": lambda: to_csv(built, currency),
        "xlsx": lambda: to_xlsx(built, currency, language),
        "pdf": lambda: to_pdf(built, currency, language, pdf_weights),
    }[file_format]()
    disposition = "inline" if file_format == "pdf" else "attachment"
    return Response(
        content,
        media_type=MEDIA_TYPES[file_format],
        headers={"Content-Disposition": f'{disposition}; filename="{name}.{file_format}"'},
    )


def _file_name(report: str, start: date | None, end: date | None) -> str:
    return "_".join(part for part in (report, start and start.isoformat(), end and end.isoformat()) if part)


class ReportController(Controller):
    path = "/api/v1/books/reports"
    tags = ["books"]

    @get("/trial-balance", summary="Trial balance of posted entries between two dates (inclusive)")
    async def trial_balance(
        self, db: AsyncSession, tenant_scope: TenantScope, start: Start = None, end: End = None,
        file_format: FormatParameter = "json", lang: LanguageParameter = "en",
    ) -> Response[TrialBalanceOut]:  # fmt: skip
        _check_range(start, end)
        book = await open_book(db, one_tenant(tenant_scope))
        report = await trial_balance(db, book.tenant_id, start, end)
        return _answer(book, trial_balance_out(report), lambda language: trial_balance_table(report, language),
                       _file_name("trial-balance", start, end), file_format, lang, (1.2, 4, 2, 2, 2))  # fmt: skip

    @get("/profit-and-loss", summary="Profit and loss: income and expenses between two dates, and the net result")
    async def profit_and_loss(
        self, db: AsyncSession, tenant_scope: TenantScope, start: Start = None, end: End = None,
        file_format: FormatParameter = "json", lang: LanguageParameter = "en",
    ) -> Response[ProfitAndLossOut]:  # fmt: skip
        _check_range(start, end)
        book = await open_book(db, one_tenant(tenant_scope))
        report = await profit_and_loss(db, book.tenant_id, start, end)
        return _answer(book, profit_and_loss_out(report), lambda language: profit_and_loss_table(report, language),
                       _file_name("profit-and-loss", start, end), file_format, lang, (2, 1.2, 4, 2))  # fmt: skip

    @get("/balance-sheet", summary="Balance sheet at a date (`to`): assets, liabilities and equity with the result")
    async def balance_sheet(
        self, db: AsyncSession, tenant_scope: TenantScope, end: End = None, file_format: FormatParameter = "json",
        lang: LanguageParameter = "en",
    ) -> Response[BalanceSheetOut]:  # fmt: skip
        book = await open_book(db, one_tenant(tenant_scope))
        report = await balance_sheet(db, book.tenant_id, end)
        return _answer(book, balance_sheet_out(report), lambda language: balance_sheet_table(report, language),
                       _file_name("balance-sheet", None, end), file_format, lang, (2, 1.2, 4, 2))  # fmt: skip

    @get("/general-ledger", summary="General ledger: each account's posted lines with opening and running balances")
    async def general_ledger(
        self, db: AsyncSession, tenant_scope: TenantScope, start: Start = None, end: End = None,
        account: Annotated[str | None, Parameter(max_length=20, description="only this account (its code)")] = None,
        file_format: FormatParameter = "json", lang: LanguageParameter = "en",
    ) -> Response[GeneralLedgerOut]:  # fmt: skip
        _check_range(start, end)
        book = await open_book(db, one_tenant(tenant_scope))
        report = await general_ledger(db, book.tenant_id, start, end, account)
        weights = (2, 1.6, 1.8, 4, 1.6, 1.6, 1.6)
        return _answer(book, general_ledger_out(report), lambda language: general_ledger_table(report, language),
                       _file_name("general-ledger", start, end), file_format, lang, weights)  # fmt: skip

    @get("/vat-return", summary="VAT return between two dates: output and input VAT and the net owed or reclaimed")
    async def vat_return(
        self, db: AsyncSession, tenant_scope: TenantScope, start: Start = None, end: End = None,
        file_format: FormatParameter = "json", lang: LanguageParameter = "en",
    ) -> Response[VatReturnOut]:  # fmt: skip
        _check_range(start, end)
        book = await open_book(db, one_tenant(tenant_scope))
        report = await vat_return(db, book, start, end)
        body = VatReturnOut(
            start=report.start, end=report.end, sales=report.sales, purchases=report.purchases,
            output_vat=report.output_vat, input_vat=report.input_vat, net_vat=report.net_vat,
        )  # fmt: skip
        return _answer(book, body, lambda language: vat_return_table(report, language),
                       _file_name("vat-return", start, end), file_format, lang, (5, 2))  # fmt: skip
