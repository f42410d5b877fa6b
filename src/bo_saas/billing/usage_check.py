"""``bo-saas billing check``: done work compared with recorded usage, per tenant and meter, every difference listed.

Usage is recorded by the desks in the transaction that makes an item done
(``work.desks.item_done``), keyed by the item, so the expected state is exact:
every item whose first reaching done falls in the period has one usage row of
its desk's meter with the units its desk counts, and every usage row that names
an item belongs to an item that reached done. A finance team can run this
before finalizing and expect no difference; any difference names the item.

Usage recorded without a work item (a headcount, say) has no work to compare
with: it is counted in the totals and never reported as a difference. The
expected units are what the desk counts now, which a done item no longer
changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.billing.periods import Period, parse_month, period_starting
from bo_saas.billing.runs import chosen_tenants
from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant
from bo_saas.work.desks import earned_usage
from bo_saas.work.models import UsageRecord, WorkItem, WorkItemTransition, WorkState
from bo_saas.work.usage import usage_totals

MISSING = "done work without usage"
DIFFERENT = "usage differs from the work"
NOT_DONE = "usage for work that never reached done"
OTHER_PERIOD = "usage for work done in another period"


@dataclass(frozen=True, slots=True)
class Difference:
    tenant: str  # slug
    meter: str
    work_item_id: UUID
    expected: int
    recorded: int
    why: str


@dataclass
class TenantCheck:
    tenant: str
    expected: dict[str, int] = field(default_factory=dict)  # meter -> units the done work earns
    recorded: dict[str, int] = field(default_factory=dict)  # meter -> units recorded, as the invoice aggregates them
    differences: list[Difference] = field(default_factory=list)


async def _first_done(session: AsyncSession, tenant_id: UUID, item_ids: list[UUID] | None, period: Period):
    """item id -> when it first reached done: items first done in ``period``, or (given ids) those items."""
    first = func.min(WorkItemTransition.occurred_at)
    statement = (
        select(WorkItemTransition.work_item_id, first)
        .where(WorkItemTransition.tenant_id == tenant_id, WorkItemTransition.to_state == WorkState.DONE)
        .group_by(WorkItemTransition.work_item_id)
    )
    if item_ids is None:
        statement = statement.having(first >= period.start, first < period.end)
    else:
        statement = statement.where(WorkItemTransition.work_item_id.in_(item_ids))
    return {item_id: first_at for item_id, first_at in await session.execute(statement)}


async def check_tenant(session: AsyncSession, tenant: Tenant, period: Period) -> TenantCheck:
    """The tenant's check for ``period``, in the caller's transaction (scoped to this tenant); writes nothing."""
    check = TenantCheck(tenant.slug)
    rows = await session.execute(
        select(UsageRecord.meter, UsageRecord.quantity, UsageRecord.work_item_id).where(
            UsageRecord.tenant_id == tenant.id,
            UsageRecord.occurred_at >= period.start,
            UsageRecord.occurred_at < period.end,
        )
    )
    recorded_by_item: dict[tuple[UUID, str], int] = defaultdict(int)
    for meter, quantity, item_id in rows:
        check.recorded.setdefault(meter, 0)
        if item_id is not None:
            recorded_by_item[(item_id, meter)] += quantity
    for meter in check.recorded:  # by the meter's own aggregation, as the invoice counts it
        check.recorded[meter] = await usage_totals(session, tenant.id, meter, period.start, period.end)

    done_in_period = await _first_done(session, tenant.id, None, period)
    expected_by_item: dict[tuple[UUID, str], int] = {}
    for item in await session.scalars(
        select(WorkItem).where(WorkItem.tenant_id == tenant.id, WorkItem.id.in_(done_in_period))
    ):
        earned = await earned_usage(session, item)
        if earned is not None and earned[1] > 0:
            expected_by_item[(item.id, earned[0])] = earned[1]
            check.expected[earned[0]] = check.expected.get(earned[0], 0) + earned[1]

    unexplained = [item_id for item_id, _ in recorded_by_item.keys() - expected_by_item.keys()]
    done_elsewhere = await _first_done(session, tenant.id, unexplained, period) if unexplained else {}
    for key in sorted(expected_by_item.keys() | recorded_by_item.keys(), key=lambda pair: (pair[1], str(pair[0]))):
        item_id, meter = key
        expected, recorded = expected_by_item.get(key, 0), recorded_by_item.get(key, 0)
        if expected == recorded:
            continue
        if key in expected_by_item:
            why = MISSING if recorded == 0 else DIFFERENT
        else:
            why = OTHER_PERIOD if item_id in done_elsewhere else NOT_DONE
        check.differences.append(Difference(tenant.slug, meter, item_id, expected, recorded, why))
    return check


async def check_usage(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    period: str,
    tenant_slug: str | None = None,
    on_start: Callable[[int], None] | None = None,
    on_checked: Callable[[TenantCheck], None] | None = None,
) -> list[TenantCheck]:
    """Check every chosen tenant (each in its own read-only transaction, scoped to it) for ``period`` (YYYY-MM)."""
    first_day = parse_month(period)
    if first_day is None:
        raise ValueError(f"period: {period!r} is not a month written YYYY-MM (e.g. 2026-11)")
    async with sessionmaker() as session, session.begin():
        tenants = await chosen_tenants(session, tenant_slug)
    if on_start is not None:
        on_start(len(tenants))
    checks = []
    for tenant in tenants:
        async with sessionmaker() as session:
            set_scope(session, TenantScope.of(tenant.id))
            async with session.begin():
                check = await check_tenant(session, tenant, period_starting(first_day, tenant.timezone))
        checks.append(check)
        if on_checked is not None:
            on_checked(check)
    return checks


def check_lines(period: str, checks: list[TenantCheck], now: datetime) -> list[str]:
    """The report: per tenant and meter, expected and recorded units; then each difference; then a verdict."""
    lines = [f"usage check for {period} (as of {now:%Y-%m-%d %H:%M} UTC)"]
    for check in checks:
        for meter in sorted(check.expected.keys() | check.recorded.keys()):
            expected, recorded = check.expected.get(meter, 0), check.recorded.get(meter, 0)
            lines.append(f"  {check.tenant:<30} {meter:<24} done work {expected:>10}  recorded {recorded:>10}")
    differences = [difference for check in checks for difference in check.differences]
    for d in differences:
        lines.append(
            f"  DIFFERENCE {d.tenant} {d.meter} work item {d.work_item_id}: {d.why} "
            f"(expected {d.expected}, recorded {d.recorded})"
        )
    verdict = "no differences" if not differences else f"{len(differences)} difference(s)"
    lines.append(f"{len(checks)} tenant(s) checked: {verdict}")
    return lines
