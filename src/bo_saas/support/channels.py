"""Support channels: where a tenant's customers write, and the name and address replies go out under.

A channel's inbound address is unique across the platform, because mail for it
must reach exactly one tenant. Its secret (the HMAC key of the inbound
endpoint) is stored sealed (``lib.sealed``) and shown only when it is made:
on create and on rotate.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from uuid import UUID, uuid4

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import exists, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import scope_declared
from bo_saas.lib.repository import TenantRepository
from bo_saas.lib.sealed import seal, unseal
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.support.errors import ChannelNotFound, InvalidSupportRequest, SupportConflict
from bo_saas.support.models import SupportChannel, Ticket

_ROUTE = text("SELECT tenant_id, channel_id FROM bo_support_channel_route(:channel_id, :address)")
# The same lookup, narrowing the open transaction to the channel's tenant as it answers.
_ENTER = text(
    "SELECT tenant_id, channel_id, set_config('bo.tenant_ids', tenant_id::text, true) AS scope "
    "FROM bo_support_channel_route(:channel_id, NULL)"
)


class Channels(TenantRepository[SupportChannel]):
    model = SupportChannel
    not_found = ChannelNotFound
    not_found_message = "No such support channel"


@dataclass(frozen=True, slots=True)
class ChannelRoute:
    """Which tenant a channel belongs to: all that is known about inbound mail before its tenant's scope."""

    tenant_id: UUID
    channel_id: UUID


async def route(
    session: AsyncSession, *, channel_id: UUID | None = None, address: str | None = None
) -> ChannelRoute | None:
    """The tenant and channel for a channel id or an inbound address, through the one SECURITY DEFINER lookup."""
    row = (
        await session.execute(_ROUTE, {"channel_id": channel_id, "address": address.lower() if address else None})
    ).first()
    return ChannelRoute(row.tenant_id, row.channel_id) if row else None


async def enter_channel(session: AsyncSession, channel_id: UUID) -> ChannelRoute | None:
    """``route`` by channel id, and the session's transaction scoped to its tenant from then on (None: no scope).

    Inbound mail's first statement: one round trip where a lookup, a commit, a new transaction and
    its scope declaration were four.
    """
    row = (await session.execute(_ENTER, {"channel_id": channel_id})).first()
    if row is None:
        return None
    scope_declared(session, TenantScope.of(row.tenant_id))
    return ChannelRoute(row.tenant_id, row.channel_id)


def mail_address(value: str, field: str) -> str:
    """An addr-spec as the desk keeps it (lower-cased); 400 naming the field when it is not one."""
    try:
        # Syntax only: a channel's or customer's domain may be internal (or .test in development).
        checked = validate_email(
            value.strip(), check_deliverability=False, globally_deliverable=False, test_environment=True
        )
    except EmailNotValidError as exc:
        raise InvalidSupportRequest(
            f"{field}: {value!r} is not an email address ({exc})", extra={"field": field}
        ) from None
    return checked.normalized.lower()


def new_secret() -> str:
    return "sup_" + secrets.token_urlsafe(32)


def channel_secret(settings: Settings, channel: SupportChannel) -> str:
    return unseal(settings, channel.sealed_secret)


async def _require_address_free(session: AsyncSession, address: str, channel_id: UUID | None) -> None:
    found = await route(session, address=address)
    if found is not None and found.channel_id != channel_id:
        # Saying "taken" tells nothing about whose it is; the platform-wide rule is public anyway.
        raise SupportConflict(
            f"The inbound address {address} is already a support channel's", extra={"field": "address"}
        )


async def create_channel(
    session: AsyncSession,
    settings: Settings,
    tenant_id: UUID,
    *,
    name: str,
    address: str,
    from_name: str,
    from_address: str,
    signature: str = "",
    auto_ack: bool = True,
) -> tuple[SupportChannel, str]:
    """A new channel and its secret (in clear: the only time it is seen)."""
    address = mail_address(address, "address")
    await _require_address_free(session, address, None)
    await _require_name_free(session, tenant_id, name.strip(), None)
    secret = new_secret()
    channel = SupportChannel(
        id=uuid4(),
        tenant_id=tenant_id,
        name=name.strip(),
        address=address,
        from_name=from_name.strip(),
        from_address=mail_address(from_address, "from_address"),
        signature=signature.strip(),
        auto_ack=auto_ack,
        sealed_secret=seal(settings, secret),
    )
    session.add(channel)
    await session.flush()
    return channel, secret


async def _require_name_free(session: AsyncSession, tenant_id: UUID, name: str, channel_id: UUID | None) -> None:
    taken = await session.scalar(
        select(SupportChannel.id).where(SupportChannel.tenant_id == tenant_id, SupportChannel.name == name)
    )
    if taken is not None and taken != channel_id:
        raise SupportConflict(f"A channel named {name!r} exists already", extra={"field": "name"})


async def update_channel(session: AsyncSession, channel: SupportChannel, changes: dict) -> dict[str, dict]:
    """Apply the fields given; the changes made ({field: {old, new}}), for the audit trail."""
    if changes.get("address") is not None:
        changes["address"] = mail_address(changes["address"], "address")
        await _require_address_free(session, changes["address"], channel.id)
    if changes.get("from_address") is not None:
        changes["from_address"] = mail_address(changes["from_address"], "from_address")
    if changes.get("name") is not None:
        changes["name"] = changes["name"].strip()
        await _require_name_free(session, channel.tenant_id, changes["name"], channel.id)
    made = {}
    for field, value in changes.items():
        if value is not None and getattr(channel, field) != value:
            made[field] = {"old": getattr(channel, field), "new": value}
            setattr(channel, field, value)
    if made:
        channel.updated_at = utc_now()
        await session.flush()
    return made


def rotate_secret(settings: Settings, channel: SupportChannel) -> str:
    secret = new_secret()
    channel.sealed_secret = seal(settings, secret)
    channel.updated_at = utc_now()
    return secret


async def delete_channel(session: AsyncSession, channel: SupportChannel) -> None:
    """Remove a channel that never received a ticket; one with tickets keeps them readable, so it stays."""
    used = await session.scalar(
        select(exists().where(Ticket.tenant_id == channel.tenant_id, Ticket.channel_id == channel.id))
    )
    if used:
        raise SupportConflict("The channel has tickets; it cannot be deleted (turn its address to another instead)")
    await session.delete(channel)
    await session.flush()
