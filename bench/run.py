"""The foundation benchmark, in one run against one server process.

    .venv/bin/python -m bench.run          (or: python bench/run.py)

1. Migrates and seeds ``bo_bench`` with 100 tenants × 50 client users.
2. Starts ``bench.server`` (the real app + two reference routes) in one
   uvicorn process on 127.0.0.1.
3. Drives each endpoint with wrk (a second process), 32 connections, a warm-up
   then a measured run: the bare JSON route, the raw asyncpg reference list,
   the real ``GET /api/v1/users``, and the pair for work items: the raw
   reference for a page of 50 work items and the real
   ``GET /api/v1/work-items?limit=50`` (60 items per tenant).
4. Grows the data to 10,000 tenants × 50 users *while the same server keeps
   running* (no restart) and measures the real and the raw list again.
5. Prints req/s, p50, p99 and the ratios against the targets, and saves the
   results as JSON under ``bench-results/``.

Every request carries a client admin's bearer token, rotating over many
callers (1,000 by default: 10 admins of each of 100 tenants, then one admin of
each of 1,000 tenants spread over the 10,000). The bare and raw routes are
anonymous-allowed but get the token too, so all three pay the same
middleware (token check, per-caller rate-limit key) and the ratios measure the
handler's work. The app's rate limit keeps its configured value; a run that
draws any non-2xx answer is reported as failed, since it did not measure the
endpoint. On a 2-core machine wrk, the server and PostgreSQL share the CPU:
compare the ratios of one run, not absolute numbers across runs; with
``--rounds N`` every endpoint is measured N times, interleaved, and the ratios
use the medians. Each row also shows the server's CPU time per request, which
other load on the machine disturbs less than req/s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import config
from bench import targets as T
from bench import validity as V
from bench.ablation import ABLATIONS
from bench.profile_report import report as profile_report
from bench.seed import prepare_database, seed
from bo_saas.identity.tokens import TokenSigner
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.settings import PROJECT_ROOT, Settings

TARGET_REAL_OVER_RAW_RPS = 0.5
TARGET_REAL_OVER_RAW_P99 = 2.0
TARGET_GROWTH_LATENCY = 1.2
BENCHMARK = "foundation"
WRK_INSTALL_HINT = "wrk is not installed: apt-get install -y wrk   (Debian/Ubuntu; sudo if not root)"


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # "{tenant}" is replaced by the caller's tenant id


BARE = Endpoint("bare", "/bench/bare")
RAW = Endpoint("raw", "/bench/raw-users?tenant={tenant}")
REAL = Endpoint("real", "/api/v1/users")
RAW_ITEMS = Endpoint("raw-items", "/bench/raw-work-items?tenant={tenant}")
REAL_ITEMS = Endpoint("real-items", "/api/v1/work-items?limit=50")
ENDPOINTS = (BARE, RAW, REAL, RAW_ITEMS, REAL_ITEMS)


@dataclass
class Measurement:
    phase: str
    endpoint: str
    requests_per_second: float
    p50_ms: float
    p75_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    server_cpu_percent: float
    postgres_cpu_percent: float
    wrk_cpu_percent: float
    other_cpu_percent: float  # everything else on the machine: other people's work is noise
    wrk_output: str = field(repr=False)

    @property
    def server_cpu_us_per_request(self) -> float:
        """The server's CPU time per answered request: the cost that caps one process."""
        return self.server_cpu_percent * 10_000 / self.requests_per_second if self.requests_per_second else 0.0

    @property
    def ok(self) -> bool:
        return self.non_2xx == 0 and self.socket_errors == 0 and self.requests > 0

    @property
    def validity(self) -> V.Validity:
        """A run that drew errors did not measure the endpoint: its figures are invalid."""
        if self.ok:
            return V.VALID
        return V.Validity.invalid(
            f"{self.endpoint}: {self.non_2xx} non-2xx answers, {self.socket_errors} socket errors of {self.requests}"
        )


# --- load generator -----------------------------------------------------------------------------


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(WRK_INSTALL_HINT)
    return path


def write_wrk_script(directory: Path, endpoint: Endpoint, callers: list[tuple[str, str]]) -> Path:
    """A Lua script that sends each request as the next caller (token and, for raw, its tenant)."""
    entries = ",\n".join(
        f'  {{"{endpoint.path.format(tenant=tenant)}", "Bearer {token}"}}' for tenant, token in callers
    )
    script = directory / f"{endpoint.name}.lua"
    script.write_text(
        f"""local entries = {{
{entries}
}}
local requests = {{}}
local position = 1

function init(args)
  for i, entry in ipairs(entries) do
    requests[i] = wrk.format("GET", entry[1], {{["Authorization"] = entry[2]}})
  end
  position = math.random(1, #requests)
end

function request()
  local r = requests[position]
  position = position % #requests + 1
  return r
end
"""
    )
    return script


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _latency_ms(text: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk output has no {percentile}% latency:\n{text}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(text: str) -> dict:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", text, re.MULTILINE)
    if not rps or not total:
        raise RuntimeError(f"unexpected wrk output:\n{text}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {
        "requests_per_second": float(rps.group(1)),
        "requests": int(total.group(1)),
        "p50_ms": _latency_ms(text, "50"),
        "p75_ms": _latency_ms(text, "75"),
        "p90_ms": _latency_ms(text, "90"),
        "p99_ms": _latency_ms(text, "99"),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def run_wrk(wrk: str, url: str, script: Path, *, seconds: int, connections: int, threads: int) -> str:
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


def require_services() -> None:
    """PostgreSQL and Redis on the loopback interface, as the bench expects them."""
    import asyncio

    import asyncpg
    import redis

    async def probe_postgres() -> None:
        connection = await asyncpg.connect(
            host=config.HOST, port=config.PG_PORT, user="postgres", database="postgres", timeout=5
        )
        await connection.close()

    try:
        asyncio.run(probe_postgres())
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        raise SystemExit(
            f"PostgreSQL is not reachable as postgres@{config.HOST}:{config.PG_PORT} ({exc}); "
            "the bench needs a local server with trust auth (BENCH_PG_PORT to change the port)"
        ) from None
    try:
        redis.Redis.from_url(config.REDIS_URL, socket_timeout=5).ping()
    except redis.RedisError as exc:
        raise SystemExit(
            f"Redis is not reachable at {config.REDIS_URL} ({exc}); start one, e.g. "
            "redis-server --bind 127.0.0.1 --daemonize yes (BENCH_REDIS_URL to change it)"
        ) from None


# --- CPU accounting (who used the two cores during a measured run) -----------------------------

_TICKS = os.sysconf("SC_CLK_TCK")


def _process_cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime


def _children_of(parent: int) -> list[int]:
    """Processes whose parent is ``parent`` (uvicorn's workers under its supervisor)."""
    children = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == parent:
                        children.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return children


def _bench_backends() -> list[int]:
    """PostgreSQL backends connected to the bench database (their title names it)."""
    pids = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                title = cmdline.read()
        except OSError:
            continue
        if title.startswith(b"postgres:") and f" {config.DATABASE} ".encode() in title:
            pids.append(int(entry.name))
    return pids


def _postgres_cpu_seconds_by_backend() -> dict[int, float]:
    return {pid: _process_cpu_seconds(pid) for pid in _bench_backends()}


def _postgres_cpu_seconds_since(before: dict[int, float]) -> float:
    """CPU the bench backends used since ``before``; one that exited in between counts as nothing."""
    after = _postgres_cpu_seconds_by_backend()
    return sum(max(0.0, seconds - before.get(pid, 0.0)) for pid, seconds in after.items())


def wait_for_quiet(budget: float, threshold_percent: float = 25.0) -> float:
    """Wait (at most ``budget`` seconds) until the machine is nearly idle; return its busy % at the end."""
    deadline = time.monotonic() + budget
    while True:
        before = _machine_busy_seconds()
        time.sleep(1.0)
        busy = 100 * (_machine_busy_seconds() - before)
        if busy <= threshold_percent or time.monotonic() >= deadline:
            return busy


def _machine_busy_seconds() -> float:
    """CPU seconds all cores spent not idle, from /proc/stat."""
    with open("/proc/stat") as stat:
        ticks = [int(n) for n in stat.readline().split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / _TICKS  # minus idle and iowait


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- the server under test ----------------------------------------------------------------------


class BenchServer:
    def __init__(
        self,
        port: int,
        log_path: Path,
        *,
        log_level: str,
        rate_limit_per_minute: int,
        ablate: str = "",
        workers: int = 1,
    ) -> None:
        self.port = port
        self.workers = workers
        self.url = f"http://{config.HOST}:{port}"
        self.log_path = log_path
        self.environment = config.server_environment(log_level=log_level, rate_limit_per_minute=rate_limit_per_minute)
        self.environment["BENCH_ABLATE"] = ablate
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> None:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.server", "--port", str(self.port), "--workers", str(self.workers)],
            cwd=PROJECT_ROOT,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited ({self.process.returncode}); see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/ready", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not become ready in {timeout:.0f} s; see {self.log_path}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def cpu_seconds(self) -> float:
        """CPU the server has used: its process and, with several workers, theirs (its children)."""
        return sum(_process_cpu_seconds(pid) for pid in (self.pid, *_children_of(self.pid)))

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def get_json(self, path: str, token: str) -> dict:
        request = urllib.request.Request(f"{self.url}{path}", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=5) as answer:
            return json.loads(answer.read())


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((config.HOST, 0))
        return probe.getsockname()[1]


# --- callers ------------------------------------------------------------------------------------


def pick_callers(tenants: int, count: int) -> list[tuple[int, int]]:
    """(tenant number, admin user number) pairs: spread over the tenants, then over their admins."""
    spread = min(tenants, count)
    step = tenants / spread
    tenant_numbers = [1 + int(i * step) for i in range(spread)]
    per_tenant = min(config.ADMINS_PER_TENANT, max(1, count // spread))
    return [(t, u) for u in range(1, per_tenant + 1) for t in tenant_numbers][:count]


def mint_tokens(signer: TokenSigner, callers: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """(tenant id, access token) for each caller, signed as the server signs them."""
    minted = []
    for tenant_number, user_number in callers:
        tenant = config.tenant_id(tenant_number)
        caller = Caller(
            role=Role.CLIENT_ADMIN, account_id=config.account_id(tenant_number, user_number), tenant_id=tenant
        )
        minted.append((str(tenant), signer.issue(caller)))
    return minted


def check_answers(server: BenchServer, minted: list[tuple[str, str]], users_per_tenant: int) -> None:
    """The raw reference and the real endpoint answer the same page, and only the caller's tenant."""
    for tenant, token in minted[:3]:
        real = server.get_json(REAL.path, token)
        raw = server.get_json(RAW.path.format(tenant=tenant), token)
        if real != raw:
            raise SystemExit(f"raw and real answers differ for tenant {tenant}:\nreal={real}\nraw={raw}")
        expected = min(users_per_tenant, 50)
        if len(real["items"]) != expected or real["total"] != users_per_tenant:
            raise SystemExit(
                f"expected {expected} of {users_per_tenant} users, got {len(real['items'])} of {real['total']}"
            )
        if {item["tenant_id"] for item in real["items"]} != {tenant}:
            raise SystemExit(f"the list for tenant {tenant} shows other tenants' rows: RLS is not applied")


def check_work_item_answers(server: BenchServer, minted: list[tuple[str, str]]) -> None:
    """The raw work-items reference answers what the real list answers (the running clock's minutes aside)."""
    from bench.seed import WORK_ITEMS_PER_TENANT

    for tenant, token in minted[:3]:
        real = server.get_json(REAL_ITEMS.path, token)
        raw = server.get_json(RAW_ITEMS.path.format(tenant=tenant), token)
        # The resolution clock runs between the two requests: its minutes agree to within a minute.
        minutes = [[item["sla"].pop("business_minutes_used") for item in page["items"]] for page in (real, raw)]
        if any(abs(a - b) > 1 for a, b in zip(*minutes, strict=False)):
            raise SystemExit(f"raw and real work items disagree on the business minutes used: {minutes}")
        if real != raw:
            raise SystemExit(f"raw and real work items differ for tenant {tenant}:\nreal={real}\nraw={raw}")
        if len(real["items"]) != 50 or real["total"] != WORK_ITEMS_PER_TENANT:
            got = f"{len(real['items'])} of {real['total']}"
            raise SystemExit(f"expected 50 of {WORK_ITEMS_PER_TENANT} work items, got {got}")
        if {item["tenant_id"] for item in real["items"]} != {tenant}:
            raise SystemExit(f"the work items of tenant {tenant} show other tenants' rows: RLS is not applied")


# --- the run ------------------------------------------------------------------------------------


class Runner:
    def __init__(self, args: argparse.Namespace, wrk: str, server: BenchServer, workdir: Path) -> None:
        self.args = args
        self.wrk = wrk
        self.server = server
        self.workdir = workdir
        self.measurements: list[Measurement] = []

    def measure(self, phase: str, endpoint: Endpoint, minted: list[tuple[str, str]]) -> Measurement:
        script = write_wrk_script(self.workdir, endpoint, minted)
        wrk_options = {"connections": self.args.connections, "threads": self.args.threads}
        if self.args.quiet_wait > 0:
            busy = wait_for_quiet(self.args.quiet_wait)
            if busy > 25:
                print(f"  (the machine stays busy with other work: {busy:.0f}% of a core; measuring anyway)")
        if self.args.warmup > 0:
            run_wrk(self.wrk, self.server.url, script, seconds=self.args.warmup, **wrk_options)
        server_before = _process_cpu_seconds(self.server.pid)
        postgres_before = _postgres_cpu_seconds_by_backend()
        wrk_before = _children_cpu_seconds()
        machine_before = _machine_busy_seconds()
        started = time.monotonic()
        output = run_wrk(self.wrk, self.server.url, script, seconds=self.args.duration, **wrk_options)
        elapsed = time.monotonic() - started
        parsed = parse_wrk(output)
        server_cpu = 100 * (_process_cpu_seconds(self.server.pid) - server_before) / elapsed
        postgres_cpu = 100 * _postgres_cpu_seconds_since(postgres_before) / elapsed
        wrk_cpu = 100 * (_children_cpu_seconds() - wrk_before) / elapsed
        machine_cpu = 100 * (_machine_busy_seconds() - machine_before) / elapsed
        measurement = Measurement(
            phase=phase,
            endpoint=endpoint.name,
            server_cpu_percent=server_cpu,
            postgres_cpu_percent=postgres_cpu,
            wrk_cpu_percent=wrk_cpu,
            other_cpu_percent=max(0.0, machine_cpu - server_cpu - postgres_cpu - wrk_cpu),
            wrk_output=output,
            **parsed,
        )
        self.measurements.append(measurement)
        flag = (
            "" if measurement.ok else f"  !! {measurement.non_2xx} non-2xx, {measurement.socket_errors} socket errors"
        )
        print(
            f"  {phase:<14} {endpoint.name:<10} {measurement.requests_per_second:9.0f} req/s"
            f"  p50 {measurement.p50_ms:7.2f} ms  p99 {measurement.p99_ms:7.2f} ms{flag}",
            flush=True,
        )
        return measurement

    def profile(self, endpoint: Endpoint, minted: list[tuple[str, str]], py_spy: str, stamp: str) -> Path:
        """Sample the server with py-spy while wrk drives one endpoint (not part of the figures)."""
        script = write_wrk_script(self.workdir, endpoint, minted)
        output = self.args.results_dir / f"profile-{endpoint.name}-{stamp}.txt"
        seconds = self.args.duration
        sampler = subprocess.Popen(
            [
                py_spy,
                "record",
                "--pid",
                str(self.server.pid),
                "--duration",
                str(seconds),
                "--rate",
                "250",
                "--nonblocking",
                "--format",
                "raw",
                "--output",
                str(output),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        run_wrk(
            self.wrk,
            self.server.url,
            script,
            seconds=seconds + 1,
            connections=self.args.connections,
            threads=self.args.threads,
        )
        _, errors = sampler.communicate(timeout=seconds + 30)
        if sampler.returncode != 0:
            raise RuntimeError(f"py-spy failed: {errors}")
        return output


@dataclass(frozen=True)
class Figures:
    """One endpoint in one phase: the median over the rounds."""

    phase: str
    endpoint: str
    rounds: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    server_cpu_us_per_request: float


def median_figures(measurements: list[Measurement]) -> list[Figures]:
    groups: dict[tuple[str, str], list[Measurement]] = {}
    for m in measurements:
        groups.setdefault((m.phase, m.endpoint), []).append(m)
    return [
        Figures(
            phase=phase,
            endpoint=endpoint,
            rounds=len(group),
            requests_per_second=statistics.median(m.requests_per_second for m in group),
            p50_ms=statistics.median(m.p50_ms for m in group),
            p99_ms=statistics.median(m.p99_ms for m in group),
            server_cpu_us_per_request=statistics.median(m.server_cpu_us_per_request for m in group),
        )
        for (phase, endpoint), group in groups.items()
    ]


def summarise(measurements: list[Measurement], base_phase: str, grown_phase: str | None) -> dict:
    """Ratios (``None`` where a run they use drew errors: printed ``invalid``) and the targets."""
    by = {(f.phase, f.endpoint): f for f in median_figures(measurements)}
    # A figure is as valid as every round it is the median of.
    valid: dict[tuple[str, str], V.Validity] = {}
    for m in measurements:
        valid[(m.phase, m.endpoint)] = valid.get((m.phase, m.endpoint), V.VALID) & m.validity

    not_measured = object()  # a ratio of endpoints this run left out is no ratio at all, not an invalid one

    def pair(numerator: tuple[str, str], denominator: tuple[str, str], attribute: str) -> float | None:
        if numerator not in by or denominator not in by:
            return not_measured  # type: ignore[return-value]
        return V.ratio(
            getattr(by[numerator], attribute), getattr(by[denominator], attribute), valid[numerator], valid[denominator]
        )

    base, grown = base_phase, grown_phase
    ratios = {
        "raw_over_bare_rps": pair((base, "raw"), (base, "bare"), "requests_per_second"),
        "real_over_raw_rps": pair((base, "real"), (base, "raw"), "requests_per_second"),
        "real_p99_over_raw_p99": pair((base, "real"), (base, "raw"), "p99_ms"),
        # Less sensitive to other load on the machine than req/s: the server's CPU per request.
        "real_over_raw_server_cpu_per_request": pair((base, "real"), (base, "raw"), "server_cpu_us_per_request"),
        "items_real_over_raw_rps": pair((base, "real-items"), (base, "raw-items"), "requests_per_second"),
        "items_real_p99_over_raw_p99": pair((base, "real-items"), (base, "raw-items"), "p99_ms"),
        "items_real_over_raw_server_cpu_per_request": pair(
            (base, "real-items"), (base, "raw-items"), "server_cpu_us_per_request"
        ),
    }
    if grown:
        for name in ("real", "raw"):
            ratios[f"{name}_grown_over_base_p50"] = pair((grown, name), (base, name), "p50_ms")
            ratios[f"{name}_grown_over_base_p99"] = pair((grown, name), (base, name), "p99_ms")
            ratios[f"{name}_grown_over_base_rps"] = pair((grown, name), (base, name), "requests_per_second")
        ratios["grown_real_over_raw_rps"] = pair((grown, "real"), (grown, "raw"), "requests_per_second")
        ratios["grown_real_p99_over_raw_p99"] = pair((grown, "real"), (grown, "raw"), "p99_ms")

    ratios = {name: value for name, value in ratios.items() if value is not not_measured}

    def target(name: str, ratio_key: str, comparison: str, value: float, keys: list[tuple[str, str]]) -> T.Target:
        validity = V.all_valid([valid[key] for key in keys])
        return T.check(BENCHMARK, name, ratios[ratio_key], comparison, value, unit="×", validity=validity)

    def measured(*keys: tuple[str, str]) -> bool:
        return all(key in by for key in keys)

    targets = []
    users = [(base, "real"), (base, "raw")]
    if measured(*users):
        targets.append(target("real ÷ raw req/s (users)", "real_over_raw_rps", ">=", TARGET_REAL_OVER_RAW_RPS, users))
        targets.append(
            target("real p99 ÷ raw p99 (users)", "real_p99_over_raw_p99", "<=", TARGET_REAL_OVER_RAW_P99, users)
        )
    if grown and measured((grown, "real"), (base, "real")):
        grow_keys = [(grown, "real"), (base, "real")]
        for percentile_name in ("p50", "p99"):
            targets.append(
                target(
                    f"real {percentile_name} at {grown} ÷ at {base}",
                    f"real_grown_over_base_{percentile_name}",
                    "<=",
                    TARGET_GROWTH_LATENCY,
                    grow_keys,
                )
            )
    items = [(base, "real-items"), (base, "raw-items")]
    if measured(*items):
        targets.append(
            target(
                "real ÷ raw req/s (work items, 50 rows)",
                "items_real_over_raw_rps",
                ">=",
                TARGET_REAL_OVER_RAW_RPS,
                items,
            )
        )
        targets.append(
            target(
                "real p99 ÷ raw p99 (work items, 50 rows)",
                "items_real_p99_over_raw_p99",
                "<=",
                TARGET_REAL_OVER_RAW_P99,
                items,
            )
        )
    targets.append(T.check(BENCHMARK, "runs with a non-2xx answer", sum(not m.ok for m in measurements), "==", 0))
    return {
        "medians": [asdict(f) for f in by.values()],
        "ratios": {name: V.INVALID if value is None else value for name, value in ratios.items()},
        "targets": [t.as_json() for t in targets],
        "validity": {f"{phase} / {endpoint}": v.as_json() for (phase, endpoint), v in valid.items()},
    }


def print_report(measurements: list[Measurement], summary: dict) -> None:
    print()
    header = (
        f"{'phase':<14} {'endpoint':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}"
        f"  {'CPU% server':>11} {'postgres':>8} {'wrk':>5} {'other':>5}  {'server CPU µs/req':>17}"
    )
    print(header)
    print("-" * len(header))
    for m in measurements:
        print(
            f"{m.phase:<14} {m.endpoint:<10} {m.requests_per_second:9.0f} {m.p50_ms:8.2f} {m.p99_ms:8.2f}"
            f" {m.non_2xx:8d}  {m.server_cpu_percent:11.0f} {m.postgres_cpu_percent:8.0f} {m.wrk_cpu_percent:5.0f}"
            f" {m.other_cpu_percent:5.0f}  {m.server_cpu_us_per_request:17.0f}"
        )
    if any(f["rounds"] > 1 for f in summary["medians"]):
        print("-" * len(header))
        for f in summary["medians"]:
            print(
                f"{f['phase']:<14} {'median ' + f['endpoint']:<17} {f['requests_per_second']:2.0f} {f['p50_ms']:8.2f}"
                f" {f['p99_ms']:8.2f} {'':8}  {'':11} {'':8} {'':5} {'':5}  {f['server_cpu_us_per_request']:17.0f}"
            )
    print("(CPU% of one core during the measured run: the server process, its PostgreSQL backends, wrk, and")
    print(" everything else on the machine — other work there is noise; compare ratios within one run)")
    print()
    for name, value in summary["ratios"].items():
        print(f"  {name:<44} {V.show(None if value == V.INVALID else value, '.3f', 7)}")
    print()
    T.print_lines([T.from_json(entry) for entry in summary["targets"]])


def main() -> None:
    defaults = Settings.model_fields
    parser = argparse.ArgumentParser(description="bo-saas foundation benchmark (see the module docstring).")
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per endpoint")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load before each")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure every endpoint this many times, interleaved; figures are the medians",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=20,
        help="before each measured run, wait up to this many seconds for other load to pass",
    )
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (it shares the CPU with the server)")
    parser.add_argument("--tenants", type=int, default=100, help="tenants for the first phase")
    parser.add_argument("--grow-to", type=int, default=10_000, help="tenants for the second phase; 0 skips it")
    parser.add_argument("--callers", type=int, default=1000, help="distinct tokens the requests rotate over")
    parser.add_argument("--log-level", default=defaults["log_level"].default, help="the server's BO_LOG_LEVEL")
    parser.add_argument(
        "--rate-limit",
        type=int,
        default=defaults["rate_limit_per_minute"].default,
        help="the server's BO_RATE_LIMIT_PER_MINUTE (per caller)",
    )
    parser.add_argument(
        "--profile",
        nargs="?",
        const="real",
        default="",
        help="afterwards, sample the server with py-spy under load of these endpoints "
        "(comma-separated: bare,raw,real; default real)",
    )
    parser.add_argument(
        "--ablate",
        default="",
        help="diagnostics: take pieces out of the app, comma-separated "
        f"({', '.join(ABLATIONS)}); see bench/ablation.py",
    )
    parser.add_argument(
        "--endpoints",
        default=",".join(e.name for e in ENDPOINTS),
        help="the endpoints measured in the first phase, comma-separated (the growth phase measures raw and real)",
    )
    parser.add_argument("--results-dir", type=Path, default=config.RESULTS_DIR)
    parser.add_argument("--result-json", type=Path, help="write the JSON result here (bench.all reads it)")
    args = parser.parse_args()

    wrk = require_wrk()
    require_services()
    py_spy = None
    endpoints = {e.name: e for e in ENDPOINTS}
    unknown = {name for name in args.endpoints.split(",") + args.profile.split(",") if name} - endpoints.keys()
    if unknown:
        raise SystemExit(f"unknown endpoints {sorted(unknown)}; choose from {', '.join(endpoints)}")
    measured = [e for e in ENDPOINTS if e.name in args.endpoints.split(",")]
    profiled = [endpoints[name] for name in args.profile.split(",") if name]
    if profiled:
        py_spy = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
        if py_spy is None:
            raise SystemExit("--profile needs py-spy on PATH: pip install py-spy")
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    started = time.monotonic()

    print(f"seeding {config.DATABASE} with {args.tenants} tenants", flush=True)
    prepare_database(echo=lambda line: print(f"  {line}"))
    # The work items' tenants: those of the first phase (the growth phase lists users only).
    seeds = [asdict(seed(args.tenants, work_item_tenants=args.tenants, echo=lambda line: print(f"  {line}")))]

    server = BenchServer(
        free_port(),
        args.results_dir / f"server-{stamp}.log",
        log_level=args.log_level,
        rate_limit_per_minute=args.rate_limit,
        ablate=args.ablate,
    )
    signer = TokenSigner(config.SECRET_KEY, ttl_seconds=3600)
    base_phase = f"{args.tenants} tenants"
    grown_phase = f"{args.grow_to} tenants" if args.grow_to else None
    profiles = {}
    with tempfile.TemporaryDirectory(prefix="bo-bench-") as workdir:
        server.start()
        if args.ablate:
            print(f"DIAGNOSTIC RUN: the app runs without {args.ablate}; not the real figures", flush=True)
        print(
            f"server pid {server.pid} on {server.url}; wrk -t{args.threads} -c{args.connections}, "
            f"{args.warmup:g} s warm-up + {args.duration:g} s per endpoint",
            flush=True,
        )
        runner = Runner(args, wrk, server, Path(workdir))
        try:
            minted = mint_tokens(signer, pick_callers(args.tenants, args.callers))
            check_answers(server, minted, config.USERS_PER_TENANT)
            if RAW_ITEMS in measured or REAL_ITEMS in measured:
                check_work_item_answers(server, minted)
            for _ in range(args.rounds):  # interleaved, so drift in other load hits every endpoint alike
                for endpoint in measured:
                    runner.measure(base_phase, endpoint, minted)
            if grown_phase:
                print(f"growing to {args.grow_to} tenants (the server keeps running)", flush=True)
                seeds.append(asdict(seed(args.grow_to, echo=lambda line: print(f"  {line}"))))
                minted = mint_tokens(signer, pick_callers(args.grow_to, args.callers))
                check_answers(server, minted, config.USERS_PER_TENANT)
                for _ in range(args.rounds):
                    for endpoint in (RAW, REAL):
                        runner.measure(grown_phase, endpoint, minted)
            for endpoint in profiled:
                profiles[endpoint.name] = str(runner.profile(endpoint, minted, py_spy, stamp))
                print(profile_report(Path(profiles[endpoint.name])), flush=True)
        finally:
            server.stop()

    summary = summarise(runner.measurements, base_phase, grown_phase)
    print_report(runner.measurements, summary)
    result = {
        "started_at": stamp,
        "seconds": round(time.monotonic() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "server": {"restarted_between_phases": False, "log": str(server.log_path), "ablated": args.ablate},
        "seeds": seeds,
        "measurements": [
            {**asdict(m), "server_cpu_us_per_request": round(m.server_cpu_us_per_request, 1)}
            for m in runner.measurements
        ],
        **summary,
        "profiles": profiles,
    }
    path = args.result_json or args.results_dir / f"bench-{stamp}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"\nresults: {path}  ({result['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
