"""``[bookkeeping]`` in a tenant manifest, the chart templates, and books opened with the defaults on first use."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from sqlalchemy import func, select

from bo_saas.bookkeeping.charts import charts
from bo_saas.bookkeeping.models import Book, LedgerAccount
from bo_saas.lib.settings import PROJECT_ROOT
from bo_saas.server.registry import load
from bo_saas.tenancy.manifest_sections import ManifestError
from bo_saas.tenancy.manifests import apply_manifests, export_manifest
from tests.bookkeeping.helpers import ACCOUNTS, a_posted, books_headers, line

SECTIONS = load().manifest_sections


def manifest(bookkeeping: dict[str, Any] | None, services: tuple[str, ...] = ("bookkeeping",)) -> dict[str, Any]:
    content: dict[str, Any] = {
        "slug": "initech",
        "name": "Initech GmbH",
        "plan": "growth",
        "timezone": "Europe/Berlin",
        "services": list(services),
        "calendar": {"mon": ["09:00-17:00"]},
    }
    if bookkeeping is not None:
        content["bookkeeping"] = bookkeeping
    return content


def write(folder: Path, content: dict[str, Any], name: str = "initech.toml") -> Path:
    path = folder / name
    path.write_text(tomli_w.dumps(content))
    return path


async def apply(sessionmaker, path: Path) -> list[str]:
    lines: list[str] = []
    await apply_manifests(sessionmaker, [path], SECTIONS, lines.append)
    return lines


def test_every_shipped_chart_template_loads_and_the_vat_chart_extends_the_general_one():
    templates = charts()

    general = {account.code for account in templates["ifrs_sme"].accounts}
    vat = {account.code: account for account in templates["vat_standard"].accounts}
    assert {"1000", "2000", "3000", "4000", "6000"} <= general
    assert general < set(vat)
    assert vat["1400"].type.value == "asset" and vat["2400"].type.value == "liability"


async def test_the_section_opens_the_books_applies_twice_unchanged_and_round_trips(
    tmp_path, runtime_sessionmaker, admin_session
):
    settings = {"chart": "vat_standard", "base_currency": "EUR", "fiscal_year_start": 4, "approval_threshold": 250000}
    path = write(tmp_path, manifest(settings))

    first = await apply(runtime_sessionmaker, path)
    second = await apply(runtime_sessionmaker, path)
    exported = await export_manifest(runtime_sessionmaker, "initech", SECTIONS)
    (tmp_path / "again").mkdir()
    third = await apply(runtime_sessionmaker, write(tmp_path / "again", tomllib.loads(exported)))

    book = await admin_session.scalar(select(Book))
    codes = (await admin_session.scalars(select(LedgerAccount.code))).all()
    assert any("opened the books on the vat_standard chart in EUR" in line for line in first)
    assert second == ["initech: unchanged"] and third == ["initech: unchanged"]
    assert "[bookkeeping]" in exported and 'chart = "vat_standard"' in exported
    assert (book.base_currency, book.fiscal_year_start, book.approval_threshold) == ("EUR", 4, 250000)
    assert len(codes) == len(charts()["vat_standard"].accounts) and "2400" in codes


async def test_switching_to_the_vat_chart_adds_its_accounts_and_keeps_the_others(
    tmp_path, runtime_sessionmaker, admin_session
):
    await apply(runtime_sessionmaker, write(tmp_path, manifest({"chart": "ifrs_sme"})))
    before = await admin_session.scalar(select(func.count()).select_from(LedgerAccount))

    changed = await apply(runtime_sessionmaker, write(tmp_path, manifest({"chart": "vat_standard"})))

    after = await admin_session.scalar(select(func.count()).select_from(LedgerAccount))
    assert any('chart "ifrs_sme" -> "vat_standard"' in line for line in changed)
    assert after == before + 3


@pytest.mark.parametrize(
    ("bookkeeping", "where"),
    [
        ({"chart": "klingon"}, "bookkeeping.chart"),
        ({"base_currency": "euro"}, "bookkeeping.base_currency"),
        ({"fiscal_year_start": 13}, "bookkeeping.fiscal_year_start"),
        ({"approval_threshold": -1}, "bookkeeping.approval_threshold"),
        ({"approval_threshold": "1000"}, "bookkeeping.approval_threshold"),
        ({"ledger": "yes"}, "bookkeeping.ledger"),
    ],
)
async def test_mistakes_in_the_section_are_reported_with_their_path(tmp_path, runtime_sessionmaker, bookkeeping, where):
    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, write(tmp_path, manifest(bookkeeping)))

    assert where in "\n".join(caught.value.messages)


async def test_the_section_needs_the_bookkeeping_service(tmp_path, runtime_sessionmaker):
    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, write(tmp_path, manifest({}, services=("support",))))

    assert 'the books need the "bookkeeping" service' in "\n".join(caught.value.messages)


async def test_the_currency_is_fixed_once_entries_are_posted(tmp_path, runtime_sessionmaker, client, desk):
    await a_posted(client, desk, [line("1000", debit=100), line("4000", credit=100)])
    tenant = desk.tenant
    content = manifest({"base_currency": "EUR"}) | {
        "slug": tenant.slug, "name": tenant.name, "timezone": tenant.timezone, "services": tenant.services,
    }  # fmt: skip

    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, write(tmp_path, content, f"{desk.tenant.slug}.toml"))

    assert "bookkeeping.base_currency: the books have posted entries" in "\n".join(caught.value.messages)


async def test_a_tenant_with_the_service_but_no_section_gets_books_with_the_defaults_on_first_use(client, desk):
    answer = await client.get(ACCOUNTS, params={"limit": 200}, headers=books_headers(desk, "member"))

    assert answer.status_code == 200
    assert answer.json()["total"] == len(charts()["ifrs_sme"].accounts)
    assert answer.json()["items"][0] == {
        "id": answer.json()["items"][0]["id"], "code": "1000", "name": "Cash on hand", "type": "asset",
        "group": "Current assets", "status": "open",
    }  # fmt: skip


def test_globex_keeps_its_books_on_the_vat_chart_in_euros():
    globex = tomllib.loads((PROJECT_ROOT / "tenants" / "globex.toml").read_text())

    assert globex["bookkeeping"]["chart"] == "vat_standard" and globex["bookkeeping"]["base_currency"] == "EUR"
    assert "bookkeeping" in globex["services"]
