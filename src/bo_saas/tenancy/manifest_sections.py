"""What a domain plugs into tenant manifests: a section, its typed model, and how to apply and export it.

A manifest (``tenants/*.toml``) is one file per tenant; each top-level key
belongs to exactly one section, and each section to the domain that owns the
rows it describes. ``tenancy`` reads the file, validates every section with
its model, runs the sections' checks, and hands each section to its domain in
``order``, all in one transaction. It knows no domain above it: the caller
passes the sections in (``server.registry.load().manifest_sections``).

A section the file leaves out is applied with its model's defaults when the
manifest is ``authoritative`` for it (the tenant's rows are made to match:
none), and left alone otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.tenancy.manifest_fields import Location

SYSTEM_ACTOR: tuple[UUID | None, str] = (None, "system")


class ManifestError(Exception):
    """One or more manifests were rejected; ``messages`` has one ``file: key: reason`` line each."""

    def __init__(self, messages: Iterable[str]) -> None:
        self.messages = tuple(messages)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class Problem:
    """A mistake at a location in one manifest (``("sla", "targets", 0, "priority")``)."""

    loc: Location
    reason: str


@dataclass(frozen=True)
class Manifest:
    """One file, read and validated section by section.

    ``values`` has each section's validated model, by section name, and only
    those: a section with a mistake is missing (its problems are reported), and
    a section the file leaves out that is not authoritative is missing too.
    """

    source: Path
    values: Mapping[str, Any]
    keys: tuple[str, ...] = ()  # the file's top-level keys, in the file's order

    def get(self, section: str) -> Any | None:
        return self.values.get(section)


@dataclass(frozen=True)
class CheckContext:
    """What a section's check sees: the whole manifest, the run's other manifests and the database's facts."""

    manifest: Manifest
    facts: Mapping[str, Any]  # a fact not given (validating without a database) is a check not made
    run: Sequence[Manifest]  # every manifest of this run, in order; a file is compared with those before it

    def earlier(self) -> Sequence[Manifest]:
        return self.run[: self.run.index(self.manifest)] if self.manifest in self.run else self.run


@dataclass
class ApplyContext:
    """One tenant's manifest being applied, inside the run's one transaction."""

    session: AsyncSession
    manifest: Manifest
    tenant_id: UUID
    tenant_created: bool
    # Phrases the report shows only when something else changed ("user x unchanged"), and always (notes).
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def source(self) -> Path:
        return self.manifest.source

    def record(self, action: str, subject_type: str, subject_id: str, changes: Mapping[str, Any]) -> None:
        """An audit event in the tenant's trail, by the system, naming the manifest."""
        record_event(
            self.session,
            None,
            tenant_id=self.tenant_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            changes={"manifest": str(self.source), **changes},
            actor=SYSTEM_ACTOR,
        )


@dataclass(frozen=True)
class ExportContext:
    session: AsyncSession
    tenant_id: UUID


@dataclass(frozen=True)
class ManifestSection:
    """A domain's part of the manifest.

    ``model``'s fields are the top-level keys the section owns. ``apply`` makes
    the tenant's rows match the validated model and returns what it changed, one
    phrase each; ``export`` returns the section's keys as they stand (plain
    TOML-ready values) or None for nothing to write. Sections apply in
    ``order``. ``check`` sees the whole manifest and the facts every section's
    ``facts`` loaded (plans, skills) for rules that span sections or files;
    ``preflight`` runs in the writing transaction before anything is applied,
    for rules that need the database and the tenant (an account belonging to
    another tenant).
    """

    name: str
    model: type[BaseModel]
    apply: Callable[[ApplyContext, Any], Awaitable[list[str]]]
    export: Callable[[ExportContext], Awaitable[dict[str, Any] | None]]
    order: int
    authoritative: bool
    check: Callable[[CheckContext], Iterable[Problem]] | None = None
    facts: Callable[[AsyncSession], Awaitable[Mapping[str, Any]]] | None = None
    preflight: Callable[[ApplyContext, Any], Awaitable[list[Problem]]] | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)


def in_order(sections: Iterable[ManifestSection]) -> list[ManifestSection]:
    """The sections in the order they apply; two sections owning one key is a wiring mistake."""
    ordered = sorted(sections, key=lambda section: section.order)
    owners: dict[str, str] = {}
    for section in ordered:
        for key in section.keys:
            if key in owners:
                raise ValueError(f"manifest key {key!r} is claimed by sections {owners[key]} and {section.name}")
            owners[key] = section.name
    return ordered
