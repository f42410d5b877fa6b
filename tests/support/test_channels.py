"""Channels and macros through the API: the secret shown on create and rotate only, addresses unique platform-wide."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bo_saas.lib.db import set_scope
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.support.channels import ChannelRoute, route
from bo_saas.support.models import SupportChannel
from tests.desk import queued_item
from tests.factories import (
    CsatRatingFactory,
    MacroFactory,
    SupportChannelFactory,
    SupportContactFactory,
    TenantFactory,
    TicketCounterFactory,
    TicketFactory,
    TicketMessageFactory,
    save,
)
from tests.support.helpers import a_channel, mail, post_mail

NEW_CHANNEL = {
    "name": "Help",
    "address": "Help@In.Acme.example.test",
    "from_name": "Acme Support",
    "from_address": "support@acme.example.test",
    "signature": "The Acme team",
}


async def test_a_channel_shows_its_secret_on_create_and_rotate_only_and_the_secret_signs_mail(client, desk):
    created = await client.post("/api/v1/support/channels", json=NEW_CHANNEL, headers=desk.as_("admin"))
    channel = created.json()
    shown = (await client.get(f"/api/v1/support/channels/{channel['id']}", headers=desk.as_("admin"))).json()
    listed = (await client.get("/api/v1/support/channels", headers=desk.as_("agent"))).json()
    rotated = (await client.post(f"/api/v1/support/channels/{channel['id']}/secret", headers=desk.as_("admin"))).json()

    assert created.status_code == 201 and channel["secret"].startswith("sup_")
    assert channel["address"] == "help@in.acme.example.test" and channel["auto_ack"] is True
    assert "secret" not in shown and all("secret" not in item for item in listed)
    assert rotated["secret"] != channel["secret"]
    raw = mail(to=channel["address"])
    assert (await post_mail(client, channel["id"], raw, secret=channel["secret"])).status_code == 401
    assert (await post_mail(client, channel["id"], raw, secret=rotated["secret"])).status_code == 202


async def test_an_inbound_address_belongs_to_one_channel_across_the_platform(client, admin_session, desk):
    other = TenantFactory(services=["support"])
    await save(admin_session, other)
    await a_channel(admin_session, other, address="help@in.acme.example.test")

    taken = await client.post("/api/v1/support/channels", json=NEW_CHANNEL, headers=desk.as_("admin"))
    bad = await client.post(
        "/api/v1/support/channels", json=NEW_CHANNEL | {"address": "no at sign"}, headers=desk.as_("admin")
    )

    assert taken.status_code == 409 and taken.json()["extra"] == {"field": "address"}
    assert str(other.id) not in taken.text
    assert bad.status_code == 400 and bad.json()["extra"] == {"field": "address"}


async def test_the_database_keeps_an_address_to_one_tenant_even_past_the_services_check(
    runtime_sessionmaker, admin_session, desk
):
    other = TenantFactory(services=["support"])
    await save(admin_session, other)
    first = await a_channel(admin_session, other, address="help@in.acme.example.test")

    # Straight into the table as the runtime role, as a request racing the other tenant's would.
    async with runtime_sessionmaker() as session:
        set_scope(session, TenantScope.of(desk.tenant.id))
        session.add(SupportChannelFactory.build(tenant_id=desk.tenant.id, address="help@in.acme.example.test"))
        with pytest.raises(IntegrityError):
            await session.flush()

    async with runtime_sessionmaker() as session:
        assert await route(session, address="HELP@in.acme.example.test") == ChannelRoute(other.id, first.id)
        await admin_session.delete(first)
        await admin_session.commit()
        assert await route(session, address="help@in.acme.example.test") is None


async def test_a_channel_with_tickets_cannot_be_deleted_and_one_without_can(client, admin_session, desk):
    used = await a_channel(admin_session, desk.tenant)
    spare = await a_channel(admin_session, desk.tenant)
    await post_mail(client, used.id, mail(to=used.address))

    refused = await client.delete(f"/api/v1/support/channels/{used.id}", headers=desk.as_("admin"))
    deleted = await client.delete(f"/api/v1/support/channels/{spare.id}", headers=desk.as_("admin"))

    assert refused.status_code == 409 and "has tickets" in refused.json()["detail"]
    assert deleted.status_code == 204
    assert (await admin_session.scalars(select(SupportChannel.id))).all() == [used.id]


async def test_a_patch_changes_only_the_fields_given(client, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant, signature="Old")
    changed = await client.patch(
        f"/api/v1/support/channels/{channel.id}", json={"auto_ack": False}, headers=desk.as_("agent")
    )
    assert changed.status_code == 200
    assert (changed.json()["auto_ack"], changed.json()["signature"], changed.json()["name"]) == (
        False,
        "Old",
        channel.name,
    )


async def test_macros_refuse_unknown_placeholders_and_names_used_twice(client, desk):
    good = await client.post(
        "/api/v1/support/macros",
        json={"name": "Shipped", "body": "Hi {customer_name}, {ticket_reference} shipped. {{braces}} {agent_name}"},
        headers=desk.as_("admin"),
    )
    unknown = await client.post(
        "/api/v1/support/macros", json={"name": "Bad", "body": "Hi {name}"}, headers=desk.as_("admin")
    )
    twice = await client.post(
        "/api/v1/support/macros", json={"name": "Shipped", "body": "Again"}, headers=desk.as_("admin")
    )

    assert good.status_code == 201
    assert unknown.status_code == 400 and "{name}" in unknown.json()["detail"]
    assert twice.status_code == 409


async def test_the_support_factories_build_rows_the_database_accepts(admin_session, desk):
    t = {"tenant_id": desk.tenant.id}
    channel, contact = SupportChannelFactory(**t), SupportContactFactory(**t)
    item = queued_item(desk.tenant, skill="support")
    await save(admin_session, channel, contact, item, MacroFactory(**t), TicketCounterFactory(**t))
    ticket = TicketFactory(**t, work_item_id=item.id, channel_id=channel.id, contact_id=contact.id)
    await save(admin_session, ticket)
    await save(
        admin_session, TicketMessageFactory(**t, ticket_id=ticket.id), CsatRatingFactory(**t, ticket_id=ticket.id)
    )
