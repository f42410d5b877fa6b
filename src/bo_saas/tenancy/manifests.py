"""Applying tenant manifests (``tenants/*.toml``) to the database, and exporting a tenant back to one.

Applying is all or nothing for the whole run. Every file is read and validated
first, against each other and against the database (plans, accounts that
belong elsewhere); if any is wrong nothing is touched. Then ONE transaction,
whose tenant scope covers every tenant named (new tenants get their id before
it begins), makes every change or, if anything fails, none.

Every value is compared before it is written, so applying the same manifests
again writes nothing: no UPDATE, no audit event, a report that says
"unchanged". A password in a manifest is used only to create the account;
members the manifest does not list are left alone (the report says so).

The manifest is authoritative for the calendar and for the tenant's custom
service types, SLA targets and QA sampling rates: the tenant's rows are made
equal to what the file says, so a type, target or rate the file does not list
(or a file without ``[[service_types]]``, ``[sla]`` or ``[qa]`` at all) is
removed. Change those through the manifest, not around it.
"""

from __future__ import annotations

import asyncio
import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import tomli_w
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.audit.record import record_event, record_provider_event
from bo_saas.identity.accounts import (
    AccountError,
    add_client_account,
    find_account_by_email,
)
from bo_saas.identity.invitations import send_invitation
from bo_saas.identity.models import Account, Membership, Skill
from bo_saas.lib.broker import current_broker, setup_broker
from bo_saas.lib.db import make_engine, make_sessionmaker, set_scope
from bo_saas.lib.outbox import wait_for_relays
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.sla.models import ANY_SERVICE, SlaTarget
from bo_saas.tenancy.manifest_schema import (
    WEEKDAYS,
    Manifest,
    ManifestError,
    ManifestUser,
    PlanFacts,
    load_manifests,
    manifest_files,
    normal_field,
)
from bo_saas.tenancy.models import (
    SERVICE_CODES,
    BusinessCalendar,
    Plan,
    Tenant,
    TenantStatus,
)
from bo_saas.work.models import CustomServiceType, Priority, QaSampling

Echo = Callable[[str], Any]
SYSTEM_ACTOR: tuple[UUID | None, str] = (None, "system")
# Where an account belongs, past RLS, through the one narrow SECURITY DEFINER function.
_ACCOUNT_TENANTS = text("SELECT tenant_id FROM bo_account_tenants(:account_id)")


@dataclass(frozen=True)
class TenantReport:
    slug: str
    created: bool
    changes: tuple[str, ...]  # what was created or changed, one phrase each
    unchanged_users: tuple[str, ...]
    left_alone: tuple[str, ...]  # members the manifest does not list

    @property
    def changed(self) -> bool:
        return self.created or bool(self.changes)

    def lines(self) -> list[str]:
        lines = [f"{self.slug}: created tenant"] if self.created else []
        lines += [f"{self.slug}: {change}" for change in self.changes]
        if self.changed:
            lines += [f"{self.slug}: user {email} unchanged" for email in self.unchanged_users]
        else:
            lines.append(f"{self.slug}: unchanged")
        lines += [f"{self.slug}: user {email} is not in the manifest, left alone" for email in self.left_alone]
        return lines


@dataclass(frozen=True)
class ApplyReport:
    tenants: tuple[TenantReport, ...]

    @property
    def changed(self) -> bool:
        return any(tenant.changed for tenant in self.tenants)

    def lines(self) -> list[str]:
        return [line for tenant in self.tenants for line in tenant.lines()]


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    if value is None:
        return "(none)"
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


def _change(old: Any, new: Any) -> dict[str, Any]:
    return {"old": _jsonable(old), "new": _jsonable(new)}


def _normal_weekly_hours(weekly_hours: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    """Open days in weekday order, periods by start: how manifests write it, whoever stored it."""
    weekly_hours = weekly_hours or {}
    return {day: sorted(weekly_hours[day]) for day in WEEKDAYS if weekly_hours.get(day)}


# --- applying ---------------------------------------------------------------------------------


async def apply_manifests(
    sessionmaker: async_sessionmaker[AsyncSession], paths: Sequence[Path], echo: Echo = print
) -> ApplyReport:
    """Apply manifest files or folders of them; raise ManifestError (changing nothing) if any is wrong."""
    files = manifest_files(paths)
    async with sessionmaker() as session:
        async with session.begin():
            plan_rows = await session.execute(select(Plan.code, Plan.services, Plan.custom_services))
            plans = {code: PlanFacts(frozenset(services or ()), custom) for code, services, custom in plan_rows.all()}
            skill_codes = set((await session.scalars(select(Skill.code))).all())
        manifests = load_manifests(files, plans=plans, skill_codes=skill_codes)
        async with session.begin():
            slugs = [manifest.slug for manifest in manifests]
            known = dict((await session.execute(select(Tenant.slug, Tenant.id).where(Tenant.slug.in_(slugs)))).all())
        tenant_ids = {manifest.slug: known.get(manifest.slug) or uuid4() for manifest in manifests}
        # The scope must be in place before the transaction that writes begins.
        set_scope(session, TenantScope.of(*tenant_ids.values()))
        async with session.begin():
            conflicts = []
            for manifest in manifests:
                conflicts += await _user_conflicts(session, manifest, tenant_ids[manifest.slug])
            if conflicts:
                raise ManifestError(conflicts)
            reports = [await _apply_one(session, manifest, tenant_ids[manifest.slug]) for manifest in manifests]
    report = ApplyReport(tuple(reports))
    for line in report.lines():
        echo(line)
    return report


async def _user_conflicts(session: AsyncSession, manifest: Manifest, tenant_id: UUID) -> list[str]:
    """Accounts the manifest names that exist outside this tenant: a manifest never takes one over."""
    messages = []
    for index, user in enumerate(manifest.users):
        account = await find_account_by_email(session, user.email)
        if account is None:
            continue
        key = f"{manifest.source}: users[{index}].email"
        if account.staff_role is not None:
            messages.append(f'{key}: "{user.email}" is a provider staff account, not a client user')
            continue
        tenants = set((await session.execute(_ACCOUNT_TENANTS, {"account_id": account.id})).scalars())
        others = tenants - {tenant_id}
        if others:
            other_slugs = sorted((await session.scalars(select(Tenant.slug).where(Tenant.id.in_(others)))).all())
            messages.append(f'{key}: "{user.email}" already belongs to tenant {", ".join(other_slugs)}')
        elif not tenants:
            messages.append(
                f'{key}: "{user.email}" has an account that belongs to no tenant; a manifest does not adopt it'
            )
    return messages


async def _apply_one(session: AsyncSession, manifest: Manifest, tenant_id: UUID) -> TenantReport:
    tenant = (await session.execute(select(Tenant).where(Tenant.slug == manifest.slug).with_for_update())).scalar()
    created = tenant is None
    changes: list[str] = []
    if tenant is None:
        await _create_tenant(session, manifest, tenant_id)
    elif tenant.id != tenant_id:
        raise ManifestError(
            [f"{manifest.source}: slug: tenant {manifest.slug} was replaced while applying; apply again"]
        )
    else:
        changes += _update_tenant(session, manifest, tenant)
    changes += await _apply_calendar(session, manifest, tenant_id, tenant_created=created)
    for section in _SECTIONS:
        changes += await _apply_section(session, manifest, tenant_id, section)
    user_changes, unchanged_users, left_alone = await _apply_users(session, manifest, tenant_id)
    return TenantReport(
        slug=manifest.slug,
        created=created,
        changes=tuple(changes + user_changes),
        unchanged_users=tuple(unchanged_users),
        left_alone=tuple(left_alone),
    )


def _tenant_fields(manifest: Manifest) -> dict[str, Any]:
    return {
        "name": manifest.name,
        "plan_code": manifest.plan,
        "timezone": manifest.timezone,
        "status": manifest.status,
        "services": list(manifest.services),
    }


async def _create_tenant(session: AsyncSession, manifest: Manifest, tenant_id: UUID) -> None:
    fields = _tenant_fields(manifest)
    session.add(Tenant(id=tenant_id, slug=manifest.slug, **fields))
    # The tenant row must exist before the tenant-owned rows that refer to it.
    await session.flush()
    record_provider_event(
        session,
        None,
        action="tenant.created",
        subject_type="tenant",
        subject_id=str(tenant_id),
        changes={"manifest": str(manifest.source), "slug": manifest.slug, **_jsonable(fields)},
        actor=SYSTEM_ACTOR,
    )


def _update_tenant(session: AsyncSession, manifest: Manifest, tenant: Tenant) -> list[str]:
    diff: dict[str, Any] = {}
    phrases = []
    for field, new in _tenant_fields(manifest).items():
        old = getattr(tenant, field)
        same = set(old or []) == set(new) if field == "services" else old == new
        if same:
            continue
        diff[field] = _change(old, new)
        phrases.append(f"changed {field}: {_shown(old)} -> {_shown(new)}")
        setattr(tenant, field, new)
        if field == "status" and new is TenantStatus.ACTIVE:
            tenant.suspended_reason = None
    if diff:
        record_provider_event(
            session,
            None,
            action="tenant.updated",
            subject_type="tenant",
            subject_id=str(tenant.id),
            changes={"manifest": str(manifest.source), **diff},
            actor=SYSTEM_ACTOR,
        )
    return phrases


async def _apply_calendar(
    session: AsyncSession, manifest: Manifest, tenant_id: UUID, *, tenant_created: bool
) -> list[str]:
    wanted = manifest.calendar
    fields: dict[str, Any] = {
        "weekly_hours": wanted.weekly_hours_value(),
        "holidays": list(wanted.holidays),
        "holiday_country": wanted.holiday_country,
    }
    calendar = await session.get(BusinessCalendar, tenant_id)
    if calendar is None:
        session.add(BusinessCalendar(tenant_id=tenant_id, **fields))
        record_event(
            session,
            None,
            tenant_id=tenant_id,
            action="calendar.created",
            subject_type="business_calendar",
            subject_id=str(tenant_id),
            changes={"manifest": str(manifest.source), **_jsonable(fields)},
            actor=SYSTEM_ACTOR,
        )
        return [] if tenant_created else ["created calendar"]

    diff: dict[str, Any] = {}
    phrases = []
    current_hours = _normal_weekly_hours(calendar.weekly_hours)
    if current_hours != fields["weekly_hours"]:
        diff["weekly_hours"] = _change(calendar.weekly_hours, fields["weekly_hours"])
        for day in WEEKDAYS:
            old, new = current_hours.get(day, []), fields["weekly_hours"].get(day, [])
            if old != new:
                was, now = (_shown(periods) if periods else "closed" for periods in (old, new))
                phrases.append(f"changed calendar.{day}: {was} -> {now}")
        calendar.weekly_hours = fields["weekly_hours"]
    current_holidays = sorted(set(calendar.holidays or []))
    if current_holidays != fields["holidays"]:
        diff["holidays"] = _change(calendar.holidays, fields["holidays"])
        added = sorted(set(fields["holidays"]) - set(current_holidays))
        removed = sorted(set(current_holidays) - set(fields["holidays"]))
        what = [f"+{day.isoformat()}" for day in added] + [f"-{day.isoformat()}" for day in removed]
        phrases.append(f"changed calendar.holidays: {' '.join(what) or 'order'}")
        calendar.holidays = fields["holidays"]
    if calendar.holiday_country != fields["holiday_country"]:
        diff["holiday_country"] = _change(calendar.holiday_country, fields["holiday_country"])
        was, now = _shown(calendar.holiday_country), _shown(fields["holiday_country"])
        phrases.append(f"changed calendar.holiday_country: {was} -> {now}")
        calendar.holiday_country = fields["holiday_country"]
    if diff:
        record_event(
            session,
            None,
            tenant_id=tenant_id,
            action="calendar.updated",
            subject_type="business_calendar",
            subject_id=str(tenant_id),
            changes={"manifest": str(manifest.source), **diff},
            actor=SYSTEM_ACTOR,
        )
    return phrases


@dataclass(frozen=True)
class _Section:
    """A manifest section that one tenant-owned table must equal, row for row.

    Each row is handled as a dict of its columns (``tenant_id`` aside), the same
    shape whether it came from the manifest or the database, so comparing,
    writing, reporting and auditing are one piece of code for every section.
    """

    name: str  # the manifest's word, also the key of the rows in audit events
    noun: str  # how the report names one row
    model: type[Any]
    wanted: Callable[[Manifest], list[dict[str, Any]]]
    stored: Callable[[Any], dict[str, Any]]  # a row's columns, normalised like the manifest's
    label: Callable[[Mapping[str, Any]], str]  # what identifies a row in the report
    show: Callable[[Mapping[str, Any]], str | None]  # a row's values in the report, if short enough
    difference: Callable[[Mapping[str, Any], Mapping[str, Any]], str]


def _service_type_difference(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    parts = []
    if old["name"] != new["name"]:
        parts.append(f"name {_shown(old['name'])} -> {_shown(new['name'])}")
    if old["skill_code"] != new["skill_code"]:
        parts.append(f"skill {old['skill_code']} -> {new['skill_code']}")
    if old["form_schema"] != new["form_schema"]:
        # A form is too long for one line; the field names say enough, the audit event has the rest.
        was, now = ([field.get("name") for field in form] for form in (old["form_schema"], new["form_schema"]))
        parts.append(f"fields {_shown(was)} -> {_shown(now)}" if was != now else f"fields {_shown(now)} edited")
    return "; ".join(parts)


def _minutes(values: Mapping[str, Any]) -> str:
    return f"{values['first_response_minutes']}/{values['resolution_minutes']}"


_SECTIONS = (
    _Section(
        name="service_types",
        noun="service type",
        model=CustomServiceType,
        wanted=lambda manifest: [
            {"code": t.code, "name": t.name, "skill_code": t.skill, "form_schema": t.form_schema()}
            for t in manifest.service_types
        ],
        stored=lambda row: {
            "code": row.code,
            "name": row.name,
            "skill_code": row.skill_code,
            "form_schema": [normal_field(field) for field in row.form_schema or []],
        },
        label=lambda values: values["code"],
        show=lambda values: None,
        difference=_service_type_difference,
    ),
    _Section(
        name="sla_targets",
        noun="sla target",
        model=SlaTarget,
        wanted=lambda manifest: [
            {
                "service_type": t.service,
                "priority": t.priority,
                "first_response_minutes": t.first_response_minutes,
                "resolution_minutes": t.resolution_minutes,
            }
            for t in manifest.sla_targets
        ],
        stored=lambda row: {
            "service_type": row.service_type,
            "priority": Priority(row.priority),
            "first_response_minutes": row.first_response_minutes,
            "resolution_minutes": row.resolution_minutes,
        },
        label=lambda values: f"{values['service_type']}/{Priority(values['priority']).value}",
        show=_minutes,
        difference=lambda old, new: f"{_minutes(old)} -> {_minutes(new)}",
    ),
    _Section(
        name="qa_sampling",
        noun="qa sampling",
        model=QaSampling,
        wanted=lambda manifest: [
            {"service_type": service, "sample_percent": percent} for service, percent in manifest.qa_sampling.items()
        ],
        stored=lambda row: {"service_type": row.service_type, "sample_percent": row.sample_percent},
        label=lambda values: values["service_type"],
        show=lambda values: f"{values['sample_percent']}%",
        difference=lambda old, new: f"{old['sample_percent']}% -> {new['sample_percent']}%",
    ),
)


async def _apply_section(session: AsyncSession, manifest: Manifest, tenant_id: UUID, section: _Section) -> list[str]:
    """Make the tenant's rows equal to the section: insert new, update changed, delete unlisted."""
    model = section.model
    rows = (await session.scalars(select(model).where(model.tenant_id == tenant_id))).all()
    current = {section.label(section.stored(row)): row for row in rows}
    created: dict[str, Any] = {}
    updated: dict[str, Any] = {}
    phrases = []
    for values in section.wanted(manifest):
        label = section.label(values)
        row = current.pop(label, None)
        if row is None:
            session.add(model(tenant_id=tenant_id, **values))
            created[label] = values
            shown = section.show(values)
            phrases.append(f"created {section.noun} {label}" + (f": {shown}" if shown else ""))
            continue
        old = section.stored(row)
        if old == values:  # compared as data: a form's JSON text and key order do not matter
            continue
        updated[label] = {column: _change(old[column], new) for column, new in values.items() if old[column] != new}
        for column in updated[label]:
            setattr(row, column, values[column])
        phrases.append(f"changed {section.noun} {label}: {section.difference(old, values)}")
    removed = {}
    for label, row in sorted(current.items()):
        removed[label] = section.stored(row)
        await session.delete(row)
        phrases.append(f"removed {section.noun} {label}")
    for kind, rows_changed in (("created", created), ("updated", updated), ("removed", removed)):
        if rows_changed:
            record_event(
                session,
                None,
                tenant_id=tenant_id,
                action=f"{section.name}.{kind}",
                subject_type=section.name,
                subject_id=str(tenant_id),
                changes={"manifest": str(manifest.source), section.name: _jsonable(rows_changed)},
                actor=SYSTEM_ACTOR,
            )
    return phrases


async def _members(session: AsyncSession, tenant_id: UUID) -> dict[str, tuple[Account, Membership]]:
    rows = await session.execute(
        select(Account, Membership)
        .join(Membership, Membership.account_id == Account.id)
        .where(Membership.tenant_id == tenant_id)
    )
    return {account.email: (account, membership) for account, membership in rows.all()}


async def _apply_users(
    session: AsyncSession, manifest: Manifest, tenant_id: UUID
) -> tuple[list[str], list[str], list[str]]:
    members = await _members(session, tenant_id)
    changes: list[str] = []
    unchanged: list[str] = []
    for index, user in enumerate(manifest.users):
        found = members.get(user.email)
        if found is None:
            changes.append(await _create_user(session, manifest, index, user, tenant_id))
            continue
        phrases = _update_user(session, manifest, user, tenant_id, *found)
        if phrases:
            changes += [f"user {user.email} {phrase}" for phrase in phrases]
        else:
            unchanged.append(user.email)
    listed = {user.email for user in manifest.users}
    left_alone = sorted(email for email in members if email not in listed)
    return changes, unchanged, left_alone


async def _create_user(
    session: AsyncSession, manifest: Manifest, index: int, user: ManifestUser, tenant_id: UUID
) -> str:
    try:
        account, _membership, invite_token = await add_client_account(
            session, tenant_id=tenant_id, email=user.email, name=user.name, role=user.role, password=user.password
        )
    except AccountError as exc:  # e.g. the account appeared since the check: nothing is kept
        raise ManifestError([f"{manifest.source}: users[{index}].email: {exc}"]) from None
    if invite_token is not None:
        await send_invitation(session, account, invite_token, tenant_name=manifest.name)
    record_event(
        session,
        None,
        tenant_id=tenant_id,
        action="user.created",
        subject_type="account",
        subject_id=str(account.id),
        changes={
            "manifest": str(manifest.source),
            "email": account.email,
            "name": account.name,
            "role": user.role.value,
            "status": account.status.value,
        },
        actor=SYSTEM_ACTOR,
    )
    return f"user {user.email} created ({account.status.value})"


def _update_user(
    session: AsyncSession,
    manifest: Manifest,
    user: ManifestUser,
    tenant_id: UUID,
    account: Account,
    membership: Membership,
) -> list[str]:
    diff: dict[str, Any] = {}
    phrases = []
    if account.name != user.name:
        diff["name"] = _change(account.name, user.name)
        phrases.append(f"changed name: {_shown(account.name)} -> {_shown(user.name)}")
        account.name = user.name
    if membership.role != user.role:
        diff["role"] = _change(membership.role.value, user.role.value)
        phrases.append(f"changed role: {membership.role.value} -> {user.role.value}")
        membership.role = user.role
    if diff:
        record_event(
            session,
            None,
            tenant_id=tenant_id,
            action="user.updated",
            subject_type="account",
            subject_id=str(account.id),
            changes={"manifest": str(manifest.source), **diff},
            actor=SYSTEM_ACTOR,
        )
    return phrases


# --- exporting --------------------------------------------------------------------------------


async def export_manifest(sessionmaker: async_sessionmaker[AsyncSession], slug: str) -> str:
    """The manifest of a tenant as it stands (no passwords); applying it back changes nothing."""
    async with sessionmaker() as session:
        async with session.begin():
            tenant = (await session.execute(select(Tenant).where(Tenant.slug == slug))).scalar()
        if tenant is None:
            raise ManifestError([f"{slug}: no tenant with this slug"])
        set_scope(session, TenantScope.of(tenant.id))
        async with session.begin():
            calendar = await session.get(BusinessCalendar, tenant.id)
            members = await _members(session, tenant.id)
            sections = {}
            for section in _SECTIONS:
                rows = await session.scalars(select(section.model).where(section.model.tenant_id == tenant.id))
                sections[section.name] = [section.stored(row) for row in rows]

    services = [code for code in SERVICE_CODES if code in (tenant.services or [])]
    services += sorted(set(tenant.services or []) - set(services))
    weekly_hours = _normal_weekly_hours(calendar.weekly_hours if calendar else None)
    holidays = sorted(set(calendar.holidays or [])) if calendar else []
    lines = [
        "# Exported by `bo-saas tenants export`; passwords are never exported.",
        _toml_line("slug", tenant.slug),
        _toml_line("name", tenant.name),
        _toml_line("plan", tenant.plan_code),
        _toml_line("timezone", tenant.timezone),
        _toml_line("status", tenant.status.value),
        _toml_line("services", services),
        "",
        "[calendar]",
        *(_toml_line(day, periods) for day, periods in weekly_hours.items()),
        _toml_line("holidays", [day.isoformat() for day in holidays]),
    ]
    if calendar is not None and calendar.holiday_country:
        lines.append(_toml_line("holiday_country", calendar.holiday_country))
    custom_codes = sorted(values["code"] for values in sections["service_types"])
    lines += _export_service_types(sections["service_types"])
    lines += _export_sla_targets(sections["sla_targets"], custom_codes)
    lines += _export_qa_sampling(sections["qa_sampling"], custom_codes)
    for email, (account, membership) in sorted(members.items()):
        lines += ["", "[[users]]", _toml_line("email", email), _toml_line("name", account.name)]
        lines.append(_toml_line("role", membership.role.value))
    return "\n".join(lines) + "\n"


def _export_service_types(service_types: list[dict[str, Any]]) -> list[str]:
    lines = []
    for values in sorted(service_types, key=lambda values: values["code"]):
        lines += ["", "[[service_types]]", _toml_line("code", values["code"]), _toml_line("name", values["name"])]
        lines.append(_toml_line("skill", values["skill_code"]))
        for definition in values["form_schema"]:
            lines.append("[[service_types.fields]]")
            # ``required = false`` is the default: leave it out, as people do.
            lines += [_toml_line(key, v) for key, v in definition.items() if (key, v) != ("required", False)]
    return lines


def _service_rank(custom_codes: Sequence[str]) -> Callable[[str], tuple[int, str]]:
    """Sorts services as a manifest lists them: "*", the built-in catalog, then custom types by code."""
    order = {code: index for index, code in enumerate((ANY_SERVICE, *SERVICE_CODES, *custom_codes))}
    return lambda code: (order.get(code, len(order)), code)


def _export_sla_targets(targets: list[dict[str, Any]], custom_codes: Sequence[str]) -> list[str]:
    if not targets:
        return []
    rank = _service_rank(custom_codes)
    most_urgent_first = list(reversed(Priority))
    lines = ["", "[sla]"]
    for values in sorted(targets, key=lambda v: (rank(v["service_type"]), most_urgent_first.index(v["priority"]))):
        lines += ["", "[[sla.targets]]", _toml_line("service", values["service_type"])]
        lines.append(_toml_line("priority", values["priority"].value))
        lines.append(_toml_line("first_response_minutes", values["first_response_minutes"]))
        lines.append(_toml_line("resolution_minutes", values["resolution_minutes"]))
    return lines


def _export_qa_sampling(sampling: list[dict[str, Any]], custom_codes: Sequence[str]) -> list[str]:
    if not sampling:
        return []
    rank = _service_rank(custom_codes)
    rates = {v["service_type"]: v["sample_percent"] for v in sorted(sampling, key=lambda v: rank(v["service_type"]))}
    return ["", "[qa]", _toml_line("sample_percent", rates)]


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_value(value: Any) -> str:
    # The layout (one-line lists and inline tables) is ours, as people write it; tomli-w knows TOML's
    # escaping rules and number formats for the single values.
    if isinstance(value, Mapping):
        pairs = (f"{key if _BARE_KEY.match(key) else _toml_value(key)} = {_toml_value(v)}" for key, v in value.items())
        return "{ " + ", ".join(pairs) + " }"
    if isinstance(value, (list, tuple)):
        return f"[{', '.join(_toml_value(item) for item in value)}]"
    return tomli_w.dumps({"v": value}).removeprefix("v = ").rstrip("\n")


def _toml_line(key: str, value: Any) -> str:
    return f"{key} = {_toml_value(value)}"


# --- for the CLI ------------------------------------------------------------------------------


def apply_command(settings: Settings, path: Path, echo: Echo = print) -> int:
    """``bo-saas tenants apply PATH``: 0 when applied (or already so), 1 when rejected (nothing changed).

    ``settings`` must carry resolved database URLs (embedded servers already started).
    """
    _ensure_broker(settings)

    async def run() -> None:
        engine = make_engine(settings.database_url, pool_size=1)
        try:
            await apply_manifests(make_sessionmaker(engine), [Path(path)], echo)
            # Invitations are relayed to Redis after the commit; let that finish before the engine goes.
            await wait_for_relays()
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    except ManifestError as exc:
        for message in exc.messages:
            echo(message)
        echo(f"rejected: {len(exc.messages)} problem(s); nothing was changed")
        return 1
    return 0


def _ensure_broker(settings: Settings) -> None:
    """The CLI process has no broker yet; without one the invitations wait for the app's outbox sweeper."""
    try:
        current_broker()
    except RuntimeError:
        if settings.redis_url:
            setup_broker(settings.redis_url)


def export_command(settings: Settings, slug: str) -> str:
    """``bo-saas tenants export SLUG``: the TOML text; raises ManifestError for an unknown slug."""

    async def run() -> str:
        engine = make_engine(settings.database_url, pool_size=1)
        try:
            return await export_manifest(make_sessionmaker(engine), slug)
        finally:
            await engine.dispose()

    return asyncio.run(run())
