"""The work-queue benchmark: claim-next throughput, directly and over HTTP, and SLA breach delay, in one run.

    .venv/bin/python -m bench.work          (or: make bench-work)

Method.

1. A fresh database ``bo_bench_work`` (dropped and migrated) and Redis database
   12 (flushed). Seeded with set-based SQL as the owner (``bench/work_seed.py``):
   50 tenants; a pool of 1,024 agents, each with the skills data_entry and
   support, assigned to every tenant, capacity 1,000 (the schema's maximum);
   150,000 queued items, 45% data_entry, 45% support, 10% bookkeeping (which
   no agent may do), random priorities and due times; enough that no
   run drains its queue (a claimer finding nothing makes the run invalid, see
   ``bench/validity.py``) even at 9,000 claims/s over warm-up + measured seconds.
2. Direct phase. For N = 1, 2, 4, 8 concurrent claimers, each variant in turn
   (interleaved, so drift in the machine's other load hits all of them):
   N asyncio tasks in this process (uvloop when installed), each on its own
   asyncpg connection, claim in a loop for a warm-up (excluded) and then the
   measured seconds:

   - ``bare``: one autocommit ``UPDATE … WHERE (tenant_id, id) = (SELECT … ORDER
     BY queue_due_at, priority DESC, queued_at LIMIT 1 FOR UPDATE SKIP LOCKED)``
     as the owner (no RLS): the ceiling;
   - ``plain``: the same without SKIP LOCKED (claimers queue on one row);
   - ``routed``: the claim the app runs, as the runtime role with RLS on:
     ``SELECT * FROM bo_claim_next(agent, tenants, now)`` autocommit, one round
     trip (the function declares the scope, locks the agent, applies the skill,
     tenant and capacity filters, claims and writes the history row).

   Every claimer is a different agent at any moment: claimer i takes agents i,
   i + N, i + 2N, … of the pool in turn. The pool keeps each agent's count of
   items in progress small, as in service (an agent holds at most its
   capacity), so the capacity filter runs and counts a handful of rows; with one
   agent per claimer it would count thousands, an artifact of the bench. Every
   claimed id is recorded: an id claimed twice in a run is a double claim (must
   be 0), and the database must hold as many claimed rows as claims were seen.
   Between runs the claimed items go back to queued and ``VACUUM ANALYZE``
   runs, so every run starts from the same queue. Latency is per claim (all its
   round trips), from this process. The routed claim reads the queue in due
   order and passes over the bookkeeping items, which nobody takes: they pile
   up at the head as a run goes on, and each row shows how many lay ahead of
   the next item the agents may do when it ended.
3. HTTP phase: the real app (``bench.server``, one uvicorn process, rate limit
   out of the way) and wrk with ``-t N -c N``: one connection per thread, each
   thread rotating over its own slice of the agents' bearer tokens, POSTing
   ``/api/v1/queue/claim``; 200 answers are claims. Afterwards the database's
   transition rows must show each item claimed once, and as many claims as wrk
   saw 200s (plus at most one per connection for each time wrk stopped with a
   request in flight).
4. Breach phase: 10,000 open items (queued and some in progress) whose due
   times are hours or days away get their timers armed through the real code
   (``sla.detection.arm_timers`` in tenant-scoped sessions, relayed to Redis by
   the outbox). The real worker starts (``python -m dramatiq
   bo_saas.server.worker:boot --processes 1 --threads 4``, the environment of
   ``worker_environment()``) and prefetches them. Then 500 queued items whose
   first response falls due at random instants of the next 20 s are added and
   armed the same way while the worker runs. After the window (plus a margin)
   the worker stops and ``sla_events`` gives the delay ``recorded_at − due_at``
   of each breach. No API server runs in this phase, so no sweeper: every
   breach is a timer's.
5. Targets, printed PASS/FAIL: routed ≥ 0.7 × bare claims/s at 8 claimers;
   zero double claims everywhere; breach p99 ≤ 1 s with every due breach
   recorded once. When the routed target fails (``--diagnose auto``), the
   routed claim is taken apart at 8 claimers, beside bare and routed measured
   again: the function reading the agent's assignments itself (as the HTTP
   claim does), inside BEGIN … COMMIT after the app's scope statement, 0008's
   and 0025's functions as ``pg_temp`` copies (issue 16's before and 0035's
   before, in the same run), and with agents that may do every item. ``--rounds N`` repeats the direct
   phase's runs, interleaved, and reports the round with the median claims/s.

The machine has 2 cores shared by this process (the load generator), the
server, PostgreSQL and whatever else runs: compare ratios within one run, not
absolute figures across runs. Each row shows CPU per claim of the claimers'
process and of their PostgreSQL backends (steadier than claims/s when other
work shares the machine), and how much of the machine that other work took.
Results (JSON, server and worker logs) go under ``bench-results/``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

if __package__ in (None, ""):  # run as a script: python bench/work.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
import redis

from bench import config
from bench import validity as V
from bench import work_seed as seed
from bench.run import BenchServer, free_port, parse_wrk, require_services, require_wrk, run_wrk, wait_for_quiet
from bench.work_report import (
    TARGET_BREACH_P99_SECONDS,
    TARGET_ROUTED_OVER_BARE,
    median_runs,
    routed_over_bare,
    summarise,
)
from bo_saas.identity.tokens import TokenSigner
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.settings import PROJECT_ROOT
from bo_saas.work.queue import CLAIM_SQL

# High enough that the per-caller limit never answers 429 during a run.
UNLIMITED_RATE_PER_MINUTE = 1_000_000_000

# The ceiling and the plain-lock reference: one autocommit statement, as the owner, same table and index.
BARE_CLAIM_SQL = """
UPDATE work_items SET state = 'in_progress', assignee_id = $1
WHERE (tenant_id, id) = (
    SELECT tenant_id, id FROM work_items WHERE state = 'queued'
    ORDER BY queue_due_at, priority DESC, queued_at LIMIT 1 FOR UPDATE SKIP LOCKED)
RETURNING id
"""
PLAIN_CLAIM_SQL = BARE_CLAIM_SQL.replace(" SKIP LOCKED", "")
SET_SCOPE_SQL = "SELECT set_config('bo.tenant_ids', $1, true)"  # as lib/db.py declares the scope


# --- CPU accounting --------------------------------------------------------------------------

_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle (nor waiting on I/O), from /proc/stat."""
    with open("/proc/stat") as stat:
        ticks = [int(n) for n in stat.readline().split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / _TICKS


def database_backends() -> list[int]:
    """PostgreSQL backends connected to the bench database (the process title names it)."""
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                title = cmdline.read()
        except OSError:
            continue
        if title.startswith(b"postgres:") and f" {seed.DATABASE} ".encode() in title:
            pids.append(int(entry.name))
    return pids


@dataclass
class CpuMeter:
    """CPU used between ``start`` and ``stop`` by some processes and by the whole machine."""

    pids: Callable[[], list[int]]
    own_process: bool = False
    _processes: dict[int, float] = field(default_factory=dict)
    _own: float = 0.0
    _machine: float = 0.0
    _wall: float = 0.0
    processes_seconds: float = 0.0
    own_seconds: float = 0.0
    machine_busy_percent: float = 0.0

    def start(self) -> None:
        self._processes = {pid: process_cpu_seconds(pid) for pid in self.pids()}
        self._own = time.process_time()
        self._machine = machine_busy_seconds()
        self._wall = time.monotonic()

    def stop(self) -> None:
        now = {pid: process_cpu_seconds(pid) for pid in self.pids()}
        # A process that appeared in between counts from zero; one that exited counts as nothing.
        self.processes_seconds = sum(max(0.0, seconds - self._processes.get(pid, 0.0)) for pid, seconds in now.items())
        self.own_seconds = time.process_time() - self._own
        wall = time.monotonic() - self._wall
        self.machine_busy_percent = 100 * (machine_busy_seconds() - self._machine) / wall if wall else 0.0


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of unsorted values; NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def ratio(numerator: float, denominator: float) -> float:
    """For CPU per claim and the like, where both figures come from one valid run (the claims are > 0)."""
    return numerator / denominator if denominator else 0.0


# --- claim variants --------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimContext:
    """What every claim needs besides its agent: the tenants the agents serve (all of them)."""

    tenant_ids: list[UUID]
    scope_setting: str
    agent_skills: list[str]


ClaimFn = Callable[[asyncpg.Connection, UUID, ClaimContext], Awaitable[UUID | None]]


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    as_owner: bool  # the owner (postgres, no RLS) or the runtime role bo_app (RLS forced)
    claim: ClaimFn
    # Per connection, before the clock starts (e.g. a pg_temp function).
    prepare: Callable[[asyncpg.Connection], Awaitable[None]] | None = None
    # Around the whole run, on an owner connection (e.g. a diagnostic's schema or data change, undone after).
    around: Callable[[asyncpg.Connection], contextlib.AbstractAsyncContextManager[None]] | None = None
    # Whether the claim keeps to the agent's skills (claim-next) or takes any queued item (the bare references):
    # which queued items count as claimable for the drain guard.
    skill_filtered: bool = True


async def claim_bare(connection: asyncpg.Connection, agent: UUID, _: ClaimContext) -> UUID | None:
    return await connection.fetchval(BARE_CLAIM_SQL, agent)


async def claim_plain(connection: asyncpg.Connection, agent: UUID, _: ClaimContext) -> UUID | None:
    return await connection.fetchval(PLAIN_CLAIM_SQL, agent)


def routed_claim(*, own_scope: bool = False) -> ClaimFn:
    """The app's claim: ``bo_claim_next`` alone, autocommit, as bo_app with RLS on — one round trip.

    It declares the scope, locks the agent, claims and writes the history row. ``own_scope``: the
    function reads the agent's assignments itself (what ``POST /api/v1/queue/claim`` does) instead
    of being handed the tenants.
    """

    async def claim(connection: asyncpg.Connection, agent: UUID, context: ClaimContext) -> UUID | None:
        tenants = None if own_scope else context.tenant_ids
        row = await connection.fetchrow(CLAIM_SQL, agent, tenants, datetime.now(UTC))
        return row["id"] if row else None

    return claim


async def claim_in_transaction(connection: asyncpg.Connection, agent: UUID, context: ClaimContext) -> UUID | None:
    """Diagnostic: the function inside BEGIN … COMMIT after the app's own scope statement (three round trips)."""
    async with connection.transaction():
        await connection.execute(SET_SCOPE_SQL, context.scope_setting)
        row = await connection.fetchrow(CLAIM_SQL, agent, context.tenant_ids, datetime.now(UTC))
    return row["id"] if row else None


# Earlier claim functions as pg_temp copies on each claimer's connection, measured in the same run as the
# installed one, so their ratios to bare compare: 0008's (issue 16's before) and 0025's (0035's before: the
# claim that read the agent's assignments on every call).
_MIGRATIONS = PROJECT_ROOT / "migrations" / "versions"


def _claim_function_of(migration: str, name: str) -> str:
    spec = importlib.util.spec_from_file_location(name, _MIGRATIONS / migration)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.CLAIM_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
    return text.replace("FUNCTION bo_claim_next(", f"FUNCTION pg_temp.{name}(", 1)


def _earlier_claim(migration: str, name: str):
    sql = f"SELECT tenant_id, id FROM pg_temp.{name}($1, $2, $3)"

    async def install(connection: asyncpg.Connection) -> None:
        await connection.execute(_claim_function_of(migration, name))

    async def claim(connection: asyncpg.Connection, agent: UUID, context: ClaimContext) -> UUID | None:
        row = await connection.fetchrow(sql, agent, context.tenant_ids, datetime.now(UTC))
        return row["id"] if row else None

    return install, claim


install_claim_0008, claim_0008 = _earlier_claim("0008_claim_function.py", "bo_claim_next_0008")
install_claim_0025, claim_0025 = _earlier_claim("0025_hot_path.py", "bo_claim_next_0025")


@contextlib.asynccontextmanager
async def agents_with_every_skill(owner: asyncpg.Connection) -> AsyncIterator[None]:
    """Diagnostic: every agent may also do bookkeeping for one run, so no queued item is out of its reach."""
    await owner.execute(
        "INSERT INTO staff_skills (account_id, skill_code) SELECT account_id, 'bookkeeping' FROM staff_profiles"
    )
    try:
        yield
    finally:
        await owner.execute("DELETE FROM staff_skills WHERE skill_code = 'bookkeeping'")


BARE = Variant(
    "bare",
    "UPDATE … (SELECT … LIMIT 1 FOR UPDATE SKIP LOCKED), autocommit, owner",
    True,
    claim_bare,
    skill_filtered=False,
)
PLAIN = Variant("plain", "the same with FOR UPDATE (no SKIP LOCKED)", True, claim_plain, skill_filtered=False)
ROUTED = Variant(
    "routed", "SELECT bo_claim_next(agent, tenants, now), autocommit — bo_app, RLS on", False, routed_claim()
)
DIAGNOSTICS = (
    Variant(
        "routed-own-scope",
        "routed, the function reads the agent's assignments itself (as the HTTP claim does)",
        False,
        routed_claim(own_scope=True),
    ),
    Variant(
        "routed-in-transaction",
        "BEGIN; set_config scope; bo_claim_next; COMMIT (the app's session path, 3 round trips)",
        False,
        claim_in_transaction,
    ),
    Variant(
        "routed-0008",
        "routed with 0008's claim function (before issue 16), a pg_temp copy: the same run's before",
        False,
        claim_0008,
        prepare=install_claim_0008,
    ),
    Variant(
        "routed-0025",
        "routed with 0025's claim function (before 0035 stopped reading the agent's assignments), a pg_temp copy",
        False,
        claim_0025,
        prepare=install_claim_0025,
    ),
    Variant(
        "routed-every-skill",
        "routed, agents may also do bookkeeping: no queued item they must pass over",
        False,
        routed_claim(),
        around=agents_with_every_skill,
    ),
)


# --- the direct phase ------------------------------------------------------------------------


@dataclass
class DirectRun:
    variant: str
    claimers: int
    measured_seconds: float
    claims: int  # completed within the measured window
    claims_per_second: float
    p50_ms: float
    p99_ms: float
    empty_answers: int  # claims that found nothing, warm-up included (any: the queue drained, invalid)
    errors: int
    all_claims: int  # warm-up included
    double_claims: int  # ids seen more than once, across all claimers
    claimed_rows_in_database: int
    claims_per_second_by_second: list[int]
    client_cpu_us_per_claim: float
    postgres_cpu_us_per_claim: float
    machine_busy_percent: float
    other_cpu_percent: float  # the machine's busy time not spent by the claimers or their backends: noise
    # Queued items no agent may do, due before the first item the agents may do: what the next
    # routed claim reads and passes over.
    unclaimable_ahead_after: int
    # The drain guard (bench/validity.py): queued items this variant's claimers may take, before and after;
    # a run whose queue drained (or that was not made because it would have) is not valid.
    claimable_before: int = 0
    claimable_after: int = 0
    valid: bool = True
    reason: str | None = None

    @property
    def validity(self) -> V.Validity:
        return V.Validity(self.valid, self.reason)

    @property
    def ok(self) -> bool:
        return self.double_claims == 0 and self.claimed_rows_in_database == self.all_claims and self.errors == 0

    @classmethod
    def not_run(cls, variant: str, claimers: int, seconds: float, claimable: int, why: V.Validity) -> DirectRun:
        return cls(
            variant=variant, claimers=claimers, measured_seconds=seconds, claims=0, claims_per_second=0.0,
            p50_ms=0.0, p99_ms=0.0, empty_answers=0, errors=0, all_claims=0, double_claims=0,
            claimed_rows_in_database=0, claims_per_second_by_second=[], client_cpu_us_per_claim=0.0,
            postgres_cpu_us_per_claim=0.0, machine_busy_percent=0.0, other_cpu_percent=0.0,
            unclaimable_ahead_after=0, claimable_before=claimable, claimable_after=claimable,
            valid=False, reason=why.reason,
        )  # fmt: skip


@dataclass
class _ClaimerTally:
    ids: list[UUID] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    completions: list[float] = field(default_factory=list)
    empty: int = 0
    errors: int = 0


async def _claimer(
    variant: Variant,
    connection: asyncpg.Connection,
    agents: list[UUID],
    context: ClaimContext,
    warm_end: float,
    end: float,
) -> _ClaimerTally:
    tally = _ClaimerTally()
    turn = 0
    while (started := time.perf_counter()) < end:
        agent = agents[turn % len(agents)]
        turn += 1
        try:
            claimed = await variant.claim(connection, agent, context)
        except asyncpg.PostgresError:
            tally.errors += 1
            continue
        finished = time.perf_counter()
        if claimed is None:
            tally.empty += 1  # warm-up included: the queue drained, so what follows times an empty queue
            continue
        tally.ids.append(claimed)
        if warm_end <= finished <= end:
            tally.latencies.append(finished - started)
            tally.completions.append(finished - warm_end)
    return tally


async def _connect(as_owner: bool) -> asyncpg.Connection:
    return await (seed.connect_owner() if as_owner else seed.connect_runtime())


# $1 true when the variant takes any queued item, $2 an agent (they all have the same skills).
CLAIMABLE_SQL = """
SELECT count(*) FROM work_items
WHERE state = 'queued' AND ($1::bool OR skill_code IN (SELECT skill_code FROM staff_skills WHERE account_id = $2))
"""

UNCLAIMABLE_AHEAD_SQL = """
SELECT count(*) FROM work_items
WHERE state = 'queued' AND NOT (skill_code = ANY ($1::text[]))
  AND queue_due_at < (SELECT min(queue_due_at) FROM work_items WHERE state = 'queued' AND skill_code = ANY ($1::text[]))
"""


async def run_claimers(
    variant: Variant,
    claimers: int,
    context: ClaimContext,
    agents: list[UUID],
    *,
    warmup: float,
    seconds: float,
    expected_rate: float | None = None,
) -> DirectRun:
    """N claimers of one variant for warm-up + measured seconds; then the checks, then the queue put back.

    Not made (and invalid) when the queue holds too few items this variant may claim for ``expected_rate``;
    invalid when it drained during the run.
    """
    owner = await seed.connect_owner()
    connections: list[asyncpg.Connection] = []
    try:
        around = variant.around(owner) if variant.around else contextlib.nullcontext()
        async with around:
            claimable = await owner.fetchval(CLAIMABLE_SQL, not variant.skill_filtered, agents[0])
            ready = V.precheck(claimable, expected_rate, warmup, seconds)
            if not ready.valid:
                return DirectRun.not_run(variant.name, claimers, seconds, claimable, ready)
            connections = [await _connect(variant.as_owner) for _ in range(claimers)]
            backends = [await connection.fetchval("SELECT pg_backend_pid()") for connection in connections]
            if variant.prepare:
                for connection in connections:
                    await variant.prepare(connection)
            meter = CpuMeter(pids=lambda: backends)
            start = time.perf_counter()
            warm_end, end = start + warmup, start + warmup + seconds

            async def metered() -> None:
                await asyncio.sleep(warmup)
                meter.start()
                await asyncio.sleep(seconds)
                meter.stop()

            tallies, _ = await asyncio.gather(
                asyncio.gather(
                    *(
                        _claimer(variant, connection, agents[i::claimers], context, warm_end, end)
                        for i, connection in enumerate(connections)
                    )
                ),
                metered(),
            )
            claimable_after = await owner.fetchval(CLAIMABLE_SQL, not variant.skill_filtered, agents[0])
        all_ids = [item for tally in tallies for item in tally.ids]
        latencies = [latency for tally in tallies for latency in tally.latencies]
        by_second = Counter(int(t) for tally in tallies for t in tally.completions)
        claimed_rows = await owner.fetchval("SELECT count(*) FROM work_items WHERE state = 'in_progress'")
        unclaimable_ahead = await owner.fetchval(UNCLAIMABLE_AHEAD_SQL, context.agent_skills)
        claims = len(latencies)
        empty = sum(tally.empty for tally in tallies)
        drained = V.drain_check(claims=len(all_ids), empty_answers=empty, claimable_after=claimable_after)
        return DirectRun(
            variant=variant.name,
            claimers=claimers,
            measured_seconds=seconds,
            claims=claims,
            claims_per_second=claims / seconds,
            p50_ms=1000 * percentile(latencies, 0.50),
            p99_ms=1000 * percentile(latencies, 0.99),
            empty_answers=empty,
            errors=sum(tally.errors for tally in tallies),
            all_claims=len(all_ids),
            double_claims=sum(count - 1 for count in Counter(all_ids).values() if count > 1),
            claimed_rows_in_database=claimed_rows,
            claims_per_second_by_second=[by_second.get(s, 0) for s in range(int(seconds))],
            client_cpu_us_per_claim=1e6 * ratio(meter.own_seconds, claims),
            postgres_cpu_us_per_claim=1e6 * ratio(meter.processes_seconds, claims),
            machine_busy_percent=meter.machine_busy_percent,
            other_cpu_percent=max(
                0.0, meter.machine_busy_percent - 100 * (meter.own_seconds + meter.processes_seconds) / seconds
            ),
            unclaimable_ahead_after=unclaimable_ahead,
            claimable_before=claimable,
            claimable_after=claimable_after,
            valid=drained.valid,
            reason=drained.reason,
        )
    finally:
        for connection in connections:
            await connection.close()
        await seed.requeue_claimed(owner)
        await owner.close()


def _print_direct_header() -> None:
    print(
        f"  {'variant':<32} {'N':>2} {'claims/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'1st→last s':>13}"
        f" {'double':>6} {'client µs':>9} {'pg µs':>7} {'other%':>6} {'skipped':>7}",
        flush=True,
    )


def _print_direct_row(run: DirectRun) -> None:
    by_second = run.claims_per_second_by_second
    trend = f"{by_second[0]}→{by_second[-1]}" if by_second else "-"
    flag = "" if run.ok else f"  !! db {run.claimed_rows_in_database} vs {run.all_claims} seen, {run.errors} errors"
    if not run.valid:
        print(f"  {run.variant:<32} {run.claimers:>2} {V.show_run(run.validity)}{flag}", flush=True)
        return
    print(
        f"  {run.variant:<32} {run.claimers:>2} {run.claims_per_second:9.0f} {run.p50_ms:8.2f} {run.p99_ms:8.2f}"
        f" {trend:>13} {run.double_claims:>6} {run.client_cpu_us_per_claim:9.0f} {run.postgres_cpu_us_per_claim:7.0f}"
        f" {run.other_cpu_percent:6.0f} {run.unclaimable_ahead_after:>7}{flag}",
        flush=True,
    )


@dataclass(frozen=True)
class Timing:
    warmup: float
    seconds: float
    quiet_wait: float  # before a run, wait up to this long for other work on the machine to pass


# Claims/s of every valid run so far, by (variant, N): what the drain guard expects of the next run.
RateBook = dict[tuple[str, int], float]


def measure_variant(
    variant: Variant, claimers: int, context: ClaimContext, agents: list[UUID], timing: Timing, rates: RateBook
) -> DirectRun:
    expected = V.estimate_rate(rates, variant.name, claimers)
    if timing.quiet_wait > 0:
        wait_for_quiet(timing.quiet_wait)
    run = _run_async(
        run_claimers(
            variant, claimers, context, agents, warmup=timing.warmup, seconds=timing.seconds, expected_rate=expected
        )
    )
    if run.valid:
        rates[(variant.name, claimers)] = max(rates.get((variant.name, claimers), 0.0), run.claims_per_second)
    _print_direct_row(run)
    return run


def measure_direct_phase(
    claimer_counts: list[int], context: ClaimContext, agents: list[UUID], timing: Timing, rounds: int, rates: RateBook
) -> list[DirectRun]:
    _print_direct_header()
    # Interleaved within each N (and round), so drift in the machine's other load hits every variant alike.
    return [
        measure_variant(variant, claimers, context, agents, timing, rates)
        for claimers in claimer_counts
        for _ in range(rounds)
        for variant in (BARE, PLAIN, ROUTED)
    ]


def diagnose_routed_claim(
    claimers: int, context: ClaimContext, agents: list[UUID], timing: Timing, rates: RateBook
) -> list[DirectRun]:
    """Take the routed claim apart at one N, with the bare ceiling and the routed claim measured again beside it."""
    _print_direct_header()
    return [
        measure_variant(variant, claimers, context, agents, timing, rates) for variant in (BARE, ROUTED, *DIAGNOSTICS)
    ]


def _run_async(coroutine):
    """One event loop per step, uvloop when installed (as the server runs)."""
    if importlib.util.find_spec("uvloop"):
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(coroutine)
    return asyncio.run(coroutine)


# --- the HTTP phase --------------------------------------------------------------------------


@dataclass
class HttpRun:
    claimers: int
    measured_seconds: float
    claims: int  # 200 answers in the measured run
    claims_per_second: float
    p50_ms: float
    p99_ms: float
    answers_204: int
    answers_other: int
    socket_errors: int
    all_claims: int  # 200 answers, warm-up included
    transitions_in_database: int
    items_claimed_in_database: int
    double_claims: int
    server_cpu_us_per_claim: float
    postgres_cpu_us_per_claim: float
    machine_busy_percent: float
    direct_routed_claims_per_second: float | None = None
    direct_routed_valid: bool = True
    # The drain guard, as for the direct runs: a 204 (nothing to claim) or an empty queue at the end is invalid.
    claimable_before: int = 0
    claimable_after: int = 0
    valid: bool = True
    reason: str | None = None

    @property
    def validity(self) -> V.Validity:
        return V.Validity(self.valid, self.reason)

    @property
    def ratio_to_direct(self) -> float | None:
        """× the direct routed claim at the same N; None (invalid) when either run is."""
        direct = V.Validity(self.direct_routed_valid, "the direct routed run is invalid")
        return V.ratio(self.claims_per_second, self.direct_routed_claims_per_second, self.validity, direct)

    @classmethod
    def not_run(cls, claimers: int, seconds: float, claimable: int, why: V.Validity) -> HttpRun:
        return cls(
            claimers=claimers, measured_seconds=seconds, claims=0, claims_per_second=0.0, p50_ms=0.0, p99_ms=0.0,
            answers_204=0, answers_other=0, socket_errors=0, all_claims=0, transitions_in_database=0,
            items_claimed_in_database=0, double_claims=0, server_cpu_us_per_claim=0.0, postgres_cpu_us_per_claim=0.0,
            machine_busy_percent=0.0, claimable_before=claimable, claimable_after=claimable, valid=False,
            reason=why.reason,
        )  # fmt: skip

    @property
    def unanswered_claims(self) -> int:
        """Claims in the database that wrk never saw answered: requests in flight when wrk stopped."""
        return self.transitions_in_database - self.all_claims

    @property
    def ok(self) -> bool:
        # Each of the two wrk runs (warm-up, measured) may leave one request per connection in flight.
        return (
            self.double_claims == 0
            and self.answers_other == 0
            and self.socket_errors == 0
            and 0 <= self.unanswered_claims <= 2 * self.claimers
        )


CLAIM_PATH = "/api/v1/queue/claim"


def write_claim_script(directory: Path, token_slices: list[list[str]]) -> Path:
    """A wrk Lua script: thread k POSTs the claim as the agents of slice k in turn, and counts 200s and 204s."""
    slices = ",\n".join("  {" + ", ".join(f'"{token}"' for token in tokens) + "}" for tokens in token_slices)
    script = directory / f"claim-{len(token_slices)}.lua"
    script.write_text(
        f"""local slices = {{
{slices}
}}
local threads = {{}}
local started = 0

function setup(thread)
  started = started + 1
  thread:set("slot", started)
  table.insert(threads, thread)
end

function init(args)
  requests = {{}}
  for i, token in ipairs(slices[slot]) do
    requests[i] = wrk.format("POST", "{CLAIM_PATH}", {{["Authorization"] = "Bearer " .. token}}, "")
  end
  position = 1
  claimed, empty, other = 0, 0, 0
end

function request()
  local r = requests[position]
  position = position % #requests + 1
  return r
end

function response(status, headers, body)
  if status == 200 then claimed = claimed + 1
  elseif status == 204 then empty = empty + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local c, e, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("claimed")
    e = e + thread:get("empty")
    o = o + thread:get("other")
  end
  io.write(string.format("answers_200 %d\\nanswers_204 %d\\nanswers_other %d\\n", c, e, o))
end
"""
    )
    return script


def _answer_counts(output: str) -> tuple[int, int, int]:
    found = dict(re.findall(r"^answers_(\w+) (\d+)$", output, re.MULTILINE))
    return int(found.get("200", 0)), int(found.get("204", 0)), int(found.get("other", 0))


def mint_agent_tokens(agents: list[UUID]) -> list[str]:
    signer = TokenSigner(config.SECRET_KEY, ttl_seconds=3600)
    return [signer.issue(Caller(role=Role.PROVIDER_AGENT, account_id=agent)) for agent in agents]


async def _claims_in_database() -> tuple[int, int, int]:
    """(claim transitions, distinct items they name, items in progress) — read before the queue is put back."""
    owner = await seed.connect_owner()
    try:
        transitions, items = await owner.fetchrow(
            "SELECT count(*), count(DISTINCT (tenant_id, work_item_id)) FROM work_item_transitions"
            " WHERE to_state = 'in_progress'"
        )
        in_progress = await owner.fetchval("SELECT count(*) FROM work_items WHERE state = 'in_progress'")
        return transitions, items, in_progress
    finally:
        await owner.close()


async def _claimable(agent: UUID) -> int:
    """Queued items the agents may claim (they all have the same skills and tenants)."""
    owner = await seed.connect_owner()
    try:
        return await owner.fetchval(CLAIMABLE_SQL, False, agent)
    finally:
        await owner.close()


async def _requeue() -> None:
    owner = await seed.connect_owner()
    try:
        await seed.requeue_claimed(owner)
    finally:
        await owner.close()


def check_one_claim(server: BenchServer, token: str) -> None:
    """The endpoint answers a claim with an item in progress for that agent (before anything is measured)."""
    request = urllib.request.Request(
        f"{server.url}{CLAIM_PATH}", method="POST", data=b"", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        if answer.status != 200:
            raise SystemExit(f"POST {CLAIM_PATH} answered {answer.status}, expected 200 with an item")
        item = json.loads(answer.read())
    if item.get("state") != "in_progress":
        raise SystemExit(f"the claimed item is not in progress: {item}")


def measure_http_phase(
    args: argparse.Namespace,
    wrk: str,
    agents: list[UUID],
    direct: dict[int, DirectRun],
    log_path: Path,
) -> list[HttpRun]:
    tokens = mint_agent_tokens(agents)
    server = BenchServer(
        free_port(), log_path, log_level=args.log_level, rate_limit_per_minute=UNLIMITED_RATE_PER_MINUTE
    )
    # BenchServer's environment points at the foundation bench's database: aim it at this one.
    server.environment = {
        **seed.server_environment(log_level=args.log_level, rate_limit_per_minute=UNLIMITED_RATE_PER_MINUTE),
        "BENCH_ABLATE": "",
    }
    runs = []
    with tempfile.TemporaryDirectory(prefix="bo-bench-work-") as workdir:
        server.start()
        print(f"  server pid {server.pid} on {server.url}; wrk -tN -cN, {args.warmup:g} s warm-up + {args.seconds:g} s")
        print(
            f"  {'N':>4} {'claims/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'×direct':>8} {'double':>6}"
            f" {'server µs':>9} {'pg µs':>7} {'busy%':>5}",
            flush=True,
        )
        rates: RateBook = {}
        try:
            check_one_claim(server, tokens[0])
            _run_async(_requeue())
            for claimers in args.claimers:
                claimable = _run_async(_claimable(agents[0]))
                ready = V.precheck(claimable, V.estimate_rate(rates, "http", claimers), args.warmup, args.seconds)
                if not ready.valid:
                    print(f"  {claimers:>4} {V.show_run(ready)}", flush=True)
                    runs.append(HttpRun.not_run(claimers, args.seconds, claimable, ready))
                    continue
                script = write_claim_script(Path(workdir), [tokens[i::claimers] for i in range(claimers)])
                options = {"connections": claimers, "threads": claimers}
                warm = run_wrk(wrk, server.url, script, seconds=max(1, round(args.warmup)), **options)
                server_before = process_cpu_seconds(server.pid)
                meter = CpuMeter(pids=database_backends)
                meter.start()
                started = time.monotonic()
                output = run_wrk(wrk, server.url, script, seconds=max(1, round(args.seconds)), **options)
                elapsed = time.monotonic() - started
                meter.stop()
                server_cpu = process_cpu_seconds(server.pid) - server_before
                parsed = parse_wrk(output)
                claims, empty, other = _answer_counts(output)
                warm_claims, warm_empty, warm_other = _answer_counts(warm)
                transitions, items, _ = _run_async(_claims_in_database())
                claimable_after = _run_async(_claimable(agents[0]))
                drained = V.drain_check(
                    claims=claims + warm_claims, empty_answers=empty + warm_empty, claimable_after=claimable_after
                )
                direct_run = direct.get(claimers)
                run = HttpRun(
                    claimers=claimers,
                    measured_seconds=elapsed,
                    claims=claims,
                    claims_per_second=claims / elapsed,
                    p50_ms=parsed["p50_ms"],
                    p99_ms=parsed["p99_ms"],
                    answers_204=empty + warm_empty,
                    answers_other=other + warm_other,
                    socket_errors=parsed["socket_errors"],
                    all_claims=claims + warm_claims,
                    transitions_in_database=transitions,
                    items_claimed_in_database=items,
                    double_claims=transitions - items,
                    server_cpu_us_per_claim=1e6 * ratio(server_cpu, claims),
                    postgres_cpu_us_per_claim=1e6 * ratio(meter.processes_seconds, claims),
                    machine_busy_percent=meter.machine_busy_percent,
                    direct_routed_claims_per_second=direct_run.claims_per_second if direct_run else None,
                    direct_routed_valid=direct_run.valid if direct_run else True,
                    claimable_before=claimable,
                    claimable_after=claimable_after,
                    valid=drained.valid,
                    reason=drained.reason,
                )
                if run.valid:
                    rates[("http", claimers)] = run.claims_per_second
                flag = "" if run.ok else (
                    f"  !! {run.answers_other} non-200/204, {run.socket_errors} socket errors,"
                    f" {run.transitions_in_database} claims in the database for {run.all_claims} 200s"
                )  # fmt: skip
                if run.valid:
                    print(
                        f"  {claimers:>4} {run.claims_per_second:9.0f} {run.p50_ms:8.2f} {run.p99_ms:8.2f}"
                        f" {V.show(run.ratio_to_direct, '.3f', 8)} {run.double_claims:>6}"
                        f" {run.server_cpu_us_per_claim:9.0f} {run.postgres_cpu_us_per_claim:7.0f}"
                        f" {run.machine_busy_percent:5.0f}{flag}",
                        flush=True,
                    )
                else:
                    print(f"  {claimers:>4} {V.show_run(run.validity)}{flag}", flush=True)
                runs.append(run)
                _run_async(_requeue())
        finally:
            server.stop()
    return runs


# --- the breach phase ------------------------------------------------------------------------

DELAY_QUEUE_KEY = "dramatiq:sla.DQ"  # the ids of delayed messages not yet taken by a worker


@dataclass
class BreachResult:
    open_items: int
    due_in_window: int
    window_seconds: float
    timers_armed: int
    arming_seconds: float
    lead_seconds: float  # from the due-soon timers reaching Redis to the window's start
    expected: int
    recorded: int
    by_timer: int
    by_sweeper: int
    sweeper_running: bool
    double_breaches: int
    unexpected_events: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    min_ms: float
    worker_log: str

    @property
    def passed(self) -> bool:
        return (
            self.recorded == self.expected
            and self.double_breaches == 0
            and self.unexpected_events == 0
            and self.p99_ms <= 1000 * TARGET_BREACH_P99_SECONDS
        )


def item_ids(kind: str, count: int) -> list[UUID]:
    return [seed.item_id(kind, n) for n in range(1, count + 1)]


async def arm_timers_for(ids: list[UUID], tenants: list[UUID], *, batch: int = 500, concurrency: int = 4) -> int:
    """Arm every due instant of these items through the app's code; return how many timers were queued.

    ``arm_timers`` in sessions scoped to the tenants, a batch of items per transaction, a few transactions at
    once; each commit's outbox relay sends its messages to Redis, and this waits for all of them.
    """
    from sqlalchemy import func, select

    from bo_saas.lib.broker import setup_broker
    from bo_saas.lib.db import make_engine, make_sessionmaker, scoped_session
    from bo_saas.lib.outbox import PENDING_KEY, wait_for_relays
    from bo_saas.lib.outbox_models import OutboxMessage
    from bo_saas.lib.tenant_scope import TenantScope
    from bo_saas.server.registry import load
    from bo_saas.sla.detection import arm_timers
    from bo_saas.work.models import WorkItem

    load().import_task_modules()  # declares the actors, so setup_broker binds them
    setup_broker(seed.REDIS_URL)
    engine = make_engine(seed.DATABASE_URL, pool_size=concurrency)
    sessionmaker = make_sessionmaker(engine)
    scope = TenantScope(frozenset(tenants))
    gate = asyncio.Semaphore(concurrency)
    armed = 0

    async def arm_batch(chunk: list[UUID]) -> None:
        nonlocal armed
        async with gate, scoped_session(sessionmaker, scope) as session:
            items = (await session.execute(select(WorkItem).where(WorkItem.id.in_(chunk)))).scalars().all()
            for item in items:
                await arm_timers(session, item, set())
            armed += len(session.info.get(PENDING_KEY, ()))  # read before the commit relays (and clears) them

    try:
        await asyncio.gather(*(arm_batch(ids[i : i + batch]) for i in range(0, len(ids), batch)))
        await wait_for_relays()
        async with sessionmaker() as session:
            unsent = await session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None)))
        if unsent:
            raise RuntimeError(f"{unsent} outbox messages were not relayed to Redis")
    finally:
        await engine.dispose()
    return armed


class Worker:
    """The real dramatiq worker in a subprocess, on the bench database and Redis."""

    def __init__(self, log_path: Path, log_level: str, threads: int, environment: dict[str, str] | None = None) -> None:
        from bo_saas.server.worker import worker_environment

        self.log_path = log_path
        self.threads = threads
        # worker_environment() adds dramatiq's settings (a 100 ms idle poll, a delay-queue prefetch that holds
        # every pending timer) to this process's environment; the BO_* settings point at the bench (this one's,
        # unless another bench gives its own).
        bench = environment or seed.server_environment(
            log_level=log_level, rate_limit_per_minute=UNLIMITED_RATE_PER_MINUTE
        )
        self.environment = {**worker_environment(), **bench}
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.log_path.open("wb")
        command = [sys.executable, "-m", "dramatiq", "bo_saas.server.worker:boot", "--processes", "1"]
        command += ["--threads", str(self.threads)]
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if not self.alive():
            return
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def wait_until_taken(client: redis.Redis, worker: Worker, timeout: float) -> float:
    """Wait until the worker has taken every delayed message from Redis; return the seconds it took."""
    started = time.monotonic()
    while client.llen(DELAY_QUEUE_KEY):
        if not worker.alive():
            raise RuntimeError(f"the worker exited; see {worker.log_path}")
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"the worker did not take the timers from Redis in {timeout:.0f} s")
        time.sleep(0.1)
    return time.monotonic() - started


BREACH_EVENTS_SQL = """
SELECT e.work_item_id, e.clock, e.kind, e.detected_by, extract(epoch FROM e.recorded_at - e.due_at) AS delay
FROM sla_events e
"""


async def _breach_events() -> list[asyncpg.Record]:
    owner = await seed.connect_owner()
    try:
        return await owner.fetch(BREACH_EVENTS_SQL)
    finally:
        await owner.close()


async def _seed_open(args: argparse.Namespace) -> None:
    owner = await seed.connect_owner()
    try:
        await seed.seed_open_items(
            owner,
            items=args.breach_items - args.breach_due,
            tenants=args.tenants,
            agents=args.agents,
            now=datetime.now(UTC),
            in_progress_share=0.2,
        )
    finally:
        await owner.close()


async def _seed_due_soon(args: argparse.Namespace, window_start: datetime) -> None:
    owner = await seed.connect_owner()
    try:
        await seed.seed_due_soon(
            owner,
            items=args.breach_due,
            tenants=args.tenants,
            window_start=window_start,
            window_seconds=args.breach_window,
        )
    finally:
        await owner.close()


def measure_breach_phase(args: argparse.Namespace, tenants: list[UUID], log_path: Path) -> BreachResult:
    client = redis.Redis.from_url(seed.REDIS_URL)
    client.flushdb()  # the HTTP phase's claims armed timers of their own
    _run_async(_seed_open(args))
    started = time.monotonic()
    open_items = args.breach_items - args.breach_due
    armed = _run_async(arm_timers_for(item_ids("open-item", open_items), tenants))
    print(f"  {open_items} open items, {armed} timers armed in {time.monotonic() - started:.1f} s", flush=True)
    worker = Worker(log_path, args.log_level, threads=4)
    worker.start()
    try:
        took = wait_until_taken(client, worker, timeout=120)
        print(f"  worker pid {worker.process.pid} took them from Redis in {took:.1f} s")  # type: ignore[union-attr]
        window_start = datetime.now(UTC) + timedelta(seconds=args.breach_lead)
        window_end = window_start + timedelta(seconds=args.breach_window)
        _run_async(_seed_due_soon(args, window_start))
        due_started = time.monotonic()
        due_armed = _run_async(arm_timers_for(item_ids("due-item", args.breach_due), tenants))
        arming_seconds = time.monotonic() - due_started
        lead = (window_start - datetime.now(UTC)).total_seconds()
        print(
            f"  {args.breach_due} items due over {args.breach_window:g} s from {window_start:%H:%M:%S}:"
            f" {due_armed} timers armed in {arming_seconds:.1f} s, {lead:.1f} s before the first may fall due",
            flush=True,
        )
        if lead <= 0:
            print("  !! the timers reached Redis after the window opened: raise --breach-lead")
        deadline = window_end + timedelta(seconds=args.breach_settle)
        while datetime.now(UTC) < deadline and worker.alive():
            time.sleep(0.5)
        if not worker.alive():
            raise RuntimeError(f"the worker exited during the window; see {log_path}")
    finally:
        worker.stop()
    events = _run_async(_breach_events())
    due_soon = set(item_ids("due-item", args.breach_due))
    breaches = [e for e in events if e["kind"] == "breach" and e["work_item_id"] in due_soon]
    delays = [float(e["delay"]) for e in breaches]
    keys = Counter((e["work_item_id"], e["clock"], e["kind"]) for e in events)
    return BreachResult(
        open_items=args.breach_items,
        due_in_window=args.breach_due,
        window_seconds=args.breach_window,
        timers_armed=armed + due_armed,
        arming_seconds=round(arming_seconds, 2),
        lead_seconds=round(lead, 2),
        expected=args.breach_due,
        recorded=len({e["work_item_id"] for e in breaches}),
        by_timer=sum(1 for e in breaches if e["detected_by"] == "timer"),
        by_sweeper=sum(1 for e in breaches if e["detected_by"] == "sweeper"),
        sweeper_running=False,
        double_breaches=sum(count - 1 for count in keys.values() if count > 1),
        unexpected_events=len(events) - len(breaches),
        p50_ms=1000 * percentile(delays, 0.50),
        p99_ms=1000 * percentile(delays, 0.99),
        max_ms=1000 * max(delays, default=float("nan")),
        min_ms=1000 * min(delays, default=float("nan")),
        worker_log=str(log_path),
    )


# --- the run ---------------------------------------------------------------------------------


def _claimer_counts(text: str) -> list[int]:
    counts = [int(part) for part in text.split(",") if part.strip()]
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("a comma-separated list of claimer counts, e.g. 1,2,4,8")
    return counts


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="bo-saas work-queue benchmark (see the module docstring).")
    parser.add_argument("--seconds", type=float, default=8, help="measured seconds per run")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before each run")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=10,
        help="before each measured run, wait up to this many seconds for other load on the machine to pass",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="direct phase: measure every (N, variant) this many times, interleaved; figures from the median round",
    )
    parser.add_argument("--claimers", type=_claimer_counts, default=[1, 2, 4, 8], help="claimer counts (1,2,4,8)")
    parser.add_argument(
        "--items",
        type=int,
        default=150_000,
        help="queued items at the start of every run (enough that no run drains: see bench/validity.py)",
    )
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--agents", type=int, default=1024, help="agents in the pool the claimers rotate over")
    parser.add_argument(
        "--unskilled-share", type=float, default=0.10, help="share of queued items no agent may do (bookkeeping)"
    )
    parser.add_argument(
        "--diagnose",
        choices=("auto", "always", "never"),
        default="auto",
        help="take the routed claim apart at the largest N (auto: when its target fails)",
    )
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-breach", action="store_true")
    parser.add_argument("--breach-items", type=int, default=10_000, help="open items in the breach phase")
    parser.add_argument("--breach-due", type=int, default=500, help="of which fall due within the window")
    parser.add_argument("--breach-window", type=float, default=20, help="seconds over which they fall due")
    parser.add_argument("--breach-lead", type=float, default=8, help="seconds from seeding them to the window")
    parser.add_argument("--breach-settle", type=float, default=5, help="seconds waited after the window")
    parser.add_argument("--log-level", default="INFO", help="the server's and worker's BO_LOG_LEVEL")
    parser.add_argument("--results-dir", type=Path, default=config.RESULTS_DIR)
    parser.add_argument("--result-json", type=Path, help="write the JSON result here (bench.all reads it)")
    args = parser.parse_args()
    if args.breach_due > args.breach_items:
        parser.error("--breach-due cannot exceed --breach-items")
    return args


async def _seed_throughput_data(args: argparse.Namespace) -> None:
    owner = await seed.connect_owner()
    try:
        await seed.seed_staff(owner, tenants=args.tenants, agents=args.agents)
        await seed.seed_queue(
            owner, items=args.items, tenants=args.tenants, now=datetime.now(UTC), unskilled_share=args.unskilled_share
        )
    finally:
        await owner.close()


def main() -> None:
    args = parse_args()
    wrk = None if args.skip_http else require_wrk()
    require_services()
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    started = time.monotonic()

    print(f"preparing {seed.DATABASE} (fresh) and Redis {seed.REDIS_URL} (flushed)", flush=True)
    redis.Redis.from_url(seed.REDIS_URL).flushdb()
    seed.prepare_database(echo=lambda line: print(f"  {line}"))
    seeding = time.monotonic()
    _run_async(_seed_throughput_data(args))
    print(f"  seeded {args.tenants} tenants, {args.agents} agents, {args.items:,} queued items"
          f" in {time.monotonic() - seeding:.1f} s", flush=True)  # fmt: skip

    tenants = [seed.tenant_id(n) for n in range(1, args.tenants + 1)]
    agents = [seed.agent_id(n) for n in range(1, args.agents + 1)]
    context = ClaimContext(
        tenant_ids=tenants, scope_setting=",".join(sorted(map(str, tenants))), agent_skills=list(seed.AGENT_SKILLS)
    )

    print(f"\ndirect claims ({args.warmup:g} s warm-up + {args.seconds:g} s per run; µs are CPU per claim)", flush=True)
    timing = Timing(warmup=args.warmup, seconds=args.seconds, quiet_wait=args.quiet_wait)
    rates: RateBook = {}
    direct = measure_direct_phase(args.claimers, context, agents, timing, args.rounds, rates)
    top = max(args.claimers)
    by = median_runs(direct)
    routed_ratio = routed_over_bare(by, top)
    diagnostics: list[DirectRun] = []
    # An invalid ratio is no reason to take the claim apart: the queue was too small, not the claim too slow.
    failed = routed_ratio is not None and routed_ratio < TARGET_ROUTED_OVER_BARE
    if args.diagnose == "always" or (args.diagnose == "auto" and failed):
        shown = V.show(routed_ratio, ".3f")
        print(f"\nrouted/bare at {top} is {shown}: taking the routed claim apart at {top} claimers")
        for variant in DIAGNOSTICS:
            print(f"  {variant.name}: {variant.description}")
        diagnostics = diagnose_routed_claim(top, context, agents, timing, rates)

    http: list[HttpRun] = []
    if not args.skip_http:
        print("\nHTTP claims", flush=True)
        direct_routed = {n: run for (variant, n), run in by.items() if variant == "routed"}
        http = measure_http_phase(args, wrk, agents, direct_routed, args.results_dir / f"work-server-{stamp}.log")

    breach = None
    if not args.skip_breach:
        print("\nbreach detection", flush=True)
        breach = measure_breach_phase(args, tenants, args.results_dir / f"work-worker-{stamp}.log")

    summary, lines = summarise(args, direct, diagnostics, http, breach, agent_capacity=seed.AGENT_CAPACITY)
    result = {
        "started_at": stamp,
        "seconds": round(time.monotonic() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "direct": [asdict(run) for run in direct],
        "diagnostics": [asdict(run) for run in diagnostics],
        "http": [
            {**asdict(run), "ratio_to_direct": run.ratio_to_direct, "unanswered_claims": run.unanswered_claims}
            for run in http
        ],
        "breach": asdict(breach) if breach else None,
        "ratios": summary["ratios"],
        "targets": summary["targets"],
        "summary": lines,
    }
    path = args.result_json or args.results_dir / f"work-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print("\n" + "=" * 100)
    print("\n".join(lines))
    print("=" * 100)
    print(f"results: {path}  ({result['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
