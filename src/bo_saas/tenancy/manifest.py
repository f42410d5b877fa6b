"""Tenancy's manifest sections: the tenant itself (slug, name, plan, time zone, status, services) and its calendar.

The tenant section is authoritative: the file says what the tenant is, except ``status``, which only
a file that names it changes (a provider admin's suspension through the API stands until a manifest
says ``status = "active"``; a new tenant starts active). The calendar is not: a file without
``[calendar]`` leaves the tenant's calendar as the API set it (or round the clock); a file with one
makes it so. The tenant section comes first because every other section's rows refer to the tenant row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from pydantic import AfterValidator, ValidationInfo, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_provider_event
from bo_saas.lib import limits
from bo_saas.tenancy.manifest_fields import LocalDate, ManifestModel, OneOf, Text, fail, no_repeats, problem, show
from bo_saas.tenancy.manifest_rows import change, jsonable, shown
from bo_saas.tenancy.manifest_sections import (
    SYSTEM_ACTOR,
    ApplyContext,
    CheckContext,
    ExportContext,
    ManifestError,
    ManifestSection,
    Problem,
)
from bo_saas.tenancy.models import SERVICE_CODES, BusinessCalendar, Plan, Tenant, TenantStatus
from bo_saas.tenancy.plan_choice import plan_chosen_hook
from bo_saas.tenancy.rules import services_outside_plan, timezone_problem

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")  # the tenants_slug_format check in the database
_PERIOD = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class PlanFacts:
    """What a plan lets a manifest ask for: the ``plans`` row's services and custom_services."""

    services: frozenset[str]
    custom_services: bool


# --- the tenant ----------------------------------------------------------------------------------


def _slug(slug: str) -> str:
    if not _SLUG.match(slug):
        raise problem(f"{show(slug)} must be 1-63 lower-case letters, digits and hyphens, not starting with a hyphen")
    return slug


def _timezone(timezone: str) -> str:
    if len(timezone) > 64 or timezone_problem(timezone) is not None:
        raise problem(f'{show(timezone)} is not an IANA time zone (e.g. "Asia/Riyadh")')
    return timezone


def _known_plan(plan: str, info: ValidationInfo) -> str:
    plans = (info.context or {}).get("plans")
    if plans is not None and plan not in plans:
        raise problem(f"{show(plan)} is not a plan (one of {', '.join(sorted(plans))})")
    return plan


def _listed_once(services: list[str]) -> tuple[str, ...]:
    no_repeats(services, lambda code: code, "services")
    return tuple(services)


class TenantSection(ManifestModel):
    slug: Annotated[str, AfterValidator(_slug)]
    name: Text(limits.NAME)
    plan: Annotated[str, AfterValidator(_known_plan)]  # checked when the plans are known (the facts)
    timezone: Annotated[str, AfterValidator(_timezone)]
    status: OneOf("a status", TenantStatus) | None = None  # None: left as it is (active when new)
    # As the file lists them (mistakes name their place); ``in_catalog_order`` is how they are kept.
    services: Annotated[list[OneOf("a service", SERVICE_CODES)], AfterValidator(_listed_once)] = ()

    def in_catalog_order(self) -> list[str]:
        return [code for code in SERVICE_CODES if code in self.services]


async def _plan_facts(session: AsyncSession) -> Mapping[str, Any]:
    rows = await session.execute(select(Plan.code, Plan.services, Plan.custom_services))
    return {"plans": {code: PlanFacts(frozenset(services or ()), custom) for code, services, custom in rows.all()}}


def _check_tenant(context: CheckContext) -> Iterable[Problem]:
    tenant: TenantSection | None = context.manifest.get("tenant")
    if tenant is None:
        return
    for other in context.earlier():
        if other.get("tenant") is not None and other.get("tenant").slug == tenant.slug:
            yield Problem(("slug",), f"{show(tenant.slug)} is also the slug of {other.source}")
            break
    plans: Mapping[str, PlanFacts] | None = context.facts.get("plans")
    if plans is None:
        return
    if tenant.plan not in plans:
        return  # the validator said so
    for index, reason in services_outside_plan(list(tenant.services), tenant.plan, plans[tenant.plan].services):
        yield Problem(("services", index), reason)


def _tenant_fields(tenant: TenantSection) -> dict[str, Any]:
    fields = {
        "name": tenant.name,
        "plan_code": tenant.plan,
        "timezone": tenant.timezone,
        "services": tenant.in_catalog_order(),
    }
    if tenant.status is not None:
        fields["status"] = tenant.status
    return fields


async def _apply_tenant(context: ApplyContext, wanted: TenantSection) -> list[str]:
    session = context.session
    fields = _tenant_fields(wanted)
    tenant = (await session.execute(select(Tenant).where(Tenant.slug == wanted.slug).with_for_update())).scalar()
    if tenant is None:
        tenant = Tenant(id=context.tenant_id, slug=wanted.slug, **fields)
        session.add(tenant)
        # The tenant row must exist before the tenant-owned rows that refer to it.
        await session.flush()
        _provider_event(context, "tenant.created", {"slug": wanted.slug, **jsonable(fields)})
        await plan_chosen_hook()(session, tenant)  # billing starts its subscription (tenancy/plan_choice.py)
        return []
    if tenant.id != context.tenant_id:
        raise ManifestError([f"{context.source}: slug: tenant {wanted.slug} was replaced while applying; apply again"])
    diff: dict[str, Any] = {}
    phrases = []
    for field, new in fields.items():
        old = getattr(tenant, field)
        if (set(old or []) == set(new)) if field == "services" else old == new:
            continue
        diff[field] = change(old, new)
        phrases.append(f"changed {field}: {shown(old)} -> {shown(new)}")
        setattr(tenant, field, new)
        if field == "status" and new is TenantStatus.ACTIVE:
            tenant.suspended_reason = None
    if diff:
        _provider_event(context, "tenant.updated", diff)
    if "plan_code" in diff:
        await session.flush()
        await plan_chosen_hook()(session, tenant)
    return phrases


def _provider_event(context: ApplyContext, action: str, changes: Mapping[str, Any]) -> None:
    record_provider_event(
        context.session,
        None,
        action=action,
        subject_type="tenant",
        subject_id=str(context.tenant_id),
        changes={"manifest": str(context.source), **changes},
        actor=SYSTEM_ACTOR,
    )


async def _export_tenant(context: ExportContext) -> dict[str, Any]:
    tenant = await context.session.get(Tenant, context.tenant_id)
    assert tenant is not None
    services = [code for code in SERVICE_CODES if code in (tenant.services or [])]
    services += sorted(set(tenant.services or []) - set(services))
    return {
        "slug": tenant.slug,
        "name": tenant.name,
        "plan": tenant.plan_code,
        "timezone": tenant.timezone,
        "status": tenant.status.value,
        "services": services,
    }


TENANT_SECTION = ManifestSection(
    name="tenant",
    model=TenantSection,
    apply=_apply_tenant,
    export=_export_tenant,
    order=10,
    authoritative=True,
    check=_check_tenant,
    facts=_plan_facts,
)


# --- the calendar --------------------------------------------------------------------------------


def _minutes(period: str) -> tuple[int, int] | str:
    """(start, end) minutes of a period written HH:MM-HH:MM, or what is wrong with it."""
    match = _PERIOD.match(period)
    if not match:
        return f'{show(period)} is not a period written HH:MM-HH:MM (e.g. "09:00-13:00")'
    start_h, start_m, end_h, end_m = (int(part) for part in match.groups())
    if start_h > 23 or end_h > 23 or start_m > 59 or end_m > 59:
        return f"{show(period)} is not a time of day (00:00 to 23:59)"
    start, end = start_h * 60 + start_m, end_h * 60 + end_m
    if end < start:
        return f"{show(period)} ends before it starts"
    if end == start:
        return f"{show(period)} is empty (it ends when it starts)"
    return start, end


def _periods(day: str) -> AfterValidator:
    """A day's periods: each well formed, none overlapping another; kept sorted by start."""

    def check(periods: list[str]) -> tuple[str, ...]:
        problems: list[tuple[tuple[int], str]] = []
        spans: list[tuple[int, int, int]] = []  # (start, end, index)
        for index, period in enumerate(periods):
            found = _minutes(period)
            if isinstance(found, str):
                problems.append(((index,), found))
            else:
                spans.append((*found, index))
        reaching: tuple[int, int] | None = None  # (end, index) of the period reaching latest so far
        for start, end, index in sorted(spans):
            if reaching is not None and start < reaching[0]:
                other = reaching[1]
                reason = f"{show(periods[index])} overlaps {show(periods[other])} (calendar.{day}[{other}])"
                problems.append(((index,), reason))
            if reaching is None or end > reaching[0]:
                reaching = (end, index)
        fail(problems, periods)
        return tuple(periods[index] for _, _, index in sorted(spans))

    return AfterValidator(check)


def _holidays(days: list) -> tuple:
    no_repeats(days, lambda day: day, "calendar.holidays")
    return tuple(sorted(days))


@lru_cache(maxsize=1)
def _holiday_countries() -> frozenset[str]:
    import holidays

    return frozenset(holidays.list_supported_countries())


def _holiday_country(country: str) -> str:
    if country not in _holiday_countries():
        raise problem(f'{show(country)} is not a country code the holidays package knows (e.g. "SA", "DE")')
    return country


class CalendarTable(ManifestModel):
    mon: Annotated[list[str], _periods("mon")] = ()
    tue: Annotated[list[str], _periods("tue")] = ()
    wed: Annotated[list[str], _periods("wed")] = ()
    thu: Annotated[list[str], _periods("thu")] = ()
    fri: Annotated[list[str], _periods("fri")] = ()
    sat: Annotated[list[str], _periods("sat")] = ()
    sun: Annotated[list[str], _periods("sun")] = ()
    holidays: Annotated[list[LocalDate], AfterValidator(_holidays)] = ()
    holiday_country: Annotated[str, AfterValidator(_holiday_country)] | None = None

    @model_validator(mode="after")
    def _open_some_day(self) -> CalendarTable:
        if not self.weekly_hours():
            raise problem(f"no business hours: give at least one of {', '.join(WEEKDAYS)}")
        return self

    def weekly_hours(self) -> dict[str, list[str]]:
        """The value of ``business_calendars.weekly_hours``: open days only, in weekday order."""
        return {day: list(getattr(self, day)) for day in WEEKDAYS if getattr(self, day)}


class CalendarSection(ManifestModel):
    calendar: CalendarTable


def normal_weekly_hours(weekly_hours: Mapping[str, Sequence[str]] | None) -> dict[str, list[str]]:
    """Open days in weekday order, periods by start: how manifests write it, whoever stored it."""
    weekly_hours = weekly_hours or {}
    return {day: sorted(weekly_hours[day]) for day in WEEKDAYS if weekly_hours.get(day)}


async def _apply_calendar(context: ApplyContext, wanted: CalendarSection) -> list[str]:
    table = wanted.calendar
    fields: dict[str, Any] = {
        "weekly_hours": table.weekly_hours(),
        "holidays": list(table.holidays),
        "holiday_country": table.holiday_country,
    }
    subject = ("business_calendar", str(context.tenant_id))
    calendar = await context.session.get(BusinessCalendar, context.tenant_id)
    if calendar is None:
        context.session.add(BusinessCalendar(tenant_id=context.tenant_id, **fields))
        context.record("calendar.created", *subject, jsonable(fields))
        return [] if context.tenant_created else ["created calendar"]

    diff: dict[str, Any] = {}
    phrases = []
    current_hours = normal_weekly_hours(calendar.weekly_hours)
    if current_hours != fields["weekly_hours"]:
        diff["weekly_hours"] = change(calendar.weekly_hours, fields["weekly_hours"])
        for day in WEEKDAYS:
            old, new = current_hours.get(day, []), fields["weekly_hours"].get(day, [])
            if old != new:
                was, now = (shown(periods) if periods else "closed" for periods in (old, new))
                phrases.append(f"changed calendar.{day}: {was} -> {now}")
        calendar.weekly_hours = fields["weekly_hours"]
    current_holidays = sorted(set(calendar.holidays or []))
    if current_holidays != fields["holidays"]:
        diff["holidays"] = change(calendar.holidays, fields["holidays"])
        added = sorted(set(fields["holidays"]) - set(current_holidays))
        removed = sorted(set(current_holidays) - set(fields["holidays"]))
        what = [f"+{day.isoformat()}" for day in added] + [f"-{day.isoformat()}" for day in removed]
        phrases.append(f"changed calendar.holidays: {' '.join(what) or 'order'}")
        calendar.holidays = fields["holidays"]
    if calendar.holiday_country != fields["holiday_country"]:
        diff["holiday_country"] = change(calendar.holiday_country, fields["holiday_country"])
        was, now = shown(calendar.holiday_country), shown(fields["holiday_country"])
        phrases.append(f"changed calendar.holiday_country: {was} -> {now}")
        calendar.holiday_country = fields["holiday_country"]
    if diff:
        context.record("calendar.updated", *subject, diff)
    return phrases


async def _export_calendar(context: ExportContext) -> dict[str, Any]:
    calendar = await context.session.get(BusinessCalendar, context.tenant_id)
    table: dict[str, Any] = normal_weekly_hours(calendar.weekly_hours if calendar else None)
    table["holidays"] = [day.isoformat() for day in sorted(set(calendar.holidays or []))] if calendar else []
    table["holiday_country"] = calendar.holiday_country if calendar else None
    return {"calendar": table}


CALENDAR_SECTION = ManifestSection(
    name="calendar",
    model=CalendarSection,
    apply=_apply_calendar,
    export=_export_calendar,
    order=20,
    # Not authoritative: a calendar set (or reset) through the API stands until a file names [calendar].
    authoritative=False,
)
