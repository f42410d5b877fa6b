"""``/api/v1/sla/reports``: monthly SLA compliance, as JSON or as a CSV download.

A client (its people, admins and members alike, and its API clients) reads its own tenant's
report; an agent reads the tenants it is assigned to; a provider admin reads every tenant, or
one with ``X-Tenant``. The figures and which items count are defined in ``sla.reports``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

import msgspec
from litestar import Controller, Request, Response, get
from litestar.exceptions import ClientException
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.sla.reports import ReportRow, current_month, monthly_report, report_csv
from bo_saas.tenancy.access import TENANT_HEADER, provider_admin_scope

_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


class SlaReport(msgspec.Struct):
    month: str
    rows: list[ReportRow]


def _month_label(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def parse_month(text: str) -> date:
    """``YYYY-MM`` as the month's first day; anything else is the caller's error, said plainly."""
    match = _MONTH_PATTERN.match(text.strip())
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise ClientException(f"month must be a year and month as YYYY-MM, e.g. 2026-11; got {text!r}")
    return date(int(match[1]), int(match[2]), 1)


async def _report_scope(request: Request, engine: AsyncEngine, tenant_scope: TenantScope) -> TenantScope:
    """The request's scope, except that a provider admin naming no tenant reports on all of them."""
    caller: Caller = request.user
    if caller.role is Role.PROVIDER_ADMIN and not request.headers.get(TENANT_HEADER):
        return await provider_admin_scope(request, engine)
    return tenant_scope


class SlaReportController(Controller):
    path = "/api/v1/sla/reports"
    tags = ["sla"]

    @get(
        "/",
        summary="Monthly SLA compliance per tenant, service type and priority",
        description=(
            "Counts items closed as done in the month (met, breached, compliance, resolution times) and items "
            "first responded in the month (first-response times); rejected and cancelled items are left out. "
            "Times are business minutes of each tenant's calendar; months are the tenant's local months. "
            "Medians and p90 interpolate linearly between closest ranks."
        ),
    )
    async def get_report(
        self,
        request: Request,
        db_session: AsyncSession,
        db_engine: AsyncEngine,
        tenant_scope: TenantScope,
        month: Annotated[str | None, QueryParameter(description="YYYY-MM; the current month when omitted")] = None,
        output: Annotated[
            Literal["json", "csv"], QueryParameter(name="format", description="json, or csv to download")
        ] = "json",
    ) -> Response[SlaReport]:
        scope = await _report_scope(request, db_engine, tenant_scope)
        set_scope(db_session, scope)
        latest = await current_month(db_session, scope.tenant_ids, utc_now())
        chosen = latest if month is None else parse_month(month)
        if chosen > latest:
            raise ClientException(
                f"month {_month_label(chosen)} has not begun yet; the latest report is for {_month_label(latest)}"
            )
        rows = await monthly_report(db_session, scope.tenant_ids, chosen)
        label = _month_label(chosen)
        if output == "csv":
            return Response(
                report_csv(rows),
                media_type="text/csv",  # Litestar adds "; charset=utf-8" to text types
                headers={"Content-Disposition": f'attachment; filename="sla-report-{label}.csv"'},
            )
        return Response(SlaReport(month=label, rows=rows))
