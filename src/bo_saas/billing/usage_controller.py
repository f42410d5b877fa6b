"""``GET /api/v1/usage?period=YYYY-MM``: a period's usage per meter, and seats, priced; ``/records``: each unit."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter
from sqlalchemy import desc
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.billing.errors import InvalidBillingRequest
from bo_saas.billing.models import PlanVersion
from bo_saas.billing.periods import Period, month_of, parse_month, period_starting
from bo_saas.billing.pricing import Charge
from bo_saas.billing.schemas import LineOut, MeterUsageOut, UsageOut, UsageRecordOut
from bo_saas.billing.scope import tenant_in_scope
from bo_saas.billing.subscriptions import in_force
from bo_saas.billing.usage_report import usage_report
from bo_saas.lib.clock import utc_now
from bo_saas.lib.listing import list_page
from bo_saas.lib.pagination import OffsetPagination, PageRequest
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant
from bo_saas.work.usage import usage_rows


def _meter_out(meter: str, charge: Charge) -> MeterUsageOut:
    return MeterUsageOut(
        meter=meter,
        quantity=charge.quantity,
        included=charge.included,
        billable=charge.billable,
        amount=charge.amount,
        lines=[LineOut(line.description, line.quantity, line.unit_price, line.amount) for line in charge.lines],
    )


def _month(period: str | None, tenant: Tenant, now: datetime) -> Period:
    if period is None:
        return month_of(now, tenant.timezone)
    first_day = parse_month(period)
    if first_day is None:
        raise InvalidBillingRequest(f"period: {period!r} is not a month written YYYY-MM (e.g. 2026-11)")
    return period_starting(first_day, tenant.timezone)


PeriodParameter = Annotated[
    str | None, QueryParameter(max_length=7, description="YYYY-MM (default: this month, tenant's time)")
]


class UsageController(Controller):
    path = "/api/v1/usage"
    tags = ["billing"]

    @get("/", summary="Usage of a calendar month in the tenant's time zone, priced so far")
    async def get_usage(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        period: PeriodParameter = None,
    ) -> UsageOut:
        tenant = await tenant_in_scope(db, tenant_scope)
        now = utc_now()
        month = _month(period, tenant, now)
        subscription = await in_force(db, tenant, now)
        version = await db.get(PlanVersion, subscription.plan_version_id)
        assert version is not None
        report = await usage_report(db, tenant, version, month, now)
        return UsageOut(
            period=month.label,
            start=month.start,
            end=month.end,
            currency=version.currency,
            plan=version.plan_code,
            version=version.version,
            base_fee=report.base_fee,
            meters=[_meter_out(usage.meter, usage.charge) for usage in report.meters],
            seats=_meter_out("seats", report.seats),
            estimated_total=report.estimated_total,
            as_of=now,
        )

    @get("/records", summary="Each unit of usage of a month, newest first, with the work item that earned it")
    async def list_usage_records(
        self,
        db: AsyncSession,
        tenant_scope: TenantScope,
        page: PageRequest,
        period: PeriodParameter = None,
        meter: Annotated[str | None, QueryParameter(max_length=60, description="only this meter's")] = None,
    ) -> OffsetPagination[UsageRecordOut]:
        tenant = await tenant_in_scope(db, tenant_scope)
        month = _month(period, tenant, utc_now())
        return await list_page(
            db,
            usage_rows(tenant.id, month.start, month.end, meter),
            page,
            order_by=(desc("occurred_at"), desc("id")),
            into=UsageRecordOut,
        )
