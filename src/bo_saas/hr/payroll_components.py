"""Pay components: what a payslip is made of, checked as a whole and written by the API and the manifest alike.

A component is an earning, a deduction (the employee's own contributions are
deductions) or an employer contribution (a cost on top of pay). It is a fixed
monthly amount or a percentage of the sum of other components (``basis``:
codes, ``base`` being the employee's salary). Percentages may build on each
other but never in a circle; the order they are computed in is resolved here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.hr.payroll_models import BASE_CODE, Calculation, ComponentKind, PayComponent

CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_PERCENT = Decimal(1000)
FIELDS = ("name", "name_ar", "kind", "calculation", "amount", "percent", "basis", "applies_to_all", "hidden")


@dataclass(frozen=True, slots=True)
class ComponentSpec:
    """A component as written (manifest entry or API body), before it is a row."""

    code: str
    name: str
    kind: str
    calculation: str
    name_ar: str | None = None
    amount: int | None = None
    percent: Decimal | None = None
    basis: tuple[str, ...] = ()
    applies_to_all: bool = True
    hidden: bool = False
    position: int = 0
    values: dict[str, Any] = field(default_factory=dict, compare=False)

    def row_values(self) -> dict[str, Any]:
        return {name: (list(self.basis) if name == "basis" else getattr(self, name)) for name in FIELDS}


def parse_percent(value: Any) -> Decimal:
    """A percentage written as a decimal string ("12.5"), 0 to 1000 with at most 4 decimals."""
    try:
        percent = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f'{value!r} is not a percentage written as a decimal string, e.g. "12.5"') from None
    if not percent.is_finite() or not 0 <= percent <= MAX_PERCENT or percent.as_tuple().exponent < -4:
        raise ValueError(f"{value!r} must be from 0 to {MAX_PERCENT} with at most 4 decimals")
    return percent


def spec_problems(spec: ComponentSpec) -> dict[str, str]:
    """What is wrong with one component on its own, by field."""
    problems: dict[str, str] = {}
    if not CODE_PATTERN.fullmatch(spec.code):
        problems["code"] = "must be lower-case letters, digits and _, starting with a letter, at most 40"
    elif spec.code == BASE_CODE:
        problems["code"] = f'"{BASE_CODE}" is the employee\'s salary, built in'
    if spec.kind not in {kind.value for kind in ComponentKind}:
        problems["kind"] = f"must be one of {', '.join(kind.value for kind in ComponentKind)}"
    if spec.calculation == Calculation.FIXED:
        if spec.amount is None or spec.amount < 0:
            problems["amount"] = "a fixed component needs an amount of 0 or more minor units"
        if spec.percent is not None or spec.basis:
            problems["percent"] = "a fixed component has no percent or basis"
    elif spec.calculation == Calculation.PERCENT:
        if spec.percent is None:
            problems["percent"] = "a percent component needs its percent"
        if not spec.basis:
            problems["basis"] = f'a percent component names the codes it is a percentage of (e.g. ["{BASE_CODE}"])'
        if spec.amount is not None:
            problems["amount"] = "a percent component has no amount"
    else:
        problems["calculation"] = "must be fixed or percent"
    return problems


def set_problems(specs: Sequence[ComponentSpec]) -> dict[int, dict[str, str]]:
    """Problems across the set, by index: unknown or circular bases."""
    known = {spec.code for spec in specs} | {BASE_CODE}
    problems: dict[int, dict[str, str]] = {}
    for index, spec in enumerate(specs):
        unknown = [code for code in spec.basis if code not in known]
        if unknown:
            problems.setdefault(index, {})["basis"] = f"names no component: {', '.join(unknown)}"
        elif spec.code in spec.basis:
            problems.setdefault(index, {})["basis"] = "a component cannot be a percentage of itself"
    if not problems:
        try:
            computing_order(specs)
        except ValueError as exc:
            problems[0] = {"basis": str(exc)}
    return problems


def computing_order(specs: Iterable[Any]) -> list[Any]:
    """Components in an order where every percent comes after its basis (fixed ones first); a circle raises."""
    pending = {spec.code: spec for spec in specs}
    done: set[str] = {BASE_CODE}
    order: list[Any] = []
    while pending:
        ready = [spec for spec in pending.values() if all(code in done or code not in pending for code in spec.basis)]
        if not ready:
            raise ValueError(f"percentages go round in a circle: {', '.join(sorted(pending))}")
        for spec in sorted(ready, key=lambda s: (s.position, s.code)):
            order.append(spec)
            done.add(spec.code)
            del pending[spec.code]
    return order


async def active_components(session: AsyncSession, tenant_id: UUID) -> list[PayComponent]:
    rows = await session.scalars(
        select(PayComponent)
        .where(PayComponent.tenant_id == tenant_id, PayComponent.active.is_(True))
        .order_by(PayComponent.position, PayComponent.code)
    )
    return list(rows)


async def upsert_component(session: AsyncSession, tenant_id: UUID, spec: ComponentSpec) -> tuple[PayComponent, dict]:
    """Create the component or make it match ``spec``; returns it and what changed ({} when nothing did)."""
    row = await session.scalar(
        select(PayComponent).where(PayComponent.tenant_id == tenant_id, PayComponent.code == spec.code)
    )
    wanted = {**spec.row_values(), "position": spec.position, "active": True}
    if row is None:
        row = PayComponent(tenant_id=tenant_id, code=spec.code, **wanted)
        session.add(row)
        await session.flush()
        return row, {"created": True}
    changes = {}
    for name, value in wanted.items():
        old = getattr(row, name)
        if name == "basis":
            old = list(old or [])
        if name == "percent" and old is not None and value is not None and Decimal(old) == Decimal(value):
            continue
        if old != value:
            changes[name] = {"old": _plain(old), "new": _plain(value)}
            setattr(row, name, value)
    return row, changes


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def component_json(row: PayComponent) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "code": row.code,
        "name": row.name,
        "name_ar": row.name_ar,
        "kind": row.kind,
        "calculation": row.calculation,
        "amount": row.amount,
        "percent": None if row.percent is None else _percent_text(row.percent),
        "basis": list(row.basis or []),
        "applies_to_all": row.applies_to_all,
        "hidden": row.hidden,
        "active": row.active,
    }


def _percent_text(percent: Decimal) -> str:
    text = format(Decimal(percent).normalize(), "f")
    return text
