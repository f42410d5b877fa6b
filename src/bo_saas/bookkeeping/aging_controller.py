"""``/api/v1/books/reports/ar-aging`` and ``/ap-aging``: open receivables and payables by days past due.

Like every report: ``to`` (the date it is as of; default today in the tenant's
time zone), ``format`` (json, csv, xlsx, pdf) and ``lang`` (en, ar) for files,
through the same file machinery (``report_files``).
"""

from __future__ import annotations

from litestar import Controller, Response, get
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.bookkeeping.access import one_tenant, open_book, tenant_today
from bo_saas.bookkeeping.aging import BUCKETS, PDF_WEIGHTS, Aging, aging, aging_table
from bo_saas.bookkeeping.contact_models import OpenItemKind
from bo_saas.bookkeeping.contacts_schemas import AgingOut, AgingRowOut, AgingTotalsOut
from bo_saas.bookkeeping.models import Book
from bo_saas.bookkeeping.reports_controller import End, FormatParameter, LanguageParameter, _answer, _file_name
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant


def aging_out(report: Aging, book: Book) -> AgingOut:
    return AgingOut(
        as_of=report.as_of,
        kind="receivable" if report.kind is OpenItemKind.INVOICE else "payable",
        currency=book.base_currency,
        rows=[
            AgingRowOut(**{name: row.buckets[name] for name in BUCKETS}, total=row.total, contact_id=row.contact_id,
                        contact=row.contact)
            for row in report.rows
        ],
        totals=AgingTotalsOut(**{name: report.totals.buckets[name] for name in BUCKETS}, total=report.totals.total),
    )  # fmt: skip


async def _aging_answer(
    db: AsyncSession, tenant_scope: TenantScope, kind: OpenItemKind, end, file_format, lang, name: str
) -> Response:
    book = await open_book(db, one_tenant(tenant_scope))
    as_of = end or tenant_today(await db.get(Tenant, book.tenant_id))
    report = await aging(db, book.tenant_id, kind, as_of)
    return _answer(book, aging_out(report, book), lambda language: aging_table(report, language),
                   _file_name(name, None, as_of), file_format, lang, PDF_WEIGHTS)  # fmt: skip


class AgingController(Controller):
    path = "/api/v1/books/reports"
    tags = ["books"]

    @get("/ar-aging", summary="Accounts receivable aging at a date (`to`): open invoices by days past due")
    async def ar_aging(
        self, db: AsyncSession, tenant_scope: TenantScope, end: End = None, file_format: FormatParameter = "json",
        lang: LanguageParameter = "en",
    ) -> Response[AgingOut]:  # fmt: skip
        return await _aging_answer(db, tenant_scope, OpenItemKind.INVOICE, end, file_format, lang, "ar-aging")

    @get("/ap-aging", summary="Accounts payable aging at a date (`to`): open bills by days past due")
    async def ap_aging(
        self, db: AsyncSession, tenant_scope: TenantScope, end: End = None, file_format: FormatParameter = "json",
        lang: LanguageParameter = "en",
    ) -> Response[AgingOut]:  # fmt: skip
        return await _aging_answer(db, tenant_scope, OpenItemKind.BILL, end, file_format, lang, "ap-aging")
