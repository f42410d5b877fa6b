"""Applying tenant manifests (``tenants/*.toml``) to the database, and exporting a tenant back to one.

Applying is all or nothing for the whole run. Every file is read and validated
first, against each other and against the database's facts (plans, skills);
if any is wrong nothing is touched. Then ONE transaction, whose tenant scope
covers every tenant named (new tenants get their id before it begins), runs
the sections' preflight checks for every file (an account that belongs
elsewhere), then hands each section to its domain in the sections' order, and
makes every change or, if anything fails, none.

Each domain compares before it writes, so applying the same manifests again
writes nothing: no UPDATE, no audit event, a report that says "unchanged".
Which sections are authoritative (left out ⇒ the tenant's rows are removed)
and which are left alone when left out is each section's own declaration; the
README lists them.

The sections come from the caller (``server.registry.load().manifest_sections``):
tenancy knows no domain above it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.lib.broker import current_broker, setup_broker
from bo_saas.lib.db import make_engine, make_sessionmaker, set_scope
from bo_saas.lib.outbox import wait_for_relays
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.tenancy.manifest import TenantSection
from bo_saas.tenancy.manifest_reading import load_facts, load_manifests, manifest_files, problem_messages
from bo_saas.tenancy.manifest_sections import (
    ApplyContext,
    ExportContext,
    Manifest,
    ManifestError,
    ManifestSection,
    in_order,
)
from bo_saas.tenancy.manifest_toml import render
from bo_saas.tenancy.models import Tenant

Echo = Callable[[str], Any]


@dataclass(frozen=True)
class TenantReport:
    slug: str
    created: bool
    changes: tuple[str, ...]  # what was created or changed, one phrase each
    unchanged: tuple[str, ...]  # said only when something else changed ("user x unchanged")
    notes: tuple[str, ...]  # always said ("user x is not in the manifest, left alone")

    @property
    def changed(self) -> bool:
        return self.created or bool(self.changes)

    def lines(self) -> list[str]:
        lines = [f"{self.slug}: created tenant"] if self.created else []
        lines += [f"{self.slug}: {change}" for change in self.changes]
        if self.changed:
            lines += [f"{self.slug}: {phrase}" for phrase in self.unchanged]
        else:
            lines.append(f"{self.slug}: unchanged")
        lines += [f"{self.slug}: {note}" for note in self.notes]
        return lines


@dataclass(frozen=True)
class ApplyReport:
    tenants: tuple[TenantReport, ...]

    @property
    def changed(self) -> bool:
        return any(tenant.changed for tenant in self.tenants)

    def lines(self) -> list[str]:
        return [line for tenant in self.tenants for line in tenant.lines()]


def _slug(manifest: Manifest) -> str:
    tenant: TenantSection = manifest.get("tenant")
    return tenant.slug


async def apply_manifests(
    sessionmaker: async_sessionmaker[AsyncSession],
    paths: Sequence[Path],
    sections: Iterable[ManifestSection],
    echo: Echo = print,
) -> ApplyReport:
    """Apply manifest files or folders of them; raise ManifestError (changing nothing) if any is wrong."""
    sections = in_order(sections)
    files = manifest_files(paths)
    async with sessionmaker() as session:
        async with session.begin():
            facts = await load_facts(session, sections)
        manifests = load_manifests(files, sections, facts)
        slugs = [_slug(manifest) for manifest in manifests]
        async with session.begin():
            known = dict((await session.execute(select(Tenant.slug, Tenant.id).where(Tenant.slug.in_(slugs)))).all())
        tenant_ids = {slug: known.get(slug) or uuid4() for slug in slugs}
        # The scope must be in place before the transaction that writes begins.
        set_scope(session, TenantScope.of(*tenant_ids.values()))
        async with session.begin():
            contexts = [
                ApplyContext(session, manifest, tenant_ids[slug], tenant_created=slug not in known)
                for manifest, slug in zip(manifests, slugs, strict=True)
            ]
            await _preflight(contexts, sections)
            reports = [await _apply_one(context, sections) for context in contexts]
    report = ApplyReport(tuple(reports))
    for line in report.lines():
        echo(line)
    return report


async def _preflight(contexts: Sequence[ApplyContext], sections: Sequence[ManifestSection]) -> None:
    """Every section's database checks for every file, before anything is written; all problems at once."""
    messages = []
    for context in contexts:
        problems = []
        for section in sections:
            value = context.manifest.get(section.name)
            if section.preflight is not None and value is not None:
                problems += await section.preflight(context, value)
        messages += problem_messages(context.manifest, problems, sections)
    if messages:
        raise ManifestError(messages)


async def _apply_one(context: ApplyContext, sections: Sequence[ManifestSection]) -> TenantReport:
    changes: list[str] = []
    for section in sections:
        value = context.manifest.get(section.name)
        if value is not None:  # None: left out of a section the manifest is not authoritative for
            changes += await section.apply(context, value)
    return TenantReport(
        slug=_slug(context.manifest),
        created=context.tenant_created,
        changes=tuple(changes),
        unchanged=tuple(context.unchanged),
        notes=tuple(context.notes),
    )


async def export_manifest(
    sessionmaker: async_sessionmaker[AsyncSession], slug: str, sections: Iterable[ManifestSection]
) -> str:
    """The manifest of a tenant as it stands (no passwords); applying it back changes nothing."""
    async with sessionmaker() as session:
        async with session.begin():
            tenant_id: UUID | None = await session.scalar(select(Tenant.id).where(Tenant.slug == slug))
        if tenant_id is None:
            raise ManifestError([f"{slug}: no tenant with this slug"])
        set_scope(session, TenantScope.of(tenant_id))
        async with session.begin():
            context = ExportContext(session, tenant_id)
            parts = [await section.export(context) for section in in_order(sections)]
    return render(part for part in parts if part)


# --- for the CLI ------------------------------------------------------------------------------


def apply_command(settings: Settings, path: Path, sections: Iterable[ManifestSection], echo: Echo = print) -> int:
    """``bo-saas tenants apply PATH``: 0 when applied (or already so), 1 when rejected (nothing changed).

    ``settings`` must carry resolved database URLs (embedded servers already started).
    """
    _ensure_broker(settings)

    async def run() -> None:
        engine = make_engine(settings.database_url, pool_size=1)
        try:
            await apply_manifests(make_sessionmaker(engine), [Path(path)], sections, echo)
            # Invitations are relayed to Redis after the commit; let that finish before the engine goes.
            await wait_for_relays()
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    except ManifestError as exc:
        for message in exc.messages:
            echo(message)
        echo(f"rejected: {len(exc.messages)} problem(s); nothing was changed")
        return 1
    return 0


def _ensure_broker(settings: Settings) -> None:
    """The CLI process has no broker yet; without one the invitations wait for the app's outbox sweeper."""
    try:
        current_broker()
    except RuntimeError:
        if settings.redis_url:
            setup_broker(settings.redis_url)


def export_command(settings: Settings, slug: str, sections: Iterable[ManifestSection]) -> str:
    """``bo-saas tenants export SLUG``: the TOML text; raises ManifestError for an unknown slug."""

    async def run() -> str:
        engine = make_engine(settings.database_url, pool_size=1)
        try:
            return await export_manifest(make_sessionmaker(engine), slug, sections)
        finally:
            await engine.dispose()

    return asyncio.run(run())
