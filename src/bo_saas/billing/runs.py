"""Billing runs: every tenant's invoice for an ended period, a chunk of tenants per transaction, in ``billing_runs``.

A run bills a calendar month that has ended in every chosen tenant's time zone;
a period still running anywhere among them is refused before anything is
written. Tenants are billed ``CHUNK`` at a time, each chunk in one transaction
scoped to its tenants, its facts read with a fixed number of queries
(``invoice_inputs``) and its drafts saved in bulk (``drafts_bulk``): ten
thousand tenants take seconds, not minutes. A tenant whose invoice cannot be
built fails alone; if a chunk's statements fail, its tenants are billed again
one per transaction, so one tenant's fault (its reason kept in the run's
record) stops nobody else's invoice. The run's row counts tenants done and
outcomes as each chunk commits, so the console can follow a run a worker
carries out (``run_tasks``). A rerun, or two runs at once, make no
second invoice; drafts are recomputed, finalized invoices left alone. A dry run
does all the work and rolls every transaction back.

The default period is the last month that has ended everywhere: the month
before the one it is now in the last time zone on earth (UTC-12).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from uuid import UUID

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.billing.drafts_bulk import save_drafts
from bo_saas.billing.errors import BillingRunRefused
from bo_saas.billing.invoice_builder import build_from, build_invoice
from bo_saas.billing.invoice_inputs import Wanted, all_versions, read_inputs
from bo_saas.billing.invoices import DraftOutcome, save_draft
from bo_saas.billing.models import BillingRun, Invoice, PlanVersion, Subscription
from bo_saas.billing.periods import Period, month_of, parse_month, period_starting
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import set_scope
from bo_saas.lib.errors import DomainError
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant

log = structlog.get_logger(__name__)

LAST_TIME_ZONE = "Etc/GMT+12"  # UTC-12 (POSIX signs are reversed): where a day ends last
# Tenants billed in one transaction: their facts are read with a fixed number of queries (invoice_inputs).
CHUNK = 250


@dataclass(frozen=True, slots=True)
class TenantResult:
    tenant: str  # slug
    outcome: str  # created | recomputed | unchanged | finalized | skipped | failed
    reason: str | None = None  # why skipped or failed
    total: int | None = None


@dataclass
class RunSummary:
    run_id: UUID
    period: str
    dry_run: bool
    results: list[TenantResult] = field(default_factory=list)

    def count(self, *outcomes: str) -> int:
        return sum(1 for result in self.results if result.outcome in outcomes)

    @property
    def failures(self) -> list[TenantResult]:
        return [result for result in self.results if result.outcome == "failed"]


def default_period(now: datetime) -> str:
    this_month = month_of(now, LAST_TIME_ZONE)
    return month_of(this_month.start - timedelta(days=1), LAST_TIME_ZONE).label


async def chosen_tenants(session: AsyncSession, tenant_slug: str | None) -> list[Tenant]:
    statement = select(Tenant).order_by(Tenant.slug)
    if tenant_slug is not None:
        statement = statement.where(Tenant.slug == tenant_slug.lower())
    tenants = list(await session.scalars(statement))
    if tenant_slug is not None and not tenants:
        raise BillingRunRefused(f"tenant: no tenant {tenant_slug!r}")
    return tenants


def _refuse_unended(label: str, tenants: list[Tenant], now: datetime) -> None:
    first_day = parse_month(label)
    if first_day is None:
        raise BillingRunRefused(f"period: {label!r} is not a month written YYYY-MM (e.g. 2026-11)")
    running = [tenant for tenant in tenants if period_starting(first_day, tenant.timezone).end > now]
    if running:
        named = ", ".join(f"{tenant.slug} ({tenant.timezone})" for tenant in running[:5])
        more = f" and {len(running) - 5} more" if len(running) > 5 else ""
        raise BillingRunRefused(
            f"period: {label} has not ended yet for {named}{more}; a period is billed once it has ended "
            f"(the last ended everywhere is {default_period(now)})"
        )


def _skip_reason(subscription: Subscription | None, period: Period) -> str | None:
    """Why a tenant gets no invoice for ``period``, or None."""
    if subscription is None:
        return "no subscription"
    if subscription.cancelled_at is not None and subscription.cancelled_at < period.start:
        return "subscription cancelled before the period"
    if subscription.trial_ends_at is not None and subscription.trial_ends_at >= period.end:
        return "in trial for the whole period"
    return None


def _result(tenant: Tenant, invoice: Invoice | None, outcome: DraftOutcome, total: int) -> TenantResult:
    if outcome is DraftOutcome.FINALIZED:
        assert invoice is not None
        return TenantResult(tenant.slug, "finalized", f"{invoice.number} is finalized", invoice.total)
    return TenantResult(tenant.slug, outcome.value, None, total)


async def bill_tenant(session: AsyncSession, tenant: Tenant, period: Period) -> TenantResult:
    """The tenant's invoice for ``period``, in the caller's transaction (scoped to this tenant)."""
    subscription = await session.scalar(select(Subscription).where(Subscription.tenant_id == tenant.id))
    skipped = _skip_reason(subscription, period)
    if skipped is not None:
        return TenantResult(tenant.slug, "skipped", skipped)
    built = await build_invoice(session, tenant, subscription, period, subscription.cancelled_at)
    if built is None:
        return TenantResult(tenant.slug, "skipped", "not subscribed in the period")
    invoice, outcome = await save_draft(session, tenant, built)
    return _result(tenant, invoice, outcome, built.priced.total)


async def bill_chunk(
    session: AsyncSession, tenants: Sequence[Tenant], first_day: date, versions: Mapping[UUID, PlanVersion]
) -> list[TenantResult]:
    """Invoices of many tenants for the month starting ``first_day``, in the caller's transaction (scoped to them).

    The same invoices ``bill_tenant`` makes one by one, from a fixed number of queries for the chunk. A tenant
    whose invoice cannot be built fails alone (the others are saved); a failure of the chunk's statements is
    the caller's to isolate.
    """
    periods = {tenant.id: period_starting(first_day, tenant.timezone) for tenant in tenants}
    subscriptions = {
        row.tenant_id: row
        for row in await session.scalars(select(Subscription).where(Subscription.tenant_id.in_(periods)))
    }
    results: dict[UUID, TenantResult] = {}
    wanted = []
    for tenant in tenants:
        subscription, period = subscriptions.get(tenant.id), periods[tenant.id]
        skipped = _skip_reason(subscription, period)
        if skipped is not None:
            results[tenant.id] = TenantResult(tenant.slug, "skipped", skipped)
            continue
        end = period.end if subscription.cancelled_at is None else min(subscription.cancelled_at, period.end)
        wanted.append(Wanted(tenant, period, subscription, end))
    built = []
    for tenant_id, inputs in (await read_inputs(session, wanted)).items():
        tenant = inputs.wanted.tenant
        try:
            invoice = build_from(inputs, versions)
        except DomainError as exc:
            results[tenant_id] = TenantResult(tenant.slug, "failed", exc.message)
            continue
        if invoice is None:
            results[tenant_id] = TenantResult(tenant.slug, "skipped", "not subscribed in the period")
        else:
            built.append((tenant, invoice))
    by_id = {tenant.id: tenant for tenant in tenants}
    totals = {tenant.id: invoice.priced.total for tenant, invoice in built}
    for tenant_id, (invoice, outcome) in (await save_drafts(session, built)).items():
        results[tenant_id] = _result(by_id[tenant_id], invoice, outcome, totals[tenant_id])
    return [results[tenant.id] for tenant in tenants]


class _DryRun(Exception):
    def __init__(self, result: TenantResult | list[TenantResult]) -> None:
        self.result = result


async def _bill_one(
    sessionmaker: async_sessionmaker[AsyncSession], tenant: Tenant, period: Period, dry_run: bool
) -> TenantResult:
    async with sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant.id))
        try:
            async with session.begin():
                result = await bill_tenant(session, tenant, period)
                if dry_run:
                    raise _DryRun(result)  # leaving the block by an exception rolls the transaction back
            return result
        except _DryRun as done:
            return done.result
        except DomainError as exc:
            return TenantResult(tenant.slug, "failed", exc.message)
        except Exception as exc:  # one tenant's fault must not stop the others' invoices
            log.exception("billing.tenant_failed", tenant=tenant.slug, period=period.label)
            return TenantResult(tenant.slug, "failed", f"{type(exc).__name__}: {exc}"[:500])


async def _bill_some(
    sessionmaker: async_sessionmaker[AsyncSession],
    tenants: Sequence[Tenant],
    first_day: date,
    versions: Mapping[UUID, PlanVersion],
    dry_run: bool,
) -> list[TenantResult]:
    """A chunk of tenants in one transaction scoped to them; if its statements fail, each tenant on its own."""
    async with sessionmaker() as session:
        set_scope(session, TenantScope(frozenset(tenant.id for tenant in tenants)))
        try:
            async with session.begin():
                results = await bill_chunk(session, tenants, first_day, versions)
                if dry_run:
                    raise _DryRun(results)
            return results
        except _DryRun as done:
            return done.result
        except Exception:  # one tenant's fault must not stop the others' invoices: find it, one by one
            log.warning("billing.chunk_failed", tenants=len(tenants), exc_info=True)
    return [
        await _bill_one(sessionmaker, tenant, period_starting(first_day, tenant.timezone), dry_run)
        for tenant in tenants
    ]


async def open_run(
    session: AsyncSession,
    *,
    period: str | None,
    tenant_slug: str | None,
    dry_run: bool,
    started_by: str,
    now: datetime,
) -> BillingRun:
    """A run on record (running, its tenants counted) in the caller's transaction; BillingRunRefused first."""
    label = period or default_period(now)
    tenants = await chosen_tenants(session, tenant_slug)
    _refuse_unended(label, tenants, now)
    run = BillingRun(
        period=label, tenant_slug=tenant_slug, dry_run=dry_run, status="running", started_by=started_by,
        started_at=now, failures=[], tenants_total=len(tenants), tenants_done=0,
    )  # fmt: skip
    session.add(run)
    await session.flush()
    return run


async def _record(
    sessionmaker: async_sessionmaker[AsyncSession],
    summary: RunSummary,
    *,
    total: int,
    status: str = "running",
    error: str | None = None,
) -> None:
    """The run's row as the summary stands: tenants done, counts by outcome, failures; finished or failed at the end."""
    async with sessionmaker() as session, session.begin():
        row = await session.get(BillingRun, summary.run_id)
        assert row is not None
        row.tenants_total, row.tenants_done = total, len(summary.results)
        row.created = summary.count("created")
        row.recomputed = summary.count("recomputed")
        row.unchanged = summary.count("unchanged")
        row.skipped = summary.count("finalized", "skipped")
        row.failed = summary.count("failed")
        row.failures = [{"tenant": result.tenant, "reason": result.reason} for result in summary.failures]
        row.status, row.error = status, error
        if status != "running":
            row.finished_at = utc_now()


async def carry_out(
    sessionmaker: async_sessionmaker[AsyncSession],
    run_id: UUID,
    *,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[TenantResult], None] | None = None,
) -> RunSummary | None:
    """Bill a recorded run's tenants, a chunk at a time, its row updated as each chunk finishes; None if not running.

    A run carried out again while still running (a worker died and its job came back) starts over: billing
    again makes no invoice twice. A run that stops on an error is marked failed with the reason, and re-raises.
    """
    async with sessionmaker() as session, session.begin():
        run = await session.get(BillingRun, run_id)
        if run is None or run.status != "running":
            return None
        summary, tenant_slug = RunSummary(run.id, run.period, run.dry_run), run.tenant_slug
    total = 0
    try:
        async with sessionmaker() as session, session.begin():
            tenants = await chosen_tenants(session, tenant_slug)
            versions = await all_versions(session)
        total = len(tenants)
        await _record(sessionmaker, summary, total=total)
        if on_start is not None:
            on_start(total)
        first_day = parse_month(summary.period)
        assert first_day is not None  # open_run checked it
        for start in range(0, total, CHUNK):
            chunk = tenants[start : start + CHUNK]
            for result in await _bill_some(sessionmaker, chunk, first_day, versions, summary.dry_run):
                summary.results.append(result)
                if on_result is not None:
                    on_result(result)
            await _record(sessionmaker, summary, total=total)
    except Exception as exc:
        reason = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
        log.exception("billing.run_failed", run=str(run_id))
        await _record(sessionmaker, summary, total=max(total, len(summary.results)), status="failed",
                      error=reason[:500])  # fmt: skip
        raise
    await _record(sessionmaker, summary, total=total, status="finished")
    return summary


async def run_billing(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    period: str | None = None,
    tenant_slug: str | None = None,
    dry_run: bool = False,
    started_by: str = "cli",
    now: datetime | None = None,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[TenantResult], None] | None = None,
) -> RunSummary:
    """Bill every chosen tenant for ``period`` (default: the last month ended everywhere) here and now.

    The CLI's and the schedule's way; the console records the run and has a worker carry it out (run_tasks).
    BillingRunRefused before anything is written.
    """
    async with sessionmaker() as session, session.begin():
        run = await open_run(
            session, period=period, tenant_slug=tenant_slug, dry_run=dry_run, started_by=started_by,
            now=now or utc_now(),
        )  # fmt: skip
    summary = await carry_out(sessionmaker, run.id, on_start=on_start, on_result=on_result)
    assert summary is not None  # just recorded as running
    return summary
