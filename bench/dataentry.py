"""The Data entry desk benchmark: a 100,000-row import, a million-record export, keying beside the users list.

    make bench-dataentry              (or: .venv/bin/python -m bench.dataentry)
    .venv/bin/python -m bench.dataentry --rows 10000 --export-records 100000 --seconds 5 --rounds 1  # a quick look

1. Drops and migrates ``bo_bench_dataentry`` and seeds it (``dataentry_seed.py``):
   tenants × 50 users (10 client admins each) with the data entry service, and
   agents with the ``data_entry`` skill serving all of them. Starts the real app
   (``bench.server``, one process: the figure the other benches' ratios use)
   and the real worker (``dramatiq``, one process), as deployed.
2. Import: a client admin makes a 7-field record schema through the API and
   sends a CSV of ``--rows`` rows (one in 200 with a problem an agent must fix)
   to ``POST /api/v1/data-entry/batches``. Timed from the upload until the
   batch is ``ready`` (read, validated, stored with COPY, chunked into queued
   work items, in the background). Then checked as the owner: every row stored
   once, the bad rows kept with their problems, one chunk per 50 records.
3. Keying: with wrk, interleaved rounds (ABBA) of agents saving records
   (``PUT /api/v1/data-entry/records/{id}`` over the imported records) and
   client admins reading ``GET /api/v1/users``; the p99s compared.
4. Export: a done batch of ``--export-records`` accepted records is written as
   the owner, then streamed as CSV, XLSX and JSON through
   ``GET /api/v1/data-entry/batches/{id}/export``; the server's resident
   memory is sampled every 20 ms and its growth over the start is the figure.
   Every export's rows are counted.

Targets (issue 12): the import in ≤ 15 s; each export's memory growth ≤ 100 MB;
save p99 ≤ 2 × users p99 in the same run. A phase with a wrong count or an
answer other than 2xx is invalid, not a figure.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import platform
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import psutil

if __package__ in (None, ""):  # run as a script: python bench/dataentry.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import config
from bench import dataentry_seed as seed
from bench import targets as T
from bench import validity as V
from bench.run import (
    BenchServer,
    free_port,
    mint_tokens,
    pick_callers,
    require_services,
    require_wrk,
)
from bench.work import Worker
from bench.write_rounds import WrkRun, p99_ratio_target, print_medians, write_rounds
from bo_saas.identity.tokens import TokenSigner
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.settings import Settings

BENCHMARK = "dataentry"
TARGET_IMPORT_SECONDS = 15.0
TARGET_EXPORT_GROWTH_MB = 100.0
TARGET_SAVE_P99_OVER_USERS = 2.0
UNLIMITED_RATE_PER_MINUTE = 1_000_000_000
CHUNK_SIZE = 50
BAD_EVERY = 200  # one row in this many has an age out of range: kept, with its problem, for an agent
CITIES = ("Riyadh", "Jeddah", "Dammam")
EXPORT_FORMATS = ("csv", "xlsx", "json")
SCHEMA = {
    "code": "customers",
    "name": "Customer register",
    "chunk_size": CHUNK_SIZE,
    "fields": [
        {"name": "full_name", "label": "Full name", "type": "text", "required": True},
        {"name": "age", "type": "integer", "min": 0, "max": 130},
        {"name": "email", "type": "email", "unique": True},
        {"name": "balance", "type": "decimal"},
        {"name": "joined", "type": "date"},
        {"name": "city", "type": "choice", "choices": list(CITIES)},
        {"name": "note", "type": "text"},
    ],
}


def client_admin_token(signer: TokenSigner) -> tuple[UUID, str]:
    tenant = config.tenant_id(1)
    caller = Caller(role=Role.CLIENT_ADMIN, account_id=config.account_id(1, 1), tenant_id=tenant)
    return tenant, signer.issue(caller)


def agent_tokens(signer: TokenSigner, agents: int) -> list[str]:
    return [signer.issue(Caller(role=Role.PROVIDER_AGENT, account_id=seed.agent_id(a + 1))) for a in range(agents)]


def rows_csv(rows: int) -> bytes:
    """The client's file: a header and ``rows`` rows; every BAD_EVERY-th has an age the schema refuses."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([f["name"] for f in SCHEMA["fields"]])
    for n in range(1, rows + 1):
        age = 200 if n % BAD_EVERY == 0 else 20 + n % 60
        writer.writerow([f"Customer {n}", age, f"customer{n}@example.com", f"{n % 100000}.25",
                         f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}", CITIES[n % 3], "first order"])  # fmt: skip
    return out.getvalue().encode()


# --- import ------------------------------------------------------------------------------------------


@dataclass
class ImportRun:
    rows: int
    file_bytes: int
    seconds: float = 0.0
    status: str = ""
    batch_id: str = ""
    schema_id: str = ""
    stored: int = 0
    with_problems: int = 0
    chunks: int = 0
    queued_items: int = 0
    answers: list[int] = field(default_factory=list)

    @property
    def expected_bad(self) -> int:
        return self.rows // BAD_EVERY

    @property
    def validity(self) -> V.Validity:
        wrong = []
        if any(code >= 300 for code in self.answers):
            wrong.append(f"answers {self.answers}")
        if self.status != "ready":
            wrong.append(f"the batch ended {self.status or 'nowhere'}")
        if self.stored != self.rows:
            wrong.append(f"{self.stored:,} records stored for {self.rows:,} rows")
        if self.with_problems != self.expected_bad:
            wrong.append(f"{self.with_problems} records with problems, {self.expected_bad} expected")
        expected_chunks = -(-self.rows // CHUNK_SIZE)
        if self.chunks != expected_chunks or self.queued_items != expected_chunks:
            wrong.append(f"{self.chunks} chunks and {self.queued_items} queued items, {expected_chunks} expected")
        return V.Validity.invalid("; ".join(wrong)) if wrong else V.VALID


def import_phase(server: BenchServer, token: str, rows: int, timeout: float) -> ImportRun:
    content = rows_csv(rows)
    run = ImportRun(rows=rows, file_bytes=len(content))
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=120) as http:
        made = http.post("/api/v1/data-entry/schemas", json=SCHEMA)
        run.answers.append(made.status_code)
        if made.status_code != 201:
            raise SystemExit(f"making the schema answered {made.status_code}: {made.text}")
        run.schema_id = made.json()["id"]
        started = time.monotonic()
        sent = http.post("/api/v1/data-entry/batches", data={"schema": SCHEMA["code"]},
                         files={"file": ("customers.csv", content, "text/csv")})  # fmt: skip
        run.answers.append(sent.status_code)
        if sent.status_code >= 300:
            raise SystemExit(f"sending the file answered {sent.status_code}: {sent.text}")
        run.batch_id = sent.json()["id"]
        while time.monotonic() - started < timeout:
            run.status = http.get(f"/api/v1/data-entry/batches/{run.batch_id}").json()["status"]
            if run.status != "importing":
                break
            time.sleep(0.05)
        run.seconds = time.monotonic() - started
    asyncio.run(_count_import(run))
    return run


async def _count_import(run: ImportRun) -> None:
    owner = await seed.DB.connect_owner()
    try:
        batch = UUID(run.batch_id)
        run.stored = await owner.fetchval("SELECT count(*) FROM data_entry_records WHERE batch_id = $1", batch)
        run.with_problems = await owner.fetchval(
            "SELECT count(*) FROM data_entry_records WHERE batch_id = $1 AND problems <> '{}'::jsonb", batch
        )
        run.chunks = await owner.fetchval("SELECT count(*) FROM data_entry_chunks WHERE batch_id = $1", batch)
        run.queued_items = await owner.fetchval(
            """SELECT count(*) FROM data_entry_chunks c JOIN work_items w
               ON w.tenant_id = c.tenant_id AND w.id = c.work_item_id
               WHERE c.batch_id = $1 AND w.state = 'queued'""",
            batch,
        )
    finally:
        await owner.close()


# --- keying beside the users list --------------------------------------------------------------------


def keying_phase(wrk: str, server: BenchServer, records: list[str], agents: list[str], args) -> list[WrkRun]:
    signer = TokenSigner(config.SECRET_KEY, ttl_seconds=3600)
    admins = mint_tokens(signer, pick_callers(args.tenants, args.tenants * config.ADMINS_PER_TENANT))
    entries = [(f"/api/v1/data-entry/records/{r}", agents[i % len(agents)]) for i, r in enumerate(records)]
    body = {"values": {"city": "Jeddah", "note": "keyed"}}
    return write_rounds(wrk, server, ("save", "PUT", entries, body), admins, args)


async def _some_records(batch: str, count: int) -> list[str]:
    owner = await seed.DB.connect_owner()
    try:
        found = await owner.fetch(
            "SELECT id FROM data_entry_records WHERE batch_id = $1 AND problems = '{}'::jsonb ORDER BY row_number "
            "LIMIT $2",
            UUID(batch),
            count,
        )
    finally:
        await owner.close()
    return [str(row["id"]) for row in found]


# --- export ------------------------------------------------------------------------------------------


@dataclass
class ExportRun:
    format: str
    records: int
    seconds: float
    bytes: int
    rows_counted: int
    status: int
    rss_start_mb: float
    rss_peak_mb: float

    @property
    def growth_mb(self) -> float:
        return self.rss_peak_mb - self.rss_start_mb

    @property
    def validity(self) -> V.Validity:
        if self.status != 200:
            return V.Validity.invalid(f"{self.format} export answered {self.status}")
        if self.rows_counted != self.records:
            return V.Validity.invalid(f"{self.format}: {self.rows_counted:,} rows for {self.records:,} records")
        return V.VALID


def _resident_mb(pid: int) -> float:
    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in (process, *process.children(recursive=True))) / 2**20


class PeakMemory:
    """The server's resident memory, sampled every 20 ms on a thread until stopped; the peak is kept."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.start = _resident_mb(pid)
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _resident_mb(self.pid))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _resident_mb(self.pid))


def _count_rows(kind: str, path: Path) -> int:
    if kind == "csv":
        with path.open(newline="", encoding="utf-8-sig") as text:
            return sum(1 for _ in csv.reader(text)) - 1  # the header
    if kind == "json":
        return len(json.loads(path.read_bytes())["records"]) if path.stat().st_size else 0
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return sum(1 for _ in sheet.iter_rows()) - 1


def export_phase(server: BenchServer, token: str, batch: str, records: int, formats: list[str]) -> list[ExportRun]:
    runs = []
    with (
        tempfile.TemporaryDirectory(prefix="bo-bench-export-") as workdir,
        httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=600) as http,
    ):
        for kind in formats:
            target = Path(workdir) / f"export.{kind}"
            size, started = 0, time.monotonic()
            with (
                PeakMemory(server.pid) as memory,
                target.open("wb") as out,
                http.stream("GET", f"/api/v1/data-entry/batches/{batch}/export", params={"format": kind}) as answer,
            ):
                status = answer.status_code
                for piece in answer.iter_bytes(1 << 16):
                    size += len(piece)
                    out.write(piece)
            seconds = time.monotonic() - started
            counted = _count_rows(kind, target) if status == 200 else 0
            run = ExportRun(kind, records, seconds, size, counted, status, memory.start, memory.peak)
            flag = "" if run.validity.valid else f"  !! {run.validity.reason}"
            print(f"  {kind:<4} {records:,} records: {seconds:6.1f} s, {size / 2**20:7.1f} MiB sent,"
                  f" server memory {run.rss_start_mb:6.1f} → {run.rss_peak_mb:6.1f} MB"
                  f" (+{run.growth_mb:.1f}){flag}", flush=True)  # fmt: skip
            runs.append(run)
    return runs


# --- targets and the report --------------------------------------------------------------------------


def targets(imported: ImportRun | None, saves: list[WrkRun], exports: list[ExportRun]) -> list[T.Target]:
    found = []
    if imported is not None:
        found.append(T.check(BENCHMARK, f"import of a {imported.rows:,}-row CSV until ready (s)",
                             round(imported.seconds, 2), "<=", TARGET_IMPORT_SECONDS, unit="s",
                             validity=imported.validity))  # fmt: skip
    for run in exports:
        found.append(T.check(BENCHMARK, f"server memory growth exporting {run.records:,} records as {run.format}",
                             round(run.growth_mb, 1), "<=", TARGET_EXPORT_GROWTH_MB, unit="MB",
                             validity=run.validity))  # fmt: skip
    ratio = p99_ratio_target(BENCHMARK, "save", saves, TARGET_SAVE_P99_OVER_USERS)
    if ratio is not None:
        found.append(ratio)
    return found


def print_report(imported: ImportRun | None, saves: list[WrkRun], exports: list[ExportRun]) -> None:
    if imported is not None:
        print(
            f"\nimport: {imported.rows:,} rows ({imported.file_bytes / 2**20:.1f} MiB) ready in "
            f"{imported.seconds:.2f} s = {imported.rows / imported.seconds:,.0f} rows/s; {imported.stored:,} stored,"
            f" {imported.with_problems} with problems, {imported.chunks:,} chunks, {imported.queued_items:,} queued"
        )
        if not imported.validity.valid:
            print(f"  !! {imported.validity.reason}")
    print_medians(saves, ("save", "users"))
    for run in exports:
        rate = run.records / run.seconds if run.seconds else 0
        print(f"export {run.format:<4}: {rate:,.0f} records/s, memory growth {run.growth_mb:.1f} MB")


def parse_args() -> argparse.Namespace:
    defaults = Settings.model_fields
    parser = argparse.ArgumentParser(description="bo-saas Data entry desk benchmark (see the module docstring).")
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the imported CSV")
    parser.add_argument("--export-records", type=int, default=1_000_000, help="records in the exported batch")
    parser.add_argument("--formats", default=",".join(EXPORT_FORMATS), help="export formats to measure")
    parser.add_argument("--tenants", type=int, default=4)
    parser.add_argument("--agents", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per wrk run (saves, users)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load before each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of saves and users (medians)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections, both endpoints")
    parser.add_argument("--import-timeout", type=float, default=300.0, help="give up on the import after this")
    parser.add_argument("--skip", default="", help="phases to leave out: import,keying,export")
    parser.add_argument("--log-level", default=defaults["log_level"].default, help="the server's BO_LOG_LEVEL")
    parser.add_argument("--results-dir", type=Path, default=config.RESULTS_DIR)
    parser.add_argument("--result-json", type=Path, help="write the JSON result here (bench.all reads it)")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    skip = {name.strip() for name in args.skip.split(",") if name.strip()}
    wrk = require_wrk() if "keying" not in skip else ""
    require_services()
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    started = time.monotonic()
    print(f"seeding {seed.DB.name}: {args.tenants} tenants, {args.agents} agents (Redis db {seed.DB.redis_db})",
          flush=True)  # fmt: skip
    seed.DB.prepare(echo=lambda line: print(f"  {line}"))
    asyncio.run(seed.seed(tenants=args.tenants, agents=args.agents))
    environment = seed.DB.server_environment(log_level=args.log_level, rate_limit_per_minute=UNLIMITED_RATE_PER_MINUTE)
    server = BenchServer(free_port(), args.results_dir / f"dataentry-server-{stamp}.log", log_level=args.log_level,
                         rate_limit_per_minute=UNLIMITED_RATE_PER_MINUTE)  # fmt: skip
    server.environment = environment
    worker_log = args.results_dir / f"dataentry-worker-{stamp}.log"
    worker = Worker(worker_log, args.log_level, threads=2, environment=environment)
    signer = TokenSigner(config.SECRET_KEY, ttl_seconds=3600)
    tenant, admin_token = client_admin_token(signer)
    imported, saves, exports = None, [], []
    server.start()
    worker.start()
    try:
        print(f"server pid {server.pid} on {server.url}; worker pid {worker.process.pid}", flush=True)
        if "import" not in skip or "keying" not in skip:
            print(f"\nimport: {args.rows:,} rows, CSV, one in {BAD_EVERY} with a problem", flush=True)
            imported = import_phase(server, admin_token, args.rows, args.import_timeout)
            print(f"  ready after {imported.seconds:.2f} s ({imported.status})", flush=True)
        if "keying" not in skip and imported is not None:
            records = asyncio.run(_some_records(imported.batch_id, 5000))
            print(f"\nsaves vs users: wrk -c{args.connections}, {args.warmup} s warm-up + {args.seconds} s, "
                  f"{args.rounds} rounds over {len(records):,} records", flush=True)  # fmt: skip
            saves = keying_phase(wrk, server, records, agent_tokens(signer, args.agents), args)
        if "export" not in skip:
            schema = imported.schema_id if imported else None
            if schema is None:
                raise SystemExit("the export phase needs the import phase's schema: do not skip both")
            batch = uuid4()
            print(f"\nexport: writing a done batch of {args.export_records:,} records as the owner", flush=True)
            asyncio.run(seed.seed_export_batch(tenant, UUID(schema), batch, args.export_records))
            formats = [f.strip() for f in args.formats.split(",") if f.strip()]
            exports = export_phase(server, admin_token, str(batch), args.export_records, formats)
    finally:
        worker.stop()
        server.stop()

    print_report(imported, saves, exports)
    found = targets(imported if "import" not in skip else None, saves, exports)
    print()
    T.print_lines(found)
    result = {
        "started_at": stamp,
        "seconds": round(time.monotonic() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "import": asdict(imported) if imported else None,
        "saves": [asdict(r) for r in saves],
        "exports": [asdict(r) | {"growth_mb": r.growth_mb} for r in exports],
        "targets": [t.as_json() for t in found],
    }
    path = args.result_json or args.results_dir / f"dataentry-{stamp}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"\nresults: {path}  ({result['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
