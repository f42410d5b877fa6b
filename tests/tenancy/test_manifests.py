"""Tenant manifests: validation that names file, key and reason; apply that is all-or-nothing and idempotent."""

from __future__ import annotations

import asyncio
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from bo_saas.audit.models import AuditEvent, ProviderAuditEvent
from bo_saas.identity.models import Account, AccountStatus, Membership, Skill
from bo_saas.identity.passwords import verify_password
from bo_saas.lib.caller import Role
from bo_saas.lib.settings import PROJECT_ROOT, Settings
from bo_saas.server.registry import load
from bo_saas.sla.manifest import ManifestSlaTarget
from bo_saas.sla.models import SlaTarget
from bo_saas.tenancy.manifest import PlanFacts
from bo_saas.tenancy.manifest_reading import load_manifest
from bo_saas.tenancy.manifest_sections import Manifest, ManifestError
from bo_saas.tenancy.manifests import (
    apply_command,
    apply_manifests,
    export_command,
    export_manifest,
)
from bo_saas.tenancy.models import BusinessCalendar, Tenant, TenantStatus
from bo_saas.work.models import CustomServiceType, Priority, QaSampling
from tests.factories import TenantFactory, client_user, save, staff_user

# Every domain's manifest section, as the CLI passes them.
SECTIONS = load().manifest_sections
# As migration 0003 seeds them: what validation knows when it runs against the database.
ALL_BUILT_IN = frozenset({"data_entry", "bookkeeping", "hr", "support"})
PLAN_FACTS = {
    "starter": PlanFacts(frozenset({"data_entry", "support"}), custom_services=False),
    "growth": PlanFacts(ALL_BUILT_IN, custom_services=True),
    "enterprise": PlanFacts(ALL_BUILT_IN, custom_services=True),
}
SKILLS = {"data_entry", "bookkeeping", "hr", "support"}
PASSWORD = "demo-password-1"


def acme(**overrides: Any) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "slug": "acme",
        "name": "Acme Trading LLC",
        "plan": "growth",
        "timezone": "Asia/Riyadh",
        "services": ["data_entry", "support"],
        "calendar": {
            "sun": ["09:00-13:00", "14:00-18:00"],
            "mon": ["09:00-13:00", "14:00-18:00"],
            "holidays": ["2026-12-02"],
            "holiday_country": "SA",
        },
        "users": [
            {"email": "admin@acme.example", "name": "Acme Admin", "role": "client_admin", "password": PASSWORD},
            {"email": "member@acme.example", "name": "Acme Member", "role": "client_member", "password": PASSWORD},
        ],
    }
    manifest.update(overrides)
    return manifest


def inventory_check(**overrides: Any) -> dict[str, Any]:
    service_type: dict[str, Any] = {
        "code": "inventory_check",
        "name": "Inventory check",
        "skill": "data_entry",
        "fields": [
            {
                "name": "location",
                "label": "Store or warehouse",
                "type": "choice",
                "required": True,
                "choices": ["riyadh", "jeddah"],
            },
            {"name": "item_count", "type": "integer", "min": 1},
        ],
    }
    service_type.update(overrides)
    return service_type


def normal_form() -> list[dict[str, Any]]:
    """inventory_check's form as stored: every field with ``required``, keys in one order."""
    return [
        {
            "name": "location",
            "label": "Store or warehouse",
            "type": "choice",
            "required": True,
            "choices": ["riyadh", "jeddah"],
        },
        {"name": "item_count", "type": "integer", "required": False, "min": 1},
    ]


def acme_with_work(**overrides: Any) -> dict[str, Any]:
    """Acme with all three work sections: a custom type, SLA targets, QA sampling."""
    sections: dict[str, Any] = {
        "service_types": [inventory_check()],
        "sla": {
            "targets": [
                {"service": "support", "priority": "urgent", "first_response_minutes": 15, "resolution_minutes": 120},
                {"service": "*", "priority": "low", "first_response_minutes": 240, "resolution_minutes": 2400},
            ]
        },
        "qa": {"sample_percent": {"data_entry": 10, "inventory_check": 100}},
    }
    sections.update(overrides)
    return acme(**sections)


def globex(**overrides: Any) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "slug": "globex",
        "name": "Globex GmbH",
        "plan": "starter",
        "timezone": "Europe/Berlin",
        "services": ["support"],
        "calendar": {"mon": ["09:00-17:00"]},
        "users": [
            {"email": "admin@globex.example", "name": "Globex Admin", "role": "client_admin", "password": PASSWORD}
        ],
    }
    manifest.update(overrides)
    return manifest


def write(folder: Path, filename: str, manifest: dict[str, Any] | str) -> Path:
    path = folder / filename
    path.write_text(manifest if isinstance(manifest, str) else tomli_w.dumps(manifest))
    return path


def rejection(path: Path) -> list[str]:
    """The messages when the plans are known but not the skills."""
    with pytest.raises(ManifestError) as caught:
        load_manifest(path, SECTIONS, {"plans": PLAN_FACTS})
    return list(caught.value.messages)


def rejection_with_facts(path: Path) -> list[str]:
    """The messages when the plans' facts and the skills are known, as when applying."""
    with pytest.raises(ManifestError) as caught:
        load_manifest(path, SECTIONS, {"plans": PLAN_FACTS, "skills": SKILLS})
    return list(caught.value.messages)


async def apply(sessionmaker: async_sessionmaker[AsyncSession], *paths: Path) -> tuple[Any, list[str]]:
    lines: list[str] = []
    report = await apply_manifests(sessionmaker, list(paths), SECTIONS, lines.append)
    return report, lines


async def snapshot(session: AsyncSession) -> dict[str, Any]:
    """Every row the apply may touch, with xmin: any UPDATE at all, even to equal values, changes it."""
    facts: dict[str, Any] = {}
    order = {
        "tenants": "created_at",
        "business_calendars": "created_at",
        "memberships": "created_at",
        "accounts": "created_at",
        # Rows made in one transaction may share a created_at: order these by their keys.
        "custom_service_types": "tenant_id, code",
        "sla_targets": "tenant_id, service_type, priority",
        "qa_sampling": "tenant_id, service_type",
    }
    for table, order_by in order.items():
        rows = await session.execute(text(f"SELECT xmin::text, updated_at, * FROM {table} ORDER BY {order_by}"))
        facts[table] = [tuple(row) for row in rows]
    for model in (AuditEvent, ProviderAuditEvent):
        facts[model.__tablename__] = await session.scalar(select(func.count()).select_from(model))
    facts["outbox_messages"] = await session.scalar(text("SELECT count(*) FROM outbox_messages"))
    await session.rollback()
    return facts


# --- validation (no database) -----------------------------------------------------------------


def test_a_valid_manifest_loads_normalised(tmp_path: Path) -> None:
    manifest = load_manifest(
        write(
            tmp_path,
            "acme.toml",
            acme(
                services=["support", "data_entry"],
                calendar={"mon": ["14:00-18:00", "09:00-13:00"], "holidays": ["2026-12-03", date(2026, 12, 2)]},
                users=[{"email": " Admin@Acme.Example ", "name": "Acme Admin", "role": "client_admin"}],
            ),
        ),
        SECTIONS,
    )
    tenant, calendar, users = manifest.get("tenant"), manifest.get("calendar").calendar, manifest.get("users").users
    assert tenant.in_catalog_order() == ["data_entry", "support"]
    assert calendar.weekly_hours() == {"mon": ["09:00-13:00", "14:00-18:00"]}
    assert calendar.holidays == (date(2026, 12, 2), date(2026, 12, 3))
    assert tenant.status is None  # not named: left as it is (a new tenant starts active)
    assert users[0].email == "admin@acme.example"
    assert users[0].password is None


def test_unknown_keys_are_rejected_wherever_they_are(tmp_path: Path) -> None:
    manifest = acme(plna="growth")
    manifest["calendar"]["monday"] = ["09:00-17:00"]
    manifest["users"][0]["passwrod"] = "oops-oops-oops"
    path = write(tmp_path, "acme.toml", manifest)

    messages = rejection(path)

    assert (
        f"{path}: plna: unknown key (expected one of slug, name, plan, timezone, status, services, calendar, "
        "service_types, sla, qa, data_entry, support, bookkeeping, hr, users)" in messages
    )
    assert any(m.startswith(f"{path}: calendar.monday: unknown key") for m in messages)
    assert any(m.startswith(f"{path}: users[0].passwrod: unknown key") for m in messages)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"timezone": "Mars/Olympus"}, 'timezone: "Mars/Olympus" is not an IANA time zone'),
        ({"calendar": {"mon": ["09:00-13:00", "14:00-13:00"]}}, 'calendar.mon[1]: "14:00-13:00" ends before it starts'),
        ({"calendar": {"tue": ["9-5"]}}, 'calendar.tue[0]: "9-5" is not a period written HH:MM-HH:MM'),
        ({"calendar": {"wed": ["09:00-25:00"]}}, 'calendar.wed[0]: "09:00-25:00" is not a time of day'),
        ({"calendar": {"thu": ["10:00-10:00"]}}, 'calendar.thu[0]: "10:00-10:00" is empty'),
        (
            {"calendar": {"sun": ["09:00-13:00", "12:00-15:00"]}},
            'calendar.sun[1]: "12:00-15:00" overlaps "09:00-13:00" (calendar.sun[0])',
        ),
        ({"calendar": {"holidays": ["2026-12-02"]}}, "calendar: no business hours"),
        (
            {"calendar": {"mon": ["09:00-17:00"], "holidays": ["2026-02-30"]}},
            'calendar.holidays[0]: "2026-02-30" is not a date',
        ),
        (
            {"calendar": {"mon": ["09:00-17:00"], "holiday_country": "XX"}},
            'calendar.holiday_country: "XX" is not a country code',
        ),
        (
            {"services": ["data_entry", "payroll"]},
            'services[1]: "payroll" is not a service (one of data_entry, bookkeeping, hr, support)',
        ),
        ({"services": ["hr", "hr"]}, 'services[1]: "hr" is already listed as services[0]'),
        ({"plan": "gold"}, 'plan: "gold" is not a plan (one of enterprise, growth, starter)'),
        ({"slug": "Acme Corp"}, 'slug: "Acme Corp" must be 1-63 lower-case letters'),
        ({"status": "paused"}, 'status: "paused" is not a status (one of active, suspended)'),
        ({"name": "   "}, "name: must not be empty"),
        ({"services": "support"}, "services: must be a list of strings, not a string"),
        (
            {"users": [{"email": "admin@acme.example", "name": "A", "role": "client_admin", "password": "short"}]},
            "users[0].password: password must be at least 10 characters",
        ),
        (
            {"users": [{"email": "admin@acme.example", "name": "A", "role": "provider_admin"}]},
            'users[0].role: "provider_admin" is not a client role (one of client_admin, client_member)',
        ),
        (
            {"users": [{"email": "not-an-email", "name": "A", "role": "client_admin"}]},
            'users[0].email: "not-an-email" is not a valid email',
        ),
        (
            {"users": [{"email": "a@acme.example", "name": "A", "role": "client_admin"}] * 2},
            'users[1].email: "a@acme.example" is already listed as users[0]',
        ),
    ],
)
def test_a_bad_value_is_rejected_with_file_key_and_reason(
    tmp_path: Path, overrides: dict[str, Any], expected: str
) -> None:
    path = write(tmp_path, "acme.toml", acme(**overrides))
    messages = rejection(path)
    assert any(message.startswith(f"{path}: {expected}") for message in messages), messages


def test_the_password_is_never_echoed_in_a_rejection(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "acme.toml",
        acme(users=[{"email": "a@acme.example", "name": "A", "role": "client_admin", "password": "hunter2"}]),
    )
    assert not any("hunter2" in message for message in rejection(path))


def test_every_mistake_in_a_file_is_reported_not_just_the_first(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "acme.toml",
        acme(timezone="Nowhere", plan="gold", services=["typing"], calendar={"mon": ["18:00-09:00"]}),
    )
    keys = [message.split(": ")[1] for message in rejection(path)]
    assert keys == ["plan", "timezone", "services[0]", "calendar.mon[0]"]


def test_missing_required_keys_and_invalid_toml_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.toml", "")
    messages = rejection(path)
    for key in ("slug", "name", "plan", "timezone"):
        assert any(message.startswith(f"{path}: {key}: missing (required)") for message in messages)
    # [calendar] may be left out: the tenant's calendar is then left as it is.
    assert not any(message.startswith(f"{path}: calendar:") for message in messages)

    broken = write(tmp_path, "broken.toml", 'slug = "acme"\nname = \n')
    [message] = rejection(broken)
    assert message.startswith(f"{broken}: is not valid TOML:")


# --- validation of the work sections: custom service types, SLA targets, QA sampling -----------


def test_the_work_sections_load_normalised(tmp_path: Path) -> None:
    manifest = load_manifest(
        write(
            tmp_path,
            "acme.toml",
            acme_with_work(qa={"sample_percent": {"inventory_check": 100, "support": 0, "data_entry": 10}}),
        ),
        SECTIONS,
        {"plans": PLAN_FACTS, "skills": SKILLS},
    )

    [service_type] = manifest.get("service_types").service_types
    assert (service_type.code, service_type.name, service_type.skill) == (
        "inventory_check",
        "Inventory check",
        "data_entry",
    )
    form = service_type.form_schema()
    assert form == normal_form()
    assert list(form[1]) == ["name", "type", "required", "min"]  # one key order, whoever wrote the file
    assert manifest.get("sla").sla.targets == (
        ManifestSlaTarget(service="support", priority="urgent", first_response_minutes=15, resolution_minutes=120),
        ManifestSlaTarget(service="*", priority="low", first_response_minutes=240, resolution_minutes=2400),
    )
    # As the file lists them; applying sorts them in enabled order (see the report lines below).
    assert manifest.get("qa").qa.sample_percent == {"data_entry": 10, "support": 0, "inventory_check": 100}


def test_without_the_work_sections_a_manifest_has_none(tmp_path: Path) -> None:
    manifest = load_manifest(write(tmp_path, "acme.toml", acme()), SECTIONS, {"plans": PLAN_FACTS, "skills": SKILLS})
    assert (manifest.get("service_types").service_types, manifest.get("sla").sla.targets) == ((), ())
    assert manifest.get("qa") is None  # not authoritative: left alone


def _fields(count: int) -> list[dict[str, Any]]:
    return [{"name": f"field_{index}", "type": "string"} for index in range(count)]


def _target(**overrides: Any) -> dict[str, Any]:
    target = {"service": "support", "priority": "urgent", "first_response_minutes": 15, "resolution_minutes": 120}
    target.update(overrides)
    return target


SNAKE_CASE = (
    "must be lower_snake_case: 2-40 lower-case letters, digits and underscores, "
    'starting with a letter (e.g. "inventory_check")'
)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"service_types": [inventory_check(code="Inventory")]}, f'service_types[0].code: "Inventory" {SNAKE_CASE}'),
        ({"service_types": [inventory_check(code="x")]}, f'service_types[0].code: "x" {SNAKE_CASE}'),
        ({"service_types": [inventory_check(code="a" * 41)]}, f'service_types[0].code: "{"a" * 41}" {SNAKE_CASE}'),
        (
            {"service_types": [inventory_check(code="support")]},
            'service_types[0].code: "support" is a built-in service; a custom type needs a code of its own',
        ),
        (
            {"service_types": [inventory_check(), inventory_check(name="Again")]},
            'service_types[1].code: "inventory_check" is already listed as service_types[0]',
        ),
        ({"service_types": [inventory_check(name=" ")]}, "service_types[0].name: must not be empty"),
        (
            {"service_types": [inventory_check(skill="typing")]},
            'service_types[0].skill: "typing" is not a staff skill (one of bookkeeping, data_entry, hr, support)',
        ),
        (
            {"service_types": [{"code": "inventory_check", "name": "Inventory check"}]},
            "service_types[0].skill: missing (required)",
        ),
        (
            {"service_types": [inventory_check(colour="red")]},
            "service_types[0].colour: unknown key (expected one of code, name, skill, fields)",
        ),
        (
            {"service_types": [inventory_check(fields=[{"name": "size", "type": "float"}])]},
            "service_types[0].fields[0].type: "
            "must be one of string, text, integer, number, boolean, date, email, choice",
        ),
        (
            {"service_types": [inventory_check(fields=[{"name": "size", "type": "choice"}])]},
            "service_types[0].fields[0].choices: a choice field needs a non-empty list of strings",
        ),
        (
            {"service_types": [inventory_check(fields=[{"name": "size", "type": "string", "colour": "red"}])]},
            "service_types[0].fields[0]: unknown keys colour "
            "(allowed: choices, help, label, max, min, name, required, type)",
        ),
        (
            {"service_types": [inventory_check(fields=[{"name": "size", "type": "string", "label": 5}])]},
            "service_types[0].fields[0].label: must be a string, not an integer",
        ),
        (
            {"service_types": [inventory_check(fields=[{"name": "size", "type": "number", "max": float("inf")}])]},
            "service_types[0].fields[0].max: must be a finite number, not inf",
        ),
        (
            {"service_types": [inventory_check(fields=_fields(51))]},
            "service_types[0].fields: a form has at most 50 fields",
        ),
        (
            {"service_types": [inventory_check(fields="location")]},
            "service_types[0].fields: must be a list of [[service_types.fields]] tables, not a string",
        ),
        (
            {"service_types": {"code": "inventory_check"}},
            "service_types: must be a list of [[service_types]] tables, not a table",
        ),
        (
            {"sla": {"targets": [_target(service="hr")]}},
            'sla.targets[0].service: "hr" is not a service of this tenant '
            '(one of "*", data_entry, support, inventory_check)',
        ),
        (
            {"sla": {"targets": [_target(priority="critical")]}},
            'sla.targets[0].priority: "critical" is not a priority (one of low, normal, high, urgent)',
        ),
        (
            {"sla": {"targets": [_target(first_response_minutes=0)]}},
            "sla.targets[0].first_response_minutes: must be from 1 to 525600 business minutes, not 0",
        ),
        (
            {"sla": {"targets": [_target(resolution_minutes=525601)]}},
            "sla.targets[0].resolution_minutes: must be from 1 to 525600 business minutes, not 525601",
        ),
        (
            {"sla": {"targets": [_target(first_response_minutes="15")]}},
            "sla.targets[0].first_response_minutes: must be an integer, not a string",
        ),
        (
            {"sla": {"targets": [_target(first_response_minutes=15, resolution_minutes=10)]}},
            "sla.targets[0].resolution_minutes: must be at least first_response_minutes (15), not 10",
        ),
        (
            {"sla": {"targets": [_target(), _target(priority="high"), _target(first_response_minutes=5)]}},
            "sla.targets[2]: support/urgent is already listed as sla.targets[0]",
        ),
        (
            {"sla": {"targets": [{"service": "support", "priority": "urgent", "first_response_minutes": 15}]}},
            "sla.targets[0].resolution_minutes: missing (required)",
        ),
        (
            {"sla": {"targets": [_target(minutes=5)]}},
            "sla.targets[0].minutes: unknown key "
            "(expected one of service, priority, first_response_minutes, resolution_minutes)",
        ),
        ({"sla": {"target": [_target()]}}, "sla.target: unknown key (expected one of targets)"),
        ({"sla": "fast"}, "sla: must be a table ([sla]), not a string"),
        (
            {"qa": {"sample_percent": {"hr": 10}}},
            'qa.sample_percent.hr: "hr" is not an enabled service of this tenant '
            "(enabled: data_entry, support, inventory_check)",
        ),
        (
            {"qa": {"sample_percent": {"*": 10}}},
            'qa.sample_percent.*: "*" is not an enabled service of this tenant '
            "(enabled: data_entry, support, inventory_check)",
        ),
        (
            {"qa": {"sample_percent": {"data_entry": 101}}},
            "qa.sample_percent.data_entry: must be from 0 to 100 percent, not 101",
        ),
        (
            {"qa": {"sample_percent": {"data_entry": 12.5}}},
            "qa.sample_percent.data_entry: must be an integer, not a number",
        ),
        ({"qa": {"sample_percent": 10}}, "qa.sample_percent: must be a table of service = percent, not an integer"),
        ({"qa": {"rate": 10}}, "qa.rate: unknown key (expected one of sample_percent)"),
        (
            {"plan": "starter"},
            'service_types: plan "starter" does not allow custom service types (plans that do: enterprise, growth)',
        ),
        (
            {"plan": "starter", "service_types": [], "sla": {}, "qa": {}, "services": ["data_entry", "hr"]},
            'services[1]: "hr" is not included in plan "starter" (it includes data_entry, support)',
        ),
    ],
)
def test_a_bad_work_section_is_rejected_with_file_key_and_reason(
    tmp_path: Path, overrides: dict[str, Any], expected: str
) -> None:
    # The base samples only data_entry, so that a mistake in the custom type is not also one in [qa].
    path = write(tmp_path, "acme.toml", acme_with_work(**{"qa": {"sample_percent": {"data_entry": 10}}, **overrides}))
    assert rejection_with_facts(path) == [f"{path}: {expected}"]


def test_a_custom_type_with_a_mistake_is_reported_once_not_where_it_is_named(tmp_path: Path) -> None:
    # The targets and the sampling rate name the type; only its own mistake is reported.
    manifest = acme_with_work(service_types=[inventory_check(skill="typing")])
    manifest["sla"]["targets"].append(_target(service="inventory_check"))
    path = write(tmp_path, "acme.toml", manifest)

    assert rejection_with_facts(path) == [
        f'{path}: service_types[0].skill: "typing" is not a staff skill (one of bookkeeping, data_entry, hr, support)'
    ]


def test_every_work_section_mistake_is_reported_in_file_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "acme.toml",
        acme_with_work(
            plan="starter",
            services=["data_entry", "support", "hr"],
            sla={"targets": [_target(priority="asap")]},
            qa={"sample_percent": {"bookkeeping": 5}},
        ),
    )
    keys = [message.split(": ")[1] for message in rejection_with_facts(path)]
    assert keys == ["services[2]", "service_types", "sla.targets[0].priority", "qa.sample_percent.bookkeeping"]


def test_without_plan_facts_the_plan_rules_are_left_to_applying(tmp_path: Path) -> None:
    # Only the plan codes known (the loader's older form): what a plan includes is not checked.
    path = write(tmp_path, "acme.toml", acme_with_work(plan="starter", services=["data_entry", "support", "hr"]))
    manifest = load_manifest(path, SECTIONS)
    assert manifest.get("tenant").in_catalog_order() == ["data_entry", "hr", "support"]
    assert [service_type.code for service_type in manifest.get("service_types").service_types] == ["inventory_check"]


# --- applying ---------------------------------------------------------------------------------


async def test_applying_a_manifest_creates_tenant_calendar_and_users(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    report, lines = await apply(runtime_sessionmaker, write(tmp_path, "acme.toml", acme()))

    assert lines == [
        "acme: created tenant",
        "acme: user admin@acme.example created (active)",
        "acme: user member@acme.example created (active)",
    ]
    assert report.changed
    tenant = (await admin_session.execute(select(Tenant).where(Tenant.slug == "acme"))).scalar_one()
    assert (tenant.name, tenant.plan_code, tenant.timezone, tenant.status) == (
        "Acme Trading LLC",
        "growth",
        "Asia/Riyadh",
        TenantStatus.ACTIVE,
    )
    assert tenant.services == ["data_entry", "support"]
    calendar = await admin_session.get(BusinessCalendar, tenant.id)
    assert calendar is not None
    assert calendar.weekly_hours == {"mon": ["09:00-13:00", "14:00-18:00"], "sun": ["09:00-13:00", "14:00-18:00"]}
    assert calendar.holidays == [date(2026, 12, 2)]
    assert calendar.holiday_country == "SA"
    members = (
        await admin_session.execute(
            select(Account.email, Account.status, Account.password_hash, Membership.role)
            .join(Membership, Membership.account_id == Account.id)
            .where(Membership.tenant_id == tenant.id)
            .order_by(Account.email)
        )
    ).all()
    assert [(email, status, role) for email, status, _, role in members] == [
        ("admin@acme.example", AccountStatus.ACTIVE, Role.CLIENT_ADMIN),
        ("member@acme.example", AccountStatus.ACTIVE, Role.CLIENT_MEMBER),
    ]
    assert all(verify_password(password_hash, PASSWORD) for _, _, password_hash, _ in members)
    provider_actions = (await admin_session.scalars(select(ProviderAuditEvent.action))).all()
    tenant_events = (
        await admin_session.execute(
            select(AuditEvent.action, AuditEvent.actor_kind).where(AuditEvent.tenant_id == tenant.id)
        )
    ).all()
    assert provider_actions == ["tenant.created"]
    assert sorted(tenant_events) == [
        ("calendar.created", "system"),
        ("subscription.started", "system"),  # billing's, through tenancy's plan-chosen hook
        ("user.created", "system"),
        ("user.created", "system"),
    ]


async def test_applying_twice_changes_nothing_the_second_time(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    folder = tmp_path / "tenants"
    folder.mkdir()
    write(folder, "acme.toml", acme_with_work())
    write(folder, "globex.toml", globex(qa={"sample_percent": {"support": 5}}))
    await apply(runtime_sessionmaker, folder)
    before = await snapshot(admin_session)

    report, lines = await apply(runtime_sessionmaker, folder)

    assert lines == ["acme: unchanged", "globex: unchanged"]
    assert not report.changed
    assert [len(before[table]) for table in ("custom_service_types", "sla_targets", "qa_sampling")] == [1, 2, 3]
    assert await snapshot(admin_session) == before


async def test_a_folder_with_one_bad_file_changes_nothing(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    folder = tmp_path / "tenants"
    folder.mkdir()
    write(folder, "acme.toml", acme())
    bad = write(folder, "globex.toml", globex(calendar={"mon": ["09:00-13:00", "14:00-13:00"]}, plan="gold"))
    before = await snapshot(admin_session)

    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, folder)

    assert list(caught.value.messages) == [
        f'{bad}: plan: "gold" is not a plan (one of enterprise, growth, starter)',
        f'{bad}: calendar.mon[1]: "14:00-13:00" ends before it starts',
    ]
    assert await snapshot(admin_session) == before


async def test_duplicate_slugs_and_emails_across_a_folder_are_rejected(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    first = write(tmp_path, "a.toml", acme())
    second = write(tmp_path, "b.toml", acme(name="Another Acme"))
    third = write(tmp_path, "c.toml", globex(users=acme()["users"][:1]))

    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, tmp_path)

    messages = caught.value.messages
    assert f'{second}: slug: "acme" is also the slug of {first}' in messages
    assert f'{third}: users[0].email: "admin@acme.example" is also a user in {first}' in messages
    assert await admin_session.scalar(select(func.count()).select_from(Tenant)) == 0


async def test_a_user_of_another_tenant_or_staff_is_rejected_and_nothing_changes(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    other = TenantFactory(slug="initech")
    await save(admin_session, other)
    await client_user(admin_session, other, email="member@acme.example")
    await staff_user(admin_session, email="admin@acme.example")
    path = write(tmp_path, "acme.toml", acme())
    before = await snapshot(admin_session)

    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, path)

    assert list(caught.value.messages) == [
        f'{path}: users[0].email: "admin@acme.example" is a provider staff account, not a client user',
        f'{path}: users[1].email: "member@acme.example" already belongs to tenant initech',
    ]
    assert await snapshot(admin_session) == before


async def test_a_changed_manifest_updates_only_what_changed(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    path = write(tmp_path, "acme.toml", acme())
    await apply(runtime_sessionmaker, path)
    before = await snapshot(admin_session)
    changed = acme(name="Acme Trading Company")
    changed["calendar"]["mon"] = ["08:00-12:00"]
    changed["users"][1]["role"] = "client_admin"
    changed["users"][1]["name"] = "Acme Member Renamed"
    changed["users"][0]["password"] = "a-completely-new-password"  # only used on creation
    write(tmp_path, "acme.toml", changed)

    report, lines = await apply(runtime_sessionmaker, path)

    assert lines == [
        'acme: changed name: "Acme Trading LLC" -> "Acme Trading Company"',
        'acme: changed calendar.mon: ["09:00-13:00", "14:00-18:00"] -> ["08:00-12:00"]',
        'acme: user member@acme.example changed name: "Acme Member" -> "Acme Member Renamed"',
        "acme: user member@acme.example changed role: client_member -> client_admin",
        "acme: user admin@acme.example unchanged",
    ]
    after = await snapshot(admin_session)

    def admin_row(facts: dict[str, Any]) -> tuple[Any, ...]:
        [row] = [row for row in facts["accounts"] if "admin@acme.example" in row]
        return row

    assert admin_row(after) == admin_row(before)  # not touched: its password was not re-hashed
    assert after["accounts"] != before["accounts"]
    assert after["memberships"] != before["memberships"]
    assert after["provider_audit_events"] == before["provider_audit_events"] + 1
    assert after["audit_events"] == before["audit_events"] + 2  # calendar.updated, user.updated
    tenant = (await admin_session.execute(select(Tenant).where(Tenant.slug == "acme"))).scalar_one()
    assert (tenant.name, tenant.plan_code, tenant.services) == (
        "Acme Trading Company",
        "growth",
        ["data_entry", "support"],
    )
    calendar = await admin_session.get(BusinessCalendar, tenant.id)
    assert calendar.weekly_hours == {"mon": ["08:00-12:00"], "sun": ["09:00-13:00", "14:00-18:00"]}
    event = (
        await admin_session.execute(select(ProviderAuditEvent).where(ProviderAuditEvent.action == "tenant.updated"))
    ).scalar_one()
    assert event.changes == {"manifest": str(path), "name": {"old": "Acme Trading LLC", "new": "Acme Trading Company"}}
    admin_hash = await admin_session.scalar(select(Account.password_hash).where(Account.email == "admin@acme.example"))
    assert verify_password(admin_hash, PASSWORD)


# --- applying the work sections ---------------------------------------------------------------


async def test_applying_the_work_sections_creates_rows_and_reports_each(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    path = write(tmp_path, "acme.toml", acme_with_work())

    _, lines = await apply(runtime_sessionmaker, path)

    assert lines == [
        "acme: created tenant",
        "acme: created service type inventory_check",
        "acme: created sla target support/urgent: 15/120",
        "acme: created sla target */low: 240/2400",
        "acme: created qa sampling data_entry: 10%",
        "acme: created qa sampling inventory_check: 100%",
        "acme: user admin@acme.example created (active)",
        "acme: user member@acme.example created (active)",
    ]
    tenant_id = await admin_session.scalar(select(Tenant.id).where(Tenant.slug == "acme"))
    service_type = (await admin_session.execute(select(CustomServiceType))).scalar_one()
    form = normal_form()
    assert (service_type.tenant_id, service_type.code, service_type.name, service_type.skill_code) == (
        tenant_id,
        "inventory_check",
        "Inventory check",
        "data_entry",
    )
    assert service_type.form_schema == form
    targets = await admin_session.execute(
        select(
            SlaTarget.service_type, SlaTarget.priority, SlaTarget.first_response_minutes, SlaTarget.resolution_minutes
        ).order_by(SlaTarget.service_type)
    )
    assert targets.all() == [("*", Priority.LOW, 240, 2400), ("support", Priority.URGENT, 15, 120)]
    sampling = await admin_session.execute(
        select(QaSampling.service_type, QaSampling.sample_percent).order_by(QaSampling.service_type)
    )
    assert sampling.all() == [("data_entry", 10), ("inventory_check", 100)]
    events = (
        await admin_session.execute(
            select(AuditEvent.action, AuditEvent.actor_kind, AuditEvent.subject_id, AuditEvent.changes).where(
                AuditEvent.action.in_(["service_types.created", "sla_targets.created", "qa_sampling.created"])
            )
        )
    ).all()
    assert sorted((action, actor, subject) for action, actor, subject, _ in events) == [
        ("qa_sampling.created", "system", str(tenant_id)),
        ("service_types.created", "system", str(tenant_id)),
        ("sla_targets.created", "system", str(tenant_id)),
    ]
    [service_types_event] = [changes for action, _, _, changes in events if action == "service_types.created"]
    assert service_types_event == {
        "manifest": str(path),
        "service_types": {
            "inventory_check": {
                "code": "inventory_check",
                "name": "Inventory check",
                "skill_code": "data_entry",
                "form_schema": form,
            }
        },
    }


async def test_a_changed_work_section_updates_adds_and_removes_rows(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    path = write(tmp_path, "acme.toml", acme_with_work())
    await apply(runtime_sessionmaker, path)
    before = await snapshot(admin_session)
    changed = acme_with_work(
        service_types=[
            inventory_check(name="Stock count", fields=inventory_check()["fields"][:1]),
            {"code": "payroll_prep", "name": "Payroll preparation", "skill": "bookkeeping"},
        ],
        sla={
            "targets": [
                _target(first_response_minutes=10, resolution_minutes=90),
                _target(priority="high", first_response_minutes=30, resolution_minutes=240),
            ]
        },
        qa={"sample_percent": {"data_entry": 20, "support": 5}},
    )
    write(tmp_path, "acme.toml", changed)

    _, lines = await apply(runtime_sessionmaker, path)

    assert lines == [
        'acme: changed service type inventory_check: name "Inventory check" -> "Stock count"; '
        'fields ["location", "item_count"] -> ["location"]',
        "acme: created service type payroll_prep",
        "acme: changed sla target support/urgent: 15/120 -> 10/90",
        "acme: created sla target support/high: 30/240",
        "acme: removed sla target */low",
        "acme: changed qa sampling data_entry: 10% -> 20%",
        "acme: created qa sampling support: 5%",
        "acme: removed qa sampling inventory_check",
        "acme: user admin@acme.example unchanged",
        "acme: user member@acme.example unchanged",
    ]
    after = await snapshot(admin_session)
    # One event per kind of change in each section.
    assert after["audit_events"] == before["audit_events"] + 8
    assert after["tenants"] == before["tenants"] and after["business_calendars"] == before["business_calendars"]
    rows = await admin_session.execute(
        select(
            CustomServiceType.code, CustomServiceType.name, CustomServiceType.skill_code, CustomServiceType.form_schema
        ).order_by(CustomServiceType.code)
    )
    assert rows.all() == [
        ("inventory_check", "Stock count", "data_entry", normal_form()[:1]),
        ("payroll_prep", "Payroll preparation", "bookkeeping", []),
    ]
    targets = await admin_session.execute(
        select(SlaTarget.priority, SlaTarget.first_response_minutes, SlaTarget.resolution_minutes)
        .where(SlaTarget.service_type == "support")
        .order_by(SlaTarget.priority)
    )
    assert targets.all() == [(Priority.HIGH, 30, 240), (Priority.URGENT, 10, 90)]
    assert await admin_session.scalar(select(func.count()).select_from(SlaTarget)) == 2
    sampling = await admin_session.execute(
        select(QaSampling.service_type, QaSampling.sample_percent).order_by(QaSampling.service_type)
    )
    assert sampling.all() == [("data_entry", 20), ("support", 5)]
    event = (
        await admin_session.execute(select(AuditEvent.changes).where(AuditEvent.action == "sla_targets.updated"))
    ).scalar_one()
    assert event == {
        "manifest": str(path),
        "sla_targets": {
            "support/urgent": {
                "first_response_minutes": {"old": 15, "new": 10},
                "resolution_minutes": {"old": 120, "new": 90},
            }
        },
    }
    removed = (
        await admin_session.execute(select(AuditEvent.changes).where(AuditEvent.action == "qa_sampling.removed"))
    ).scalar_one()
    assert removed == {
        "manifest": str(path),
        "qa_sampling": {"inventory_check": {"service_type": "inventory_check", "sample_percent": 100}},
    }


async def test_a_manifest_without_the_work_sections_removes_types_and_targets_but_keeps_qa_rates(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    path = write(tmp_path, "acme.toml", acme_with_work())
    await apply(runtime_sessionmaker, path)
    write(tmp_path, "acme.toml", acme())

    _, lines = await apply(runtime_sessionmaker, path)

    assert lines == [
        "acme: removed service type inventory_check",
        "acme: removed sla target */low",
        "acme: removed sla target support/urgent",
        "acme: user admin@acme.example unchanged",
        "acme: user member@acme.example unchanged",
    ]
    for model in (CustomServiceType, SlaTarget):
        assert await admin_session.scalar(select(func.count()).select_from(model)) == 0
    # The rates stay as they were (one for a type now removed is harmless: nothing of that type is queued).
    assert await admin_session.scalar(select(func.count()).select_from(QaSampling)) == 2
    actions = (await admin_session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("%.removed")))).all()
    assert sorted(actions) == ["service_types.removed", "sla_targets.removed"]


async def test_a_stored_form_is_compared_as_data_not_as_text(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    path = write(tmp_path, "acme.toml", acme_with_work())
    await apply(runtime_sessionmaker, path)
    # Stored by someone else: other key order, "required": false left out; it means the same form.
    await admin_session.execute(
        text("UPDATE custom_service_types SET form_schema = CAST(:form AS jsonb)"),
        {
            "form": '[{"choices": ["riyadh", "jeddah"], "required": true, "type": "choice", '
            '"label": "Store or warehouse", "name": "location"}, {"min": 1, "type": "integer", "name": "item_count"}]'
        },
    )
    await admin_session.commit()
    before = await snapshot(admin_session)

    report, lines = await apply(runtime_sessionmaker, path)

    assert lines == ["acme: unchanged"]
    assert not report.changed
    assert await snapshot(admin_session) == before


async def test_applying_checks_plans_and_skills_from_the_database(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    known_skills = ", ".join(sorted((await admin_session.scalars(select(Skill.code))).all()))
    await admin_session.rollback()
    path = write(
        tmp_path,
        "globex.toml",
        globex(services=["support", "hr"], service_types=[inventory_check(skill="typing")]),
    )

    with pytest.raises(ManifestError) as caught:
        await apply(runtime_sessionmaker, path)

    assert list(caught.value.messages) == [
        f'{path}: services[1]: "hr" is not included in plan "starter" (it includes data_entry, support)',
        f'{path}: service_types: plan "starter" does not allow custom service types '
        "(plans that do: enterprise, growth)",
        f'{path}: service_types[0].skill: "typing" is not a staff skill (one of {known_skills})',
    ]
    assert await admin_session.scalar(select(func.count()).select_from(Tenant)) == 0


async def test_members_missing_from_the_manifest_are_left_alone_and_reported(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    path = write(tmp_path, "acme.toml", acme())
    await apply(runtime_sessionmaker, path)
    write(tmp_path, "acme.toml", acme(users=acme()["users"][:1]))

    _, lines = await apply(runtime_sessionmaker, path)

    assert lines == ["acme: unchanged", "acme: user member@acme.example is not in the manifest, left alone"]
    assert await admin_session.scalar(select(func.count()).select_from(Membership)) == 2


async def test_suspending_and_reactivating_through_the_manifest(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    path = write(tmp_path, "acme.toml", acme(status="suspended"))
    await apply(runtime_sessionmaker, path)
    assert await admin_session.scalar(select(Tenant.status)) is TenantStatus.SUSPENDED
    await admin_session.rollback()

    write(tmp_path, "acme.toml", acme())
    _, unnamed = await apply(runtime_sessionmaker, path)
    assert unnamed == ["acme: unchanged"]  # a file without status does not reactivate
    assert await admin_session.scalar(select(Tenant.status)) is TenantStatus.SUSPENDED
    await admin_session.rollback()

    write(tmp_path, "acme.toml", acme(status="active"))
    _, lines = await apply(runtime_sessionmaker, path)

    assert lines[0] == 'acme: changed status: "suspended" -> "active"'
    assert await admin_session.scalar(select(Tenant.status)) is TenantStatus.ACTIVE


async def test_a_user_without_a_password_is_invited(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    path = write(
        tmp_path,
        "acme.toml",
        acme(users=[{"email": "new@acme.example", "name": "New Person", "role": "client_member"}]),
    )

    _, lines = await apply(runtime_sessionmaker, path)
    again, _ = await apply(runtime_sessionmaker, path)

    assert lines[-1] == "acme: user new@acme.example created (invited)"
    account = (await admin_session.execute(select(Account).where(Account.email == "new@acme.example"))).scalar_one()
    assert account.status is AccountStatus.INVITED
    assert account.password_hash is None and account.invite_token_hash is not None
    assert await admin_session.scalar(text("SELECT count(*) FROM outbox_messages")) == 1
    assert not again.changed


async def test_export_then_apply_is_a_no_op(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    # A name that needs TOML escaping survives the round trip, and so do the work sections.
    original = acme_with_work(name='Acme "Trading" \\ شركة')
    original["service_types"][0]["fields"][1]["help"] = 'Count "boxes", not items'
    original["service_types"][0]["fields"].append({"name": "weight", "type": "number", "min": 0.5, "max": 1e3})
    await apply(runtime_sessionmaker, write(tmp_path, "acme.toml", original))
    before = await snapshot(admin_session)

    exported = await export_manifest(runtime_sessionmaker, "acme", SECTIONS)
    (tmp_path / "export").mkdir()
    export_path = write(tmp_path / "export", "acme.toml", exported)
    report, lines = await apply(runtime_sessionmaker, export_path)

    assert all(set(user) == {"email", "name", "role"} for user in tomllib.loads(exported)["users"])
    assert lines == ["acme: unchanged"]
    assert not report.changed
    assert await snapshot(admin_session) == before
    manifest: Manifest = load_manifest(export_path, SECTIONS)
    tenant = manifest.get("tenant")
    assert (tenant.slug, tenant.name, tenant.plan, tenant.timezone) == (
        "acme",
        'Acme "Trading" \\ شركة',
        "growth",
        "Asia/Riyadh",
    )
    assert manifest.get("calendar").calendar.holiday_country == "SA"
    assert [(u.email, u.role) for u in manifest.get("users").users] == [
        ("admin@acme.example", Role.CLIENT_ADMIN),
        ("member@acme.example", Role.CLIENT_MEMBER),
    ]
    # Written as people write it: arrays of tables and an inline table, only the non-default keys.
    assert (
        """
[[service_types]]
code = "inventory_check"
name = "Inventory check"
skill = "data_entry"
[[service_types.fields]]
name = "location"
label = "Store or warehouse"
type = "choice"
required = true
choices = ["riyadh", "jeddah"]
[[service_types.fields]]
name = "item_count"
type = "integer"
min = 1
help = "Count \\"boxes\\", not items"
[[service_types.fields]]
name = "weight"
type = "number"
min = 0.5
max = 1000.0

[sla]

[[sla.targets]]
service = "*"
priority = "low"
first_response_minutes = 240
resolution_minutes = 2400

[[sla.targets]]
service = "support"
priority = "urgent"
first_response_minutes = 15
resolution_minutes = 120

[qa]
sample_percent = { data_entry = 10, inventory_check = 100 }
"""
        in exported
    )


async def test_exporting_an_unknown_slug_is_an_error(runtime_sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(ManifestError, match="nosuch: no tenant with this slug"):
        await export_manifest(runtime_sessionmaker, "nosuch", SECTIONS)


async def test_the_shipped_tenants_folder_applies_cleanly(
    runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    folder = PROJECT_ROOT / "tenants"

    report, lines = await apply(runtime_sessionmaker, folder)
    again, _ = await apply(runtime_sessionmaker, folder)

    assert {tenant.slug for tenant in report.tenants} >= {"acme", "globex"}
    assert all(tenant.created for tenant in report.tenants)
    assert not again.changed
    acme_lines = [line for line in lines if line.startswith("acme: created ") and "user" not in line]
    assert acme_lines == [
        "acme: created tenant",
        "acme: created service type inventory_check",
        "acme: created sla target support/urgent: 10/60",
        "acme: created sla target support/high: 30/240",
        "acme: created sla target inventory_check/normal: 120/960",
        "acme: created qa sampling data_entry: 20%",
        "acme: created support channel Help: help@acme.example",
        "acme: created support macro Order shipped",
        "acme: created support macro Order number needed",
        "acme: created support macro Refund issued",
        "acme: created support macro تم شحن الطلب",
    ]
    assert "globex: created qa sampling bookkeeping: 25%" in lines
    active = await admin_session.scalar(
        select(func.count()).select_from(Account).where(Account.status == AccountStatus.ACTIVE)
    )
    assert active >= 4


# --- the CLI's entry points -------------------------------------------------------------------


def test_apply_command_exits_1_on_a_bad_manifest_and_0_on_a_good_one(
    tmp_path: Path,
    settings: Settings,
    admin_engine: Any,  # admin_engine: the tables are emptied afterwards
) -> None:
    lines: list[str] = []
    bad = write(tmp_path, "acme.toml", acme(timezone="Nowhere"))
    assert apply_command(settings, bad, SECTIONS, lines.append) == 1
    assert lines == [
        f'{bad}: timezone: "Nowhere" is not an IANA time zone (e.g. "Asia/Riyadh")',
        "rejected: 1 problem(s); nothing was changed",
    ]

    lines.clear()
    invited = {"email": "new@acme.example", "name": "New Person", "role": "client_member"}
    good = write(tmp_path, "acme.toml", acme(users=[invited]))
    assert apply_command(settings, good, SECTIONS, lines.append) == 0
    assert lines == ["acme: created tenant", "acme: user new@acme.example created (invited)"]
    # The invitation was relayed to Redis before the command returned.
    assert asyncio.run(_unsent_outbox_messages(settings)) == 0
    assert 'slug = "acme"' in export_command(settings, "acme", SECTIONS)


async def _unsent_outbox_messages(settings: Settings) -> int:
    engine = create_async_engine(settings.database_admin_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            total = await connection.scalar(text("SELECT count(*) FROM outbox_messages"))
            unsent = await connection.scalar(text("SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL"))
    finally:
        await engine.dispose()
    assert total == 1
    return unsent
