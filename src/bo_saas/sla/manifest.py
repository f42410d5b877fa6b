"""SLA's manifest section: the tenant's contract targets (``[sla]`` with ``[[sla.targets]]``).

Authoritative: the tenant's targets are made equal to the file's, so a target
the file does not list (or a file without ``[sla]``) is removed and the
provider's plan defaults apply again. A target names a built-in service the
tenant has, a custom type the same file declares, or ``"*"`` (any service).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, model_validator

from bo_saas.sla.models import ANY_SERVICE, SlaTarget
from bo_saas.tenancy.manifest_fields import Count, ManifestModel, OneOf, fail, no_repeats, show
from bo_saas.tenancy.manifest_rows import RowSet, stored_rows, sync_rows
from bo_saas.tenancy.manifest_sections import ApplyContext, CheckContext, ExportContext, ManifestSection, Problem
from bo_saas.work.manifest import custom_codes, enabled_services, service_rank
from bo_saas.work.models import Priority

MAX_TARGET_MINUTES = 525_600  # a year: anything longer is a typo, not a contract
Minutes = Count(1, MAX_TARGET_MINUTES, " business minutes")


class ManifestSlaTarget(ManifestModel):
    service: str  # a built-in or custom service code, or ANY_SERVICE
    priority: OneOf("a priority", Priority)
    first_response_minutes: Minutes
    resolution_minutes: Minutes

    @model_validator(mode="after")
    def _resolve_after_responding(self) -> ManifestSlaTarget:
        if self.resolution_minutes < self.first_response_minutes:
            reason = f"must be at least first_response_minutes ({self.first_response_minutes}), not "
            fail([(("resolution_minutes",), f"{reason}{self.resolution_minutes}")], self)
        return self

    @property
    def label(self) -> str:
        return f"{self.service}/{self.priority.value}"


def _targets_once(targets: list[ManifestSlaTarget]) -> tuple[ManifestSlaTarget, ...]:
    no_repeats(targets, lambda target: target.label, "sla.targets", label=str)
    return tuple(targets)


class SlaTable(ManifestModel):
    targets: Annotated[list[ManifestSlaTarget], AfterValidator(_targets_once)] = ()


class SlaSection(ManifestModel):
    sla: SlaTable = SlaTable()


def _check_sla(context: CheckContext) -> Iterable[Problem]:
    section: SlaSection | None = context.manifest.get("sla")
    enabled = enabled_services(context.manifest)
    if section is None or enabled is None:
        return
    for index, target in enumerate(section.sla.targets):
        if target.service != ANY_SERVICE and target.service not in enabled:
            choices = ", ".join((show(ANY_SERVICE), *enabled))
            reason = f"{show(target.service)} is not a service of this tenant (one of {choices})"
            yield Problem(("sla", "targets", index, "service"), reason)


def _minutes(values: Mapping[str, Any]) -> str:
    return f"{values['first_response_minutes']}/{values['resolution_minutes']}"


TARGET_ROWS = RowSet(
    name="sla_targets",
    noun="sla target",
    model=SlaTarget,
    stored=lambda row: {
        "service_type": row.service_type,
        "priority": Priority(row.priority),
        "first_response_minutes": row.first_response_minutes,
        "resolution_minutes": row.resolution_minutes,
    },
    label=lambda values: f"{values['service_type']}/{Priority(values['priority']).value}",
    show=_minutes,
    difference=lambda old, new: f"{_minutes(old)} -> {_minutes(new)}",
)


async def _apply_sla(context: ApplyContext, section: SlaSection) -> list[str]:
    wanted = [
        {
            "service_type": t.service,
            "priority": t.priority,
            "first_response_minutes": t.first_response_minutes,
            "resolution_minutes": t.resolution_minutes,
        }
        for t in section.sla.targets
    ]
    return await sync_rows(context, TARGET_ROWS, wanted)


async def _export_sla(context: ExportContext) -> dict[str, Any] | None:
    targets = await stored_rows(context.session, TARGET_ROWS, context.tenant_id)
    if not targets:
        return None
    rank = service_rank(await custom_codes(context), first=(ANY_SERVICE,))
    most_urgent_first = list(reversed(Priority))
    ordered = sorted(targets, key=lambda v: (rank(v["service_type"]), most_urgent_first.index(v["priority"])))
    return {
        "sla": {
            "targets": [
                {
                    "service": values["service_type"],
                    "priority": values["priority"].value,
                    "first_response_minutes": values["first_response_minutes"],
                    "resolution_minutes": values["resolution_minutes"],
                }
                for values in ordered
            ]
        }
    }


SLA_SECTION = ManifestSection(
    name="sla",
    model=SlaSection,
    apply=_apply_sla,
    export=_export_sla,
    order=40,
    authoritative=True,
    check=_check_sla,
)
