"""A benchmark's targets, declared in one shape so that ``bench.all`` can put every benchmark in one table.

Each benchmark module (``bench.run``, ``bench.work``, a future ``bench.<domain>``)
builds a list of ``Target`` from its figures, prints their PASS/FAIL/INVALID
lines and writes them under ``"targets"`` in its JSON result: benchmark, name,
measured figure, comparison, target value, unit, status (``met``, ``missed``
or ``invalid``) and, when invalid, why. ``bench.all`` reads nothing else.
"""

from __future__ import annotations

import math
import operator
from dataclasses import asdict, dataclass

from bench.validity import VALID, Validity

MET, MISSED, INVALID = "met", "missed", "invalid"
_COMPARE = {">=": operator.ge, "<=": operator.le, "==": operator.eq}
_SYMBOL = {">=": "≥", "<=": "≤", "==": "="}
_LINE_WORD = {MET: "PASS", MISSED: "FAIL", INVALID: "INVALID"}


@dataclass(frozen=True)
class Target:
    benchmark: str  # "foundation", "work", ...
    name: str  # what is measured, e.g. "real ÷ raw req/s (GET /api/v1/users)"
    measured: float | None  # None: there is no valid figure
    comparison: str  # ">=", "<=" or "=="
    target: float
    unit: str = ""  # "×", "µs", "ms", "" for a count
    status: str = INVALID
    reason: str | None = None  # why invalid

    @property
    def line(self) -> str:
        """The PASS/FAIL/INVALID line a benchmark prints at the end."""
        figure = "invalid" if self.measured is None else format_value(self.measured, self.unit)
        detail = f"{figure} {_SYMBOL[self.comparison]} {format_value(self.target, self.unit)}"
        if self.reason:
            detail += f"; {self.reason}"
        return f"  {_LINE_WORD[self.status]:<7}  {self.name}  ({detail})"

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def check(
    benchmark: str,
    name: str,
    measured: float | None,
    comparison: str,
    target: float,
    *,
    unit: str = "",
    validity: Validity = VALID,
) -> Target:
    """Compare a figure with its target: met, missed, or invalid when a run it rests on is (or it is missing)."""
    if comparison not in _COMPARE:
        raise ValueError(f"unknown comparison {comparison!r}")
    if not validity.valid:
        return Target(benchmark, name, None, comparison, target, unit, INVALID, validity.reason)
    if measured is None or not math.isfinite(measured):
        return Target(benchmark, name, None, comparison, target, unit, INVALID, "no figure")
    status = MET if _COMPARE[comparison](measured, target) else MISSED
    return Target(benchmark, name, measured, comparison, target, unit, status)


def format_value(value: float, unit: str) -> str:
    if unit == "×":
        return f"{value:.3f}×"
    if unit in ("µs", "ms"):
        return f"{value:,.0f} {unit}" if abs(value) >= 100 else f"{value:.1f} {unit}"
    if unit:
        return f"{value:g} {unit}"
    return f"{value:g}"


def from_json(entry: dict) -> Target:
    fields = {name: entry.get(name) for name in Target.__dataclass_fields__}
    return Target(**fields)


def print_lines(targets: list[Target]) -> None:
    for target in targets:
        print(target.line)
