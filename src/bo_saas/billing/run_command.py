"""``bo-saas billing run``: a billing run from the command line, with a progress bar on a terminal and a summary.

The bar is drawn only when standard error is a terminal (a cron job's log gets
the summary alone). The summary names every tenant that failed, and why; the
exit status is 1 when any did; a refused run (a period not ended) writes nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bo_saas.billing.runs import RunSummary, run_billing
from bo_saas.billing.tenant_progress import TenantProgress
from bo_saas.lib.db import make_engine, make_sessionmaker
from bo_saas.lib.settings import Settings

Echo = Callable[[str], None]


def summary_lines(summary: RunSummary) -> list[str]:
    what = "dry run (nothing written)" if summary.dry_run else "run"
    lines = [
        f"billing {what} for {summary.period}: {summary.count('created')} created, "
        f"{summary.count('recomputed')} recomputed, {summary.count('unchanged')} unchanged, "
        f"{summary.count('finalized')} finalized (left alone), {summary.count('skipped')} skipped, "
        f"{summary.count('failed')} failed"
    ]
    lines += [f"  failed {result.tenant}: {result.reason}" for result in summary.failures]
    lines += [f"  skipped {r.tenant}: {r.reason}" for r in summary.results if r.outcome == "skipped"]
    return lines


async def _run(settings: Settings, period: str | None, tenant: str | None, dry_run: bool) -> RunSummary:
    engine = make_engine(settings.database_url, pool_size=1)
    progress = TenantProgress(f"billing {period or 'last month'}", "billing")
    try:
        return await run_billing(
            make_sessionmaker(engine),
            period=period,
            tenant_slug=tenant,
            dry_run=dry_run,
            started_by="cli",
            on_start=progress.started,
            on_result=lambda result: progress.done_with(result.tenant),
        )
    finally:
        progress.stop()
        await engine.dispose()


def run_command(settings: Settings, period: str | None, tenant: str | None, dry_run: bool, echo: Echo) -> int:
    """0 when every tenant was billed (or left alone on purpose), 1 when a tenant failed; BillingRunRefused."""
    summary = asyncio.run(_run(settings, period, tenant, dry_run))
    for line in summary_lines(summary):
        echo(line)
    return 1 if summary.failures else 0
