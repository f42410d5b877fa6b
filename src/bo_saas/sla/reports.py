"""Monthly SLA compliance reports: what a client is shown to judge the provider's service, and what credits use.

One row per tenant, service type and priority, plus a totals row per tenant (service type and priority
null). A month is the tenant's local calendar month, in its own time zone, and every duration is in
business minutes of that tenant's calendar, because that is how the targets are stated.

Which items a month counts (computed from the items' state when the report is asked for):

- ``items``, ``met``, ``breached``, compliance and the resolution figures count items *closed as done*
  in the month (``state = done`` and ``closed_at`` inside it). An item is *met* when it has an SLA
  policy and neither clock breached, *breached* when either clock breached; an item without a policy
  (never queued) counts in ``items`` only. ``compliance_percent`` is met / (met + breached), null when
  both are zero.
- ``first_responses`` and the first-response figures count items *first responded* in the month
  (``first_responded_at`` inside it), whatever their state since, apart from the exclusion below.
- Rejected and cancelled items are left out of every figure: no service was delivered, so they are
  neither met nor breached, and their response times do not describe work done.

Time to first response is the business minutes from ``queued_at`` to ``first_responded_at``; time to
resolution is ``resolution_minutes_banked`` at close, which already leaves out waiting-on-client pauses.

Percentiles use linear interpolation between closest ranks (PostgreSQL's ``percentile_cont``, Excel's
PERCENTILE.INC): for n sorted values the p-quantile sits at position p * (n - 1), counted from 0, and a
fractional position interpolates between its two neighbours, so the median of an even count is the
mean of the middle two. A month of one tenant is small, so the figures are computed here in Python.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import DateTime, and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.tenancy.calendars import business_times
from bo_saas.tenancy.models import Tenant
from bo_saas.work.models import Priority, WorkItem, WorkState

# Urgent first: the rows a reader looks for first.
_PRIORITY_ORDER = {priority: rank for rank, priority in enumerate(reversed(list(Priority)))}
_EXCLUDED_STATES = (WorkState.REJECTED, WorkState.CANCELLED)
_MEDIAN, _P90 = 0.5, 0.9


class ReportRow(msgspec.Struct, frozen=True):
    """One line of the report; ``service_type`` and ``priority`` are null in a tenant's totals row."""

    tenant_id: UUID
    tenant_slug: str
    service_type: str | None
    priority: str | None
    items: int
    met: int
    breached: int
    compliance_percent: float | None
    first_responses: int
    first_response_median_minutes: float | None
    first_response_p90_minutes: float | None
    resolution_median_minutes: float | None
    resolution_p90_minutes: float | None


CSV_COLUMNS = tuple(ReportRow.__struct_fields__)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` quantile by linear interpolation between closest ranks; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first local midnight of ``month`` and of the month after, as naive wall-clock times."""
    start = datetime(month.year, month.month, 1)
    after = datetime(month.year + 1, 1, 1) if month.month == 12 else datetime(month.year, month.month + 1, 1)
    return start, after


async def current_month(session: AsyncSession, tenant_ids: Iterable[UUID], now: datetime) -> date:
    """The month it is now for the tenant whose local date is furthest ahead (UTC with no tenants).

    So the latest month that has begun anywhere in the scope: for a single tenant, its own month.
    """
    ids = set(tenant_ids)
    zones: set[str] = set()
    if ids:
        zones = set((await session.execute(select(Tenant.timezone).where(Tenant.id.in_(ids)))).scalars())
    today = max((now.astimezone(ZoneInfo(zone)).date() for zone in zones), default=now.date())
    return today.replace(day=1)


@dataclass
class _Figures:
    """What one row collects before it is summarised."""

    items: int = 0
    met: int = 0
    breached: int = 0
    first_response_minutes: list[float] = field(default_factory=list)
    resolution_minutes: list[float] = field(default_factory=list)


def _minutes(value: float | None) -> float | None:
    # A tenth of a minute is finer than any target; more digits only look precise.
    return None if value is None else round(value, 1)


def _row(tenant_id: UUID, slug: str, service_type: str | None, priority: str | None, figures: _Figures) -> ReportRow:
    judged = figures.met + figures.breached
    return ReportRow(
        tenant_id=tenant_id,
        tenant_slug=slug,
        service_type=service_type,
        priority=priority,
        items=figures.items,
        met=figures.met,
        breached=figures.breached,
        compliance_percent=round(100 * figures.met / judged, 1) if judged else None,
        first_responses=len(figures.first_response_minutes),
        first_response_median_minutes=_minutes(percentile(figures.first_response_minutes, _MEDIAN)),
        first_response_p90_minutes=_minutes(percentile(figures.first_response_minutes, _P90)),
        resolution_median_minutes=_minutes(percentile(figures.resolution_minutes, _MEDIAN)),
        resolution_p90_minutes=_minutes(percentile(figures.resolution_minutes, _P90)),
    )


def _counted_items(tenant_ids: set[UUID], month: date):
    """The items a month counts, each flagged with which figures it counts in."""
    start, after = month_bounds(month)
    # timezone(zone, local timestamp) is the instant that wall-clock time is in the tenant's zone,
    # so each tenant's month has its own bounds in the one statement.
    local_start = func.timezone(Tenant.timezone, literal(start, DateTime()))
    local_after = func.timezone(Tenant.timezone, literal(after, DateTime()))
    done_in_month = and_(
        WorkItem.state == WorkState.DONE, WorkItem.closed_at >= local_start, WorkItem.closed_at < local_after
    )
    responded_in_month = and_(
        WorkItem.queued_at.is_not(None),
        WorkItem.first_responded_at >= local_start,
        WorkItem.first_responded_at < local_after,
    )
    breached = or_(WorkItem.first_response_breached_at.is_not(None), WorkItem.resolution_breached_at.is_not(None))
    return (
        select(
            WorkItem.tenant_id,
            WorkItem.service_type,
            WorkItem.priority,
            WorkItem.queued_at,
            WorkItem.first_responded_at,
            WorkItem.resolution_minutes_banked,
            WorkItem.sla_resolution_minutes.is_not(None).label("has_policy"),
            breached.label("breached"),
            done_in_month.label("done_in_month"),
            responded_in_month.label("responded_in_month"),
        )
        .join(Tenant, Tenant.id == WorkItem.tenant_id)
        .where(
            WorkItem.tenant_id.in_(tenant_ids),
            WorkItem.state.not_in(_EXCLUDED_STATES),
            or_(done_in_month, responded_in_month),
        )
    )


async def monthly_report(session: AsyncSession, tenant_ids: Iterable[UUID], month: date) -> list[ReportRow]:
    """The report for ``month`` (any day of it) over the given tenants, which the session's scope must allow.

    Tenants come in slug order; within a tenant, service types alphabetically, priorities urgent first,
    then the tenant's totals row. Every tenant gets a totals row, even with nothing counted, so "no work
    this month" reads as zeros rather than as a missing tenant.
    """
    ids = set(tenant_ids)
    if not ids:
        return []
    tenants = (await session.execute(select(Tenant.id, Tenant.slug).where(Tenant.id.in_(ids)))).all()
    calendars = await business_times(session, ids)
    by_tenant: dict[UUID, dict[tuple[str, Priority], _Figures]] = defaultdict(lambda: defaultdict(_Figures))
    totals: dict[UUID, _Figures] = defaultdict(_Figures)
    for item in await session.execute(_counted_items(ids, month)):
        first_response = None
        if item.responded_in_month:
            first_response = calendars[item.tenant_id].minutes_between(item.queued_at, item.first_responded_at)
        row_figures = by_tenant[item.tenant_id][(item.service_type, item.priority)]
        for figures in (row_figures, totals[item.tenant_id]):
            if item.done_in_month:
                figures.items += 1
                figures.resolution_minutes.append(item.resolution_minutes_banked)
                if item.breached:
                    figures.breached += 1
                elif item.has_policy:
                    figures.met += 1
            if first_response is not None:
                figures.first_response_minutes.append(first_response)

    rows: list[ReportRow] = []
    for tenant_id, slug in sorted(tenants, key=lambda tenant: tenant.slug):
        tenant_rows = by_tenant.get(tenant_id, {})
        for service_type, priority in sorted(tenant_rows, key=lambda key: (key[0], _PRIORITY_ORDER[key[1]])):
            figures = tenant_rows[(service_type, priority)]
            rows.append(_row(tenant_id, slug, service_type, priority.value, figures))
        rows.append(_row(tenant_id, slug, None, None, totals[tenant_id]))
    return rows


def _plain(value: float) -> str:
    """A number as people write it: '45', '45.5' (never '45.0' or '4.55e+01')."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _csv_cell(column: str, value: object) -> str:
    if value is None:
        return ""
    if column == "compliance_percent":
        return f"{value:.1f}"
    if isinstance(value, float):
        return _plain(value)
    return str(value)


def report_csv(rows: Iterable[ReportRow]) -> str:
    """The rows as RFC 4180 CSV (CRLF line ends): a header, then one line per row; empty cells for nulls."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(_csv_cell(column, getattr(row, column)) for column in CSV_COLUMNS)
    return buffer.getvalue()
