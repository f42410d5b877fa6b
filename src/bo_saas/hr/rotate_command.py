"""``bo-saas hr rotate-keys``: reseal every employee's personal data with the first key of ``BO_HR_KEYS``.

Rotation: add the new key first in ``BO_HR_KEYS`` (the old one stays, so
everything still opens), run this, then drop the old key. Each tenant is
resealed in its own transaction (scoped to it, as RLS requires), in batches,
so a run stopped half-way can simply be run again: rows already on the new
key are resealed again, harmlessly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.hr.crypto import Keyring, keyring
from bo_saas.hr.models import Employee
from bo_saas.lib.db import make_engine, make_sessionmaker, set_scope
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.models import Tenant

Echo = Callable[[str], None]
BATCH = 500


async def _tenant_ids(sessionmaker: async_sessionmaker[AsyncSession]) -> list:
    async with sessionmaker() as session, session.begin():
        return list(await session.scalars(select(Tenant.id).order_by(Tenant.slug)))


async def rotate(
    sessionmaker: async_sessionmaker[AsyncSession], ring: Keyring, on_progress: Callable[[int, int], None]
) -> int:
    """Reseal every sealed row with the ring's first key; how many. ``on_progress(done, total)`` after each batch."""
    tenants = await _tenant_ids(sessionmaker)
    counts = {}
    for tenant_id in tenants:
        async with sessionmaker() as session:
            set_scope(session, TenantScope.of(tenant_id))
            async with session.begin():
                counts[tenant_id] = await session.scalar(
                    select(func.count()).where(Employee.tenant_id == tenant_id, Employee.personal_sealed.is_not(None))
                )
    total, done = sum(counts.values()), 0
    on_progress(done, total)
    for tenant_id in (tenant for tenant in tenants if counts[tenant]):
        after = None
        while True:
            async with sessionmaker() as session:
                set_scope(session, TenantScope.of(tenant_id))
                async with session.begin():
                    statement = select(Employee).where(
                        Employee.tenant_id == tenant_id, Employee.personal_sealed.is_not(None)
                    )
                    if after is not None:
                        statement = statement.where(Employee.id > after)
                    batch = list(await session.scalars(statement.order_by(Employee.id).limit(BATCH).with_for_update()))
                    for employee in batch:
                        fields = ring.open(tenant_id, employee.id, employee.personal_sealed)
                        employee.personal_sealed = ring.seal(tenant_id, employee.id, fields)
            if not batch:
                break
            after, done = batch[-1].id, done + len(batch)
            on_progress(done, total)
    return done


async def _run(settings: Settings) -> int:
    engine = make_engine(settings.database_url, pool_size=1)
    ring = keyring(settings)
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True),
    )  # fmt: skip
    task = progress.add_task(f"resealing with key {ring.sealing_id}", total=None)

    def advanced(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    try:
        with progress:
            return await rotate(make_sessionmaker(engine), ring, advanced)
    finally:
        await engine.dispose()


def rotate_command(settings: Settings, echo: Echo) -> int:
    resealed = asyncio.run(_run(settings))
    echo(f"resealed {resealed} employee record(s) with key {keyring(settings).sealing_id}")
    return 0
