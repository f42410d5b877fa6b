"""Manifest sections as the domains declare them: every problem of every section in one answer, the
authoritative/left-alone rule, and a section from a domain tenancy has never heard of plugging in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.identity.models import Membership
from bo_saas.lib.settings import Settings
from bo_saas.server.registry import load
from bo_saas.tenancy.manifest_fields import ManifestModel
from bo_saas.tenancy.manifest_reading import load_manifest
from bo_saas.tenancy.manifest_sections import ApplyContext, ExportContext, ManifestError, ManifestSection
from bo_saas.tenancy.manifests import apply_command, apply_manifests, export_manifest

SECTIONS = load().manifest_sections


ACME = """
slug = "acme"
name = "Acme Trading LLC"
plan = "growth"
timezone = "Asia/Riyadh"
services = ["data_entry", "support"]

[calendar]
mon = ["09:00-13:00"]

[[users]]
email = "admin@acme.example"
name = "Acme Admin"
role = "client_admin"
password = "demo-password-1"

[[users]]
email = "member@acme.example"
name = "Acme Member"
role = "client_member"
"""


def write(folder: Path, text: str) -> Path:
    path = folder / "acme.toml"
    path.write_text(text)
    return path


async def apply(sessionmaker: async_sessionmaker[AsyncSession], path: Path, sections=SECTIONS) -> list[str]:
    lines: list[str] = []
    await apply_manifests(sessionmaker, [path], sections, lines.append)
    return lines


def test_problems_in_every_section_are_listed_with_their_paths_in_one_answer(
    tmp_path: Path, settings: Settings, admin_engine: Any
) -> None:
    path = write(
        tmp_path,
        """
slug = "acme"
name = "Acme Trading LLC"
plan = "growth"
timezone = "Mars/Olympus"
services = ["data_entry", "support", "support"]

[calendar]
mon = ["09:00-13:00", "12:00-15:00"]

[[users]]
email = "not-an-email"
name = "A"
role = "client_admin"

[[service_types]]
code = "stock"
name = "Stock"
skill = "data_entry"
[[service_types.fields]]
name = "n"

[sla]
[[sla.targets]]
service = "*"
priority = "asap"
first_response_minutes = 5
resolution_minutes = 9

[qa]
sample_percent = { data_entry = 101 }
""",
    )
    lines: list[str] = []

    assert apply_command(settings, path, SECTIONS, lines.append) == 1

    assert lines == [
        f'{path}: timezone: "Mars/Olympus" is not an IANA time zone (e.g. "Asia/Riyadh")',
        f'{path}: services[2]: "support" is already listed as services[1]',
        f'{path}: calendar.mon[1]: "12:00-15:00" overlaps "09:00-13:00" (calendar.mon[0])',
        f'{path}: users[0].email: "not-an-email" is not a valid email address',
        f"{path}: service_types[0].fields[0].type: must be one of string, text, integer, number, boolean, date, "
        "email, choice",
        f'{path}: sla.targets[0].priority: "asap" is not a priority (one of low, normal, high, urgent)',
        f"{path}: qa.sample_percent.data_entry: must be from 0 to 100 percent, not 101",
        "rejected: 7 problem(s); nothing was changed",
    ]


async def test_a_manifest_without_users_leaves_the_tenants_people_alone(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    path = write(tmp_path, ACME)
    await apply(runtime_sessionmaker, path)
    write(tmp_path, ACME[: ACME.index("[[users]]")])

    lines = await apply(runtime_sessionmaker, path)

    # Not authoritative: nothing about users at all, not even "left alone" (the file says nothing of them).
    assert lines == ["acme: unchanged"]
    assert await admin_session.scalar(select(func.count()).select_from(Membership)) == 2


class MottoSection(ManifestModel):
    motto: str


async def _apply_motto(context: ApplyContext, section: MottoSection) -> list[str]:
    return [f"motto {section.motto!r} noted"]


async def _export_motto(context: ExportContext) -> dict[str, Any]:
    return {"motto": "We deliver"}


# Order 99: after every shipped section, so its line comes after the users'.
MOTTO = ManifestSection(
    name="motto", model=MottoSection, apply=_apply_motto, export=_export_motto, order=99, authoritative=False
)


async def test_a_new_domains_section_plugs_in_without_touching_tenancy(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    path = write(tmp_path, 'motto = "We deliver"\n' + ACME)
    with pytest.raises(ManifestError) as caught:
        load_manifest(path, SECTIONS)
    assert caught.value.messages == (
        f"{path}: motto: unknown key (expected one of slug, name, plan, timezone, status, services, calendar, "
        "service_types, sla, qa, data_entry, support, bookkeeping, hr, users)",
    )

    lines = await apply(runtime_sessionmaker, path, [*SECTIONS, MOTTO])

    assert lines == [
        "acme: created tenant",
        "acme: user admin@acme.example created (active)",
        "acme: user member@acme.example created (invited)",
        "acme: motto 'We deliver' noted",
    ]
    exported = await export_manifest(runtime_sessionmaker, "acme", [*SECTIONS, MOTTO])
    assert 'services = ["data_entry", "support"]\nmotto = "We deliver"\n' in exported
