"""Tenant manifests as data: read a ``tenants/*.toml`` file and validate every key.

A manifest is reviewed like code, so a mistake must be reported the way a
compiler would: file, key and reason, every mistake in the file at once, and
an unknown key is a mistake (a typo must never pass silently). The values are
normalised here (periods sorted, services in catalog order, emails
lower-cased, form fields in one key order with ``required`` always present) so
that applying compares like with like.

What a manifest may ask for depends on provider facts kept in the database:
the plans (which built-in services each includes, whether it allows custom
service types) and the staff skills. Callers that have them pass them in;
without them those checks are left to applying, which always loads them.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bo_saas.identity.accounts import AccountError, normalise_email
from bo_saas.identity.passwords import WeakPasswordError, check_password_strength
from bo_saas.lib.caller import CLIENT_ROLES, Role
from bo_saas.sla.models import ANY_SERVICE
from bo_saas.tenancy.models import SERVICE_CODES, TenantStatus
from bo_saas.tenancy.rules import timezone_problem
from bo_saas.work.forms import form_problems
from bo_saas.work.models import Priority

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TOP_KEYS = ("slug", "name", "plan", "timezone", "status", "services", "calendar", "users", "service_types", "sla", "qa")
CALENDAR_KEYS = (*WEEKDAYS, "holidays", "holiday_country")
USER_KEYS = ("email", "name", "role", "password")
SERVICE_TYPE_KEYS = ("code", "name", "skill", "fields")
SLA_KEYS = ("targets",)
SLA_TARGET_KEYS = ("service", "priority", "first_response_minutes", "resolution_minutes")
QA_KEYS = ("sample_percent",)
# The order a form field's keys are kept and written in, as people write them.
FIELD_KEY_ORDER = ("name", "label", "type", "required", "choices", "min", "max", "help")
MAX_TARGET_MINUTES = 525_600  # a year: anything longer is a typo, not a contract

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # the tenants_slug_format check in the database
_PERIOD = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SERVICE_TYPE_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")  # lower_snake_case; the column is 40 characters


class ManifestError(Exception):
    """One or more manifests were rejected; ``messages`` has one ``file: key: reason`` line each."""

    def __init__(self, messages: Iterable[str]) -> None:
        self.messages = tuple(messages)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class ManifestUser:
    email: str  # normalised (lower-case)
    name: str
    role: Role
    # Used only when the account is created; None sends an invitation instead.
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ManifestCalendar:
    # Open days only, in weekday order; each day's periods sorted by start.
    weekly_hours: Mapping[str, tuple[str, ...]]
    holidays: tuple[date, ...]  # sorted, no repeats
    holiday_country: str | None = None

    def weekly_hours_value(self) -> dict[str, list[str]]:
        """The value of ``business_calendars.weekly_hours``."""
        return {day: list(periods) for day, periods in self.weekly_hours.items()}


@dataclass(frozen=True)
class PlanFacts:
    """What a plan lets a manifest ask for: the ``plans`` row's services and custom_services."""

    services: frozenset[str]
    custom_services: bool


@dataclass(frozen=True)
class ManifestServiceType:
    """A custom service type; ``fields`` are normalised (see ``normal_field``)."""

    code: str
    name: str
    skill: str
    fields: tuple[Mapping[str, Any], ...] = ()

    def form_schema(self) -> list[dict[str, Any]]:
        """The value of ``custom_service_types.form_schema``."""
        return [dict(field) for field in self.fields]


@dataclass(frozen=True)
class ManifestSlaTarget:
    service: str  # a built-in or custom service code, or ANY_SERVICE
    priority: Priority
    first_response_minutes: int
    resolution_minutes: int


@dataclass(frozen=True)
class Manifest:
    source: Path
    slug: str
    name: str
    plan: str
    timezone: str
    status: TenantStatus
    services: tuple[str, ...]  # in SERVICE_CODES order
    calendar: ManifestCalendar
    users: tuple[ManifestUser, ...]
    # Authoritative like the calendar: absent means the tenant has none.
    service_types: tuple[ManifestServiceType, ...] = ()
    sla_targets: tuple[ManifestSlaTarget, ...] = ()
    qa_sampling: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


def normal_field(definition: Mapping[str, Any]) -> dict[str, Any]:
    """A form field as manifests keep it: keys in one order and ``required`` always given.

    Both sides of a comparison go through this, so a field written with or
    without ``required = false``, or stored with its keys in jsonb's order,
    compares equal when it means the same.
    """
    fields = {**definition, "required": bool(definition.get("required", False))}
    rank = {key: index for index, key in enumerate(FIELD_KEY_ORDER)}
    return {key: fields[key] for key in sorted(fields, key=lambda key: (rank.get(key, len(rank)), key))}


def _show(value: Any) -> str:
    """A value as it would be written in the manifest, for messages."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False, default=str)


def _kind(value: Any) -> str:
    kinds = {bool: "a boolean", str: "a string", int: "an integer", float: "a number", list: "a list", dict: "a table"}
    for python_type, name in kinds.items():
        if isinstance(value, python_type):
            return name
    return "a date or time" if isinstance(value, (date, datetime)) else type(value).__name__


@lru_cache(maxsize=1)
def supported_holiday_countries() -> frozenset[str]:
    import holidays

    return frozenset(holidays.list_supported_countries())


@dataclass(frozen=True)
class _Facts:
    """What the database knows that a manifest is checked against; None where it is not known."""

    plan_codes: Collection[str] | None = None
    plans: Mapping[str, PlanFacts] | None = None
    skill_codes: Collection[str] | None = None


class _Reader:
    """Reads one parsed manifest, collecting every mistake instead of stopping at the first."""

    def __init__(self, source: Path, facts: _Facts) -> None:
        self.source = source
        self.plans = facts.plans
        self.plan_codes = facts.plans.keys() if facts.plans is not None else facts.plan_codes
        self.skill_codes = facts.skill_codes
        self.errors: list[str] = []

    def error(self, key: str, reason: str) -> None:
        self.errors.append(f"{self.source}: {key}: {reason}")

    def unknown_keys(self, table: Mapping[str, Any], allowed: tuple[str, ...], prefix: str = "") -> None:
        for key in table:
            if key not in allowed:
                self.error(f"{prefix}{key}", f"unknown key (expected one of {', '.join(allowed)})")

    def string(self, table: Mapping[str, Any], key: str, label: str, *, required: bool) -> str | None:
        if key not in table:
            if required:
                self.error(label, "missing (required)")
            return None
        value = table[key]
        if not isinstance(value, str):
            self.error(label, f"must be a string, not {_kind(value)}")
            return None
        return value

    def text(self, table: Mapping[str, Any], key: str, label: str, max_length: int) -> str | None:
        value = self.string(table, key, label, required=True)
        if value is None:
            return None
        value = value.strip()
        if not value:
            self.error(label, "must not be empty")
            return None
        if len(value) > max_length:
            self.error(label, f"must be at most {max_length} characters")
            return None
        return value

    def string_list(self, table: Mapping[str, Any], key: str, label: str) -> list[tuple[int, str]]:
        """The (index, string) items of a list of strings; wrong items are reported and skipped."""
        value = table.get(key, [])
        if not isinstance(value, list):
            self.error(label, f"must be a list of strings, not {_kind(value)}")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                items.append((index, item))
            else:
                self.error(f"{label}[{index}]", f"must be a string, not {_kind(item)}")
        return items

    def read(self, data: Mapping[str, Any]) -> Manifest | None:
        self.unknown_keys(data, TOP_KEYS)
        slug = self.slug(data)
        name = self.text(data, "name", "name", 200)
        plan = self.plan(data)
        timezone = self.timezone(data)
        status = self.status(data)
        facts = self.plans.get(plan) if self.plans is not None and plan is not None else None
        services = self.services(data, plan, facts)
        calendar = self.calendar(data)
        users = self.users(data)
        # A custom type with other mistakes still counts as enabled below, so that one mistake is
        # reported once, not again at every target or sampling rate that names the type.
        service_types, custom_codes = self.service_types(data, plan, facts)
        enabled = (*services, *custom_codes)
        sla_targets = self.sla(data, enabled)
        qa_sampling = self.qa(data, enabled)
        if self.errors:
            return None
        assert slug and name and plan and timezone and status and calendar is not None and users is not None
        return Manifest(
            source=self.source,
            slug=slug,
            name=name,
            plan=plan,
            timezone=timezone,
            status=status,
            services=services,
            calendar=calendar,
            users=users,
            service_types=service_types,
            sla_targets=sla_targets,
            qa_sampling=qa_sampling,
        )

    def slug(self, data: Mapping[str, Any]) -> str | None:
        slug = self.string(data, "slug", "slug", required=True)
        if slug is None:
            return None
        if len(slug) > 63 or not _SLUG.match(slug):
            self.error(
                "slug",
                f"{_show(slug)} must be 1-63 lower-case letters, digits and hyphens, not starting with a hyphen",
            )
            return None
        return slug

    def plan(self, data: Mapping[str, Any]) -> str | None:
        plan = self.string(data, "plan", "plan", required=True)
        if plan is not None and self.plan_codes is not None and plan not in self.plan_codes:
            self.error("plan", f"{_show(plan)} is not a plan (one of {', '.join(sorted(self.plan_codes))})")
            return None
        return plan

    def timezone(self, data: Mapping[str, Any]) -> str | None:
        timezone = self.string(data, "timezone", "timezone", required=True)
        if timezone is None:
            return None
        if len(timezone) > 64 or timezone_problem(timezone) is not None:
            self.error("timezone", f'{_show(timezone)} is not an IANA time zone (e.g. "Asia/Riyadh")')
            return None
        return timezone

    def status(self, data: Mapping[str, Any]) -> TenantStatus | None:
        status = self.string(data, "status", "status", required=False)
        if status is None:
            return None if "status" in data else TenantStatus.ACTIVE
        try:
            return TenantStatus(status)
        except ValueError:
            self.error("status", f"{_show(status)} is not a status (one of {', '.join(s.value for s in TenantStatus)})")
            return None

    def services(self, data: Mapping[str, Any], plan: str | None, facts: PlanFacts | None) -> tuple[str, ...]:
        seen: dict[str, int] = {}
        for index, code in self.string_list(data, "services", "services"):
            if code not in SERVICE_CODES:
                self.error(f"services[{index}]", f"{_show(code)} is not a service (one of {', '.join(SERVICE_CODES)})")
                continue
            if code in seen:
                self.error(f"services[{index}]", f"{_show(code)} is already listed as services[{seen[code]}]")
                continue
            seen[code] = index
            if facts is not None and code not in facts.services:
                # A service the plan does not include would be listed but never offered: say so now.
                included = ", ".join(c for c in SERVICE_CODES if c in facts.services) or "no built-in service"
                reason = f"{_show(code)} is not included in plan {_show(plan)} (it includes {included})"
                self.error(f"services[{index}]", reason)
        return tuple(code for code in SERVICE_CODES if code in seen)

    def calendar(self, data: Mapping[str, Any]) -> ManifestCalendar | None:
        if "calendar" not in data:
            self.error("calendar", "missing (required): a [calendar] table with the weekly business hours")
            return None
        table = data["calendar"]
        if not isinstance(table, dict):
            self.error("calendar", f"must be a table ([calendar]), not {_kind(table)}")
            return None
        self.unknown_keys(table, CALENDAR_KEYS, "calendar.")
        errors_before = len(self.errors)
        weekly_hours = {}
        for day in WEEKDAYS:
            periods = self.day_periods(table, day)
            if periods:
                weekly_hours[day] = periods
        if not weekly_hours and len(self.errors) == errors_before:
            self.error("calendar", f"no business hours: give at least one of {', '.join(WEEKDAYS)}")
        holidays = self.holidays(table)
        holiday_country = self.holiday_country(table)
        return ManifestCalendar(MappingProxyType(weekly_hours), holidays, holiday_country)

    def day_periods(self, table: Mapping[str, Any], day: str) -> tuple[str, ...]:
        label = f"calendar.{day}"
        periods: list[tuple[int, int, int]] = []  # (start minute, end minute, index)
        for index, period in self.string_list(table, day, label):
            key = f"{label}[{index}]"
            match = _PERIOD.match(period)
            if not match:
                self.error(key, f'{_show(period)} is not a period written HH:MM-HH:MM (e.g. "09:00-13:00")')
                continue
            start_h, start_m, end_h, end_m = (int(part) for part in match.groups())
            if start_h > 23 or end_h > 23 or start_m > 59 or end_m > 59:
                self.error(key, f"{_show(period)} is not a time of day (00:00 to 23:59)")
                continue
            start, end = start_h * 60 + start_m, end_h * 60 + end_m
            if end < start:
                self.error(key, f"{_show(period)} ends before it starts")
            elif end == start:
                self.error(key, f"{_show(period)} is empty (it ends when it starts)")
            else:
                periods.append((start, end, index))
        periods.sort()
        reaching: tuple[int, int] | None = None  # (end, index) of the period reaching latest so far
        for start, end, index in periods:
            if reaching is not None and start < reaching[0]:
                other = reaching[1]
                self.error(
                    f"{label}[{index}]",
                    f"{_show(table[day][index])} overlaps {_show(table[day][other])} ({label}[{other}])",
                )
            if reaching is None or end > reaching[0]:
                reaching = (end, index)
        return tuple(table[day][index] for _, _, index in periods)

    def holidays(self, table: Mapping[str, Any]) -> tuple[date, ...]:
        value = table.get("holidays", [])
        if not isinstance(value, list):
            self.error("calendar.holidays", f"must be a list of dates, not {_kind(value)}")
            return ()
        seen: dict[date, int] = {}
        for index, item in enumerate(value):
            key = f"calendar.holidays[{index}]"
            day = self.local_date(key, item)
            if day is None:
                continue
            if day in seen:
                self.error(key, f"{day.isoformat()} is already listed as calendar.holidays[{seen[day]}]")
            else:
                seen[day] = index
        return tuple(sorted(seen))

    def local_date(self, key: str, item: Any) -> date | None:
        if isinstance(item, date) and not isinstance(item, datetime):
            return item
        if isinstance(item, str) and _ISO_DATE.match(item):
            try:
                return date.fromisoformat(item)
            except ValueError:
                pass
        self.error(key, f'{_show(item)} is not a date written YYYY-MM-DD (e.g. "2026-12-02")')
        return None

    def holiday_country(self, table: Mapping[str, Any]) -> str | None:
        country = self.string(table, "holiday_country", "calendar.holiday_country", required=False)
        if country is not None and country not in supported_holiday_countries():
            self.error(
                "calendar.holiday_country",
                f'{_show(country)} is not a country code the holidays package knows (e.g. "SA", "DE")',
            )
            return None
        return country

    def users(self, data: Mapping[str, Any]) -> tuple[ManifestUser, ...] | None:
        value = data.get("users", [])
        if not isinstance(value, list):
            self.error("users", f"must be a list of [[users]] tables, not {_kind(value)}")
            return None
        users: list[ManifestUser] = []
        seen: dict[str, int] = {}
        for index, table in enumerate(value):
            prefix = f"users[{index}]"
            if not isinstance(table, dict):
                self.error(prefix, f"must be a [[users]] table, not {_kind(table)}")
                continue
            self.unknown_keys(table, USER_KEYS, f"{prefix}.")
            email = self.email(table, prefix)
            if email is not None and email in seen:
                self.error(f"{prefix}.email", f"{_show(email)} is already listed as users[{seen[email]}]")
                email = None
            elif email is not None:
                seen[email] = index
            name = self.text(table, "name", f"{prefix}.name", 200)
            role = self.role(table, prefix)
            password = self.password(table, prefix)
            if email and name and role:
                users.append(ManifestUser(email=email, name=name, role=role, password=password))
        return tuple(users)

    def email(self, table: Mapping[str, Any], prefix: str) -> str | None:
        email = self.string(table, "email", f"{prefix}.email", required=True)
        if email is None:
            return None
        try:
            return normalise_email(email)
        except AccountError:
            self.error(f"{prefix}.email", f"{_show(email)} is not a valid email address")
            return None

    def role(self, table: Mapping[str, Any], prefix: str) -> Role | None:
        role = self.string(table, "role", f"{prefix}.role", required=True)
        if role is None:
            return None
        if role not in {r.value for r in CLIENT_ROLES}:
            choices = ", ".join(r.value for r in CLIENT_ROLES)
            self.error(f"{prefix}.role", f"{_show(role)} is not a client role (one of {choices})")
            return None
        return Role(role)

    def password(self, table: Mapping[str, Any], prefix: str) -> str | None:
        # Never echo a password back in a message.
        if "password" in table and not isinstance(table["password"], str):
            self.error(f"{prefix}.password", f"must be a string, not {_kind(table['password'])}")
            return None
        password = table.get("password")
        if password is None:
            return None
        try:
            check_password_strength(password)
        except WeakPasswordError as exc:
            self.error(f"{prefix}.password", str(exc))
            return None
        return password

    def integer(self, table: Mapping[str, Any], key: str, label: str, low: int, high: int, unit: str) -> int | None:
        if key not in table:
            self.error(label, "missing (required)")
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(label, f"must be an integer, not {_kind(value)}")
            return None
        if not low <= value <= high:
            self.error(label, f"must be from {low} to {high}{unit}, not {value}")
            return None
        return value

    def tables(self, data: Mapping[str, Any], key: str, label: str, header: str) -> list[tuple[int, dict[str, Any]]]:
        """The (index, table) items of an array of tables; wrong items are reported and skipped."""
        value = data.get(key, [])
        if not isinstance(value, list):
            self.error(label, f"must be a list of {header} tables, not {_kind(value)}")
            return []
        items = []
        for index, table in enumerate(value):
            if isinstance(table, dict):
                items.append((index, table))
            else:
                self.error(f"{label}[{index}]", f"must be a {header} table, not {_kind(table)}")
        return items

    def table(self, data: Mapping[str, Any], key: str, header: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.error(key, f"must be a table ({header}), not {_kind(value)}")
            return {}
        return value

    def service_types(
        self, data: Mapping[str, Any], plan: str | None, facts: PlanFacts | None
    ) -> tuple[tuple[ManifestServiceType, ...], tuple[str, ...]]:
        """The custom service types, and every well-formed code among them (even of a type with mistakes)."""
        items = self.tables(data, "service_types", "service_types", "[[service_types]]")
        if items and facts is not None and not facts.custom_services:
            assert self.plans is not None  # facts come from it
            allowing = ", ".join(sorted(code for code, other in self.plans.items() if other.custom_services))
            self.error(
                "service_types",
                f"plan {_show(plan)} does not allow custom service types (plans that do: {allowing or 'none'})",
            )
        service_types: list[ManifestServiceType] = []
        seen: dict[str, int] = {}
        for index, table in items:
            prefix = f"service_types[{index}]"
            self.unknown_keys(table, SERVICE_TYPE_KEYS, f"{prefix}.")
            code = self.service_type_code(table, prefix, seen)
            if code is not None:
                seen[code] = index
            name = self.text(table, "name", f"{prefix}.name", 120)  # the column's length
            skill = self.skill(table, prefix)
            fields = self.form_fields(table, prefix)
            if code and name and skill and fields is not None:
                service_types.append(ManifestServiceType(code=code, name=name, skill=skill, fields=fields))
        return tuple(service_types), tuple(seen)

    def service_type_code(self, table: Mapping[str, Any], prefix: str, seen: Mapping[str, int]) -> str | None:
        code = self.string(table, "code", f"{prefix}.code", required=True)
        if code is None:
            return None
        if not _SERVICE_TYPE_CODE.match(code):
            self.error(
                f"{prefix}.code",
                f"{_show(code)} must be lower_snake_case: 2-40 lower-case letters, digits and underscores, "
                f'starting with a letter (e.g. "inventory_check")',
            )
            return None
        if code in SERVICE_CODES:
            self.error(f"{prefix}.code", f"{_show(code)} is a built-in service; a custom type needs a code of its own")
            return None
        if code in seen:
            self.error(f"{prefix}.code", f"{_show(code)} is already listed as service_types[{seen[code]}]")
            return None
        return code

    def skill(self, table: Mapping[str, Any], prefix: str) -> str | None:
        skill = self.string(table, "skill", f"{prefix}.skill", required=True)
        if skill is not None and self.skill_codes is not None and skill not in self.skill_codes:
            known = ", ".join(sorted(self.skill_codes)) or "none yet"
            self.error(f"{prefix}.skill", f"{_show(skill)} is not a staff skill (one of {known})")
            return None
        return skill

    def form_fields(self, table: Mapping[str, Any], prefix: str) -> tuple[Mapping[str, Any], ...] | None:
        """The type's form, checked by the same rules as the built-in catalog's forms."""
        value = table.get("fields", [])
        if not isinstance(value, list):
            self.error(f"{prefix}.fields", f"must be a list of [[service_types.fields]] tables, not {_kind(value)}")
            return None
        errors_before = len(self.errors)
        for problem in form_problems(value):
            # form_problems says "fields[1].type: reason", or a reason about the whole form.
            where, colon, reason = problem.partition(": ")
            if colon and where.startswith("fields"):
                self.error(f"{prefix}.{where}", reason)
            else:
                self.error(f"{prefix}.fields", problem)
        for index, definition in enumerate(value):
            if isinstance(definition, dict):
                self.field_extras(definition, f"{prefix}.fields[{index}]")
        if len(self.errors) > errors_before:
            return None
        return tuple(MappingProxyType(normal_field(definition)) for definition in value)

    def field_extras(self, definition: Mapping[str, Any], prefix: str) -> None:
        """What the shared form rules leave open but a stored form cannot hold."""
        for key in ("label", "help"):
            if key in definition and not isinstance(definition[key], str):
                self.error(f"{prefix}.{key}", f"must be a string, not {_kind(definition[key])}")
        for key in ("min", "max"):
            # TOML can write inf and nan; JSON (the stored form) cannot.
            if isinstance(definition.get(key), float) and not math.isfinite(definition[key]):
                self.error(f"{prefix}.{key}", f"must be a finite number, not {definition[key]}")

    def sla(self, data: Mapping[str, Any], enabled: tuple[str, ...]) -> tuple[ManifestSlaTarget, ...]:
        table = self.table(data, "sla", "[sla]")
        self.unknown_keys(table, SLA_KEYS, "sla.")
        targets: list[ManifestSlaTarget] = []
        seen: dict[tuple[str, Priority], int] = {}
        for index, item in self.tables(table, "targets", "sla.targets", "[[sla.targets]]"):
            prefix = f"sla.targets[{index}]"
            self.unknown_keys(item, SLA_TARGET_KEYS, f"{prefix}.")
            service = self.target_service(item, prefix, enabled)
            priority = self.priority(item, prefix)
            limits = (1, MAX_TARGET_MINUTES, " business minutes")
            first = self.integer(item, "first_response_minutes", f"{prefix}.first_response_minutes", *limits)
            resolution = self.integer(item, "resolution_minutes", f"{prefix}.resolution_minutes", *limits)
            if first is not None and resolution is not None and resolution < first:
                self.error(
                    f"{prefix}.resolution_minutes",
                    f"must be at least first_response_minutes ({first}), not {resolution}",
                )
                resolution = None
            if service is None or priority is None:
                continue
            if (service, priority) in seen:
                other = seen[(service, priority)]
                self.error(prefix, f"{service}/{priority.value} is already listed as sla.targets[{other}]")
                continue
            seen[(service, priority)] = index
            if first is not None and resolution is not None:
                targets.append(ManifestSlaTarget(service, priority, first, resolution))
        return tuple(targets)

    def target_service(self, item: Mapping[str, Any], prefix: str, enabled: tuple[str, ...]) -> str | None:
        service = self.string(item, "service", f"{prefix}.service", required=True)
        if service is not None and service != ANY_SERVICE and service not in enabled:
            choices = ", ".join((_show(ANY_SERVICE), *enabled))
            self.error(f"{prefix}.service", f"{_show(service)} is not a service of this tenant (one of {choices})")
            return None
        return service

    def priority(self, item: Mapping[str, Any], prefix: str) -> Priority | None:
        priority = self.string(item, "priority", f"{prefix}.priority", required=True)
        if priority is None:
            return None
        try:
            return Priority(priority)
        except ValueError:
            choices = ", ".join(p.value for p in Priority)
            self.error(f"{prefix}.priority", f"{_show(priority)} is not a priority (one of {choices})")
            return None

    def qa(self, data: Mapping[str, Any], enabled: tuple[str, ...]) -> Mapping[str, int]:
        table = self.table(data, "qa", "[qa]")
        self.unknown_keys(table, QA_KEYS, "qa.")
        rates = table.get("sample_percent", {})
        if not isinstance(rates, dict):
            self.error("qa.sample_percent", f"must be a table of service = percent, not {_kind(rates)}")
            return MappingProxyType({})
        sampling: dict[str, int] = {}
        for service in rates:
            label = f"qa.sample_percent.{service}"
            if service not in enabled:
                choices = ", ".join(enabled) or "none"
                self.error(label, f"{_show(service)} is not an enabled service of this tenant (enabled: {choices})")
            percent = self.integer(rates, service, label, 0, 100, " percent")
            if service in enabled and percent is not None:
                sampling[service] = percent
        # Enabled order (catalog, then custom types as listed): a stable order for comparing and writing.
        return MappingProxyType({service: sampling[service] for service in enabled if service in sampling})


def _read(path: Path, facts: _Facts) -> tuple[Manifest | None, list[str]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return None, [f"{path}: cannot be read: {exc.strerror or exc}"]
    except UnicodeDecodeError:
        return None, [f"{path}: is not UTF-8 text"]
    except tomllib.TOMLDecodeError as exc:
        return None, [f"{path}: is not valid TOML: {exc}"]
    reader = _Reader(path, facts)
    return reader.read(data), reader.errors


def load_manifest(
    path: Path,
    plan_codes: Collection[str] | None = None,
    *,
    plans: Mapping[str, PlanFacts] | None = None,
    skill_codes: Collection[str] | None = None,
) -> Manifest:
    """Read and validate one manifest, or raise ManifestError with every mistake in it.

    ``plan_codes`` are the plans that exist (the ``plans`` table); ``plans``
    gives the same codes with what each allows (and then ``plan_codes`` is not
    needed); ``skill_codes`` are the staff skills (the ``skills`` table).
    Without them the plan and skills are checked only for being strings, and
    applying, which always loads them, checks the rest.
    """
    manifest, errors = _read(Path(path), _Facts(plan_codes, plans, skill_codes))
    if errors or manifest is None:
        raise ManifestError(errors)
    return manifest


def manifest_files(paths: Iterable[Path]) -> list[Path]:
    """The manifest files named: each path is a file, or a folder whose ``*.toml`` are taken in name order."""
    files: list[Path] = []
    errors: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.glob("*.toml") if p.is_file())
            if not found:
                errors.append(f"{path}: no *.toml manifests in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(f"{path}: no such file or folder")
    if errors:
        raise ManifestError(errors)
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(file.resolve(), file)
    return list(unique.values())


def load_manifests(
    files: Iterable[Path],
    plan_codes: Collection[str] | None = None,
    *,
    plans: Mapping[str, PlanFacts] | None = None,
    skill_codes: Collection[str] | None = None,
) -> list[Manifest]:
    """Read and validate every file, then check them against each other; raise with all mistakes.

    The database facts are as for ``load_manifest``.
    """
    facts = _Facts(plan_codes, plans, skill_codes)
    manifests: list[Manifest] = []
    errors: list[str] = []
    for file in files:
        manifest, file_errors = _read(Path(file), facts)
        errors.extend(file_errors)
        if manifest is not None:
            manifests.append(manifest)
    slug_sources: dict[str, Path] = {}
    email_sources: dict[str, Path] = {}
    for manifest in manifests:
        if manifest.slug in slug_sources:
            errors.append(
                f"{manifest.source}: slug: {_show(manifest.slug)} is also the slug of {slug_sources[manifest.slug]}"
            )
        slug_sources.setdefault(manifest.slug, manifest.source)
        for index, user in enumerate(manifest.users):
            other = email_sources.setdefault(user.email, manifest.source)
            if other != manifest.source:
                # A client person belongs to exactly one tenant.
                errors.append(f"{manifest.source}: users[{index}].email: {_show(user.email)} is also a user in {other}")
    if errors:
        raise ManifestError(errors)
    return manifests
