"""Work's manifest sections: the tenant's custom service types (``[[service_types]]``) and QA sampling (``[qa]``).

``[[service_types]]`` is authoritative: the tenant's custom types are made equal to what the file
says, so a type the file does not list (or a file without the section) is removed. ``[qa]`` is
authoritative only when the file has it (its rates are then made equal to the table); a file
without ``[qa]`` leaves the rates set through the API alone. A custom type's form is checked by the
same rules as the built-in catalog's forms (``work.forms``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Skill
from bo_saas.lib import limits
from bo_saas.tenancy.manifest import PlanFacts, TenantSection
from bo_saas.tenancy.manifest_fields import Count, ManifestModel, Text, fail, kind_of, no_repeats, problem, show
from bo_saas.tenancy.manifest_rows import RowSet, shown, stored_rows, sync_rows
from bo_saas.tenancy.manifest_sections import (
    ApplyContext,
    CheckContext,
    ExportContext,
    Manifest,
    ManifestSection,
    Problem,
)
from bo_saas.tenancy.models import SERVICE_CODES
from bo_saas.work.forms import form_problems
from bo_saas.work.models import CustomServiceType, QaSampling

# The order a form field's keys are kept and written in, as people write them.
FIELD_KEY_ORDER = ("name", "label", "type", "required", "choices", "min", "max", "help")
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")  # lower_snake_case; the column is 40 characters
_FORM_PLACE = re.compile(r"^fields\[(\d+)\](?:\.(\w+))?$")


def normal_field(definition: Mapping[str, Any]) -> dict[str, Any]:
    """A form field as manifests keep it: keys in one order and ``required`` always given.

    Both sides of a comparison go through this, so a field written with or
    without ``required = false``, or stored with its keys in jsonb's order,
    compares equal when it means the same.
    """
    fields = {**definition, "required": bool(definition.get("required", False))}
    rank = {key: index for index, key in enumerate(FIELD_KEY_ORDER)}
    return {key: fields[key] for key in sorted(fields, key=lambda key: (rank.get(key, len(rank)), key))}


def enabled_services(manifest: Manifest) -> tuple[str, ...] | None:
    """The tenant's built-in services (catalog order), then its custom types as listed; None if not known."""
    tenant: TenantSection | None = manifest.get("tenant")
    service_types: ServiceTypesSection | None = manifest.get("service_types")
    if tenant is None or service_types is None:
        return None  # a section with mistakes: they are reported there, not again where it is named
    return (*tenant.in_catalog_order(), *(service_type.code for service_type in service_types.service_types))


def service_rank(custom_codes: Iterable[str], first: Sequence[str] = ()) -> Callable[[str], tuple[int, str]]:
    """Sorts services as a manifest lists them: ``first``, the built-in catalog, then custom types by code."""
    order = {code: index for index, code in enumerate((*first, *SERVICE_CODES, *sorted(custom_codes)))}
    return lambda code: (order.get(code, len(order)), code)


async def custom_codes(context: ExportContext) -> list[str]:
    """The codes of the tenant's custom service types, as stored."""
    found = await context.session.scalars(
        select(CustomServiceType.code).where(CustomServiceType.tenant_id == context.tenant_id)
    )
    return list(found)


# --- custom service types ------------------------------------------------------------------------


def _code(code: str) -> str:
    if not _CODE.match(code):
        raise problem(
            f"{show(code)} must be lower_snake_case: 2-40 lower-case letters, digits and underscores, "
            'starting with a letter (e.g. "inventory_check")'
        )
    if code in SERVICE_CODES:
        raise problem(f"{show(code)} is a built-in service; a custom type needs a code of its own")
    return code


def _form(fields: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    """The type's form, checked by the catalog's rules plus what a stored (JSON) form cannot hold."""
    problems: list[tuple[tuple[Any, ...], str]] = []
    for message in form_problems(fields):
        # form_problems says "fields[1].type: reason", or a reason about the whole form.
        where, colon, reason = message.partition(": ")
        place = _FORM_PLACE.match(where) if colon else None
        if place is None:
            problems.append(((), message))
        else:
            index, key = place.groups()
            problems.append(((int(index), *([key] if key else [])), reason))
    for index, definition in enumerate(fields):
        for key in ("label", "help"):
            if key in definition and not isinstance(definition[key], str):
                problems.append(((index, key), f"must be a string, not {kind_of(definition[key])}"))
        for key in ("min", "max"):
            # TOML can write inf and nan; JSON (the stored form) cannot.
            if isinstance(definition.get(key), float) and not math.isfinite(definition[key]):
                problems.append(((index, key), f"must be a finite number, not {definition[key]}"))
    fail(problems, fields)
    return tuple(normal_field(definition) for definition in fields)


class ManifestServiceType(ManifestModel):
    code: Annotated[str, AfterValidator(_code)]
    name: Text(limits.SERVICE_TYPE_NAME)
    skill: str  # the staff skill that does this work
    fields: Annotated[list[dict[str, Any]], AfterValidator(_form)] = ()

    def form_schema(self) -> list[dict[str, Any]]:
        """The value of ``custom_service_types.form_schema``."""
        return [dict(field) for field in self.fields]


def _codes_once(service_types: list[ManifestServiceType]) -> tuple[ManifestServiceType, ...]:
    no_repeats(service_types, lambda service_type: service_type.code, "service_types", at=("code",))
    return tuple(service_types)


class ServiceTypesSection(ManifestModel):
    service_types: Annotated[list[ManifestServiceType], AfterValidator(_codes_once)] = ()


async def _skills(session: AsyncSession) -> Mapping[str, Any]:
    return {"skills": frozenset((await session.scalars(select(Skill.code))).all())}


def _check_service_types(context: CheckContext) -> Iterable[Problem]:
    section: ServiceTypesSection | None = context.manifest.get("service_types")
    tenant: TenantSection | None = context.manifest.get("tenant")
    if not section or not section.service_types:
        return
    plans: Mapping[str, PlanFacts] | None = context.facts.get("plans")
    if plans is not None and tenant is not None and tenant.plan in plans and not plans[tenant.plan].custom_services:
        allowing = ", ".join(sorted(code for code, plan in plans.items() if plan.custom_services)) or "none"
        reason = f"plan {show(tenant.plan)} does not allow custom service types (plans that do: {allowing})"
        yield Problem(("service_types",), reason)
    skills: frozenset[str] | None = context.facts.get("skills")
    for index, service_type in enumerate(section.service_types):
        if skills is not None and service_type.skill not in skills:
            known = ", ".join(sorted(skills)) or "none yet"
            reason = f"{show(service_type.skill)} is not a staff skill (one of {known})"
            yield Problem(("service_types", index, "skill"), reason)


def _service_type_difference(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    parts = []
    if old["name"] != new["name"]:
        parts.append(f"name {shown(old['name'])} -> {shown(new['name'])}")
    if old["skill_code"] != new["skill_code"]:
        parts.append(f"skill {old['skill_code']} -> {new['skill_code']}")
    if old["form_schema"] != new["form_schema"]:
        # A form is too long for one line; the field names say enough, the audit event has the rest.
        was, now = ([field.get("name") for field in form] for form in (old["form_schema"], new["form_schema"]))
        parts.append(f"fields {shown(was)} -> {shown(now)}" if was != now else f"fields {shown(now)} edited")
    return "; ".join(parts)


SERVICE_TYPE_ROWS = RowSet(
    name="service_types",
    noun="service type",
    model=CustomServiceType,
    stored=lambda row: {
        "code": row.code,
        "name": row.name,
        "skill_code": row.skill_code,
        "form_schema": [normal_field(field) for field in row.form_schema or []],
    },
    label=lambda values: values["code"],
    show=lambda values: None,
    difference=_service_type_difference,
)


async def _apply_service_types(context: ApplyContext, section: ServiceTypesSection) -> list[str]:
    wanted = [
        {"code": t.code, "name": t.name, "skill_code": t.skill, "form_schema": t.form_schema()}
        for t in section.service_types
    ]
    return await sync_rows(context, SERVICE_TYPE_ROWS, wanted)


async def _export_service_types(context: ExportContext) -> dict[str, Any] | None:
    rows = sorted(await stored_rows(context.session, SERVICE_TYPE_ROWS, context.tenant_id), key=lambda v: v["code"])
    if not rows:
        return None
    service_types = []
    for values in rows:
        service_type = {"code": values["code"], "name": values["name"], "skill": values["skill_code"]}
        # ``required = false`` is the default: leave it out, as people do.
        fields = [{k: v for k, v in field.items() if (k, v) != ("required", False)} for field in values["form_schema"]]
        service_types.append({**service_type, **({"fields": fields} if fields else {})})
    return {"service_types": service_types}


SERVICE_TYPES_SECTION = ManifestSection(
    name="service_types",
    model=ServiceTypesSection,
    apply=_apply_service_types,
    export=_export_service_types,
    order=30,
    authoritative=True,
    check=_check_service_types,
    facts=_skills,
)


# --- QA sampling ---------------------------------------------------------------------------------


class QaTable(ManifestModel):
    # The share of finished items QA reviews, per service.
    sample_percent: dict[str, Count(0, 100, " percent")] = Field(
        default_factory=dict, description="a table of service = percent"
    )


class QaSection(ManifestModel):
    qa: QaTable = QaTable()


def _check_qa(context: CheckContext) -> Iterable[Problem]:
    section: QaSection | None = context.manifest.get("qa")
    enabled = enabled_services(context.manifest)
    if section is None or enabled is None:
        return
    for service in section.qa.sample_percent:
        if service not in enabled:
            reason = (
                f"{show(service)} is not an enabled service of this tenant (enabled: {', '.join(enabled) or 'none'})"
            )
            yield Problem(("qa", "sample_percent", service), reason)


QA_ROWS = RowSet(
    name="qa_sampling",
    noun="qa sampling",
    model=QaSampling,
    stored=lambda row: {"service_type": row.service_type, "sample_percent": row.sample_percent},
    label=lambda values: values["service_type"],
    show=lambda values: f"{values['sample_percent']}%",
    difference=lambda old, new: f"{old['sample_percent']}% -> {new['sample_percent']}%",
)


async def _apply_qa(context: ApplyContext, section: QaSection) -> list[str]:
    rates = section.qa.sample_percent
    # Enabled order (catalog, then custom types as listed): the report reads the way the tenant's services do.
    order = enabled_services(context.manifest) or ()
    services = sorted(rates, key=lambda service: order.index(service) if service in order else len(order))
    return await sync_rows(context, QA_ROWS, [{"service_type": s, "sample_percent": rates[s]} for s in services])


async def _export_qa(context: ExportContext) -> dict[str, Any] | None:
    rows = await stored_rows(context.session, QA_ROWS, context.tenant_id)
    if not rows:
        return None
    rank = service_rank(await custom_codes(context))
    rates = {v["service_type"]: v["sample_percent"] for v in sorted(rows, key=lambda v: rank(v["service_type"]))}
    return {"qa": {"sample_percent": rates}}


QA_SECTION = ManifestSection(
    name="qa",
    model=QaSection,
    apply=_apply_qa,
    export=_export_qa,
    order=50,
    authoritative=False,  # a file without [qa] leaves the rates set through /api/v1/qa/sampling alone
    check=_check_qa,
)
