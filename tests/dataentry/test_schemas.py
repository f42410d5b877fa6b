"""Record schemas: versioned through the API and the manifest; bad definitions refused with their paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli_w
from sqlalchemy import select

from bo_saas.dataentry.models import RecordSchema
from bo_saas.server.registry import load
from bo_saas.tenancy.manifest_sections import ManifestError
from bo_saas.tenancy.manifests import apply_manifests, export_manifest
from tests.dataentry.helpers import CONTACTS, a_schema

SECTIONS = load().manifest_sections
SCHEMAS = "/api/v1/data-entry/schemas"


async def test_a_changed_schema_is_a_new_version_and_the_same_one_changes_nothing(client, desk):
    first = await a_schema(client, desk)
    changed = CONTACTS | {"fields": [*CONTACTS["fields"], {"name": "iban", "type": "iban", "country": "SA"}]}

    second = await client.put(f"{SCHEMAS}/{first['id']}", json=changed, headers=desk.as_("admin"))
    again = await client.put(f"{SCHEMAS}/{second.json()['id']}", json=changed, headers=desk.as_("admin"))
    listed = (await client.get(SCHEMAS, headers=desk.as_("member"))).json()
    old = await client.get(f"{SCHEMAS}/{first['id']}", headers=desk.as_("agent"))

    assert first["version"] == 1 and first["chunk_size"] == 2
    assert second.status_code == 200 and second.json()["version"] == 2
    assert again.json()["id"] == second.json()["id"]
    assert [(s["code"], s["version"]) for s in listed["items"]] == [("contacts", 2)] and listed["total"] == 1
    assert old.json()["version"] == 1 and len(old.json()["fields"]) == 4


async def test_a_bad_definition_is_refused_with_every_problem_and_its_path(client, desk):
    bad = {
        "code": "people",
        "name": "People",
        "fields": [
            {"name": "kind", "type": "choice"},
            {"name": "vat", "type": "tax_id"},
            {"name": "Kind", "type": "text"},
        ],
    }

    answer = await client.post(SCHEMAS, json=bad, headers=desk.as_("admin"))

    assert answer.status_code == 422
    paths = {problem["path"] for problem in answer.json()["extra"]["problems"]}
    assert {"fields[0].choices", "fields[1].country", "fields[2].name"} <= paths


async def test_only_admins_change_schemas_and_a_code_is_added_once(client, desk):
    await a_schema(client, desk)

    by_member = await client.post(SCHEMAS, json=CONTACTS | {"code": "other"}, headers=desk.as_("member"))
    twice = await client.post(SCHEMAS, json=CONTACTS, headers=desk.as_("admin"))

    assert by_member.status_code == 403
    assert twice.status_code == 409


def manifest(schemas: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "slug": "acme",
        "name": "Acme LLC",
        "plan": "growth",
        "timezone": "Asia/Riyadh",
        "services": ["data_entry"],
        "calendar": {"sun": ["09:00-17:00"]},
        "data_entry": {"schemas": schemas},
    }


def write(folder: Path, content: dict[str, Any]) -> Path:
    path = folder / "acme.toml"
    path.write_text(tomli_w.dumps(content))
    return path


async def apply(sessionmaker, path: Path) -> list[str]:
    lines: list[str] = []
    await apply_manifests(sessionmaker, [path], SECTIONS, lines.append)
    return lines


MANIFEST_SCHEMA = {
    "code": "invoices",
    "name": "Supplier invoices",
    "double_key": True,
    "fields": [
        {"name": "number", "label": "Invoice number", "type": "text", "required": True, "unique": True},
        {"name": "issued", "type": "date", "min": "2020-01-01", "help": "as printed"},
        {"name": "vat", "type": "tax_id", "country": "SA"},
        {"name": "total", "type": "decimal", "min": 0},
    ],
}


async def test_the_manifest_section_applies_twice_unchanged_and_its_export_round_trips(
    tmp_path, runtime_sessionmaker, admin_session
):
    path = write(tmp_path, manifest([MANIFEST_SCHEMA]))

    first = await apply(runtime_sessionmaker, path)
    second = await apply(runtime_sessionmaker, path)
    exported = await export_manifest(runtime_sessionmaker, "acme", SECTIONS)
    (tmp_path / "again").mkdir()
    (tmp_path / "again" / "acme.toml").write_text(exported)
    third = await apply(runtime_sessionmaker, tmp_path / "again" / "acme.toml")
    changed = MANIFEST_SCHEMA | {"chunk_size": 10}
    fourth = await apply(runtime_sessionmaker, write(tmp_path, manifest([changed])))

    assert any("created data entry schema invoices (version 1)" in line for line in first)
    assert second == ["acme: unchanged"] and third == ["acme: unchanged"]
    assert "[[data_entry.schemas]]" in exported and "[[data_entry.schemas.fields]]" in exported
    assert any("changed data entry schema invoices (version 2)" in line for line in fourth)
    versions = (await admin_session.scalars(select(RecordSchema.version).order_by(RecordSchema.version))).all()
    assert versions == [1, 2]


async def test_manifest_mistakes_are_reported_with_their_path(tmp_path, runtime_sessionmaker):
    bad = MANIFEST_SCHEMA | {"fields": [{"name": "total", "type": "decimal", "min": "lots"}]}

    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, write(tmp_path, manifest([bad])))

    assert "data_entry.schemas[0].fields[0].min" in "\n".join(caught.value.messages)
