"""The hooks a work item's life offers the floors above ``work``.

``work`` moves items and keeps their clocks; the SLA floor, which sits above it
and reads its items, decides an item's targets and arms the timers that catch
breaches. ``sla`` fills these hooks when the registry installs it at boot
(``server.registry.load``). An empty hook is an error, never a silent no-op:
an item queued without its SLA targets would break the tenant's contract
unnoticed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.work.clocks import Targets
from bo_saas.work.models import Priority, WorkItem

if TYPE_CHECKING:
    from bo_saas.tenancy.models import Tenant


@dataclass(frozen=True, slots=True)
class SlaHooks:
    # The targets an item gets when it is first queued (tenant contract, then provider policy).
    targets_for: Callable[[AsyncSession, Tenant, str, Priority], Awaitable[Targets]]
    # Called after an item's due times may have changed, with the instants armed before the change.
    due_times_changed: Callable[[AsyncSession, WorkItem, set[datetime]], Awaitable[None]]
    # ``due_times_changed`` for many items whose clocks just started (nothing armed before), in one go.
    clocks_started: Callable[[AsyncSession, Sequence[WorkItem]], Awaitable[None]]


_sla_hooks: SlaHooks | None = None


def install_sla_hooks(hooks: SlaHooks) -> None:
    global _sla_hooks
    _sla_hooks = hooks


def sla_hooks() -> SlaHooks:
    if _sla_hooks is None:
        raise RuntimeError("The SLA hooks are not installed: call bo_saas.server.registry.load() at boot")
    return _sla_hooks
