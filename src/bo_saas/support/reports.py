"""The Support desk's monthly report for one tenant: volume, SLA against the targets, CSAT and tags.

Months are the tenant's local calendar months. Tickets in: opened in the month.
Solved: their work item reached done in the month. First response: of the
tickets opened in the month, met (answered, no breach) or breached (a breach
recorded, answered or not). Resolution: of the tickets solved in the month,
met or breached. CSAT: ratings given in the month. Top tags: of the tickets
opened in the month.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.sla.reports import month_bounds
from bo_saas.support.models import CsatRating, Ticket
from bo_saas.support.schemas import ClockFigures, SupportReportOut, TagCount
from bo_saas.tenancy.models import Tenant
from bo_saas.work.models import WorkItem, WorkState

TOP_TAGS = 10


def _local_bounds(month: date, zone: str) -> tuple[datetime, datetime]:
    start, after = month_bounds(month)
    tz = ZoneInfo(zone)
    return start.replace(tzinfo=tz).astimezone(UTC), after.replace(tzinfo=tz).astimezone(UTC)


async def monthly_report(session: AsyncSession, tenant_id: UUID, month: date) -> SupportReportOut:
    zone = await session.scalar(select(Tenant.timezone).where(Tenant.id == tenant_id)) or "UTC"
    start, after = _local_bounds(month, zone)
    opened = and_(Ticket.created_at >= start, Ticket.created_at < after)
    solved = and_(WorkItem.state == WorkState.DONE, WorkItem.closed_at >= start, WorkItem.closed_at < after)
    fr_breached = WorkItem.first_response_breached_at.is_not(None)
    res_breached = WorkItem.resolution_breached_at.is_not(None)
    counts = (
        await session.execute(
            select(
                func.count().filter(opened).label("tickets_in"),
                func.count().filter(solved).label("solved"),
                func.count().filter(opened, WorkItem.first_responded_at.is_not(None), ~fr_breached).label("fr_met"),
                func.count().filter(opened, fr_breached).label("fr_breached"),
                func.count().filter(solved, ~res_breached).label("res_met"),
                func.count().filter(solved, res_breached).label("res_breached"),
            )
            .select_from(Ticket)
            .join(WorkItem, (WorkItem.tenant_id == Ticket.tenant_id) & (WorkItem.id == Ticket.work_item_id))
            .where(Ticket.tenant_id == tenant_id)
        )
    ).one()
    ratings = (
        await session.execute(
            select(CsatRating.rating, func.count())
            .where(CsatRating.tenant_id == tenant_id, CsatRating.rated_at >= start, CsatRating.rated_at < after)
            .group_by(CsatRating.rating)
        )
    ).all()
    distribution = {str(n): 0 for n in range(1, 6)}
    for rating, count in ratings:
        distribution[str(rating)] = count
    rated = sum(distribution.values())
    average = round(sum(int(n) * c for n, c in distribution.items()) / rated, 2) if rated else None
    tag = func.unnest(Ticket.tags).label("tag")
    tag_rows = (
        await session.execute(
            select(tag, func.count())
            .where(Ticket.tenant_id == tenant_id, opened)
            .group_by("tag")
            .order_by(func.count().desc(), "tag")
            .limit(TOP_TAGS)
        )
    ).all()
    return SupportReportOut(
        tenant_id=tenant_id,
        month=f"{month.year:04d}-{month.month:02d}",
        tickets_in=counts.tickets_in,
        tickets_solved=counts.solved,
        first_response=ClockFigures(met=counts.fr_met, breached=counts.fr_breached),
        resolution=ClockFigures(met=counts.res_met, breached=counts.res_breached),
        csat_average=average,
        csat_count=rated,
        csat_distribution=distribution,
        top_tags=[TagCount(tag=name, count=count) for name, count in tag_rows],
    )


def report_csv(report: SupportReportOut) -> str:
    """One ``metric,value`` row per figure: opens in any spreadsheet, in any locale."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["metric", "value"])
    writer.writerows(
        [
            ("month", report.month),
            ("tickets_in", report.tickets_in),
            ("tickets_solved", report.tickets_solved),
            ("first_response_met", report.first_response.met),
            ("first_response_breached", report.first_response.breached),
            ("resolution_met", report.resolution.met),
            ("resolution_breached", report.resolution.breached),
            ("csat_average", "" if report.csat_average is None else report.csat_average),
            ("csat_count", report.csat_count),
            *((f"csat_{n}", count) for n, count in report.csat_distribution.items()),
            *((f"tag:{item.tag}", item.count) for item in report.top_tags),
        ]
    )
    return out.getvalue()
