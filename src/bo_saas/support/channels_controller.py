"""``/api/v1/support/channels``: a tenant's support channels, for its client admins and the staff serving it.

The secret (the inbound endpoint's HMAC key) is in the answer to create and
to ``POST .../secret`` (rotate) only. Another tenant's channel answers 404.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event
from bo_saas.lib.caller import Caller
from bo_saas.lib.guards import requires_admin_or_staff
from bo_saas.lib.listing import to_struct
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.support import channels
from bo_saas.support.channels import Channels
from bo_saas.support.models import SupportChannel
from bo_saas.support.schemas import ChannelCreate, ChannelOut, ChannelUpdate, ChannelWithSecretOut
from bo_saas.tenancy.access import tenant_for_write


def _with_secret(channel: SupportChannel, secret: str) -> ChannelWithSecretOut:
    return to_struct(channel, ChannelWithSecretOut, secret=secret)


async def _writable(db: AsyncSession, caller: Caller, channel_id: UUID) -> SupportChannel:
    channel = await Channels(caller).get(db, channel_id, for_update=True)
    await tenant_for_write(db, caller, TenantScope.of(channel.tenant_id))
    return channel


class ChannelController(Controller):
    path = "/api/v1/support/channels"
    tags = ["support"]
    guards = [requires_admin_or_staff]

    @get("/", summary="List support channels")
    async def list_channels(self, request: Request, db: AsyncSession) -> list[ChannelOut]:
        rows = await db.scalars(Channels(request.user).select().order_by(SupportChannel.name, SupportChannel.id))
        return [to_struct(row, ChannelOut) for row in rows]

    @post("/", summary="Add a support channel (its secret is shown this once)")
    async def create_channel(
        self, request: Request, db: AsyncSession, tenant_scope: TenantScope, data: ChannelCreate
    ) -> ChannelWithSecretOut:
        caller: Caller = request.user
        tenant = await tenant_for_write(db, caller, tenant_scope)
        channel, secret = await channels.create_channel(
            db,
            request.app.state.settings,
            tenant.id,
            name=data.name,
            address=data.address,
            from_name=data.from_name,
            from_address=data.from_address,
            signature=data.signature,
            auto_ack=data.auto_ack,
        )
        record_event(
            db, request, tenant_id=tenant.id, action="support_channel.created", subject_type="support_channel",
            subject_id=str(channel.id), changes={"name": channel.name, "address": channel.address},
        )  # fmt: skip
        return _with_secret(channel, secret)

    @get("/{channel_id:uuid}", summary="One support channel")
    async def get_channel(self, request: Request, db: AsyncSession, channel_id: UUID) -> ChannelOut:
        return to_struct(await Channels(request.user).get(db, channel_id), ChannelOut)

    @patch("/{channel_id:uuid}", summary="Change a support channel")
    async def update_channel(
        self, request: Request, db: AsyncSession, channel_id: UUID, data: ChannelUpdate
    ) -> ChannelOut:
        channel = await _writable(db, request.user, channel_id)
        changes = {field: getattr(data, field) for field in data.__struct_fields__}
        made = await channels.update_channel(db, channel, changes)
        if made:
            record_event(
                db, request, tenant_id=channel.tenant_id, action="support_channel.updated",
                subject_type="support_channel", subject_id=str(channel.id), changes=made,
            )  # fmt: skip
        return to_struct(channel, ChannelOut)

    @delete("/{channel_id:uuid}", summary="Delete a support channel that has no tickets")
    async def delete_channel(self, request: Request, db: AsyncSession, channel_id: UUID) -> None:
        channel = await _writable(db, request.user, channel_id)
        await channels.delete_channel(db, channel)
        record_event(
            db, request, tenant_id=channel.tenant_id, action="support_channel.deleted",
            subject_type="support_channel", subject_id=str(channel.id), changes={"address": channel.address},
        )  # fmt: skip

    @post("/{channel_id:uuid}/secret", summary="Rotate the channel's secret (the new one is shown this once)")
    async def rotate_secret(self, request: Request, db: AsyncSession, channel_id: UUID) -> ChannelWithSecretOut:
        channel = await _writable(db, request.user, channel_id)
        secret = channels.rotate_secret(request.app.state.settings, channel)
        record_event(
            db, request, tenant_id=channel.tenant_id, action="support_channel.secret_rotated",
            subject_type="support_channel", subject_id=str(channel.id),
        )  # fmt: skip
        await db.flush()
        return _with_secret(channel, secret)
