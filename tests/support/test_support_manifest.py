"""``[[support.channels]]`` and ``[[support.macros]]``: applied idempotently, exported round-trip, mistakes by path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tomli_w
from sqlalchemy import select

from bo_saas.lib.settings import PROJECT_ROOT
from bo_saas.server.registry import load
from bo_saas.support.ingest import ingest_for_recipient
from bo_saas.support.models import Macro, MessageKind, SupportChannel, TicketMessage
from bo_saas.tenancy.manifest_sections import ManifestError
from bo_saas.tenancy.manifests import apply_manifests, export_manifest
from tests.desk import queued_item
from tests.factories import SupportContactFactory, TicketFactory, save
from tests.support.helpers import mail

SECTIONS = load().manifest_sections


def manifest(slug: str = "acme", **support: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": f"{slug.title()} LLC",
        "plan": "growth",
        "timezone": "Asia/Riyadh",
        "services": ["support"],
        "calendar": {"sun": ["09:00-17:00"]},
        "support": support
        or {
            "channels": [
                {
                    "name": "Help",
                    "address": "Help@Acme.example.test",
                    "from_name": "Acme Support",
                    "from_address": "support@acme.example.test",
                    "signature": "The Acme team",
                }
            ],
            "macros": [{"name": "Shipped", "body": "Hello {customer_name}, {ticket_reference} has shipped."}],
        },
    }


def write(folder: Path, name: str, content: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(tomli_w.dumps(content))
    return path


async def apply(sessionmaker, *paths: Path) -> list[str]:
    lines: list[str] = []
    await apply_manifests(sessionmaker, list(paths), SECTIONS, lines.append)
    return lines


async def test_applying_twice_changes_nothing_and_the_export_round_trips(tmp_path, runtime_sessionmaker, admin_session):
    path = write(tmp_path, "acme.toml", manifest())

    first = await apply(runtime_sessionmaker, path)
    second = await apply(runtime_sessionmaker, path)
    exported = await export_manifest(runtime_sessionmaker, "acme", SECTIONS)
    (tmp_path / "again").mkdir()
    (tmp_path / "again" / "acme.toml").write_text(exported)
    third = await apply(runtime_sessionmaker, tmp_path / "again" / "acme.toml")

    assert any("created support channel Help: help@acme.example.test" in line for line in first)
    assert second == ["acme: unchanged"] and third == ["acme: unchanged"]
    assert "[[support.channels]]" in exported and 'address = "help@acme.example.test"' in exported
    assert "[[support.macros]]" in exported
    channel = (await admin_session.scalars(select(SupportChannel))).one()
    assert channel.sealed_secret  # a fresh secret, sealed; the API shows it only on rotate
    assert (await admin_session.scalars(select(Macro.name))).all() == ["Shipped"]


async def test_a_changed_file_updates_channels_and_removes_unlisted_macros(
    tmp_path, runtime_sessionmaker, admin_session
):
    await apply(runtime_sessionmaker, write(tmp_path, "acme.toml", manifest()))
    changed = manifest(
        channels=[
            {
                "name": "Help",
                "address": "help@acme.example.test",
                "from_name": "Acme Care",
                "from_address": "support@acme.example.test",
                "signature": "The Acme team",
                "auto_ack": False,
            }
        ]
    )

    lines = await apply(runtime_sessionmaker, write(tmp_path, "acme.toml", changed))

    channel = (await admin_session.scalars(select(SupportChannel).execution_options(populate_existing=True))).one()
    assert (channel.from_name, channel.auto_ack) == ("Acme Care", False)
    assert (await admin_session.scalars(select(Macro))).all() == []
    assert any("removed support macro Shipped" in line for line in lines)


async def test_a_channel_with_tickets_is_kept_when_the_file_drops_it(tmp_path, runtime_sessionmaker, admin_session):
    await apply(runtime_sessionmaker, write(tmp_path, "acme.toml", manifest()))
    channel = (await admin_session.scalars(select(SupportChannel))).one()
    contact = SupportContactFactory(tenant_id=channel.tenant_id)
    item = queued_item(type("T", (), {"id": channel.tenant_id})(), skill="support")
    await save(admin_session, contact, item)
    await save(
        admin_session,
        TicketFactory(tenant_id=channel.tenant_id, work_item_id=item.id, channel_id=channel.id, contact_id=contact.id),
    )

    lines = await apply(runtime_sessionmaker, write(tmp_path, "acme.toml", manifest(channels=[], macros=[])))

    assert any("support channel Help is not in the manifest but has tickets: kept" in line for line in lines)
    assert len((await admin_session.scalars(select(SupportChannel))).all()) == 1


async def test_mistakes_are_reported_with_their_path(tmp_path, runtime_sessionmaker, admin_session):
    bad = manifest(
        channels=[{"name": "A", "address": "not-an-address", "from_name": "A", "from_address": "a@example.test"}],
        macros=[{"name": "M", "body": "Hi {customer}"}],
    )
    repeated = manifest(
        "globex",
        channels=[
            {"name": "A", "address": "a@example.test", "from_name": "A", "from_address": "a@example.test"},
            {"name": "A", "address": "b@example.test", "from_name": "B", "from_address": "b@example.test"},
        ],
    )

    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, write(tmp_path, "acme.toml", bad), write(tmp_path, "globex.toml", repeated))

    text = "\n".join(caught.value.messages)
    assert "acme.toml: support.channels[0].address" in text and "not an email address" in text
    assert "acme.toml: support.macros[0].body" in text and "unknown placeholder" in text
    assert "globex.toml: support.channels[1].name" in text and "already listed" in text


async def test_an_address_another_tenant_uses_is_refused_and_nothing_changes(
    tmp_path, runtime_sessionmaker, admin_session
):
    await apply(runtime_sessionmaker, write(tmp_path, "acme.toml", manifest()))

    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, write(tmp_path, "globex.toml", manifest("globex")))

    assert "support.channels[0].address" in "\n".join(caught.value.messages)
    assert "another tenant" in "\n".join(caught.value.messages)
    assert len((await admin_session.scalars(select(SupportChannel))).all()) == 1


async def test_the_demo_tenants_desk_applies_twice_unchanged_and_answers_mail_with_its_hours(
    settings, runtime_sessionmaker, admin_session
):
    demo = PROJECT_ROOT / "tenants"

    await apply(runtime_sessionmaker, demo)
    again = await apply(runtime_sessionmaker, demo)
    result = await ingest_for_recipient(settings, "help@acme.example", mail(to="help@acme.example"))

    assert again == ["acme: unchanged", "globex: unchanged"]
    macros = set((await admin_session.scalars(select(Macro.name))).all())
    assert macros == {"Order shipped", "Order number needed", "Refund issued", "تم شحن الطلب"}
    assert result is not None and result.outcome == "created"
    acknowledgement = (
        await admin_session.scalars(select(TicketMessage).where(TicketMessage.kind == MessageKind.ACKNOWLEDGEMENT))
    ).one()
    assert acknowledgement.from_address == "support@acme.example"
    assert "Our hours are Sunday–Thursday 09:00–13:00 and 16:00–20:00 (Asia/Riyadh time)." in acknowledgement.text
