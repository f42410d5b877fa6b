"""``[[hr.pay_components]]``: a tenant's pay components as a reviewed file.

The ``[hr]`` section (hr/manifest.py) validates each entry as a
``PayComponentEntry`` and hands the list to ``apply_pay_components``. The
listed components are created or made to match; a component the file no
longer lists is retired (kept for the payslips that name it, no longer
computed). Applying the same file again changes nothing.

```toml
[[hr.pay_components]]
code = "housing"
name = "Housing allowance"
name_ar = "بدل سكن"
kind = "earning"                 # earning | deduction | employer_contribution
calculation = "percent"          # fixed (amount, minor units a month) | percent (of basis)
percent = "25"
basis = ["base"]                 # "base" is the employee's salary
hidden = false                   # true: computed but left off the payslip document
applies_to_all = true            # false: only employees given their own amount
```
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, model_validator
from sqlalchemy import select

from bo_saas.hr.payroll_components import (
    ComponentSpec,
    component_json,
    parse_percent,
    set_problems,
    spec_problems,
    upsert_component,
)
from bo_saas.hr.payroll_models import Calculation, ComponentKind, PayComponent
from bo_saas.lib.errors import InvalidInputError
from bo_saas.tenancy.manifest_fields import ManifestModel, OneOf, Text, fail, problem
from bo_saas.tenancy.manifest_sections import ApplyContext, ExportContext

__all__ = ["PayComponentEntry", "apply_pay_components", "check_pay_components", "export_pay_components"]


def _percent(value: str) -> str:
    try:
        parse_percent(value)
    except ValueError as exc:
        raise problem(str(exc)) from None
    return value


class PayComponentEntry(ManifestModel):
    code: Text(40)
    name: Text(200)
    name_ar: Text(200) | None = None
    kind: OneOf("a component kind", ComponentKind)
    calculation: OneOf("a calculation", Calculation)
    amount: int | None = None
    percent: Annotated[str, AfterValidator(_percent)] | None = None
    basis: list[str] = []
    hidden: bool = False
    applies_to_all: bool = True

    @model_validator(mode="after")
    def _whole(self) -> PayComponentEntry:
        fail([((name,), reason) for name, reason in spec_problems(self.spec(0)).items()], self)
        return self

    def spec(self, position: int) -> ComponentSpec:
        return ComponentSpec(
            code=self.code,
            name=self.name,
            name_ar=self.name_ar,
            kind=str(self.kind),
            calculation=str(self.calculation),
            amount=self.amount,
            percent=None if self.percent is None else parse_percent(self.percent),
            basis=tuple(self.basis),
            applies_to_all=self.applies_to_all,
            hidden=self.hidden,
            position=position,
        )


def check_pay_components(entries: list[PayComponentEntry]) -> list[tuple[tuple[Any, ...], str]]:
    """Problems across the list (repeated codes, unknown or circular bases) as (location in the list, reason)."""
    specs = [entry.spec(index) for index, entry in enumerate(entries)]
    problems: list[tuple[tuple[Any, ...], str]] = []
    seen: dict[str, int] = {}
    for index, spec in enumerate(specs):
        if spec.code in seen:
            problems.append(((index, "code"), f'"{spec.code}" is already listed as pay_components[{seen[spec.code]}]'))
        seen.setdefault(spec.code, index)
    for index, by_field in set_problems(specs).items():
        problems.extend(((index, name), reason) for name, reason in by_field.items())
    return problems


async def apply_pay_components(context: ApplyContext, entries: list[PayComponentEntry]) -> list[str]:
    """Make the tenant's pay components match ``entries``; one phrase per change, none when nothing changed."""
    problems = check_pay_components(entries)
    if problems:  # the [hr] section's validator reports these with their paths first; this is the backstop
        raise InvalidInputError(
            "pay_components: " + "; ".join(f"[{loc[0]}].{loc[1]}: {reason}" for loc, reason in problems),
            extra={"problems": [{"path": list(loc), "reason": reason} for loc, reason in problems]},
        )
    phrases: list[str] = []
    listed: set[str] = set()
    for index, entry in enumerate(entries):
        row, changes = await upsert_component(context.session, context.tenant_id, entry.spec(index))
        listed.add(row.code)
        if changes.get("created"):
            context.record("hr.pay_component.created", "pay_component", str(row.id), {"code": row.code})
            phrases.append(f"added pay component {row.code}")
        elif changes:
            context.record("hr.pay_component.changed", "pay_component", str(row.id), changes)
            phrases.append(f"changed pay component {row.code}: {', '.join(sorted(changes))}")
    retired = await context.session.scalars(
        select(PayComponent).where(
            PayComponent.tenant_id == context.tenant_id, PayComponent.active.is_(True), PayComponent.code.not_in(listed)
        )
    )
    for row in retired:
        row.active = False
        context.record("hr.pay_component.retired", "pay_component", str(row.id), {"code": row.code})
        phrases.append(f"retired pay component {row.code}")
    if not phrases and entries:
        context.unchanged.append("pay components unchanged")
    return phrases


async def export_pay_components(context: ExportContext) -> list[dict] | None:
    """The active components as ``[[hr.pay_components]]`` entries (defaults left out), or None when there are none."""
    rows = await context.session.scalars(
        select(PayComponent)
        .where(PayComponent.tenant_id == context.tenant_id, PayComponent.active.is_(True))
        .order_by(PayComponent.position, PayComponent.code)
    )
    entries = []
    for row in rows:
        shown = component_json(row)
        entry: dict[str, Any] = {"code": row.code, "name": row.name, "kind": row.kind, "calculation": row.calculation}
        if row.name_ar:
            entry["name_ar"] = row.name_ar
        if row.amount is not None:
            entry["amount"] = row.amount
        if row.percent is not None:
            entry["percent"] = shown["percent"]
            entry["basis"] = shown["basis"]
        if row.hidden:
            entry["hidden"] = True
        if not row.applies_to_all:
            entry["applies_to_all"] = False
        entries.append(entry)
    return entries or None
