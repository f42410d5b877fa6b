"""The Bookkeeping desk benchmark: the trial balance over a million posted lines, a 10,000-line statement import,
and posting an entry beside the users list.

    make bench-books              (or: .venv/bin/python -m bench.books)
    .venv/bin/python -m bench.books --lines 100000 --requests 300   # a quick look

1. Drops and migrates ``bo_bench_books`` and seeds it (``books_seed.py``):
   tenants × 50 users with the bookkeeping service, one bookkeeper serving
   them. Starts the real app (``bench.server``, one process).
2. Trial balance: ``--lines`` posted lines (10 per entry, 24 months) written
   as the owner into tenant 1's books with their monthly balances; then
   ``GET /api/v1/books/reports/trial-balance`` over everything and over a range
   with ragged edges (partial months are scanned), ``--repeat`` times each;
   the slowest median is the figure. Totals must balance. The same range
   read by a full scan of the lines (the query the cache replaced) is timed
   as the owner for comparison.
3. Import: a CSV statement of ``--statement-lines`` lines to
   ``POST /api/v1/books/bank-accounts/{id}/statements``, timed end to end; all
   must be new, and the same file again must add none.
4. Matching: a generated statement of ``--match-cases`` lines with known
   answers in tenant 2's books, auto-matched once (``books_matching.py``): the
   share matched correctly, the share left for a person, and wrong matches.
5. Posting: ``--requests`` interleaved pairs of ``POST
   /api/v1/books/journal-entries/{id}/post`` (a balanced draft each, spread
   over the tenants) and ``GET /api/v1/users`` as a client admin, one at a
   time; the p99s compared, and the server's CPU per request of each kind.

Targets (issue 13): trial balance ≤ 1 s; import ≤ 5 s; 0 wrong auto-matches; posting p99 ≤ 2 × users p99.
An answer other than 2xx, unbalanced totals or a wrong count make a phase invalid.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

if __package__ in (None, ""):  # run as a script: python bench/books.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import books_matching as matching
from bench import books_seed as seed
from bench import config
from bench import targets as T
from bench import validity as V
from bench.run import BenchServer, free_port, require_services
from bench.run import _process_cpu_seconds as process_cpu_seconds
from bo_saas.identity.tokens import TokenSigner
from bo_saas.lib.caller import Caller, Role

BENCHMARK = "books"
TARGET_TRIAL_BALANCE_SECONDS = 1.0
TARGET_IMPORT_SECONDS = 5.0
TARGET_POST_P99_OVER_USERS = 2.0
TARGET_WRONG_MATCHES = 0
UNLIMITED_RATE_PER_MINUTE = 1_000_000_000
TRIAL_BALANCE = "/api/v1/books/reports/trial-balance"
RANGES = ({}, {"from": "2025-03-17", "to": "2026-09-12"})
SCAN = """SELECT l.account_id, sum(l.debit), sum(l.credit) FROM journal_lines l
          JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
          WHERE e.tenant_id = $1 AND e.status = 'posted' GROUP BY l.account_id"""


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def trial_balance_phase(http: httpx.Client, tenant: str, repeat: int) -> tuple[float, V.Validity, list]:
    medians, wrong = [], []
    for params in RANGES:
        times = []
        for _ in range(repeat):
            started = time.monotonic()
            answer = http.get(TRIAL_BALANCE, params=params, headers={"X-Tenant": tenant})
            times.append(time.monotonic() - started)
            body = answer.json() if answer.status_code == 200 else {}
            if answer.status_code != 200 or body["total_debit"] != body["total_credit"] or not body["rows"]:
                wrong.append(f"{params}: {answer.status_code}")
        medians.append((params, statistics.median(times), body.get("total_debit")))
        print(f"  trial balance {params or 'everything'}: median {statistics.median(times) * 1000:.0f} ms "
              f"over {repeat}, total debit {body.get('total_debit')}", flush=True)  # fmt: skip
    validity = V.Validity.invalid("; ".join(wrong)) if wrong else V.VALID
    return max(seconds for _, seconds, _ in medians), validity, medians


async def _scan_seconds(tenant) -> float:
    owner = await seed.DB.connect_owner()
    try:
        started = time.monotonic()
        await owner.fetch(SCAN, tenant)
        return time.monotonic() - started
    finally:
        await owner.close()


def statement_csv(lines: int) -> bytes:
    rows = ["Date,Amount,Details,Ref"]
    rows += [f"2026-{1 + n % 12:02d}-{1 + n % 28:02d},{(n % 5000) - 2500}.{n % 100:02d},Line {n},R{n}"
             for n in range(1, lines + 1)]  # fmt: skip
    return ("\n".join(rows) + "\n").encode()


def import_phase(http: httpx.Client, tenant: str, lines: int) -> tuple[float, V.Validity]:
    headers = {"X-Tenant": tenant}
    made = http.post("/api/v1/books/bank-accounts", headers=headers, json={
        "ledger_account": "1010", "name": "Bench bank", "currency": "USD",
        "csv_mapping": {"date": "Date", "amount": "Amount", "description": "Details", "reference": "Ref"}})  # fmt: skip
    if made.status_code != 201:
        raise SystemExit(f"making the bank account answered {made.status_code}: {made.text}")
    content = statement_csv(lines)
    path = f"/api/v1/books/bank-accounts/{made.json()['id']}/statements"
    started = time.monotonic()
    first = http.post(path, headers=headers, files={"file": ("statement.csv", content, "text/csv")})
    seconds = time.monotonic() - started
    again = http.post(path, headers=headers, files={"file": ("statement.csv", content, "text/csv")})
    wrong = []
    if first.status_code != 201 or first.json()["new"] != lines:
        wrong.append(f"first import: {first.status_code} {first.text[:200]}")
    if again.status_code != 201 or again.json()["new"] != 0:
        wrong.append(f"second import: {again.status_code} {again.text[:200]}")
    print(f"  {lines:,} lines imported in {seconds:.2f} s; again: {again.json().get('new')} new", flush=True)
    return seconds, V.Validity.invalid("; ".join(wrong)) if wrong else V.VALID


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="bo-saas Bookkeeping desk benchmark (see the module docstring).")
    parser.add_argument("--lines", type=int, default=1_000_000, help="posted journal lines in tenant 1's books")
    parser.add_argument("--statement-lines", type=int, default=10_000)
    parser.add_argument("--match-cases", type=int, default=500, help="statement lines with known answers")
    parser.add_argument("--tenants", type=int, default=4, help="at least 2: tenant 2 keeps the matching phase's books")
    parser.add_argument("--requests", type=int, default=2000, help="posts (and users lists) in the posting phase")
    parser.add_argument("--repeat", type=int, default=7, help="trial balance requests per range")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured pairs before the posting phase")
    parser.add_argument("--log-level", default="WARNING", help="the server's BO_LOG_LEVEL")
    parser.add_argument("--results-dir", type=Path, default=config.RESULTS_DIR)
    parser.add_argument("--result-json", type=Path, help="write the JSON result here (bench.all reads it)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    if args.tenants < 2:
        raise SystemExit("--tenants must be at least 2: tenant 2's books hold the matching phase")
    require_services()
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    started_all = time.monotonic()
    print(f"seeding {seed.DB.name}: {args.tenants} tenants (Redis db {seed.DB.redis_db})", flush=True)
    seed.DB.prepare(echo=lambda line: print(f"  {line}"))
    asyncio.run(seed.seed(tenants=args.tenants))
    signer = TokenSigner(config.SECRET_KEY, ttl_seconds=3600)
    keeper = signer.issue(Caller(role=Role.PROVIDER_AGENT, account_id=seed.AGENT_ID))
    admin = signer.issue(Caller(role=Role.CLIENT_ADMIN, account_id=config.account_id(1, 1),
                                tenant_id=config.tenant_id(1)))  # fmt: skip
    server = BenchServer(free_port(), args.results_dir / f"books-server-{stamp}.log", log_level=args.log_level,
                         rate_limit_per_minute=UNLIMITED_RATE_PER_MINUTE)  # fmt: skip
    server.environment = seed.DB.server_environment(log_level=args.log_level,
                                                    rate_limit_per_minute=UNLIMITED_RATE_PER_MINUTE)  # fmt: skip
    server.start()
    tenant = str(config.tenant_id(1))
    try:
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {keeper}"}, timeout=600) as http:
            for t in range(1, args.tenants + 1):  # the first request opens each tenant's book
                assert http.get("/api/v1/books/settings", headers={"X-Tenant": str(config.tenant_id(t))}).is_success
            print(f"\ntrial balance: writing {args.lines:,} posted lines as the owner", flush=True)
            asyncio.run(seed.seed_ledger(config.tenant_id(1), args.lines))
            scan = asyncio.run(_scan_seconds(config.tenant_id(1)))
            print(f"  for comparison, a full scan of the lines as the owner: {scan * 1000:.0f} ms", flush=True)
            tb_seconds, tb_validity, tb_medians = trial_balance_phase(http, tenant, args.repeat)
            print(f"\nimport: a {args.statement_lines:,}-line CSV statement", flush=True)
            import_seconds, import_validity = import_phase(http, tenant, args.statement_lines)
            print(f"\nmatching: {args.match_cases} statement lines with known answers, auto-matched", flush=True)
            accuracy = matching.measure(http, str(config.tenant_id(2)), args.match_cases)
            print(f"  {accuracy.correct} of {accuracy.with_answer} lines with an answer matched correctly "
                  f"({accuracy.correct_share:.1%}); {accuracy.left} of {accuracy.cases} left for a person "
                  f"({accuracy.left_share:.1%}); {accuracy.wrong} wrong {accuracy.wrong_cases[:10]}; "
                  f"auto-matching took {accuracy.seconds:.2f} s", flush=True)  # fmt: skip
            drafts = (args.requests + args.warmup) // args.tenants + 1
            for t in range(1, args.tenants + 1):
                asyncio.run(seed.seed_drafts(config.tenant_id(t), drafts))
            print(f"\nposting vs users: {args.warmup} warm-up pairs, then {args.requests} measured", flush=True)
            posting_phase(http, admin, args.tenants, args.warmup, 0, server.pid)
            posts, users, server_cpu_us, post_validity = posting_phase(
                http, admin, args.tenants, args.requests, args.warmup, server.pid
            )
    finally:
        server.stop()
    post_p99, users_p99 = p99(posts) * 1000, p99(users) * 1000
    print(f"  post  p50 {statistics.median(posts) * 1000:.1f} ms  p99 {post_p99:.1f} ms  "
          f"server CPU {server_cpu_us['post']:.0f} µs/req")  # fmt: skip
    print(f"  users p50 {statistics.median(users) * 1000:.1f} ms  p99 {users_p99:.1f} ms  "
          f"server CPU {server_cpu_us['users']:.0f} µs/req")  # fmt: skip
    found = [
        T.check(BENCHMARK, f"trial balance over {args.lines:,} posted lines (s)", round(tb_seconds, 3), "<=",
                TARGET_TRIAL_BALANCE_SECONDS, unit="s", validity=tb_validity),
        T.check(BENCHMARK, f"import of a {args.statement_lines:,}-line statement (s)", round(import_seconds, 2),
                "<=", TARGET_IMPORT_SECONDS, unit="s", validity=import_validity),
        T.check(BENCHMARK, f"wrong auto-matches on {args.match_cases} known lines "
                f"({accuracy.correct_share:.0%} right, {accuracy.left_share:.0%} left)", accuracy.wrong, "<=",
                TARGET_WRONG_MATCHES),
        T.check(BENCHMARK, "post p99 ÷ GET /api/v1/users p99", V.ratio(post_p99, users_p99, post_validity), "<=",
                TARGET_POST_P99_OVER_USERS, unit="×", validity=post_validity),
    ]  # fmt: skip
    print()
    T.print_lines(found)
    result = {
        "started_at": stamp, "seconds": round(time.monotonic() - started_all, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load": os.getloadavg()},
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "trial_balance": {"medians": [[p, s, d] for p, s, d in tb_medians], "full_scan_seconds": scan},
        "import_seconds": import_seconds, "post_p99_ms": post_p99, "server_cpu_us_per_request": server_cpu_us,
        "matching": {"cases": accuracy.cases, "with_answer": accuracy.with_answer, "correct": accuracy.correct,
                     "left": accuracy.left, "wrong": accuracy.wrong, "wrong_cases": accuracy.wrong_cases,
                     "seconds": accuracy.seconds}, "users_p99_ms": users_p99,
        "targets": [t.as_json() for t in found],
    }  # fmt: skip
    path = args.result_json or args.results_dir / f"books-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print(f"\nresults: {path}  ({result['seconds']:.0f} s)")


def posting_phase(http: httpx.Client, admin: str, tenants: int, requests: int, offset: int, server_pid: int):
    """The measured pairs, on drafts the warm-up left unposted (draft numbers after ``offset``).

    Also the server's CPU per request of each kind: the server is idle between two requests (one at a time),
    so its CPU time read before and after a request is that request's (in clock ticks: the mean over many
    requests is the figure, not any one of them).
    """
    posts, users, wrong = [], [], []
    cpu = {"post": 0.0, "users": 0.0}
    for n in range(offset, offset + requests):
        tenant = config.tenant_id(1 + n % tenants)
        before = process_cpu_seconds(server_pid)
        started = time.monotonic()
        answer = http.post(f"/api/v1/books/journal-entries/{seed.draft_id(tenant, 1 + n // tenants)}/post")
        posts.append(time.monotonic() - started)
        cpu["post"] += process_cpu_seconds(server_pid) - before
        if answer.status_code != 200 or answer.json()["status"] != "posted":
            wrong.append(f"post {answer.status_code}")
        before = process_cpu_seconds(server_pid)
        started = time.monotonic()
        listed = http.get("/api/v1/users", headers={"Authorization": f"Bearer {admin}"})
        users.append(time.monotonic() - started)
        cpu["users"] += process_cpu_seconds(server_pid) - before
        if listed.status_code != 200:
            wrong.append(f"users {listed.status_code}")
    cpu_us = {kind: seconds * 1e6 / max(1, requests) for kind, seconds in cpu.items()}
    return posts, users, cpu_us, V.Validity.invalid("; ".join(sorted(set(wrong)))) if wrong else V.VALID


if __name__ == "__main__":
    main()
