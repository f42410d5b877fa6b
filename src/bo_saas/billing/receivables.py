"""Receivables: finalized invoices still owed (open or uncollectible, amount due > 0), aged by days past due.

Aging counts whole days since the due time: not yet due (or due less than a
day ago) is ``current``, then ``1-30``, ``31-60``, ``61-90`` and ``90+``. The
page's rows and the totals per bucket and currency use the same arithmetic, so
the totals always add up to the rows a caller pages through.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal

import msgspec
from sqlalchemy import and_, case, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.models import Invoice, InvoiceStatus
from bo_saas.lib.pagination import PageRequest
from bo_saas.tenancy.models import Tenant

Bucket = Literal["current", "1-30", "31-60", "61-90", "90+"]
BUCKETS: tuple[Bucket, ...] = ("current", "1-30", "31-60", "61-90", "90+")


class ReceivableOut(msgspec.Struct):
    invoice_id: str
    tenant_id: str
    tenant_slug: str
    tenant_name: str
    number: str | None
    status: Literal["open", "uncollectible"]
    period: str
    currency: str
    total: int
    amount_due: int
    issued_at: datetime | None
    due_at: datetime | None
    days_overdue: int
    bucket: Bucket


class BucketTotalOut(msgspec.Struct):
    currency: str
    bucket: Bucket
    invoices: int
    amount_due: int


class ReceivablesPage(msgspec.Struct):
    items: list[ReceivableOut]
    total: int
    limit: int
    offset: int
    totals: list[BucketTotalOut]  # one per currency and bucket that has invoices, in bucket order


def days_overdue(due_at: datetime | None, now: datetime) -> int:
    """Whole days past the due time; 0 before it (and for an invoice with no due time)."""
    if due_at is None or now <= due_at:
        return 0
    return (now - due_at) // timedelta(days=1)


def bucket_of(days: int) -> Bucket:
    if days <= 0:
        return "current"
    if days <= 30:
        return "1-30"
    if days <= 60:
        return "31-60"
    if days <= 90:
        return "61-90"
    return "90+"


_OWED = and_(
    Invoice.status.in_((InvoiceStatus.OPEN, InvoiceStatus.UNCOLLECTIBLE)),
    Invoice.amount_due > 0,
)


def _bucket_sql(now: datetime):
    """``bucket_of(days_overdue(...))`` in SQL, for the totals."""
    days = func.floor(extract("epoch", now - Invoice.due_at) / 86400)
    return case(
        (Invoice.due_at.is_(None), "current"),
        (days <= 0, "current"),
        (days <= 30, "1-30"),
        (days <= 60, "31-60"),
        (days <= 90, "61-90"),
        else_="90+",
    )


def _row(invoice: Invoice, tenant: Tenant, now: datetime) -> ReceivableOut:
    days = days_overdue(invoice.due_at, now)
    return ReceivableOut(
        invoice_id=str(invoice.id),
        tenant_id=str(tenant.id),
        tenant_slug=tenant.slug,
        tenant_name=tenant.name,
        number=invoice.number,
        status=invoice.status.value,
        period=invoice.period,
        currency=invoice.currency,
        total=invoice.total,
        amount_due=invoice.amount_due,
        issued_at=invoice.issued_at,
        due_at=invoice.due_at,
        days_overdue=days,
        bucket=bucket_of(days),
    )


async def receivables(session: AsyncSession, page: PageRequest, now: datetime) -> ReceivablesPage:
    """The invoices owed in the session's scope, most overdue first, with totals per currency and bucket."""
    rows = await session.execute(
        select(Invoice, Tenant)
        .join(Tenant, Tenant.id == Invoice.tenant_id)
        .where(_OWED)
        .order_by(Invoice.due_at.asc().nulls_last(), Tenant.slug, Invoice.id)
        .limit(page.limit)
        .offset(page.offset)
    )
    items = [_row(invoice, tenant, now) for invoice, tenant in rows]
    bucket = _bucket_sql(now).label("bucket")
    grouped = await session.execute(
        select(Invoice.currency, bucket, func.count(), func.sum(Invoice.amount_due))
        .where(_OWED)
        .group_by(Invoice.currency, bucket)
    )
    totals = _ordered([BucketTotalOut(currency=c, bucket=b, invoices=n, amount_due=int(s)) for c, b, n, s in grouped])
    return ReceivablesPage(
        items=items,
        total=sum(total.invoices for total in totals),
        limit=page.limit,
        offset=page.offset,
        totals=totals,
    )


def _ordered(totals: Sequence[BucketTotalOut]) -> list[BucketTotalOut]:
    return sorted(totals, key=lambda total: (total.currency, BUCKETS.index(total.bucket)))
