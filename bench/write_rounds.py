"""A desk's write endpoint beside ``GET /api/v1/users``, in interleaved wrk rounds: what the desk benches share.

The support bench (agents' replies) and the data entry bench (record saves)
both compare a write's p99 with the users list's p99 in the same run. Each
gives the rows to write as ``(path, token)`` pairs and one JSON body; wrk sends
them round-robin from a random start, and the two endpoints alternate ABBA so
drift hits both alike. A round with an answer other than 2xx is invalid.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench import targets as T
from bench import validity as V
from bench.run import REAL, BenchServer, parse_wrk, run_wrk, write_wrk_script
from bench.work import machine_busy_seconds

USERS = "users"


def write_requests_script(directory: Path, name: str, method: str, entries: list[tuple[str, str]], body: dict) -> Path:
    """A wrk script sending ``body`` to the next path as the next caller: entries are (path, token)."""
    lines = ",\n".join(f'  {{"{path}", "Bearer {token}"}}' for path, token in entries)
    script = directory / f"{name}.lua"
    script.write_text(
        f"""local entries = {{
{lines}
}}
local body = {json.dumps(json.dumps(body))}
local requests = {{}}
local position = 1

function init(args)
  for i, entry in ipairs(entries) do
    local headers = {{["Authorization"] = entry[2], ["Content-Type"] = "application/json"}}
    requests[i] = wrk.format("{method}", entry[1], headers, body)
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


@dataclass
class WrkRun:
    endpoint: str  # the write's name, or "users"
    round: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    server_cpu_us_per_request: float
    machine_busy_percent: float

    @property
    def validity(self) -> V.Validity:
        if self.non_2xx or self.socket_errors or not self.requests:
            return V.Validity.invalid(f"{self.endpoint}: {self.non_2xx} non-2xx, {self.socket_errors} socket errors")
        return V.VALID


def measure(wrk: str, server: BenchServer, script: Path, endpoint: str, round_: int, args) -> WrkRun:
    options = {"connections": args.connections, "threads": 1}
    if args.warmup:
        run_wrk(wrk, server.url, script, seconds=args.warmup, **options)
    cpu_before, busy_before, started = server.cpu_seconds(), machine_busy_seconds(), time.monotonic()
    parsed = parse_wrk(run_wrk(wrk, server.url, script, seconds=args.seconds, **options))
    elapsed = time.monotonic() - started
    server_cpu = server.cpu_seconds() - cpu_before
    answered = parsed["requests_per_second"] * elapsed
    run = WrkRun(
        endpoint=endpoint,
        round=round_,
        requests_per_second=parsed["requests_per_second"],
        p50_ms=parsed["p50_ms"],
        p99_ms=parsed["p99_ms"],
        requests=parsed["requests"],
        non_2xx=parsed["non_2xx"],
        socket_errors=parsed["socket_errors"],
        server_cpu_us_per_request=1e6 * server_cpu / answered if answered else 0.0,
        machine_busy_percent=100 * (machine_busy_seconds() - busy_before) / elapsed,
    )
    flag = "" if run.validity.valid else f"  !! {run.validity.reason}"
    print(
        f"  round {round_} {endpoint:<6} {run.requests_per_second:8.0f} req/s  p50 {run.p50_ms:7.2f} ms"
        f"  p99 {run.p99_ms:7.2f} ms  server {run.server_cpu_us_per_request:6.0f} µs/req"
        f"  busy {run.machine_busy_percent:4.0f}%{flag}",
        flush=True,
    )
    return run


def write_rounds(
    wrk: str, server: BenchServer, write: tuple[str, str, list[tuple[str, str]], dict], admins, args
) -> list[WrkRun]:
    """``args.rounds`` ABBA rounds of the write (name, method, entries, body) and the users list as ``admins``."""
    name, method, entries, body = write
    runs = []
    with tempfile.TemporaryDirectory(prefix=f"bo-bench-{name}-") as workdir:
        scripts = {
            name: write_requests_script(Path(workdir), name, method, entries, body),
            USERS: write_wrk_script(Path(workdir), REAL, admins),
        }
        for round_ in range(1, args.rounds + 1):
            order = (name, USERS) if round_ % 2 else (USERS, name)
            runs += [measure(wrk, server, scripts[endpoint], endpoint, round_, args) for endpoint in order]
    return runs


def p99_ratio_target(benchmark: str, name: str, runs: list[WrkRun], target: float) -> T.Target | None:
    """Median p99 of the write ÷ median p99 of the users list, against ``target``; None before both ran."""
    medians = {
        endpoint: statistics.median(r.p99_ms for r in runs if r.endpoint == endpoint)
        for endpoint in (name, USERS)
        if any(r.endpoint == endpoint for r in runs)
    }
    if len(medians) != 2:
        return None
    validity = V.all_valid([r.validity for r in runs])
    return T.check(benchmark, f"{name} p99 ÷ GET /api/v1/users p99", V.ratio(medians[name], medians[USERS], validity),
                   "<=", target, unit="×", validity=validity)  # fmt: skip


def print_medians(runs: list[WrkRun], endpoints: tuple[str, ...]) -> None:
    for endpoint in endpoints:
        mine = [r for r in runs if r.endpoint == endpoint]
        if mine:
            print(
                f"{endpoint:<6} median of {len(mine)}: {statistics.median(r.requests_per_second for r in mine):7.0f}"
                f" req/s  p50 {statistics.median(r.p50_ms for r in mine):7.2f} ms"
                f"  p99 {statistics.median(r.p99_ms for r in mine):7.2f} ms"
                f"  server {statistics.median(r.server_cpu_us_per_request for r in mine):6.0f} µs/req"
            )
