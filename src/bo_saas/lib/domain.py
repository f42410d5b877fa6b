"""What a domain contributes to the platform, in one descriptor the registry in ``server/`` reads.

Each domain folder has a ``domain.py`` whose ``DOMAIN`` names its parts; the
registry (``server/registry.py``) lists the domain modules in floor order and
assembles the app, the worker, the OpenAPI document, Alembic's metadata, the
manifest sections, the desks, the meters and the web app's navigation from
them. Nothing else lists domains.

The descriptor lives in ``lib`` so every floor can declare itself without
importing the floors above it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bo_saas.lib.settings import Settings

# A coroutine the API process runs for its whole life (a sweeper), given the engine and settings.
BackgroundJob = Callable[["AsyncEngine", "Settings"], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Meter:
    """A usage meter a domain records through the usage seam (``work.usage.record_usage``)."""

    code: str  # "<domain>.<what>", e.g. "data_entry.records"
    unit: str  # what one unit is, singular ("record")
    aggregation: Literal["sum", "max", "unique"]
    description: str


@dataclass(frozen=True, slots=True)
class NavLink:
    """One entry the domain adds to the web app's navigation (served by ``GET /api/v1/navigation``)."""

    key: str  # stable id, also the translation key in the web app ("nav.<key>")
    label: str  # English label, shown when the web app has no translation
    path: str  # the web app's route
    surface: Literal["portal", "console"]
    roles: tuple[str, ...]  # the roles that see it
    order: int  # place in the menu, across domains (the menu reads top to bottom by this)
    service: str | None = None  # shown only to callers whose tenant has this service


@dataclass(frozen=True, slots=True)
class Domain:
    """Everything a domain plugs in; each field is optional but the name."""

    name: str
    route_handlers: Sequence[Any] = ()
    models: str | None = None  # module path, imported for the metadata (Alembic, tests)
    task_modules: Sequence[str] = ()  # module paths whose dramatiq actors the worker loads
    manifest_sections: Sequence[Any] = ()  # tenancy.manifest_sections.ManifestSection
    desks: Sequence[Any] = ()  # work.desks.Desk: the service types this domain delivers as a desk
    meters: Sequence[Meter] = ()
    navigation: Sequence[NavLink] = ()
    background: Sequence[BackgroundJob] = ()
    # Fills the hooks lower floors offer (e.g. sla gives work its targets and timers); run once at boot.
    install: Callable[[], None] | None = None
