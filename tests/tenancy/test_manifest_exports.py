"""The shipped manifests apply with the same result as before the sections moved to their domains.

``exports/`` holds what ``tenants export`` printed for acme and globex when
the manifest code was one hand-written module in tenancy (recorded before the
rewrite); applying the same files with the domains' sections must export the
very same text, byte for byte. (acme's ``[support]`` section came later, with the
Support desk; its part of the record is what that section exports.)
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.lib.settings import PROJECT_ROOT
from bo_saas.server.registry import load
from bo_saas.tenancy.manifests import apply_manifests, export_manifest

RECORDED = Path(__file__).parent / "exports"


async def test_the_shipped_manifests_export_exactly_as_recorded_before_the_rewrite(
    runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    sections = load().manifest_sections
    files = [PROJECT_ROOT / "tenants" / "acme.toml", PROJECT_ROOT / "tenants" / "globex.toml"]
    await apply_manifests(runtime_sessionmaker, files, sections, lambda _: None)

    for slug in ("acme", "globex"):
        exported = await export_manifest(runtime_sessionmaker, slug, sections)
        assert exported == (RECORDED / f"{slug}.toml").read_text(encoding="utf-8"), slug


async def test_a_recorded_export_applies_back_without_a_change(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    sections = load().manifest_sections
    await apply_manifests(runtime_sessionmaker, [PROJECT_ROOT / "tenants"], sections, lambda _: None)
    lines: list[str] = []

    report = await apply_manifests(runtime_sessionmaker, [RECORDED], sections, lines.append)

    assert not report.changed
    assert lines == ["acme: unchanged", "globex: unchanged"]
