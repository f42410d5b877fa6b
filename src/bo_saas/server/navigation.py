"""``GET /api/v1/navigation``: the web app's menu for the caller, assembled from the domain registry.

The web app keeps no list of screens to offer: each domain names its entries
(``lib.domain.NavLink``), and this route returns the ones for the caller's role,
leaving out a desk's entries when the caller's tenant does not have that service.
"""

from __future__ import annotations

import msgspec
from litestar import Controller, Request, get
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.caller import Caller
from bo_saas.server.registry import Registry
from bo_saas.tenancy.models import Tenant


class NavigationEntry(msgspec.Struct):
    key: str
    label: str
    path: str
    surface: str
    service: str | None


class Navigation(msgspec.Struct):
    items: list[NavigationEntry]


class NavigationController(Controller):
    path = "/api/v1/navigation"
    tags = ["web app"]

    @get("/", summary="The menu entries the caller may open, in menu order")
    async def navigation(self, request: Request, db_session: AsyncSession) -> Navigation:
        caller: Caller = request.user
        registry: Registry = request.app.state.registry
        services: set[str] | None = None  # staff serve every desk
        if caller.tenant_id is not None:
            tenant = await db_session.get(Tenant, caller.tenant_id)
            services = set(tenant.services) if tenant else set()
        entries = [
            NavigationEntry(key=link.key, label=link.label, path=link.path, surface=link.surface, service=link.service)
            for link in registry.navigation
            if caller.role.value in link.roles
            and (link.service is None or services is None or link.service in services)
        ]
        return Navigation(items=entries)
