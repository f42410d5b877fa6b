"""Support's manifest section: ``[[support.channels]]`` and ``[[support.macros]]``.

Left alone when the file has no ``[support]`` (channels and macros set through
the API stay). A file with it makes the tenant's channels (by name) and
macros (by name) equal to its lists, except that a channel which already has
tickets is never removed: the report says it was kept. A channel the file
creates gets a fresh secret, which nobody sees: rotate it through
``POST /api/v1/support/channels/{id}/secret`` to sign inbound posts (the SMTP
listener needs none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from pydantic import AfterValidator
from sqlalchemy import exists, select

from bo_saas.lib import limits
from bo_saas.lib.sealed import seal
from bo_saas.lib.settings import get_settings
from bo_saas.support.channels import new_secret, route
from bo_saas.support.macros import placeholder_problem
from bo_saas.support.models import SIGNATURE, Macro, SupportChannel, Ticket
from bo_saas.tenancy.manifest import TenantSection
from bo_saas.tenancy.manifest_fields import ManifestModel, Text, no_repeats, problem, show
from bo_saas.tenancy.manifest_rows import RowSet, change, shown, stored_rows, sync_rows
from bo_saas.tenancy.manifest_sections import ApplyContext, CheckContext, ExportContext, ManifestSection, Problem

CHANNEL_FIELDS = ("address", "from_name", "from_address", "signature", "auto_ack")


def _address(value: str) -> str:
    value = value.strip().lower()
    local, at, domain = value.partition("@")
    if not (local and at and "." in domain) or any(c.isspace() for c in value) or len(value) > limits.EMAIL:
        raise problem(f"{show(value)} is not an email address")
    return value


Address = Annotated[str, AfterValidator(_address)]


def _macro_body(body: str) -> str:
    reason = placeholder_problem(body)
    if reason:
        raise problem(reason)
    return body


class ManifestChannel(ManifestModel):
    name: Text(limits.NAME)
    address: Address  # where customers write; unique across the platform
    from_name: Text(limits.NAME)
    from_address: Address
    signature: Annotated[str, AfterValidator(lambda value: _bounded(value, SIGNATURE))] = ""
    auto_ack: bool = True


class ManifestMacro(ManifestModel):
    name: Text(limits.NAME)
    body: Annotated[Text(limits.BODY), AfterValidator(_macro_body)]


def _bounded(value: str, length: int) -> str:
    if len(value) > length:
        raise problem(f"must be at most {length} characters")
    return value.strip()


def _channels_once(channels: list[ManifestChannel]) -> tuple[ManifestChannel, ...]:
    no_repeats(channels, lambda channel: channel.name, "support.channels", at=("name",))
    no_repeats(channels, lambda channel: channel.address, "support.channels", at=("address",))
    return tuple(channels)


def _macros_once(macros: list[ManifestMacro]) -> tuple[ManifestMacro, ...]:
    no_repeats(macros, lambda macro: macro.name, "support.macros", at=("name",))
    return tuple(macros)


class SupportTable(ManifestModel):
    channels: Annotated[list[ManifestChannel], AfterValidator(_channels_once)] = ()
    macros: Annotated[list[ManifestMacro], AfterValidator(_macros_once)] = ()


class SupportSection(ManifestModel):
    support: SupportTable = SupportTable()


def _check(context: CheckContext) -> Iterable[Problem]:
    section: SupportSection | None = context.manifest.get("support")
    if section is None:
        return
    tenant: TenantSection | None = context.manifest.get("tenant")
    if tenant is not None and section.support.channels and "support" not in tenant.services:
        yield Problem(("support", "channels"), 'channels need the "support" service in services')
    earlier = {
        channel.address: other.source
        for other in context.earlier()
        if other.get("support") is not None
        for channel in other.get("support").support.channels
    }
    for index, channel in enumerate(section.support.channels):
        if channel.address in earlier:
            yield Problem(
                ("support", "channels", index, "address"),
                f"{show(channel.address)} is also a channel of {earlier[channel.address]}",
            )


async def _preflight(context: ApplyContext, section: SupportSection) -> list[Problem]:
    problems = []
    for index, channel in enumerate(section.support.channels):
        found = await route(context.session, address=channel.address)
        if found is not None and found.tenant_id != context.tenant_id:
            reason = f"{show(channel.address)} is already another tenant's support channel address"
            problems.append(Problem(("support", "channels", index, "address"), reason))
    return problems


def _channel_values(row: SupportChannel) -> dict[str, Any]:
    return {"name": row.name, **{field: getattr(row, field) for field in CHANNEL_FIELDS}}


async def _sync_channels(context: ApplyContext, wanted: list[ManifestChannel]) -> list[str]:
    """Like ``sync_rows``, but a new channel needs a sealed secret and one with tickets is never removed."""
    session, tenant_id = context.session, context.tenant_id
    current = {
        row.name: row
        for row in await session.scalars(select(SupportChannel).where(SupportChannel.tenant_id == tenant_id))
    }
    phrases, created, updated, removed = [], {}, {}, {}
    for channel in wanted:
        values = channel.model_dump()
        row = current.pop(channel.name, None)
        if row is None:
            session.add(SupportChannel(tenant_id=tenant_id, sealed_secret=seal(get_settings(), new_secret()), **values))
            created[channel.name] = values
            phrases.append(f"created support channel {channel.name}: {channel.address}")
            continue
        differences = {
            field: change(getattr(row, field), values[field])
            for field in CHANNEL_FIELDS
            if getattr(row, field) != values[field]
        }
        if differences:
            for field in differences:
                setattr(row, field, values[field])
            updated[channel.name] = differences
            phrases.append(
                f"changed support channel {channel.name}: "
                + "; ".join(f"{field} {shown(d['old'])} -> {shown(d['new'])}" for field, d in differences.items())
            )
    for name, row in sorted(current.items()):
        used = await session.scalar(select(exists().where(Ticket.tenant_id == tenant_id, Ticket.channel_id == row.id)))
        if used:
            context.notes.append(f"support channel {name} is not in the manifest but has tickets: kept")
            continue
        removed[name] = _channel_values(row)
        await session.delete(row)
        phrases.append(f"removed support channel {name}")
    await session.flush()  # new channels' addresses meet the platform-wide unique index here, inside the run
    for kind, rows in (("created", created), ("updated", updated), ("removed", removed)):
        if rows:
            context.record(f"support_channels.{kind}", "support_channels", str(tenant_id), {"support_channels": rows})
    return phrases


MACRO_ROWS = RowSet(
    name="support_macros",
    noun="support macro",
    model=Macro,
    stored=lambda row: {"name": row.name, "body": row.body},
    label=lambda values: values["name"],
    show=lambda values: None,
    difference=lambda old, new: "body edited",
)


async def _apply(context: ApplyContext, section: SupportSection) -> list[str]:
    phrases = await _sync_channels(context, list(section.support.channels))
    macros = [{"name": macro.name, "body": macro.body} for macro in section.support.macros]
    return phrases + await sync_rows(context, MACRO_ROWS, macros)


async def _export(context: ExportContext) -> dict[str, Any] | None:
    rows = await context.session.scalars(
        select(SupportChannel).where(SupportChannel.tenant_id == context.tenant_id).order_by(SupportChannel.name)
    )
    channels = [_exported_channel(_channel_values(row)) for row in rows]
    macros = sorted(await stored_rows(context.session, MACRO_ROWS, context.tenant_id), key=lambda v: v["name"])
    if not channels and not macros:
        return None
    table: dict[str, Any] = {}
    if channels:
        table["channels"] = channels
    if macros:
        table["macros"] = macros
    return {"support": table}


def _exported_channel(values: Mapping[str, Any]) -> dict[str, Any]:
    # Defaults are left out, as people write them.
    return {key: value for key, value in values.items() if (key, value) not in (("signature", ""), ("auto_ack", True))}


SUPPORT_SECTION = ManifestSection(
    name="support",
    model=SupportSection,
    apply=_apply,
    export=_export,
    order=55,  # after the tenant's services and work's sections, before its users
    authoritative=False,  # a file without [support] leaves channels and macros set through the API alone
    check=_check,
    preflight=_preflight,
)
