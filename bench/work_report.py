"""The work-queue bench's summary: medians over rounds, ratios, targets and the printed block.

Kept apart from ``bench/work.py`` (which runs things) so that it reads as what
is reported. Every figure that rests on an invalid run (a queue that drained,
see ``bench/validity.py``) prints as ``invalid`` and every target that rests on
one is INVALID.
"""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bench import targets as T
from bench import validity as V

if TYPE_CHECKING:
    from bench.work import BreachResult, DirectRun, HttpRun

BENCHMARK = "work"
TARGET_ROUTED_OVER_BARE = 0.7
TARGET_BREACH_P99_SECONDS = 1.0
TARGET_HTTP_SERVER_CPU_US_PER_CLAIM = 3000.0


def median_runs(runs: list[DirectRun]) -> dict[tuple[str, int], DirectRun]:
    """Per (variant, N), the round with the median claims/s (the lower middle one for an even count).

    When any round is invalid, so is the figure: that invalid round stands for it.
    """
    groups: dict[tuple[str, int], list[DirectRun]] = {}
    for run in runs:
        groups.setdefault((run.variant, run.claimers), []).append(run)
    chosen = {}
    for key, group in groups.items():
        invalid = [run for run in group if not run.valid]
        middle = sorted(group, key=lambda run: run.claims_per_second)[(len(group) - 1) // 2]
        chosen[key] = invalid[0] if invalid else middle
    return chosen


def routed_over_bare(by: dict[tuple[str, int], DirectRun], claimers: int) -> float | None:
    routed, bare = by[("routed", claimers)], by[("bare", claimers)]
    return V.ratio(routed.claims_per_second, bare.claims_per_second, routed.validity, bare.validity)


def build_targets(
    args: argparse.Namespace,
    by: dict[tuple[str, int], DirectRun],
    runs: list[DirectRun],
    http: list[HttpRun],
    breach: BreachResult | None,
) -> list[T.Target]:
    top = max(args.claimers)
    routed, bare = by[("routed", top)], by[("bare", top)]
    found = [
        T.check(
            BENCHMARK,
            f"routed ÷ bare claims/s at {top} claimers",
            routed_over_bare(by, top),
            ">=",
            TARGET_ROUTED_OVER_BARE,
            unit="×",
            validity=routed.validity & bare.validity,
        ),
        # Counted over every run made, drained or not: a double claim is wrong whatever the queue held.
        T.check(BENCHMARK, "double claims (direct)", sum(run.double_claims for run in runs), "==", 0),
        T.check(BENCHMARK, "direct runs whose claims ≠ the database's", sum(not run.ok for run in runs), "==", 0),
    ]
    if http:
        found.append(
            T.check(
                BENCHMARK, "HTTP runs with a double claim, an error or a lost 200", sum(not r.ok for r in http), "==", 0
            )
        )
        last = max(http, key=lambda run: run.claimers)
        found.append(
            T.check(
                BENCHMARK,
                f"HTTP claim server CPU per claim at {last.claimers} claimers",
                last.server_cpu_us_per_claim,
                "<=",
                TARGET_HTTP_SERVER_CPU_US_PER_CLAIM,
                unit="µs",
                validity=last.validity,
            )
        )
    if breach:
        found.append(
            T.check(
                BENCHMARK,
                "breach delay p99 (due → recorded)",
                breach.p99_ms,
                "<=",
                1000 * TARGET_BREACH_P99_SECONDS,
                unit="ms",
                validity=V.VALID if breach.recorded else V.Validity.invalid("no breach was recorded"),
            )
        )
        wrong = abs(breach.expected - breach.recorded) + breach.double_breaches + breach.unexpected_events
        found.append(T.check(BENCHMARK, "breaches missing, doubled or unexpected", wrong, "==", 0))
    return found


def _cell(run: DirectRun) -> str:
    if not run.valid:
        return "invalid"
    return f"{run.claims_per_second:7.0f} ({run.p50_ms:6.2f}/{run.p99_ms:6.2f})"


def summarise(
    args: argparse.Namespace,
    direct: list[DirectRun],
    diagnostics: list[DirectRun],
    http: list[HttpRun],
    breach: BreachResult | None,
    *,
    agent_capacity: int,
) -> tuple[dict, list[str]]:
    """The ratios and targets, and the summary block's lines."""
    by = median_runs(direct)
    top = max(args.claimers)
    ratios = {}
    for n in args.claimers:
        plain, bare = by[("plain", n)], by[("bare", n)]
        ratios[n] = {
            "routed_over_bare": routed_over_bare(by, n),
            "plain_over_bare": V.ratio(plain.claims_per_second, bare.claims_per_second, plain.validity, bare.validity),
        }
    targets = build_targets(args, by, direct + diagnostics, http, breach)

    lines = [
        f"bench.work — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores shared by the claimers, "
        "PostgreSQL (and the server or worker)",
        f"{args.items:,} queued items ({args.unskilled_share:.0%} bookkeeping, which no agent may do), "
        f"{args.tenants} tenants, {args.agents} agents (capacity {agent_capacity}, never reached); "
        f"{args.warmup:g} s warm-up + {args.seconds:g} s per run",
        "",
        "direct (claims/s, p50/p99 ms)"
        + (f", the median of {args.rounds} interleaved rounds:" if args.rounds > 1 else ":"),
        f"  {'N':>2}  {'bare SKIP LOCKED':>24}  {'plain FOR UPDATE':>24}  {'routed claim-next':>24}"
        f"  {'routed/bare':>11}  {'CPU µs/claim bare → routed':>30}",
    ]
    for n in args.claimers:
        cells = [_cell(by[(v, n)]) for v in ("bare", "plain", "routed")]
        # CPU per claim (client + PostgreSQL) moves less with other load on the machine than claims/s does.
        bare_run, routed_run = by[("bare", n)], by[("routed", n)]
        bare_cpu, routed_cpu = (
            run.client_cpu_us_per_claim + run.postgres_cpu_us_per_claim if run.valid else None
            for run in (bare_run, routed_run)
        )
        cpu_ratio = V.ratio(routed_cpu, bare_cpu)
        shown_ratio = V.show(ratios[n]["routed_over_bare"], ".3f", 11)
        lines.append(
            f"  {n:>2}  {cells[0]:>24}  {cells[1]:>24}  {cells[2]:>24}  {shown_ratio}"
            f"  {V.show(bare_cpu, '.0f', 10)} → {V.show(routed_cpu, '.0f', 6)} ({V.show(cpu_ratio, '.1f', 4)}×)"
        )
    doubles = sum(run.double_claims for run in direct)
    lines.append(f"  double claims: {doubles} over {sum(run.all_claims for run in direct):,} claims")
    routed_top = by[("routed", top)]
    if routed_top.valid:
        by_second = routed_top.claims_per_second_by_second
        lines.append(
            f"  routed at {top}: claims/s in the first → last measured second "
            f"{by_second[0] if by_second else 0} → {by_second[-1] if by_second else 0}; "
            f"{routed_top.unclaimable_ahead_after:,} unclaimable items ahead of the next claimable one at the end"
        )
    invalid = [(f"{run.variant}", run) for run in direct if not run.valid]
    invalid += [(f"{run.variant} (diagnostics)", run) for run in diagnostics if not run.valid]
    invalid += [("HTTP claim", run) for run in http if not run.valid]
    for what, run in invalid:
        lines.append(f"  !! {what} at {run.claimers} claimers: invalid ({run.reason})")
    if diagnostics:
        bare_d = next(run for run in diagnostics if run.variant == "bare")
        lines += ["", f"routed claim taken apart at {diagnostics[0].claimers} claimers (claims/s, × bare of this set):"]
        for run in diagnostics:
            if not run.valid:
                lines.append(f"  {run.variant:<32} {V.show_run(run.validity)}")
                continue
            share = V.ratio(run.claims_per_second, bare_d.claims_per_second, run.validity, bare_d.validity)
            lines.append(
                f"  {run.variant:<32} {run.claims_per_second:7.0f}  {V.show(share, '.3f', 7)}"
                f"  p50 {run.p50_ms:6.2f} ms  pg {run.postgres_cpu_us_per_claim:5.0f} µs/claim"
                f"  skipped at end {run.unclaimable_ahead_after:,}"
            )
    if http:
        lines += ["", "HTTP POST /api/v1/queue/claim (wrk -tN -cN, one uvicorn process):"]
        for run in http:
            if not run.valid:
                lines.append(f"  {run.claimers:>2}  {V.show_run(run.validity)}")
                continue
            lines.append(
                f"  {run.claimers:>2}  {run.claims_per_second:7.0f} claims/s  p50 {run.p50_ms:7.2f} ms"
                f"  p99 {run.p99_ms:7.2f} ms  × direct routed {V.show(run.ratio_to_direct, '.3f', 7)}"
                f"  double {run.double_claims}  server {run.server_cpu_us_per_claim:5.0f} µs/claim"
            )
    if breach:
        lines += [
            "",
            f"breach detection: {breach.open_items:,} open items, {breach.due_in_window} due over "
            f"{breach.window_seconds:g} s, {breach.timers_armed:,} timers armed; worker 1 process × 4 threads",
            f"  recorded {breach.recorded}/{breach.expected} (timer {breach.by_timer}, sweeper {breach.by_sweeper}:"
            " no API server, so no sweeper ran); double "
            f"{breach.double_breaches}, unexpected {breach.unexpected_events}",
            f"  delay due → recorded: p50 {breach.p50_ms:.0f} ms, p99 {breach.p99_ms:.0f} ms,"
            f" max {breach.max_ms:.0f} ms (min {breach.min_ms:.0f} ms)",
        ]
    lines.append("")
    lines += [target.line for target in targets]
    json_ratios = {n: {k: V.INVALID if v is None else v for k, v in r.items()} for n, r in ratios.items()}
    return {"ratios": json_ratios, "targets": [t.as_json() for t in targets]}, lines
