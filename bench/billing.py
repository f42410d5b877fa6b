"""The billing benchmark: a billing run over many tenants, its rerun, and what recording usage adds to finishing work.

    .venv/bin/python -m bench.billing          (or: make bench-billing)

Method.

1. A fresh database ``bo_bench_billing`` (``bench/billing_seed.py``): 10,000
   tenants on the growth plan in three time zones, 8 client users each, a
   month of usage on every meter (30 rows per meter), tax on half of them, a
   one-off charge on one in a hundred. Seeded as the owner with set-based SQL.
2. The run: ``billing.runs.run_billing`` for November 2026, in this process,
   as the runtime role with RLS forced: one transaction per tenant, exactly as
   ``bo-saas billing run`` does (the CLI adds only its progress bar). Timed
   from start to summary; every tenant must come out ``created`` and the
   database must then hold one invoice per tenant whose lines add up.
3. The rerun: the same run again; every tenant must come out ``unchanged``
   (no invoice made or changed), timed the same way.
4. Usage on finishing: ``--items`` items of a custom service type (each earns
   one ``work.items`` unit when done) and as many of ``hr`` (no desk yet: earns
   nothing) are finished through ``work.items.move`` in their own
   transactions, alternating one of each, as the runtime role. The median
   time of a finish that records usage minus the median of one that does not
   is what recording usage adds (the target: ≤ 1 ms).

Targets, printed PASS/FAIL and written to the JSON result for ``bench.all``:
run ≤ 60 s, rerun ≤ 10 s with 0 invoices made, usage ≤ 1 ms per finish.
The machine's 2 cores are shared by this process and PostgreSQL; other load
on the machine moves the absolute figures (the run's is absolute by the
issue's definition), so note the load average printed with them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bench import billing_seed as seed
from bench import config
from bench import targets as T
from bench import validity as V
from bo_saas.billing.models import Invoice, InvoiceLine
from bo_saas.billing.runs import RunSummary, run_billing
from bo_saas.lib.db import make_engine, make_sessionmaker, set_scope
from bo_saas.lib.tenant_scope import TenantScope
from bo_saas.server.registry import load
from bo_saas.work.items import move
from bo_saas.work.models import UsageRecord, WorkItem, WorkState

NOW = datetime(2026, 12, 5, 9, tzinfo=UTC)  # November has ended in every time zone
TARGET_RUN_SECONDS = 60.0
TARGET_RERUN_SECONDS = 10.0
TARGET_USAGE_MS = 1.0


async def timed_run(sessionmaker) -> tuple[RunSummary, float]:
    started = time.perf_counter()
    summary = await run_billing(sessionmaker, period=seed.PERIOD, started_by="bench", now=NOW)
    return summary, time.perf_counter() - started


async def check_invoices(sessionmaker) -> tuple[int, int]:
    """(invoices of the period, invoices whose lines do not add up to their subtotal), read as the owner."""
    async with sessionmaker() as session, session.begin():
        count = await session.scalar(select(func.count()).where(Invoice.period == seed.PERIOD))
        sums = (
            select(InvoiceLine.tenant_id, InvoiceLine.invoice_id, func.sum(InvoiceLine.amount).label("lines"))
            .group_by(InvoiceLine.tenant_id, InvoiceLine.invoice_id)
            .subquery()
        )
        wrong = await session.scalar(
            select(func.count())
            .select_from(Invoice)
            .join(sums, (sums.c.tenant_id == Invoice.tenant_id) & (sums.c.invoice_id == Invoice.id))
            .where(Invoice.period == seed.PERIOD, sums.c.lines != Invoice.subtotal)
        )
    return int(count), int(wrong)


async def finish_one(sessionmaker, tenant_id, item_id) -> float:
    started = time.perf_counter()
    async with sessionmaker() as session:
        set_scope(session, TenantScope.of(tenant_id))
        async with session.begin():
            item = await session.get(WorkItem, (tenant_id, item_id), with_for_update=True)
            await move(session, item, WorkState.DONE, caller=None, reason=None)
    return time.perf_counter() - started


async def usage_phase(sessionmaker, owner_sessionmaker, count: int) -> dict:
    tenant, earning, silent = await seed.finish_items(count)
    with_usage, without = [], []
    for earns, earns_nothing in zip(earning, silent, strict=True):  # alternating, so drift hits both alike
        with_usage.append(await finish_one(sessionmaker, tenant, earns))
        without.append(await finish_one(sessionmaker, tenant, earns_nothing))
    async with owner_sessionmaker() as session, session.begin():
        recorded = await session.scalar(
            select(func.count()).where(UsageRecord.tenant_id == tenant, UsageRecord.work_item_id.is_not(None))
        )
    median_with, median_without = statistics.median(with_usage) * 1000, statistics.median(without) * 1000
    return {
        "items_each": count,
        "finish_with_usage_ms": round(median_with, 3),
        "finish_without_usage_ms": round(median_without, 3),
        "usage_adds_ms": round(median_with - median_without, 3),
        "usage_rows_recorded": int(recorded),
    }


async def measure(args) -> dict:
    engine = make_engine(seed.DB.url, pool_size=2)
    owner = make_engine(seed.DB.admin_url, pool_size=1)
    sessionmaker, owner_sessionmaker = make_sessionmaker(engine), make_sessionmaker(owner)
    try:
        first, first_seconds = await timed_run(sessionmaker)
        print(f"run: {first.count('created')} created, {first.count('failed')} failed in {first_seconds:.1f} s "
              f"({len(first.results) / first_seconds:,.0f} tenants/s)", flush=True)  # fmt: skip
        invoices, wrong = await check_invoices(owner_sessionmaker)
        print(f"  {invoices:,} invoices of {seed.PERIOD}; {wrong} whose lines do not add up", flush=True)
        again, again_seconds = await timed_run(sessionmaker)
        made = again.count("created", "recomputed")
        print(f"rerun: {again.count('unchanged')} unchanged, {made} made or changed in {again_seconds:.1f} s",
              flush=True)  # fmt: skip
        usage = await usage_phase(sessionmaker, owner_sessionmaker, args.items)
        with_ms, without_ms = usage["finish_with_usage_ms"], usage["finish_without_usage_ms"]
        print(f"finish with usage {with_ms:.2f} ms, without {without_ms:.2f} ms (medians of {args.items}): "
              f"usage adds {usage['usage_adds_ms']:.3f} ms", flush=True)  # fmt: skip
    finally:
        await engine.dispose()
        await owner.dispose()
    return {
        "run": {"seconds": round(first_seconds, 2), "created": first.count("created"),
                "failed": first.count("failed"), "failures": [r.reason for r in first.failures][:5],
                "invoices": invoices, "lines_not_adding_up": wrong},
        "rerun": {"seconds": round(again_seconds, 2), "unchanged": again.count("unchanged"), "made": made},
        "usage": usage,
    }  # fmt: skip


def targets(figures: dict, tenants: int) -> list[T.Target]:
    run, rerun, usage = figures["run"], figures["rerun"], figures["usage"]
    run_valid = V.VALID
    if run["failed"] or run["created"] != tenants or run["invoices"] != tenants or run["lines_not_adding_up"]:
        run_valid = V.Validity.invalid(
            f"{run['created']} created, {run['failed']} failed, {run['invoices']} invoices, "
            f"{run['lines_not_adding_up']} not adding up (of {tenants})"
        )
    rerun_valid = run_valid & (V.VALID if rerun["unchanged"] == tenants else V.Validity.invalid(
        f"only {rerun['unchanged']} of {tenants} unchanged"))  # fmt: skip
    usage_valid = V.VALID if usage["usage_rows_recorded"] == usage["items_each"] else V.Validity.invalid(
        f"{usage['usage_rows_recorded']} usage rows for {usage['items_each']} items")  # fmt: skip
    return [
        T.check("billing", f"billing run over {tenants:,} tenants", run["seconds"], "<=", TARGET_RUN_SECONDS,
                unit="s", validity=run_valid),
        T.check("billing", "rerun (no invoice made)", rerun["seconds"], "<=", TARGET_RERUN_SECONDS, unit="s",
                validity=rerun_valid),
        T.check("billing", "invoices made by the rerun", rerun["made"], "==", 0, validity=rerun_valid),
        T.check("billing", "recording usage adds to finishing an item", usage["usage_adds_ms"], "<=",
                TARGET_USAGE_MS, unit="ms", validity=usage_valid),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description="bo-saas billing benchmark (see the module docstring).")
    parser.add_argument("--tenants", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=8, help="client users per tenant (growth includes 5 seats)")
    parser.add_argument("--rows-per-meter", type=int, default=30, help="usage rows per tenant and meter")
    parser.add_argument("--items", type=int, default=400, help="items finished with usage (and as many without)")
    parser.add_argument("--results-dir", type=Path, default=config.RESULTS_DIR)
    parser.add_argument("--result-json", type=Path, help="write the JSON result here (bench.all reads it)")
    args = parser.parse_args()

    load()  # the meters, desks and hooks the run and the finishes use
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    started = time.monotonic()
    print(f"seeding {seed.DB.name}: {args.tenants:,} tenants × {args.users} users, "
          f"{args.rows_per_meter} usage rows per meter", flush=True)  # fmt: skip
    seed.DB.prepare(echo=lambda line: print(f"  {line}"))
    seeded_at = time.perf_counter()
    counts = asyncio.run(seed.seed(args.tenants, args.users, args.rows_per_meter))
    print(f"  seeded in {time.perf_counter() - seeded_at:.1f} s: "
          + ", ".join(f"{table} {count:,}" for table, count in counts.items()), flush=True)  # fmt: skip
    load_before = os.getloadavg()
    figures = asyncio.run(measure(args))
    found = targets(figures, args.tenants)
    print(f"\nload average before/after: {load_before[0]:.2f} / {os.getloadavg()[0]:.2f}")
    T.print_lines(found)
    result = {
        "started_at": stamp,
        "seconds": round(time.monotonic() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_average_before": load_before[0]},
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "seeded": counts,
        **figures,
        "targets": [t.as_json() for t in found],
    }  # fmt: skip
    path = args.result_json or args.results_dir / f"billing-{stamp}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"\nresults: {path}  ({result['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
