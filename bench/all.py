"""Every benchmark in turn, then one table of their targets: met, missed or invalid.

    make bench-all                  (or: .venv/bin/python -m bench.all)
    .venv/bin/python -m bench.all --strict                    # exit 1 when a target is missed or invalid
    .venv/bin/python -m bench.all --only foundation,work      # a subset (names from BENCHMARKS)
    .venv/bin/python -m bench.all --from-json a.json b.json   # the table of results already written

Each benchmark module writes its JSON result with a list of targets (see
``bench/targets.py``): to add one (``bench.billing``, ``bench.support``, …),
make it accept ``--result-json PATH`` and write its ``Target`` list there, and
add one ``Benchmark`` line to ``BENCHMARKS`` below. A benchmark's own options
come from an environment variable named after it: ``ARGS_FOUNDATION="--rounds 3"``,
``ARGS_WORK="--seconds 4"``, ``ARGS_SUPPORT="--messages 2000"`` (the rate-limit ablation run takes the
foundation's).

One target is computed here, across two runs of the foundation bench: the rate
limiter's cost, the ``bare`` endpoint's server CPU µs per request as measured
(rate limiter in) minus the same in a second run with ``--ablate rate_limit``.
It is cross-run by necessity (the ablation patches the app at start-up), so it
carries the noise of two runs, which is of the order of the target itself: the
bare figure is a few hundred µs, and other load on the shared 2-core machine
moves it by tens of µs between runs (one short test with other work on the
machine read 562 µs with the limiter and 460 µs without). Read it on a quiet
machine, with ``ARGS_FOUNDATION="--rounds 3"`` (medians in both runs), and
repeat before acting on a figure near 50 µs.

Exit status: 0 when every benchmark ran, whatever the targets say (the table
says it); 2 when a benchmark failed to run; with ``--strict``, 1 when a target
is missed or invalid.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python bench/all.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import config
from bench import targets as T
from bench import validity as V

TARGET_RATE_LIMIT_US = 50.0


@dataclass(frozen=True)
class Benchmark:
    name: str  # the table's first column; also ARGS_<NAME> for its own arguments
    module: str  # run as python -m MODULE --result-json PATH [args]
    args: tuple[str, ...] = ()
    minutes: float = 0.0  # about how long a default run takes, for the plan printed first
    # Runs that only feed a target computed here are not shown as a benchmark of their own.
    shown: bool = True
    # Whose ARGS_<NAME> it takes (its own args come after, so they win).
    options_of: str = ""


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark("foundation", "bench.run", minutes=3),
    # The rate-limit ablation: bare only, no growth phase; see rate_limit_target().
    Benchmark(
        "foundation-no-rate-limit",
        "bench.run",
        ("--ablate", "rate_limit", "--grow-to", "0", "--endpoints", "bare"),
        minutes=0.5,
        shown=False,
        options_of="foundation",
    ),
    Benchmark("work", "bench.work", minutes=10),
    Benchmark("support", "bench.support", minutes=5),
    Benchmark("dataentry", "bench.dataentry", minutes=4),
    Benchmark("billing", "bench.billing", minutes=2),
    Benchmark("books", "bench.books", minutes=3),
    Benchmark("hr", "bench.hr", minutes=4),
)


@dataclass
class Outcome:
    benchmark: Benchmark
    json_path: Path
    returncode: int
    seconds: float

    def result(self) -> dict | None:
        if self.returncode != 0 or not self.json_path.exists():
            return None
        return json.loads(self.json_path.read_text())


def run_benchmark(benchmark: Benchmark, results_dir: Path, stamp: str) -> Outcome:
    path = results_dir / f"all-{stamp}-{benchmark.name}.json"
    variable = f"ARGS_{(benchmark.options_of or benchmark.name).upper().replace('-', '_')}"
    options = shlex.split(os.environ.get(variable, ""))
    command = [sys.executable, "-m", benchmark.module, "--result-json", str(path), *options, *benchmark.args]
    print(f"\n{'#' * 100}\n# {benchmark.name}: {shlex.join(command[1:])}\n{'#' * 100}", flush=True)
    started = time.monotonic()
    done = subprocess.run(command, check=False)
    return Outcome(benchmark, path, done.returncode, time.monotonic() - started)


def _bare_cpu_us(result: dict | None) -> tuple[float | None, V.Validity]:
    """The bare endpoint's server CPU µs/request in the first phase of a foundation run (median of rounds)."""
    if result is None:
        return None, V.Validity.invalid("the run failed")
    bare = [m for m in result.get("measurements", []) if m["endpoint"] == "bare"]
    if not bare:
        return None, V.Validity.invalid("no bare run")
    first_phase = bare[0]["phase"]
    bare = sorted((m for m in bare if m["phase"] == first_phase), key=lambda m: m["server_cpu_us_per_request"])
    errors = sum(m["non_2xx"] + m["socket_errors"] for m in bare)
    if errors:
        return None, V.Validity.invalid(f"bare drew {errors} errors")
    return bare[(len(bare) - 1) // 2]["server_cpu_us_per_request"], V.VALID


def rate_limit_target(with_limiter: dict | None, without: dict | None) -> T.Target:
    """Rate limiter cost: bare server CPU µs/request with it minus without it, across the two runs."""
    cost_in, valid_in = _bare_cpu_us(with_limiter)
    cost_out, valid_out = _bare_cpu_us(without)
    measured = None if cost_in is None or cost_out is None else cost_in - cost_out
    return T.check(
        "foundation",
        "rate limiter server CPU per request (bare, with − without; 2 runs)",
        measured,
        "<=",
        TARGET_RATE_LIMIT_US,
        unit="µs",
        validity=valid_in & valid_out,
    )


def collect(outcomes: list[Outcome]) -> list[T.Target]:
    by_name = {outcome.benchmark.name: outcome for outcome in outcomes}
    found: list[T.Target] = []
    for outcome in outcomes:
        if not outcome.benchmark.shown:
            continue
        result = outcome.result()
        if result is None:
            found.append(
                T.Target(outcome.benchmark.name, "the benchmark ran", None, "==", 0, "", T.INVALID,
                         f"exit status {outcome.returncode}")
            )  # fmt: skip
            continue
        found += [T.from_json(entry) for entry in result.get("targets", [])]
    if "foundation" in by_name and "foundation-no-rate-limit" in by_name:
        target = rate_limit_target(by_name["foundation"].result(), by_name["foundation-no-rate-limit"].result())
        position = max((i for i, t in enumerate(found) if t.benchmark == "foundation"), default=len(found) - 1)
        found.insert(position + 1, target)
    return found


def print_table(targets: list[T.Target]) -> None:
    rows = [
        (
            t.benchmark,
            t.name,
            "invalid" if t.measured is None else T.format_value(t.measured, t.unit),
            f"{ {'>=': '≥', '<=': '≤', '==': '='}[t.comparison] } {T.format_value(t.target, t.unit)}",
            t.status,
            t.reason or "",
        )
        for t in targets
    ]
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # plain text when rich is missing
        widths = [max(len(str(row[i])) for row in rows) if rows else 0 for i in range(6)]
        for row in rows:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        return
    colour = {T.MET: "green", T.MISSED: "red", T.INVALID: "yellow"}
    table = Table(title="bench-all: targets", title_justify="left", show_lines=False)
    for header, justify in (("benchmark", "left"), ("target", "left"), ("measured", "right"), ("must be", "left"),
                            ("status", "left"), ("why invalid", "left")):  # fmt: skip
        table.add_column(header, justify=justify)
    for row in rows:
        table.add_row(*row[:4], f"[{colour[row[4]]}]{row[4]}[/]", row[5])
    Console(width=max(120, min(200, os.get_terminal_size(1).columns if sys.stdout.isatty() else 160))).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when any target is missed or invalid")
    parser.add_argument("--results-dir", type=Path, default=config.RESULTS_DIR)
    parser.add_argument("--from-json", nargs="+", type=Path, help="only print the table of these JSON results")
    args = parser.parse_args()

    if args.from_json:
        targets = [T.from_json(e) for path in args.from_json for e in json.loads(path.read_text()).get("targets", [])]
        print_table(targets)
        return

    chosen = [b for b in BENCHMARKS if not args.only or b.name in args.only.split(",")]
    if not chosen:
        raise SystemExit(f"no benchmark named {args.only}; choose from {', '.join(b.name for b in BENCHMARKS)}")
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    print(
        f"bench-all: {', '.join(b.name for b in chosen)} in turn, about {sum(b.minutes for b in chosen):.0f} minutes",
        flush=True,
    )
    started = time.monotonic()
    outcomes = [run_benchmark(b, args.results_dir, stamp) for b in chosen]
    targets = collect(outcomes)
    print()
    print_table(targets)
    summary = {
        "started_at": stamp,
        "seconds": round(time.monotonic() - started, 1),
        "runs": [
            {"benchmark": o.benchmark.name, "json": str(o.json_path), "exit": o.returncode, "seconds": round(o.seconds)}
            for o in outcomes
        ],
        "targets": [t.as_json() for t in targets],
    }
    path = args.results_dir / f"all-{stamp}.json"
    path.write_text(json.dumps(summary, indent=2))
    counts = {status: sum(t.status == status for t in targets) for status in (T.MET, T.MISSED, T.INVALID)}
    print(
        f"{counts[T.MET]} met, {counts[T.MISSED]} missed, {counts[T.INVALID]} invalid"
        f" — {path} ({summary['seconds'] / 60:.1f} min)"
    )
    if any(o.returncode != 0 for o in outcomes):
        sys.exit(2)
    if args.strict and (counts[T.MISSED] or counts[T.INVALID]):
        sys.exit(1)


if __name__ == "__main__":
    main()
