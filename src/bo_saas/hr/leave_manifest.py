"""The leave types part of the ``[hr]`` manifest section: ``[[hr.leave_types]]``.

The ``[hr]`` section (hr/manifest.py) validates each entry with ``LeaveTypeEntry``
and hands the list to ``apply_leave_types``, which makes the tenant's leave types
match it: missing ones added, differing ones changed, unlisted ones retired
(removed, or switched off when requests use them). Applying the same list again
changes nothing. ``export_leave_types`` writes the active ones back, or None.

    [[hr.leave_types]]
    code = "annual"
    name = "Annual leave"
    kind = "annual"              # annual | sick | unpaid | custom
    accrual = "monthly"          # yearly | monthly | none
    days_per_year = 21
    carry_over_cap = 5           # days; 0 = nothing carries over
    carry_over_expiry_months = 3 # carried days lapse after March; 0 = never
    allow_negative = false
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, model_validator

from bo_saas.hr.leave_models import LEAVE_CODE, Accrual, LeaveKind, LeaveType
from bo_saas.hr.leave_types import (
    LeaveRule,
    changed_fields,
    days,
    retire,
    rule_of,
    rule_problems,
    set_rule,
    tenant_types,
)
from bo_saas.lib import limits
from bo_saas.tenancy.manifest_fields import Count, ManifestModel, OneOf, Text, fail, problem, show
from bo_saas.tenancy.manifest_sections import ApplyContext, ExportContext


def _day_count(value: int | float) -> int | float:
    if not 0 <= value <= 366:
        raise problem(f"must be from 0 to 366 days, not {show(value)}")
    if days(value) != value:
        raise problem(f"must be whole days or hundredths of a day, not {show(value)}")
    return value


DayCount = Annotated[int | float, AfterValidator(_day_count)]


def _code(value: str) -> str:
    if not value.replace("_", "").replace("-", "").isalnum() or not value.isascii():
        raise problem(f"{show(value)} must be letters, digits, - and _ (e.g. annual)")
    return value


class LeaveTypeEntry(ManifestModel):
    """One ``[[hr.leave_types]]`` table."""

    code: Annotated[Text(LEAVE_CODE), AfterValidator(_code)]
    name: Text(limits.NAME)
    kind: OneOf("a leave kind", LeaveKind) = LeaveKind.CUSTOM
    accrual: OneOf("an accrual rule", Accrual) = Accrual.YEARLY
    days_per_year: DayCount = 0
    carry_over_cap: DayCount = 0
    carry_over_expiry_months: Count(0, 12, " months (0: carried days never lapse)") = 0
    allow_negative: bool = False

    @model_validator(mode="after")
    def _holds_together(self) -> LeaveTypeEntry:
        fail([((name,), reason) for name, reason in rule_problems(self.rule())], self)
        return self

    def rule(self) -> LeaveRule:
        return LeaveRule(
            code=self.code,
            name=self.name,
            kind=LeaveKind(self.kind).value,
            accrual=Accrual(self.accrual).value,
            days_per_year=days(self.days_per_year),
            carry_over_cap=days(self.carry_over_cap),
            carry_over_expiry_months=self.carry_over_expiry_months,
            allow_negative=self.allow_negative,
        )


async def apply_leave_types(context: ApplyContext, entries: list[LeaveTypeEntry]) -> list[str]:
    """Make the tenant's leave types match ``entries``; one phrase per change (none the second time)."""
    session, tenant_id = context.session, context.tenant_id
    existing = {leave_type.code: leave_type for leave_type in await tenant_types(session, tenant_id)}
    wanted = {entry.code: entry.rule() for entry in entries}
    phrases: list[str] = []
    for code, rule in wanted.items():
        leave_type = existing.get(code)
        if leave_type is None:
            leave_type = LeaveType(tenant_id=tenant_id)
            set_rule(leave_type, rule)
            session.add(leave_type)
            await session.flush()
            context.record("hr.leave_type_added", "hr_leave_type", str(leave_type.id), _plain(rule.fields()))
            phrases.append(f"added leave type {code}")
            continue
        changes = changed_fields(leave_type, rule)
        if not changes:
            continue
        set_rule(leave_type, rule)
        context.record("hr.leave_type_changed", "hr_leave_type", str(leave_type.id), _plain(changes))
        phrases.append(
            f"changed leave type {code}: "
            + "; ".join(f"{name} {show(_plain(c['old']))} -> {show(_plain(c['new']))}" for name, c in changes.items())
        )
    for code, leave_type in existing.items():
        if code in wanted or not leave_type.active:
            continue
        how = await retire(session, leave_type)
        context.record("hr.leave_type_retired", "hr_leave_type", str(leave_type.id), {"code": code, "how": how})
        phrases.append(f"{how} leave type {code}")
    if not phrases and entries:
        context.unchanged.append("leave types unchanged")
    await session.flush()
    return phrases


async def export_leave_types(context: ExportContext) -> list[dict] | None:
    """The tenant's active leave types as ``[[hr.leave_types]]`` tables, or None when it has none."""
    types = await tenant_types(context.session, context.tenant_id, active_only=True)
    if not types:
        return None
    return [_plain(rule_of(leave_type).fields()) for leave_type in types]


def _plain(value: Any) -> Any:
    """Decimals as TOML numbers (whole days as integers), recursively."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
