"""When a benchmark run measured what it claims to, and how a run that did not is shown.

A throughput run of the work bench measures claims only while there is work
to claim: once the claimable queue is empty, every claim answers "nothing to
claim" at once and the figures describe an empty queue, not claim-next. Such a
run is *invalid*: its figures are printed as ``invalid (queue drained after N
claims)``, every ratio that uses it as ``invalid`` (never a number, never
``nan``), its JSON says ``"valid": false`` with the reason, and a target that
rests on it is INVALID rather than met or missed.

Two checks, both pure functions of counts so that they are tested without load:

- before a run, ``precheck``: are there enough claimable items for the
  variant's last measured rate over warm-up + measured seconds, with a safety
  factor? If not, the run is not made (it would drain) and is invalid;
- after a run, ``drain_check``: did any claimer get "nothing to claim" (an
  empty answer, a 204 over HTTP) or is the claimable queue empty at the end?
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Claims the previous rate predicts, times this, must be queued before a run.
SAFETY_FACTOR = 1.5
INVALID = "invalid"


@dataclass(frozen=True)
class Validity:
    valid: bool = True
    reason: str | None = None

    @classmethod
    def invalid(cls, reason: str) -> Validity:
        return cls(valid=False, reason=reason)

    def __and__(self, other: Validity) -> Validity:
        """Both valid, or the first reason why not."""
        return self if not self.valid else other

    def as_json(self) -> dict[str, object]:
        return {"valid": self.valid, "reason": self.reason}


VALID = Validity()


def all_valid(validities: list[Validity] | tuple[Validity, ...]) -> Validity:
    result = VALID
    for validity in validities:
        result = result & validity
    return result


def items_needed(rate_per_second: float, warmup: float, seconds: float, safety: float = SAFETY_FACTOR) -> int:
    """Claimable items a run needs so that it does not drain, at ``rate_per_second`` with a margin."""
    return math.ceil(rate_per_second * (warmup + seconds) * safety)


def precheck(
    claimable: int, rate_per_second: float | None, warmup: float, seconds: float, safety: float = SAFETY_FACTOR
) -> Validity:
    """Before a run: enough claimable items for the last measured rate? Unknown rate: make the run and see."""
    if claimable <= 0:
        return Validity.invalid("not run: no claimable item is queued")
    if rate_per_second is None or not math.isfinite(rate_per_second) or rate_per_second <= 0:
        return VALID
    needed = items_needed(rate_per_second, warmup, seconds, safety)
    if claimable < needed:
        return Validity.invalid(
            f"not run: {claimable:,} claimable items, about {needed:,} needed at {rate_per_second:,.0f} claims/s"
            " (raise --items or lower --seconds)"
        )
    return VALID


def drain_check(*, claims: int, empty_answers: int, claimable_after: int) -> Validity:
    """After a run: invalid when any claim found nothing or nothing claimable is left.

    ``claims`` counts every claim of the run (warm-up included): when the queue drained, that is how many
    the queue held for these claimers. An empty answer during the warm-up counts too: the measured window
    that follows it has only empty answers to time.
    """
    if empty_answers > 0 or claimable_after <= 0:
        return Validity.invalid(f"queue drained after {claims:,} claims")
    return VALID


def ratio(numerator: float | None, denominator: float | None, *validities: Validity) -> float | None:
    """``numerator / denominator``, or None (printed ``invalid``) when a run it uses is invalid or it is undefined."""
    if not all_valid(validities).valid:
        return None
    if numerator is None or denominator is None or not denominator:
        return None
    value = numerator / denominator
    return value if math.isfinite(value) else None


def show(value: float | None, spec: str, width: int = 0) -> str:
    """A figure formatted with ``spec``, or ``invalid`` right-aligned in the same width."""
    if value is None or not math.isfinite(value):
        return f"{INVALID:>{width}}"
    return f"{value:{width}{spec}}"


def show_run(validity: Validity, width: int = 0) -> str:
    """What a row prints in place of an invalid run's figures."""
    return f"{INVALID} ({validity.reason})".ljust(width)


def estimate_rate(rates: dict[tuple[str, int], float], variant: str, claimers: int) -> float | None:
    """The rate to expect from ``variant`` at ``claimers``: measured at this N before (an earlier round), else at
    the largest smaller N (a lower bound, as more claimers rarely claim less), else unknown."""
    if (variant, claimers) in rates:
        return rates[(variant, claimers)]
    smaller = [n for (name, n) in rates if name == variant and n < claimers]
    return rates[(variant, max(smaller))] if smaller else None
