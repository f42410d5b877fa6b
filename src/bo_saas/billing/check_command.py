"""``bo-saas billing check``: the usage check from the command line, a progress bar on a terminal, then the report.

Exit status 1 when any difference is found, so a finance team's script (or a
cron job before finalizing) can stop on it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bo_saas.billing.runs import default_period
from bo_saas.billing.tenant_progress import TenantProgress
from bo_saas.billing.usage_check import TenantCheck, check_lines, check_usage
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import make_engine, make_sessionmaker
from bo_saas.lib.settings import Settings

Echo = Callable[[str], None]


async def _check(settings: Settings, period: str, tenant: str | None) -> list[TenantCheck]:
    engine = make_engine(settings.database_url, pool_size=1)
    progress = TenantProgress(f"checking {period}", "checked")
    try:
        return await check_usage(
            make_sessionmaker(engine),
            period=period,
            tenant_slug=tenant,
            on_start=progress.started,
            on_checked=lambda check: progress.done_with(check.tenant),
        )
    finally:
        progress.stop()
        await engine.dispose()


def check_command(settings: Settings, period: str | None, tenant: str | None, echo: Echo) -> int:
    """0 when done work and recorded usage agree everywhere, 1 when any difference was found."""
    now = utc_now()
    label = period or default_period(now)
    checks = asyncio.run(_check(settings, label, tenant))
    for line in check_lines(label, checks, now):
        echo(line)
    return 1 if any(check.differences for check in checks) else 0
