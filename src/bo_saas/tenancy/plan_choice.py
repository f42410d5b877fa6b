"""The hook tenancy offers billing: a tenant was created on a plan, or moved to another one.

Tenancy owns the tenant row and its ``plan_code`` (the plan decides which
services a tenant may have); billing, floors above, owns the subscription that
says which version of that plan the tenant pays for. Whenever tenancy creates
a tenant or changes its plan (``POST``/``PATCH /api/v1/tenants``, a manifest),
it calls this hook in the same transaction, and billing fills it when the
registry installs it at boot (``billing/domain.py``). So the subscription and
the tenant's plan never disagree, and tenancy never imports billing.

An empty hook is an error, never a silent no-op: a tenant without a
subscription would never be billed, and nobody would notice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from bo_saas.tenancy.models import Tenant

# (session, the tenant as it now is) -> None; called after the tenant row is flushed.
PlanChosen = Callable[[AsyncSession, "Tenant"], Awaitable[None]]

_plan_chosen: PlanChosen | None = None


def install_plan_chosen_hook(hook: PlanChosen) -> None:
    global _plan_chosen
    _plan_chosen = hook


def plan_chosen_hook() -> PlanChosen:
    if _plan_chosen is None:
        raise RuntimeError("The plan-chosen hook is not installed: call bo_saas.server.registry.load() at boot")
    return _plan_chosen
