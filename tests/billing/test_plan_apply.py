"""Applying plan files: every problem at once with its path, idempotent, a changed file a new version."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bo_saas.audit.models import ProviderAuditEvent
from bo_saas.billing.models import PlanVersion, Subscription
from bo_saas.billing.plan_apply import PlanFileError, apply_command, apply_plan_files, read_plans
from bo_saas.billing.subscriptions import follow_plan
from bo_saas.lib.settings import PROJECT_ROOT
from bo_saas.server.registry import load
from bo_saas.tenancy.models import Plan
from tests.factories import TenantFactory, save

SHIPPED = PROJECT_ROOT / "plans"
METERS = {meter.code: meter for meter in load().meters}


def _growth_with(old: str, new: str, folder: Path) -> Path:
    text = (SHIPPED / "growth.toml").read_text(encoding="utf-8")
    assert old in text
    path = folder / "growth.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


async def _versions(session, code: str) -> list[int]:
    return list(
        await session.scalars(select(PlanVersion.version).where(PlanVersion.plan_code == code).order_by("version"))
    )


async def test_the_shipped_plan_files_are_what_the_migration_seeded(runtime_sessionmaker, admin_session):
    lines = await apply_plan_files(runtime_sessionmaker, [SHIPPED], METERS, echo=lambda _: None)

    assert sorted(lines) == [
        "enterprise: unchanged (version 1)",
        "growth: unchanged (version 1)",
        "starter: unchanged (version 1)",
    ]
    assert await admin_session.scalar(select(func.count()).select_from(ProviderAuditEvent)) == 0


async def test_a_changed_file_makes_a_new_version_and_subscriptions_keep_theirs(
    tmp_path, runtime_sessionmaker, admin_session
):
    tenant = TenantFactory(plan_code="growth")
    await save(admin_session, tenant)
    await follow_plan(admin_session, tenant)
    await admin_session.commit()
    changed = _growth_with('unit_price = "29.00"', 'unit_price = "31.50"', tmp_path)

    first = await apply_plan_files(runtime_sessionmaker, [changed], METERS, echo=lambda _: None)
    again = await apply_plan_files(runtime_sessionmaker, [changed], METERS, echo=lambda _: None)

    assert first == ["growth: new version 2 (subscriptions stay on theirs)"]
    assert again == ["growth: unchanged (version 2)"]
    assert await _versions(admin_session, "growth") == [1, 2]
    subscription = await admin_session.scalar(select(Subscription).where(Subscription.tenant_id == tenant.id))
    kept = await admin_session.get(PlanVersion, subscription.plan_version_id)
    assert kept.version == 1 and kept.definition["seats"]["unit_price"] == "29.00"
    actions = await admin_session.scalars(select(ProviderAuditEvent.action))
    assert list(actions) == ["plan.version_created"]  # the second apply wrote nothing


async def test_a_new_plan_file_creates_the_plan_and_its_first_version(tmp_path, runtime_sessionmaker, admin_session):
    text = (SHIPPED / "starter.toml").read_text(encoding="utf-8")
    path = tmp_path / "solo.toml"
    path.write_text(text.replace('code = "starter"', 'code = "solo"').replace('"Starter"', '"Solo"'), "utf-8")

    lines = await apply_plan_files(runtime_sessionmaker, [path], METERS, echo=lambda _: None)

    assert lines == ["solo: created plan, version 1"]
    plan = await admin_session.get(Plan, "solo")
    assert (plan.name, plan.services, plan.custom_services) == ("Solo", ["data_entry", "support"], False)


def test_every_problem_of_every_file_is_reported_at_once_with_its_path(tmp_path):
    bad = tmp_path / "growth.toml"
    bad.write_text(
        """code = "growth"
name = "Growth"
currency = "XYZ"
interval = "week"
base_fee = -1
services = ["data_entry", "payroll"]
colour = "green"

[seats]
included = 10
unit_price = 29

[[meters]]
code = "support.tickets"
aggregation = "max"
model = "per_unit"
unit_price = "1.00"

[[meters]]
code = "work.items"
aggregation = "sum"
model = "graduated"
unit_price = "1.00"
tiers = [ { up_to = 100, unit_price = "0.5" }, { up_to = 50, unit_price = "0.4" }, { up_to = 900, unit_price = "0.3" } ]

[[meters]]
code = "data_entry.pages"
aggregation = "sum"
model = "per_unit"
unit_price = "1.00"

[[meters]]
code = "work.items"
aggregation = "sum"
model = "per_unit"
unit_price = "-0.5"

[sla_credits]
percent_per_breach = 101
cap_percent = 20
""",
        encoding="utf-8",
    )
    (tmp_path / "starter.toml").write_text((SHIPPED / "starter.toml").read_text(encoding="utf-8"), "utf-8")
    duplicate = tmp_path / "zz.toml"
    duplicate.write_text((SHIPPED / "starter.toml").read_text(encoding="utf-8"), "utf-8")

    with pytest.raises(PlanFileError) as rejected:
        read_plans([tmp_path], METERS)

    currencies = "AED, AUD, BHD"
    messages = [message.replace(str(tmp_path) + "/", "") for message in rejected.value.messages]
    assert messages[0].startswith(
        f'growth.toml: currency: "XYZ" is not an ISO 4217 currency plans may use (one of {currencies}'
    )
    assert messages[1:] == [
        'growth.toml: interval: "week" is not an interval (one of month, year)',
        "growth.toml: base_fee: must be from 0 to 1000000000000, not -1",
        'growth.toml: services[1]: "payroll" is not a service (one of data_entry, bookkeeping, hr, support)',
        'growth.toml: seats.unit_price: must be a decimal string (e.g. "0.04"), not an integer',
        'growth.toml: meters[0].aggregation: "max": meter support.tickets aggregates by sum',
        'growth.toml: meters[1].unit_price: not used by a "graduated" meter (it takes tiers)',
        "growth.toml: meters[1].tiers[1].up_to: must be above the tier before it (100), not 50",
        "growth.toml: meters[1].tiers[2].up_to: the last tier must be open-ended (leave up_to out)",
        'growth.toml: meters[2].code: "data_entry.pages" is not a declared meter '
        f"(one of {', '.join(sorted(METERS))})",  # every meter the desks declare
        'growth.toml: meters[3].unit_price: "-0.5" is not a price: a non-negative decimal string of major units, '
        'at most 6 decimals ("0.04")',
        "growth.toml: sla_credits.percent_per_breach: must be from 0 to 100 percent, not 101",
        "growth.toml: colour: unknown key (expected one of code, name, currency, interval, base_fee, trial_days, "
        "services, custom_services, seats, meters, sla_credits)",
        'zz.toml: code: "starter" is also the code of starter.toml',
    ]


def test_the_command_rejects_a_bad_folder_and_changes_nothing(tmp_path, settings):
    (tmp_path / "broken.toml").write_text('code = "broken"\n', encoding="utf-8")
    said: list[str] = []

    assert apply_command(settings, tmp_path, METERS, said.append) == 1

    assert said[-1] == "rejected: 6 problem(s); nothing was changed"  # name, currency, interval, fee, seats, credits
    assert f"{tmp_path / 'broken.toml'}: name: missing (required)" in said
