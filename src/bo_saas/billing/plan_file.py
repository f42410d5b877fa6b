"""What a plan file (``plans/*.toml``) may say: one pydantic model, the validated definition of a plan version.

Plans are reviewed like tenant manifests, so they are validated with the same
vocabulary (``tenancy.manifest_fields``): unknown keys are mistakes, values are
taken as written, and every problem is reported at once with its path
(``meters[1].tiers[0].unit_price``). The validated model is also what a plan
version stores: ``definition()`` is its canonical JSON, and ``content_hash()``
tells whether a file says anything new.

Which meters exist is not ours to say: the domains declare them (the usage
seam's registry), and the validation context carries them in (``{"meters": ...}``).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, ValidationInfo, model_validator

from bo_saas.billing.currencies import EXPONENTS
from bo_saas.tenancy.manifest_fields import Count, Location, ManifestModel, OneOf, Text, fail, no_repeats, problem, show
from bo_saas.tenancy.models import SERVICE_CODES

PRICE_MODELS = ("per_unit", "graduated", "volume", "package")
AGGREGATIONS = ("sum", "max", "unique")
MAX_UNITS = 10**12  # a bound no real quantity reaches, so arithmetic stays in bigint
MAX_FEE = 10**12  # minor units
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_PRICE = re.compile(r"^\d{1,9}(\.\d{1,6})?$")


def _price(value: str) -> str:
    if not _PRICE.match(value):
        raise problem(
            f'{show(value)} is not a price: a non-negative decimal string of major units, at most 6 decimals ("0.04")'
        )
    return value


# Major units as written ("29.00"): a unit price may be finer than the minor unit; lines are rounded, prices never.
Price = Annotated[str, AfterValidator(_price), Field(description='a decimal string (e.g. "0.04")')]


def _code(value: str) -> str:
    if not _CODE.match(value):
        raise problem(f"{show(value)} must be 1-40 lower-case letters, digits and underscores, starting with a letter")
    return value


def _currency(value: str) -> str:
    if value not in EXPONENTS:
        raise problem(f"{show(value)} is not an ISO 4217 currency plans may use (one of {', '.join(EXPONENTS)})")
    return value


def _services(services: list[str]) -> list[str]:
    no_repeats(services, lambda code: code, "services")
    return services


def _declared(code: str, info: ValidationInfo) -> str:
    meters = (info.context or {}).get("meters")
    if meters is not None and code not in meters:
        raise problem(f"{show(code)} is not a declared meter (one of {', '.join(sorted(meters)) or 'none'})")
    return code


class Tier(ManifestModel):
    """Billable units up to ``up_to`` (inclusive, counted from 1); the last tier has none and takes the rest."""

    up_to: Count(1, MAX_UNITS) | None = None
    unit_price: Price


class MeterPrice(ManifestModel):
    code: Annotated[str, AfterValidator(_declared)]
    aggregation: OneOf("an aggregation", AGGREGATIONS)
    included: Count(0, MAX_UNITS) = 0
    model: OneOf("a price model", PRICE_MODELS)
    unit_price: Price | None = None  # per_unit
    tiers: list[Tier] | None = None  # graduated, volume
    package_size: Count(1, MAX_UNITS) | None = None  # package
    package_price: Price | None = None  # package

    @model_validator(mode="after")
    def _fits_its_model(self, info: ValidationInfo) -> MeterPrice:
        wanted = {
            "per_unit": ("unit_price",),
            "graduated": ("tiers",),
            "volume": ("tiers",),
            "package": ("package_size", "package_price"),
        }[self.model]
        problems: list[tuple[Location, str]] = []
        for name in ("unit_price", "tiers", "package_size", "package_price"):
            given = getattr(self, name) is not None
            if name in wanted and not given:
                problems.append(((name,), f'missing (a "{self.model}" meter needs it)'))
            elif name not in wanted and given:
                problems.append(((name,), f'not used by a "{self.model}" meter (it takes {", ".join(wanted)})'))
        if self.tiers is not None:
            problems += _tier_problems(self.tiers)
        meter = ((info.context or {}).get("meters") or {}).get(self.code)
        if meter is not None and meter.aggregation != self.aggregation:
            problems.append(
                (("aggregation",), f"{show(self.aggregation)}: meter {self.code} aggregates by {meter.aggregation}")
            )
        fail(problems, self)
        return self


def _tier_problems(tiers: list[Tier]) -> list[tuple[Location, str]]:
    """Ascending bounds, and exactly the last tier open-ended: every billable unit falls in one tier."""
    if not tiers:
        return [(("tiers",), "must have at least one tier")]
    problems: list[tuple[Location, str]] = []
    previous = 0
    for index, tier in enumerate(tiers):
        last = index == len(tiers) - 1
        if last and tier.up_to is not None:
            problems.append((("tiers", index, "up_to"), "the last tier must be open-ended (leave up_to out)"))
        elif not last and tier.up_to is None:
            problems.append((("tiers", index, "up_to"), "missing: only the last tier is open-ended"))
        elif tier.up_to is not None and tier.up_to <= previous:
            problems.append(
                (("tiers", index, "up_to"), f"must be above the tier before it ({previous}), not {tier.up_to}")
            )
        if tier.up_to is not None:
            previous = max(previous, tier.up_to)
    return problems


class Seats(ManifestModel):
    """Active client users: ``included`` free, each one beyond at ``unit_price``."""

    included: Count(0, MAX_UNITS)
    unit_price: Price


class SlaCredits(ManifestModel):
    percent_per_breach: Count(0, 100, " percent")  # of the period's base fee, per breached resolution target
    cap_percent: Count(0, 100, " percent")


class PlanFile(ManifestModel):
    code: Annotated[str, AfterValidator(_code)]
    name: Text(120)
    currency: Annotated[str, AfterValidator(_currency)]
    interval: OneOf("an interval", ("month", "year"))
    base_fee: Count(0, MAX_FEE)  # minor units
    trial_days: Count(0, 365) = 0
    services: Annotated[list[OneOf("a service", SERVICE_CODES)], AfterValidator(_services)] = []
    custom_services: bool = False
    seats: Seats
    meters: list[MeterPrice] = []
    sla_credits: SlaCredits

    @model_validator(mode="after")
    def _meters_once(self) -> PlanFile:
        no_repeats(list(self.meters), lambda meter: meter.code, "meters", at=("code",))
        return self

    def in_catalog_order(self) -> list[str]:
        return [code for code in SERVICE_CODES if code in self.services]

    def definition(self) -> dict[str, Any]:
        """The canonical JSON a plan version stores (and migration 0012 wrote for version 1 of each plan)."""
        data = self.model_dump(mode="json", exclude_none=True)
        data["services"] = self.in_catalog_order()
        return data


def content_hash(definition: dict[str, Any]) -> str:
    """Equal for equal definitions whatever the key order: applying an unchanged file writes nothing."""
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
