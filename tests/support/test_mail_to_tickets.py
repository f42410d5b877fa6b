"""``ingest_for_recipient``, what the SMTP listener calls: an address finds its tenant's channel, and only it."""

from __future__ import annotations

from sqlalchemy import select

from bo_saas.support.ingest import channel_exists_for_address, ingest_for_recipient
from bo_saas.support.models import Ticket
from bo_saas.work.models import Attachment
from tests.factories import TenantFactory, save
from tests.support.helpers import CORPUS, a_channel, mail


async def test_mail_to_a_channel_address_opens_a_ticket_in_that_channels_tenant(settings, admin_session, desk):
    other = TenantFactory(services=["support"])
    await save(admin_session, other)
    ours = await a_channel(admin_session, desk.tenant)
    await a_channel(admin_session, other)

    result = await ingest_for_recipient(settings, ours.address.upper(), mail(to=ours.address))

    assert result is not None and result.outcome == "created"
    ticket = (await admin_session.scalars(select(Ticket))).one()
    assert ticket.tenant_id == desk.tenant.id and ticket.id == result.ticket_id


async def test_an_address_no_channel_has_is_not_ours(settings, admin_session, desk):
    await a_channel(admin_session, desk.tenant)

    assert await ingest_for_recipient(settings, "nobody@in.example.test", mail(to="nobody@in.example.test")) is None
    assert not await channel_exists_for_address(settings, "nobody@in.example.test")
    assert (await admin_session.scalars(select(Ticket))).all() == []


async def test_a_customers_attachment_becomes_a_file_on_the_work_item(settings, admin_session, desk):
    channel = await a_channel(admin_session, desk.tenant)
    raw = (CORPUS / "with_attachment.eml").read_bytes()

    result = await ingest_for_recipient(settings, channel.address, raw)

    assert result.outcome == "created"
    ticket = (await admin_session.scalars(select(Ticket))).one()
    files = (
        await admin_session.scalars(select(Attachment).where(Attachment.work_item_id == ticket.work_item_id))
    ).all()
    assert [(f.uploader_kind, f.internal) for f in files] == [("customer", False)] * len(files)
    assert files, "the corpus message's attachment is stored"
