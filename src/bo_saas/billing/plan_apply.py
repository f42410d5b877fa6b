"""``bo-saas plans apply PATH``: plan files in, one new plan version for each file that says something new.

Like tenant manifests, applying is all or nothing: every file is read and
validated first and every problem of every file is reported at once
(``plans/growth.toml: meters[1].tiers[0].unit_price: ...``); if any is wrong
nothing is written. Then one transaction compares each file's content hash with
its plan's latest version: equal is "unchanged" (no write, no audit event), a
difference is a new version. Versions are never changed, so a subscription
stays on the prices it has until it is moved on purpose.

The ``plans`` row (name, services, custom-services right) follows the latest
version: tenancy's rules about which services a tenant may ask for read it.
"""

from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.audit.record import record_provider_event
from bo_saas.billing.models import PlanVersion
from bo_saas.billing.plan_file import PlanFile, content_hash
from bo_saas.lib.db import make_engine, make_sessionmaker
from bo_saas.lib.domain import Meter
from bo_saas.lib.settings import Settings
from bo_saas.tenancy.manifest_reading import location, manifest_files, validation_problems
from bo_saas.tenancy.manifest_sections import SYSTEM_ACTOR, ManifestError
from bo_saas.tenancy.models import Plan

Echo = Callable[[str], Any]


class PlanFileError(ManifestError):
    """One or more plan files were rejected; ``messages`` has one ``file: path: reason`` line each."""


def read_plans(paths: Iterable[Path], meters: Mapping[str, Meter]) -> list[tuple[Path, PlanFile]]:
    """Every plan file named (a file, or a folder's ``*.toml``), validated; PlanFileError with every problem."""
    try:
        files = manifest_files(paths)
    except ManifestError as exc:
        raise PlanFileError(exc.messages) from None
    plans: list[tuple[Path, PlanFile]] = []
    messages: list[str] = []
    for file in files:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
            plan = PlanFile.model_validate(data, context={"meters": meters})
        except (OSError, UnicodeDecodeError) as exc:
            messages.append(f"{file}: cannot be read: {exc}")
        except tomllib.TOMLDecodeError as exc:
            messages.append(f"{file}: is not valid TOML: {exc}")
        except ValidationError as exc:
            messages += [f"{file}: {location(p.loc)}: {p.reason}" for p in validation_problems(PlanFile, exc)]
        else:
            earlier = next((path for path, other in plans if other.code == plan.code), None)
            if earlier is not None:
                messages.append(f'{file}: code: "{plan.code}" is also the code of {earlier}')
            plans.append((file, plan))
    if messages:
        raise PlanFileError(messages)
    return plans


async def latest_version(session: AsyncSession, plan_code: str) -> PlanVersion | None:
    return await session.scalar(
        select(PlanVersion).where(PlanVersion.plan_code == plan_code).order_by(PlanVersion.version.desc()).limit(1)
    )


def version_row(plan: PlanFile, number: int) -> PlanVersion:
    """A new version of ``plan``: the definition as JSON, and the columns billing queries by."""
    definition = plan.definition()
    return PlanVersion(
        plan_code=plan.code,
        version=number,
        definition=definition,
        currency=plan.currency,
        interval=plan.interval,
        base_fee=plan.base_fee,
        trial_days=plan.trial_days,
        seats_included=plan.seats.included,
        seat_unit_price=plan.seats.unit_price,
        content_hash=content_hash(definition),
    )


async def apply_plans(session: AsyncSession, plans: Sequence[PlanFile]) -> list[str]:
    """Make each plan's latest version match its file, in the caller's transaction; one report line per plan."""
    lines = []
    for plan in plans:
        row = await session.get(Plan, plan.code, with_for_update=True)  # one apply at a time per plan
        wanted = {"name": plan.name, "services": plan.in_catalog_order(), "custom_services": plan.custom_services}
        if row is None:
            session.add(Plan(code=plan.code, **wanted))
            await session.flush()
        else:
            for field, value in wanted.items():
                if getattr(row, field) != value:
                    setattr(row, field, value)
        latest = await latest_version(session, plan.code)
        if latest is not None and latest.content_hash == content_hash(plan.definition()):
            lines.append(f"{plan.code}: unchanged (version {latest.version})")
            continue
        version = version_row(plan, 1 if latest is None else latest.version + 1)
        session.add(version)
        await session.flush()
        record_provider_event(
            session,
            None,
            action="plan.version_created",
            subject_type="plan",
            subject_id=plan.code,
            changes={"version": version.version, "content_hash": version.content_hash},
            actor=SYSTEM_ACTOR,
        )
        lines.append(
            f"{plan.code}: created plan, version 1"
            if latest is None
            else f"{plan.code}: new version {version.version} (subscriptions stay on theirs)"
        )
    await session.flush()
    return lines


async def apply_plan_files(
    sessionmaker: async_sessionmaker[AsyncSession], paths: Sequence[Path], meters: Mapping[str, Meter], echo: Echo
) -> list[str]:
    """Read, validate and apply; PlanFileError (nothing written) if any file is wrong."""
    plans = [plan for _, plan in read_plans(paths, meters)]
    async with sessionmaker() as session, session.begin():
        lines = await apply_plans(session, plans)
    for line in lines:
        echo(line)
    return lines


def apply_command(settings: Settings, path: Path, meters: Mapping[str, Meter], echo: Echo = print) -> int:
    """``bo-saas plans apply PATH``: 0 when applied (or already so), 1 when rejected (nothing changed)."""

    async def run() -> None:
        engine = make_engine(settings.database_url, pool_size=1)
        try:
            await apply_plan_files(make_sessionmaker(engine), [Path(path)], meters, echo)
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    except PlanFileError as exc:
        for message in exc.messages:
            echo(message)
        echo(f"rejected: {len(exc.messages)} problem(s); nothing was changed")
        return 1
    return 0
