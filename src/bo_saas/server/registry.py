"""The domain registry: the one list of domains, in floor order, and what the platform assembles from it.

A domain plugs in with a ``domain.py`` whose ``DOMAIN`` (``lib.domain.Domain``)
names its routes, models, jobs, manifest sections, desks, meters, navigation,
background loops and the hooks it fills in lower floors. Adding a domain is a
new folder and one line in ``DOMAIN_MODULES``: the app, the worker, the OpenAPI
document, Alembic's metadata, the manifest reader and the isolation walker all
read the registry.

The list runs from the lowest floor to the highest, which is also the order in
which hooks are installed and manifest sections apply unless a section says
otherwise.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from bo_saas.lib.domain import Domain, Meter, NavLink
from bo_saas.work import desks, usage

DOMAIN_MODULES: tuple[str, ...] = (
    "bo_saas.audit.domain",
    "bo_saas.tenancy.domain",
    "bo_saas.identity.domain",
    "bo_saas.notify.domain",
    "bo_saas.work.domain",
    "bo_saas.sla.domain",
    "bo_saas.support.domain",
    "bo_saas.dataentry.domain",
    "bo_saas.bookkeeping.domain",
    "bo_saas.billing.domain",
    "bo_saas.hr.domain",
)

# What lib itself contributes: the outbox's tables and the email job every floor queues.
CORE_MODELS = ("bo_saas.lib.outbox_models",)
CORE_TASK_MODULES = ("bo_saas.lib.email",)


@dataclass(frozen=True)
class Registry:
    modules: tuple[str, ...] = DOMAIN_MODULES

    @cached_property
    def domains(self) -> tuple[Domain, ...]:
        found = tuple(importlib.import_module(module).DOMAIN for module in self.modules)
        names = [domain.name for domain in found]
        duplicated = {name for name in names if names.count(name) > 1}
        if duplicated:
            raise ValueError(f"Two domains share a name: {', '.join(sorted(duplicated))}")
        return found

    def install(self) -> Registry:
        """Fill the hooks lower floors offer; idempotent, so every entry point may call it."""
        for domain in self.domains:
            if domain.install is not None:
                domain.install()
        # The usage and desk seams live in work, which cannot read the registry: hand them over (meters first).
        usage.install_meters(self.meters)
        desks.install_desks(self.desks)
        return self

    @property
    def route_handlers(self) -> list[Any]:
        return [handler for domain in self.domains for handler in domain.route_handlers]

    @property
    def model_modules(self) -> list[str]:
        return [*CORE_MODELS, *(domain.models for domain in self.domains if domain.models)]

    @property
    def task_modules(self) -> list[str]:
        return [*CORE_TASK_MODULES, *(module for domain in self.domains for module in domain.task_modules)]

    @property
    def manifest_sections(self) -> list[Any]:
        return [section for domain in self.domains for section in domain.manifest_sections]

    @property
    def desks(self) -> list[Any]:
        return [desk for domain in self.domains for desk in domain.desks]

    @property
    def meters(self) -> list[Meter]:
        return [meter for domain in self.domains for meter in domain.meters]

    @property
    def navigation(self) -> list[NavLink]:
        return sorted((link for domain in self.domains for link in domain.navigation), key=lambda link: link.order)

    @property
    def background(self) -> list[Any]:
        return [job for domain in self.domains for job in domain.background]

    def import_models(self) -> None:
        for module in self.model_modules:
            importlib.import_module(module)

    def import_task_modules(self) -> None:
        for module in self.task_modules:
            importlib.import_module(module)


def registry(extra_modules: Iterable[str] = ()) -> Registry:
    """The platform's registry, with the domains installed; ``extra_modules`` add domains (tests)."""
    return Registry((*DOMAIN_MODULES, *extra_modules)).install()


def load() -> Registry:
    """The shipped domains, installed: what the app, the worker and the CLI boot with."""
    return _default.install()


_default = Registry()
