"""The Support desk benchmark: inbound mail to tickets, and an agent's reply beside the users list.

    make bench-support              (or: .venv/bin/python -m bench.support)
    .venv/bin/python -m bench.support --messages 2000 --seconds 5 --rounds 1   # a quick look

1. Drops and migrates ``bo_bench_support`` and seeds it (``support_seed.py``):
   8 tenants × 50 users (10 client admins each), 16 agents serving all of
   them, one support channel per tenant with a secret the bench knows.
2. Starts the real app (``bench.server``, the rate limit out of the way) as
   it is deployed, one uvicorn worker process per core (``--processes``; with
   ``--processes 1`` the single-process figure, the one the foundation and work
   benches use for their ratios), and posts 10,000 signed messages to
   ``POST /api/v1/support/inbound/{channel_id}`` with 16 in flight
   (``support_mail.py`` says what the mix is, ``support_ingest.py`` how it is
   driven): messages/s end to end, p50/p99, the server's CPU per message (all
   its processes). Then
   every message is checked against the database as the owner.
3. With wrk, interleaved rounds (ABBA) of the same duration and connections:
   agents' replies ``POST /api/v1/support/tickets/{id}/messages`` over the
   tickets just made, and ``GET /api/v1/users`` as client admins. Replies
   queue their email through the outbox; no worker runs, so the sending jobs
   wait in Redis db 9 (the mail is never sent; that costs the API nothing).

Targets (the issue's): ingest ≥ 100 messages/s with threading correct for
every message; reply p99 ≤ 2 × users p99 in the same run. A phase that drew an
answer other than 2xx (or a conversation left unsent) is invalid, not a figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python bench/support.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import config
from bench import support_mail as M
from bench import support_seed as seed
from bench import targets as T
from bench import validity as V
from bench.profile_report import report as profile_report
from bench.run import (
    BenchServer,
    free_port,
    mint_tokens,
    pick_callers,
    require_services,
    require_wrk,
)
from bench.support_ingest import IngestRun, drive, verify
from bench.work import percentile, process_cpu_seconds
from bench.write_rounds import WrkRun, p99_ratio_target, print_medians, write_rounds
from bo_saas.identity.tokens import TokenSigner
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.settings import Settings

BENCHMARK = "support"
TARGET_MESSAGES_PER_SECOND = 100.0
TARGET_REPLY_P99_OVER_USERS = 2.0
UNLIMITED_RATE_PER_MINUTE = 1_000_000_000
REPLY_BODY = "Thank you for your patience: your order left our warehouse today and should reach you this week."


# --- the reply phase --------------------------------------------------------------------------------


def reply_phase(wrk: str, server: BenchServer, tickets: list[str], args) -> list[WrkRun]:
    signer = TokenSigner(config.SECRET_KEY, ttl_seconds=3600)
    agents = [
        signer.issue(Caller(role=Role.PROVIDER_AGENT, account_id=seed.agent_id(a + 1))) for a in range(args.agents)
    ]
    admins = mint_tokens(signer, pick_callers(args.tenants, args.tenants * config.ADMINS_PER_TENANT))
    entries = [(f"/api/v1/support/tickets/{t}/messages", agents[i % len(agents)]) for i, t in enumerate(tickets)]
    return write_rounds(wrk, server, ("reply", "POST", entries, {"body": REPLY_BODY}), admins, args)


def start_profile(pid: int, output: Path) -> tuple[subprocess.Popen, Path]:
    """py-spy on the server until stop_profile (it costs the server some CPU: a diagnostic, not the figures)."""
    py_spy = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if py_spy is None:
        raise SystemExit("--profile needs py-spy on PATH: pip install py-spy")
    # --gil: samples of Python at work, not of a thread waiting; --subprocesses: every worker process.
    command = [py_spy, "record", "--pid", str(pid), "--subprocesses", "--rate", "100", "--nonblocking", "--gil",
               "--format", "raw", "--output", str(output)]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True), output


def stop_profile(sampler: subprocess.Popen, output: Path) -> str:
    sampler.send_signal(signal.SIGINT)  # py-spy writes what it sampled and exits
    sampler.wait(timeout=60)
    return profile_report(output) if output.exists() else f"py-spy wrote nothing: {sampler.stderr.read()}"


# --- figures and targets -----------------------------------------------------------------------------


def postgres_cpu_seconds() -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend connected to the bench database (its process title names it)."""
    found = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as cmdline:
                    title = cmdline.read()
            except OSError:
                continue
            if title.startswith(b"postgres:") and f" {seed.DB.name} ".encode() in title:
                found[int(entry.name)] = process_cpu_seconds(int(entry.name))
    return found


def ingest_figures(run: IngestRun, server_cpu: float, client_cpu: float, postgres_cpu: float) -> dict:
    rate = run.messages / run.seconds if run.seconds else 0.0
    return {
        "messages": run.messages,
        "seconds": round(run.seconds, 2),
        "messages_per_second": rate,
        "p50_ms": 1000 * percentile(run.latencies, 0.50),
        "p99_ms": 1000 * percentile(run.latencies, 0.99),
        "server_cpu_us_per_message": 1e6 * server_cpu / run.messages if run.messages else 0.0,
        "bench_client_cpu_us_per_message": 1e6 * client_cpu / run.messages if run.messages else 0.0,
        "postgres_cpu_us_per_message": 1e6 * postgres_cpu / run.messages if run.messages else 0.0,
        "statuses": {str(k): v for k, v in sorted(run.statuses.items())},
        "not_sent": run.not_sent,
    }


def targets(run: IngestRun, figures: dict, problems: list[str], replies: list[WrkRun]) -> list[T.Target]:
    ingest_valid = (
        V.Validity.invalid(f"{run.errors} of {run.messages + run.not_sent} messages not answered 202")
        if run.errors
        else V.VALID
    )
    rate = round(figures["messages_per_second"], 1)
    found = [
        T.check(BENCHMARK, f"inbound messages/s ({figures['messages']:,} signed messages, "
                f"{figures['server_processes']} server process{'es' if figures['server_processes'] > 1 else ''})",
                rate, ">=",
                TARGET_MESSAGES_PER_SECOND, unit="msg/s", validity=ingest_valid),
        T.check(BENCHMARK, "messages threaded wrongly (answers and database)", len(problems) + len(run.wrong_answers),
                "==", 0, validity=ingest_valid),
    ]  # fmt: skip
    ratio = p99_ratio_target(BENCHMARK, "reply", replies, TARGET_REPLY_P99_OVER_USERS)
    if ratio is not None:
        found.append(ratio)
    non_2xx = (run.errors > 0) + sum(not r.validity.valid for r in replies)
    found.append(T.check(BENCHMARK, "runs with an answer other than 2xx", non_2xx, "==", 0))
    return found


def print_report(figures: dict, checked: int, problems: list[str], run: IngestRun, replies: list[WrkRun]) -> None:
    print(
        f"\ningest: {figures['messages']:,} messages in {figures['seconds']:.1f} s = "
        f"{figures['messages_per_second']:.1f} messages/s;"
        f" p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms;"
        f" server CPU {figures['server_cpu_us_per_message']:,.0f} µs/message"
        f" (PostgreSQL {figures['postgres_cpu_us_per_message']:,.0f}, the bench client"
        f" {figures['bench_client_cpu_us_per_message']:,.0f}); answers {figures['statuses']}"
    )
    wrong = run.wrong_answers + problems
    print(f"threading: {checked:,} answered messages checked against the database; {len(wrong)} mismatches")
    for line in wrong[:30]:
        print(f"  !! {line}")
    if len(wrong) > 30:
        print(f"  !! … and {len(wrong) - 30} more")
    for line in run.failures[:10]:
        print(f"  !! {line}")
    print_medians(replies, ("reply", "users"))


def main() -> None:
    defaults = Settings.model_fields
    parser = argparse.ArgumentParser(description="bo-saas Support desk benchmark (see the module docstring).")
    parser.add_argument("--messages", type=int, default=10_000, help="inbound messages to post")
    parser.add_argument("--concurrency", type=int, default=16, help="inbound requests in flight")
    parser.add_argument("--tenants", type=int, default=8)
    parser.add_argument("--agents", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per wrk run (replies, users)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load before each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of replies and users (medians)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections, both endpoints")
    parser.add_argument("--skip-replies", action="store_true", help="the ingest phase only")
    parser.add_argument(
        "--processes",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes (default: one per core, as `bo-saas serve --workers N` is deployed)",
    )
    parser.add_argument("--profile", action="store_true", help="sample the server with py-spy during the ingest")
    parser.add_argument("--log-level", default=defaults["log_level"].default, help="the server's BO_LOG_LEVEL")
    parser.add_argument("--results-dir", type=Path, default=config.RESULTS_DIR)
    parser.add_argument("--result-json", type=Path, help="write the JSON result here (bench.all reads it)")
    args = parser.parse_args()

    wrk = require_wrk()
    require_services()
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    started = time.monotonic()
    print(
        f"seeding {seed.DB.name}: {args.tenants} tenants, {args.agents} agents (Redis db {seed.DB.redis_db})",
        flush=True,
    )
    seed.DB.prepare(echo=lambda line: print(f"  {line}"))
    channels = asyncio.run(seed.seed(tenants=args.tenants, agents=args.agents))
    conversations = M.plan(channels, args.messages)

    server = BenchServer(free_port(), args.results_dir / f"support-server-{stamp}.log", log_level=args.log_level,
                         rate_limit_per_minute=UNLIMITED_RATE_PER_MINUTE, workers=args.processes)  # fmt: skip
    server.environment = seed.DB.server_environment(
        log_level=args.log_level, rate_limit_per_minute=UNLIMITED_RATE_PER_MINUTE
    )
    replies: list[WrkRun] = []
    server.start()
    try:
        processes = f"{args.processes} process{'es' if args.processes > 1 else ''}"
        print(f"server pid {server.pid} ({processes}) on {server.url}; posting {args.messages:,} messages, "
              f"{args.concurrency} in flight", flush=True)  # fmt: skip
        sampler = (
            start_profile(server.pid, args.results_dir / f"profile-support-ingest-{stamp}.txt")
            if args.profile
            else None
        )
        cpu_before, client_before = server.cpu_seconds(), time.process_time()
        postgres_before = postgres_cpu_seconds()  # a backend that exits during the ingest counts as nothing
        run = asyncio.run(drive(server.url, conversations, concurrency=args.concurrency, run_tag=stamp.lower()))
        postgres_cpu = sum(max(0.0, t - postgres_before.get(pid, 0.0)) for pid, t in postgres_cpu_seconds().items())
        server_cpu, client_cpu = server.cpu_seconds() - cpu_before, time.process_time() - client_before
        figures = ingest_figures(run, server_cpu, client_cpu, postgres_cpu) | {"server_processes": args.processes}
        if sampler:
            print(stop_profile(*sampler), flush=True)
        checked, problems = asyncio.run(verify(conversations))
        print_report(figures, checked, problems, run, [])
        tickets = [c.ticket_id for c in conversations if c.ticket_id]
        if not args.skip_replies and tickets:
            print(f"\nreplies vs users: wrk -c{args.connections}, {args.warmup} s warm-up + {args.seconds} s, "
                  f"{args.rounds} rounds over {len(tickets):,} tickets", flush=True)  # fmt: skip
            replies = reply_phase(wrk, server, tickets, args)
    finally:
        server.stop()

    print_report(figures, checked, problems, run, replies)
    found = targets(run, figures, problems, replies)
    print()
    T.print_lines(found)
    result = {
        "started_at": stamp,
        "seconds": round(time.monotonic() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "worker": "none: replies' and acknowledgements' sending jobs stay queued in Redis",
        "ingest": figures,
        "threading": {"checked": checked, "mismatches": run.wrong_answers + problems},
        "replies": [asdict(r) for r in replies],
        "targets": [t.as_json() for t in found],
    }
    path = args.result_json or args.results_dir / f"support-{stamp}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"\nresults: {path}  ({result['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
