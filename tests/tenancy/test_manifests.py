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
from bo_saas.identity.models import Account, AccountStatus, Membership, Role
from bo_saas.identity.passwords import verify_password
from bo_saas.lib.settings import PROJECT_ROOT, Settings
from bo_saas.tenancy.manifest_schema import ManifestError, load_manifest
from bo_saas.tenancy.manifests import (
    apply_command,
    apply_manifests,
    export_command,
    export_manifest,
)
from bo_saas.tenancy.models import BusinessCalendar, Tenant, TenantStatus
from tests.factories import TenantFactory, client_user, save, staff_user

PLANS = {"starter", "growth", "enterprise"}
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


def globex(**overrides: Any) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "slug": "globex",
        "name": "Globex GmbH",
        "plan": "starter",
        "timezone": "Europe/Berlin",
        "services": ["bookkeeping"],
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


def rejection(path: Path, plan_codes: set[str] | None = PLANS) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        load_manifest(path, plan_codes)
    return list(caught.value.messages)


async def apply(sessionmaker: async_sessionmaker[AsyncSession], *paths: Path) -> tuple[Any, list[str]]:
    lines: list[str] = []
    report = await apply_manifests(sessionmaker, list(paths), lines.append)
    return report, lines


async def snapshot(session: AsyncSession) -> dict[str, Any]:
    """Every row the apply may touch, with xmin: any UPDATE at all, even to equal values, changes it."""
    facts: dict[str, Any] = {}
    for table in ("tenants", "business_calendars", "memberships", "accounts"):
        rows = await session.execute(text(f"SELECT xmin::text, updated_at, * FROM {table} ORDER BY created_at"))
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
        PLANS,
    )
    assert manifest.services == ("data_entry", "support")
    assert manifest.calendar.weekly_hours_value() == {"mon": ["09:00-13:00", "14:00-18:00"]}
    assert manifest.calendar.holidays == (date(2026, 12, 2), date(2026, 12, 3))
    assert manifest.status is TenantStatus.ACTIVE
    assert manifest.users[0].email == "admin@acme.example"
    assert manifest.users[0].password is None


def test_unknown_keys_are_rejected_wherever_they_are(tmp_path: Path) -> None:
    manifest = acme(plna="growth")
    manifest["calendar"]["monday"] = ["09:00-17:00"]
    manifest["users"][0]["passwrod"] = "oops-oops-oops"
    path = write(tmp_path, "acme.toml", manifest)

    messages = rejection(path)

    assert (
        f"{path}: plna: unknown key (expected one of slug, name, plan, timezone, status, services, calendar, users)"
        in messages
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
    for key in ("slug", "name", "plan", "timezone", "calendar"):
        assert any(message.startswith(f"{path}: {key}: missing (required)") for message in messages)

    broken = write(tmp_path, "broken.toml", 'slug = "acme"\nname = \n')
    [message] = rejection(broken)
    assert message.startswith(f"{broken}: is not valid TOML:")


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
        ("user.created", "system"),
        ("user.created", "system"),
    ]


async def test_applying_twice_changes_nothing_the_second_time(
    tmp_path: Path, runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    folder = tmp_path / "tenants"
    folder.mkdir()
    write(folder, "acme.toml", acme())
    write(folder, "globex.toml", globex())
    await apply(runtime_sessionmaker, folder)
    before = await snapshot(admin_session)

    report, lines = await apply(runtime_sessionmaker, folder)

    assert lines == ["acme: unchanged", "globex: unchanged"]
    assert not report.changed
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
    # A name that needs TOML escaping survives the round trip.
    await apply(runtime_sessionmaker, write(tmp_path, "acme.toml", acme(name='Acme "Trading" \\ شركة')))
    before = await snapshot(admin_session)

    exported = await export_manifest(runtime_sessionmaker, "acme")
    (tmp_path / "export").mkdir()
    export_path = write(tmp_path / "export", "acme.toml", exported)
    report, lines = await apply(runtime_sessionmaker, export_path)

    assert all(set(user) == {"email", "name", "role"} for user in tomllib.loads(exported)["users"])
    assert lines == ["acme: unchanged"]
    assert not report.changed
    assert await snapshot(admin_session) == before
    manifest = load_manifest(export_path, PLANS)
    assert (manifest.slug, manifest.name, manifest.plan, manifest.timezone) == (
        "acme",
        'Acme "Trading" \\ شركة',
        "growth",
        "Asia/Riyadh",
    )
    assert manifest.calendar.holiday_country == "SA"
    assert [(u.email, u.role) for u in manifest.users] == [
        ("admin@acme.example", Role.CLIENT_ADMIN),
        ("member@acme.example", Role.CLIENT_MEMBER),
    ]


async def test_exporting_an_unknown_slug_is_an_error(runtime_sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(ManifestError, match="nosuch: no tenant with this slug"):
        await export_manifest(runtime_sessionmaker, "nosuch")


async def test_the_shipped_tenants_folder_applies_cleanly(
    runtime_sessionmaker: async_sessionmaker[AsyncSession], admin_session: AsyncSession
) -> None:
    folder = PROJECT_ROOT / "tenants"

    report, lines = await apply(runtime_sessionmaker, folder)
    again, _ = await apply(runtime_sessionmaker, folder)

    assert {tenant.slug for tenant in report.tenants} >= {"acme", "globex"}
    assert all(tenant.created for tenant in report.tenants)
    assert not again.changed
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
    assert apply_command(settings, bad, lines.append) == 1
    assert lines == [
        f'{bad}: timezone: "Nowhere" is not an IANA time zone (e.g. "Asia/Riyadh")',
        "rejected: 1 problem(s); nothing was changed",
    ]

    lines.clear()
    invited = {"email": "new@acme.example", "name": "New Person", "role": "client_member"}
    good = write(tmp_path, "acme.toml", acme(users=[invited]))
    assert apply_command(settings, good, lines.append) == 0
    assert lines == ["acme: created tenant", "acme: user new@acme.example created (invited)"]
    # The invitation was relayed to Redis before the command returned.
    assert asyncio.run(_unsent_outbox_messages(settings)) == 0
    assert 'slug = "acme"' in export_command(settings, "acme")


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
