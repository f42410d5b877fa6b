"""The HR payroll benchmark: a run for 5,000 employees, its payslip PDFs, and the masked employee list vs users.

    .venv/bin/python -m bench.hr          (or: make bench-hr)

Method. A fresh database ``bo_bench_hr`` (``BO_BENCH_HR_DB``): one tenant with
20 client users, ``--employees`` employees with sealed personal data (salary,
IBAN), a percent earning, a fixed earning, a deduction and an employer
contribution. Then, as the runtime role with RLS forced, in this process:

1. compute: ``payroll_compute.compute_run`` (what the worker's actor runs),
   timed from start to the draft; the run must hold one payslip per employee.
2. PDFs: the run approved and finalized, then ``payslip_documents.produce_documents``
   (the actor's work), timed until every payslip has its English and Arabic
   PDF, or stopped at ``--pdf-budget`` seconds with the share done (projected).
   Also the phase's CPU per document: the rendering processes, this process
   and the runtime role's PostgreSQL backends (from /proc), which a machine
   shared with other work does not inflate as it does the wall time.
3. lists: ``GET /api/v1/hr/employees`` (a client member: personal data masked)
   and ``GET /api/v1/users``, 50 rows each, alternated ``--requests`` times
   through the app in this process; p99 of each and their ratio.

Targets: compute ≤ 20 s; PDFs ≤ 120 s; employees p99 ≤ 2 × users p99.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import time
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import uuid4

import httpx
from sqlalchemy import func, insert, select, update

from bench import config
from bench import targets as T
from bench.database import BenchDatabase
from bench.seed import INSERT_ACCOUNTS, INSERT_MEMBERSHIPS, INSERT_TENANTS
from bo_saas.hr.crypto import keyring
from bo_saas.hr.models import Employee
from bo_saas.hr.payroll_compute import compute_run
from bo_saas.hr.payroll_models import PayComponent, PayrollRun, Payslip, RunStatus
from bo_saas.hr.payroll_runs import create_run, finalize
from bo_saas.hr.payslip_documents import produce_documents
from bo_saas.identity.passwords import hash_password
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.db import make_engine, make_sessionmaker, scoped_session
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.server.app import create_app
from bo_saas.server.registry import load

DB = BenchDatabase(
    name=os.environ.get("BO_BENCH_HR_DB") or "bo_bench_hr",
    redis_db=int(os.environ.get("BO_BENCH_HR_REDIS_DB") or "12"),
    data_dir=config.RESULTS_DIR / "hr-data",
)
TENANT = config.tenant_id(1)
USERS = 20
TARGET_COMPUTE_SECONDS = 20.0
TARGET_PDF_SECONDS = 120.0
TARGET_LIST_RATIO = 2.0


async def seed(employees: int) -> None:
    connection = await DB.connect_owner()
    try:
        await connection.execute(INSERT_TENANTS, 1, 1)
        await connection.execute("UPDATE tenants SET services = ARRAY['hr']")
        await connection.execute(INSERT_ACCOUNTS, 1, 1, USERS, hash_password(config.PASSWORD))
        await connection.execute(INSERT_MEMBERSHIPS, 1, 1, USERS, config.ADMINS_PER_TENANT)
    finally:
        await connection.close()
    ring = keyring(DB.settings())
    engine = make_engine(DB.admin_url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            rows = []
            for number in range(1, employees + 1):
                employee_id = uuid4()
                personal = {"iban": "DE89370400440532013000", "salary": 800_000 + number * 10, "currency": "EUR"}
                rows.append({
                    "tenant_id": TENANT, "id": employee_id, "employee_number": f"E{number:05d}",
                    "name": f"Employee {number}", "department": f"Dept {number % 20}", "contract_type": "permanent",
                    "start_date": date(2026, 11, 15) if number % 50 == 0 else date(2020, 1, 1), "on_leave": False,
                    "personal_sealed": ring.seal(TENANT, employee_id, personal),
                })  # fmt: skip
            await session.execute(insert(Employee), rows)
            components = [
                ("housing", "earning", "percent", None, "25", ["base"]),
                ("transport", "earning", "fixed", 30_000, None, []),
                ("pension", "deduction", "percent", None, "9", ["base", "housing"]),
                ("pension_employer", "employer_contribution", "percent", None, "11", ["base"]),
            ]
            await session.execute(insert(PayComponent), [
                {"tenant_id": TENANT, "id": uuid4(), "code": code, "name": code.title(), "kind": kind,
                 "calculation": calc, "amount": amount, "percent": percent, "basis": basis, "position": index}
                for index, (code, kind, calc, amount, percent, basis) in enumerate(components)
            ])  # fmt: skip
    finally:
        await engine.dispose()
    # As bench.seed does after its bulk loads: planner statistics, as autovacuum keeps them in production
    # (it is off on the bench machines); without them the list is planned for a table of a few rows.
    connection = await DB.connect_owner()
    try:
        await connection.execute("VACUUM (ANALYZE) tenants, accounts, memberships, hr_employees, hr_pay_components")
    finally:
        await connection.close()


async def measure(args) -> dict:
    settings = DB.settings()
    engine = make_engine(DB.url, pool_size=3)
    sessions = make_sessionmaker(engine)
    scope = TenantScope.of(TENANT)
    try:
        async with scoped_session(sessions, scope) as session:
            run_id = (await create_run(session, TENANT, "2026-11", None)).id
        started = time.perf_counter()
        await compute_run(sessions, keyring(settings), TENANT, run_id)
        compute_seconds = time.perf_counter() - started
        async with scoped_session(sessions, scope) as session:
            payslips = await session.scalar(select(func.count()).where(Payslip.run_id == run_id))
            status = await session.scalar(select(PayrollRun.status).where(PayrollRun.id == run_id))
        print(f"compute: {payslips:,} payslips ({status}) in {compute_seconds:.1f} s", flush=True)

        async with scoped_session(sessions, scope) as session:
            await session.execute(update(PayrollRun).where(PayrollRun.id == run_id).values(
                status=RunStatus.APPROVED.value, approved_by=uuid4()))  # fmt: skip
            run = await session.scalar(select(PayrollRun).where(PayrollRun.id == run_id))
            await finalize(session, keyring(settings), run)
        cpu_before = await _pdf_cpu({})
        started = time.perf_counter()
        task = asyncio.create_task(produce_documents(sessions, TENANT, run_id))
        while not task.done() and time.perf_counter() - started < args.pdf_budget:
            await asyncio.sleep(1)
        if not task.done():
            task.cancel()
        pdf_seconds = time.perf_counter() - started
        await asyncio.gather(task, return_exceptions=True)  # the rendering processes joined: their CPU counted
        cpu = await _pdf_cpu(cpu_before)
        async with scoped_session(sessions, scope) as session:
            done, total = (await session.execute(select(PayrollRun.documents_done, PayrollRun.documents_total)
                                                 .where(PayrollRun.id == run_id))).one()  # fmt: skip
        projected = pdf_seconds * total / done if done else None
        print(
            f"PDFs: {done:,} of {total:,} in {pdf_seconds:.1f} s"
            + (f" (projected {projected:.0f} s for all)" if done < total and projected else ""),
            flush=True,
        )
        cpu_ms = {name: round(seconds * 1000 / done, 2) if done else None for name, seconds in cpu.items()}
        print(f"PDF CPU per document: rendering processes {cpu_ms['rendering']} ms, this process "
              f"{cpu_ms['bench_process']} ms, PostgreSQL backends {cpu_ms['postgres']} ms", flush=True)  # fmt: skip
    finally:
        await engine.dispose()
    lists = await list_phase(args.requests)
    return {"compute": {"seconds": round(compute_seconds, 2), "payslips": payslips, "status": status},
            "pdfs": {"seconds": round(pdf_seconds, 1), "done": done, "total": total,
                     "projected_seconds": round(projected, 1) if projected else None,
                     "cpu_seconds": {name: round(seconds, 1) for name, seconds in cpu.items()},
                     "cpu_ms_per_document": cpu_ms},
            "lists": lists}  # fmt: skip


_TICKS = os.sysconf("SC_CLK_TCK")


async def _pdf_cpu(before: dict) -> dict:
    """CPU seconds used since ``before`` (``{}``: the readings to start from) by the PDF phase's processes.

    ``rendering``: this process's children (the rendering pool, counted once joined); ``bench_process``:
    this process (the writes' side); ``postgres``: the runtime role's backends on the bench database, each
    from its reading in ``before`` (a backend opened since counts from zero). On a shared machine these
    say what the phase costs, where the wall time says how much of the cores it was given.
    """
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    connection = await DB.connect_owner()
    try:
        rows = await connection.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND usename = $2", DB.name, config.RUNTIME_ROLE
        )
        pids = [row["pid"] for row in rows]
    finally:
        await connection.close()
    backends = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        backends[pid] = (int(fields[11]) + int(fields[12])) / _TICKS  # utime + stime
    now = {"rendering": children.ru_utime + children.ru_stime, "bench_process": time.process_time(),
           "backends": backends}  # fmt: skip
    if not before:
        return now
    return {"rendering": now["rendering"] - before["rendering"],
            "bench_process": now["bench_process"] - before["bench_process"],
            "postgres": sum(cpu - before["backends"].get(pid, 0.0) for pid, cpu in backends.items())}  # fmt: skip


async def list_phase(requests: int) -> dict:
    app = create_app(DB.settings())
    member = Caller(role=Role.CLIENT_MEMBER, account_id=config.account_id(1, USERS), tenant_id=TENANT)
    admin = Caller(role=Role.CLIENT_ADMIN, account_id=config.account_id(1, 1), tenant_id=TENANT)
    # A member sees employees masked; the users list is for admins.
    headers = {name: {"Authorization": f"Bearer {app.state.token_signer.issue(caller)}"}
               for name, caller in (("employees", member), ("users", admin))}  # fmt: skip
    timings: dict[str, list[float]] = {"employees": [], "users": []}
    async with app.lifespan() if hasattr(app, "lifespan") else _nothing():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for index in range(requests + 20):
                for name, url in (("employees", "/api/v1/hr/employees?limit=50"), ("users", "/api/v1/users?limit=50")):
                    started = time.perf_counter()
                    response = await client.get(url, headers=headers[name])
                    elapsed = (time.perf_counter() - started) * 1000
                    assert response.status_code == 200, response.text
                    if index >= 20:  # warm-up left out
                        timings[name].append(elapsed)
    p99 = {name: statistics.quantiles(values, n=100)[98] for name, values in timings.items()}
    ratio = p99["employees"] / p99["users"]
    print(f"lists: employees p99 {p99['employees']:.1f} ms, users p99 {p99['users']:.1f} ms: ratio {ratio:.2f}")
    return {"employees_p99_ms": round(p99["employees"], 2), "users_p99_ms": round(p99["users"], 2),
            "ratio": round(ratio, 2), "requests": requests}  # fmt: skip


class _nothing:
    async def __aenter__(self):
        return None

    async def __aexit__(self, *exc):
        return False


def targets(figures: dict, employees: int) -> list[T.Target]:
    compute, pdfs, lists = figures["compute"], figures["pdfs"], figures["lists"]
    pdf_seconds = pdfs["seconds"] if pdfs["done"] == pdfs["total"] else pdfs["projected_seconds"]
    return [
        T.check("hr", f"payroll run computed for {employees:,} employees", compute["seconds"], "<=",
                TARGET_COMPUTE_SECONDS, unit="s"),
        T.check("hr", "payslip PDFs (EN + AR) in the background", pdf_seconds, "<=", TARGET_PDF_SECONDS, unit="s"),
        T.check("hr", "employees (masked) p99 ÷ users p99", lists["ratio"], "<=", TARGET_LIST_RATIO),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="bo-saas HR payroll benchmark (see the module docstring).")
    parser.add_argument("--employees", type=int, default=5_000)
    parser.add_argument("--pdf-budget", type=float, default=130.0, help="seconds before the PDF phase is stopped")
    parser.add_argument("--requests", type=int, default=300, help="requests of each list")
    parser.add_argument("--results-dir", type=Path, default=config.RESULTS_DIR)
    parser.add_argument("--result-json", type=Path, help="write the JSON result here (bench.all reads it)")
    args = parser.parse_args()
    load()
    args.results_dir.mkdir(parents=True, exist_ok=True)
    print(f"seeding {DB.name}: {args.employees:,} employees", flush=True)
    DB.prepare(echo=lambda line: print(f"  {line}"))
    asyncio.run(seed(args.employees))
    load_before = os.getloadavg()
    figures = asyncio.run(measure(args))
    found = targets(figures, args.employees)
    print(f"\nload average before/after: {load_before[0]:.2f} / {os.getloadavg()[0]:.2f}")
    T.print_lines(found)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {"started_at": stamp, "figures": figures, "load_average": [load_before[0], os.getloadavg()[0]],
              "targets": [t.as_json() for t in found]}  # fmt: skip
    path = args.result_json or args.results_dir / f"hr-{stamp}.json"
    path.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
