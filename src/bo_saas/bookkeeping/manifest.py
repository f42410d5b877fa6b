"""The Bookkeeping desk's manifest section: ``[bookkeeping]`` with ``chart``, ``base_currency``,
``fiscal_year_start`` and ``approval_threshold``, each with a default.

A file without ``[bookkeeping]`` leaves the book alone (a tenant with the
service gets one with the defaults on first use). A file with it opens the
book, or makes it match: a different chart adds that chart's missing accounts
(never removes one), and the base currency and fiscal year start are fixed
once entries are posted. Applying the same file again changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator

from bo_saas.bookkeeping.access import SERVICE, tenant_today
from bo_saas.bookkeeping.books import (
    DEFAULT_APPROVAL_THRESHOLD,
    DEFAULT_CURRENCY,
    BookSettings,
    change_book,
    create_book,
    find_book,
    has_postings,
)
from bo_saas.bookkeeping.charts import DEFAULT_CHART, chart_codes
from bo_saas.tenancy.manifest import TenantSection
from bo_saas.tenancy.manifest_fields import Count, ManifestModel, OneOf, problem, show
from bo_saas.tenancy.manifest_sections import ApplyContext, CheckContext, ExportContext, ManifestSection, Problem
from bo_saas.tenancy.models import Tenant

FIELDS = ("chart", "base_currency", "fiscal_year_start", "approval_threshold")


def _currency(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise problem(f"{show(value)} is not an ISO 4217 currency code (three capital letters, e.g. EUR)")
    return value


def _threshold(value: int) -> int:
    if value < 0:
        raise problem(f"must be 0 or more minor units, not {value}")
    return value


class BookkeepingTable(ManifestModel):
    chart: OneOf("a chart template", chart_codes()) = DEFAULT_CHART
    base_currency: Annotated[str, AfterValidator(_currency)] = DEFAULT_CURRENCY
    fiscal_year_start: Count(1, 12, " (the month the fiscal year starts)") = 1
    approval_threshold: Annotated[int, AfterValidator(_threshold)] = DEFAULT_APPROVAL_THRESHOLD

    def settings(self) -> BookSettings:
        return BookSettings(**{name: getattr(self, name) for name in FIELDS})


class BookkeepingSection(ManifestModel):
    bookkeeping: BookkeepingTable = BookkeepingTable()


def _check(context: CheckContext) -> Iterable[Problem]:
    section: BookkeepingSection | None = context.manifest.get("bookkeeping")
    tenant: TenantSection | None = context.manifest.get("tenant")
    if section is not None and tenant is not None and SERVICE not in tenant.services:
        yield Problem(("bookkeeping",), 'the books need the "bookkeeping" service in services')


async def _preflight(context: ApplyContext, section: BookkeepingSection) -> list[Problem]:
    book = await find_book(context.session, context.tenant_id)
    if book is None:
        return []
    wanted = section.bookkeeping
    fixed = [name for name in ("base_currency", "fiscal_year_start") if getattr(book, name) != getattr(wanted, name)]
    if not fixed or not await has_postings(context.session, context.tenant_id):
        return []
    return [
        Problem(
            ("bookkeeping", name),
            f"the books have posted entries: {name} stays {show(getattr(book, name))}, it cannot become "
            f"{show(getattr(wanted, name))}",
        )
        for name in fixed
    ]


async def _apply(context: ApplyContext, section: BookkeepingSection) -> list[str]:
    settings = section.bookkeeping.settings()
    book = await find_book(context.session, context.tenant_id)
    if book is None:
        tenant = await context.session.get(Tenant, context.tenant_id)
        await create_book(context.session, context.tenant_id, settings, tenant_today(tenant))
        context.record(
            "book.opened", "book", str(context.tenant_id), {name: getattr(settings, name) for name in FIELDS}
        )
        return [f"opened the books on the {settings.chart} chart in {settings.base_currency}"]
    changes = await change_book(context.session, book, settings)
    if not changes:
        context.unchanged.append("books unchanged")
        return []
    context.record("book.changed", "book", str(context.tenant_id), changes)
    return [
        "changed the books: " + "; ".join(f"{name} {show(c['old'])} -> {show(c['new'])}" for name, c in changes.items())
    ]


async def _export(context: ExportContext) -> dict[str, Any] | None:
    book = await find_book(context.session, context.tenant_id)
    if book is None:
        return None
    return {"bookkeeping": {name: getattr(book, name) for name in FIELDS}}


BOOKKEEPING_SECTION = ManifestSection(
    name="bookkeeping",
    model=BookkeepingSection,
    apply=_apply,
    export=_export,
    order=56,  # after the tenant's services and work's sections, beside the other desks
    authoritative=False,  # a file without [bookkeeping] leaves the book (and its lazily made defaults) alone
    check=_check,
    preflight=_preflight,
)
