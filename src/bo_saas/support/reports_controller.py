"""``/api/v1/support/reports?month=YYYY-MM``: one tenant's monthly support report, as JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, Response, get
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.guards import requires_admin_or_staff
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.sla.reports import current_month
from bo_saas.sla.reports_controller import parse_month
from bo_saas.support.errors import InvalidSupportRequest
from bo_saas.support.reports import monthly_report, report_csv
from bo_saas.support.schemas import SupportReportOut


class SupportReportController(Controller):
    path = "/api/v1/support/reports"
    tags = ["support"]
    guards = [requires_admin_or_staff]

    @get(
        "/",
        summary="Monthly support report",
        description="Tickets in and solved, first response and resolution met/breached against the SLA, CSAT "
        "average and distribution, top tags, for one tenant's local month (staff: name it with X-Tenant).",
    )
    async def report(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        month: Annotated[str | None, QueryParameter(description="YYYY-MM; the current month when omitted")] = None,
        report_format: Annotated[
            Literal["json", "csv"], QueryParameter(name="format", description="json (default) or csv")
        ] = "json",
    ) -> Response[SupportReportOut]:
        if len(tenant_scope.tenant_ids) != 1:
            raise InvalidSupportRequest("Choose one tenant for the report with the X-Tenant header")
        (tenant_id,) = tenant_scope.tenant_ids
        chosen = parse_month(month) if month else await current_month(db, [tenant_id], utc_now())
        report = await monthly_report(db, tenant_id, chosen)
        if report_format == "csv":
            return Response(
                report_csv(report),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="support-{report.month}.csv"'},
            )
        return Response(report)
