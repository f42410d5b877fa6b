"""``[hr]`` in a tenant manifest: checklist templates, the compliance reminder's lead time, and the leave types
and pay components handed to their parts; applied twice unchanged, exported back, mistakes named by path."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from sqlalchemy import select

from bo_saas.hr.case_models import ChecklistTemplate, HrSettings
from bo_saas.server.registry import load
from bo_saas.tenancy.manifest_sections import ManifestError
from bo_saas.tenancy.manifests import apply_manifests, export_manifest

SECTIONS = load().manifest_sections
CHECKLIST = {
    "name": "Standard onboarding",
    "kind": "onboarding",
    "tasks": [{"title": "Order the laptop", "owner": "provider", "due_days": -2},
              {"title": "Sign the contract", "owner": "client", "due_days": 0}],
}  # fmt: skip


def manifest(hr: dict[str, Any] | None, services: tuple[str, ...] = ("hr",)) -> dict[str, Any]:
    content: dict[str, Any] = {"slug": "initech", "name": "Initech", "plan": "growth", "timezone": "Asia/Riyadh",
                               "services": list(services), "calendar": {"sun": ["09:00-17:00"]}}  # fmt: skip
    if hr is not None:
        content["hr"] = hr
    return content


def write(folder: Path, content: dict[str, Any], name: str = "initech.toml") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(tomli_w.dumps(content))
    return path


async def apply(sessionmaker, path: Path) -> list[str]:
    lines: list[str] = []
    await apply_manifests(sessionmaker, [path], SECTIONS, lines.append)
    return lines


async def test_the_section_sets_checklists_and_reminder_days_applies_twice_unchanged_and_round_trips(
    tmp_path, runtime_sessionmaker, admin_session
):
    path = write(tmp_path, manifest({"compliance_reminder_days": 45, "checklists": [CHECKLIST]}))

    first = await apply(runtime_sessionmaker, path)
    second = await apply(runtime_sessionmaker, path)
    exported = await export_manifest(runtime_sessionmaker, "initech", SECTIONS)
    third = await apply(runtime_sessionmaker, write(tmp_path / "again", tomllib.loads(exported)))

    template = await admin_session.scalar(select(ChecklistTemplate))
    settings = await admin_session.scalar(select(HrSettings))
    text = "\n".join(first)
    assert "created checklist template Standard onboarding: onboarding, 2 tasks" in text
    assert "compliance reminders 45 days before expiry" in text
    assert second == ["initech: unchanged"] and third == ["initech: unchanged"]
    assert "[[hr.checklists]]" in exported and "compliance_reminder_days = 45" in exported
    assert template.tasks == CHECKLIST["tasks"] and settings.compliance_reminder_days == 45


async def test_a_list_the_file_leaves_out_is_left_alone_and_a_written_one_is_made_equal(
    tmp_path, runtime_sessionmaker, admin_session
):
    await apply(runtime_sessionmaker, write(tmp_path, manifest({"checklists": [CHECKLIST]})))
    left_out = await apply(runtime_sessionmaker, write(tmp_path / "b", manifest({"compliance_reminder_days": 30})))
    emptied = await apply(runtime_sessionmaker, write(tmp_path / "c", manifest({"checklists": []})))

    assert left_out == ["initech: unchanged"]
    assert any("removed checklist template Standard onboarding" in line for line in emptied)
    assert (await admin_session.scalars(select(ChecklistTemplate))).all() == []


async def test_leave_types_and_pay_components_are_applied_and_exported_through_their_parts(
    tmp_path, runtime_sessionmaker
):
    hr = {
        "leave_types": [{"code": "annual", "name": "Annual leave", "kind": "annual", "days_per_year": 21}],
        "pay_components": [
            {"code": "housing", "name": "Housing", "kind": "earning", "calculation": "fixed", "amount": 100_000}
        ],
    }
    try:
        lines = await apply(runtime_sessionmaker, write(tmp_path, manifest(hr)))
    except ManifestError as exc:  # the pay component's own keys are payroll's to define: show them if they moved
        pytest.fail(str(exc))
    exported = await export_manifest(runtime_sessionmaker, "initech", SECTIONS)

    assert lines and "initech: unchanged" not in lines
    assert "[[hr.leave_types]]" in exported and 'code = "annual"' in exported
    assert "[[hr.pay_components]]" in exported and 'code = "housing"' in exported


async def test_mistakes_are_reported_at_once_with_their_paths(tmp_path, runtime_sessionmaker):
    bad = {
        "compliance_reminder_days": 400,
        "checklists": [
            {"name": "A", "kind": "hiring", "tasks": [{"title": "x", "owner": "robot"}]},
            {"name": "A", "kind": "onboarding", "tasks": []},
        ],
    }
    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, write(tmp_path, manifest(bad)))
    repeated = write(tmp_path / "r", manifest({"checklists": [CHECKLIST, CHECKLIST]}))
    with pytest.raises(ManifestError) as twice:
        await apply(runtime_sessionmaker, repeated)
    without_service = write(tmp_path / "b", manifest({"checklists": [CHECKLIST]}, services=("support",)))
    with pytest.raises(ManifestError) as no_service:
        await apply(runtime_sessionmaker, without_service)

    text = str(caught.value)
    for path in ("hr.compliance_reminder_days", "hr.checklists[0].kind", "hr.checklists[0].tasks[0].owner",
                 "hr.checklists[1].tasks"):  # fmt: skip
        assert path in text, text
    assert 'hr.checklists[1].name: "Standard onboarding" is already listed as hr.checklists[0]' in str(twice.value)
    assert 'the HR desk needs the "hr" service' in str(no_service.value)
