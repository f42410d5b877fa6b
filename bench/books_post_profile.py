"""Where a post's time goes: the app in-process, posts and users lists priced by CPU, optionally profiled.

    .venv/bin/python -m bench.books_post_profile                      # after a bench.books run (its database)
    .venv/bin/python -m bench.books_post_profile --posts 400 --pyinstrument post.html

Runs on the books bench's database as the last ``bench.books`` run left it (tenants, books, the bookkeeper);
writes its own balanced drafts (two lines, dated as the bench's) and posts them through the real app,
in-process (httpx's ASGI transport on the same event loop, no sockets), interleaved with
``GET /api/v1/users`` as a client admin.
Per request it prints the median process CPU (this process: the app's Python, the client's share is small
and the same for both) and the PostgreSQL backends' CPU (the app's connections, read from ``/proc``), so
the figures move little with other load on the machine. ``--pyinstrument`` writes an HTML profile of the
posts alone.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path
from uuid import UUID

from bench import books_seed as seed
from bench import config
from bo_saas.identity.tokens import TokenSigner
from bo_saas.lib.caller import Caller, Role

_DRAFTS = [
    """INSERT INTO journal_entries (tenant_id, id, entry_date, memo, status)
       SELECT $1::uuid, md5($1::text || '-profile-' || $3::text || '-' || n)::uuid, date '2026-11-15',
              'profile draft', 'draft'
       FROM generate_series(1, $2::int) AS n""",
    """INSERT INTO journal_lines (tenant_id, entry_id, line_number, account_id, debit, credit)
       SELECT $1::uuid, md5($1::text || '-profile-' || $5::text || '-' || n)::uuid, l,
              CASE WHEN l = 1 THEN $3::uuid ELSE $4::uuid END,
              CASE WHEN l = 1 THEN 1000 + n ELSE 0 END, CASE WHEN l = 2 THEN 1000 + n ELSE 0 END
       FROM generate_series(1, $2::int) AS n, generate_series(1, 2) AS l""",
]
_BACKENDS = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND usename = $1"
_TICKS = 100  # USER_HZ: /proc's CPU times are in clock ticks


async def write_drafts(tenants: list[UUID], per_tenant: int, run: str) -> dict[UUID, list[UUID]]:
    connection = await seed.DB.connect_owner()
    made: dict[UUID, list[UUID]] = {}
    try:
        for tenant in tenants:
            accounts = [row["id"] for row in await connection.fetch(seed._ACCOUNT_IDS, tenant)]
            async with connection.transaction():
                await connection.execute(_DRAFTS[0], tenant, per_tenant, run)
                await connection.execute(_DRAFTS[1], tenant, per_tenant, accounts[0], accounts[-1], run)
            made[tenant] = [config.md5_uuid(f"{tenant}-profile-{run}-{n}") for n in range(1, per_tenant + 1)]
    finally:
        await connection.close()
    return made


async def backend_ticks() -> int:
    """User + system CPU ticks of the runtime role's backends on the bench database (the app's pool)."""
    connection = await seed.DB.connect_owner()
    try:
        pids = [row["pid"] for row in await connection.fetch(_BACKENDS, config.RUNTIME_ROLE)]
    finally:
        await connection.close()
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total


async def measure(args: argparse.Namespace) -> None:
    import httpx

    from bo_saas.server.app import create_app

    tenants = [config.tenant_id(t) for t in range(1, args.tenants + 1)]
    run = str(time.time_ns())
    drafts = await write_drafts(tenants, (args.posts + args.warmup) // len(tenants) + 1, run)
    order = [drafts[tenants[n % len(tenants)]][n // len(tenants)] for n in range(args.posts + args.warmup)]
    signer = TokenSigner(config.SECRET_KEY, ttl_seconds=3600)
    keeper = {"Authorization": f"Bearer {signer.issue(Caller(role=Role.PROVIDER_AGENT, account_id=seed.AGENT_ID))}"}
    admin = signer.issue(Caller(role=Role.CLIENT_ADMIN, account_id=config.account_id(1, 1), tenant_id=tenants[0]))
    admin_headers = {"Authorization": f"Bearer {admin}"}
    app = create_app(seed.DB.settings(rate_limit_per_minute=1_000_000_000, env="production", log_level="WARNING"))
    profiler = None
    # The app on this event loop (its lifespan entered here, ASGI called directly): the profiler sees its frames.
    transport = httpx.ASGITransport(app=app)
    async with app.lifespan(), httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for entry_id in order[: args.warmup]:
            assert (await client.post(f"/api/v1/books/journal-entries/{entry_id}/post", headers=keeper)).is_success
            assert (await client.get("/api/v1/users", headers=admin_headers)).is_success
        post_cpu, users_cpu, post_wall, users_wall = [], [], [], []
        post_db = users_db = 0
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(async_mode="enabled", interval=0.0002)
        for entry_id in order[args.warmup :]:
            ticks = await backend_ticks() if args.backend_cpu else 0
            if profiler:
                profiler.start()
            cpu, wall = time.process_time(), time.perf_counter()
            answer = await client.post(f"/api/v1/books/journal-entries/{entry_id}/post", headers=keeper)
            post_cpu.append(time.process_time() - cpu)
            post_wall.append(time.perf_counter() - wall)
            if profiler:
                profiler.stop()
            assert answer.status_code == 200 and answer.json()["status"] == "posted", answer.text
            if args.backend_cpu:
                after = await backend_ticks()
                post_db += after - ticks
                ticks = after
            cpu, wall = time.process_time(), time.perf_counter()
            listed = await client.get("/api/v1/users", headers=admin_headers)
            users_cpu.append(time.process_time() - cpu)
            users_wall.append(time.perf_counter() - wall)
            assert listed.status_code == 200
            if args.backend_cpu:
                users_db += await backend_ticks() - ticks
    n = len(post_cpu)
    for name, cpu, wall, db in (("post", post_cpu, post_wall, post_db), ("users", users_cpu, users_wall, users_db)):
        print(f"  {name:5}  process CPU median {statistics.median(cpu) * 1e6:6.0f} µs  mean "
              f"{statistics.fmean(cpu) * 1e6:6.0f} µs   wall median {statistics.median(wall) * 1e3:5.2f} ms  "
              f"p99 {sorted(wall)[int(0.99 * n)] * 1e3:5.2f} ms"
              + (f"   backends {db / _TICKS / n * 1e6:6.0f} µs/req" if args.backend_cpu else ""))  # fmt: skip
    if profiler:
        args.pyinstrument.write_text(profiler.output_html())
        print(profiler.output_text(unicode=False, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--tenants", type=int, default=4)
    parser.add_argument("--backend-cpu", action="store_true", help="read the backends' CPU around each request")
    parser.add_argument("--pyinstrument", type=Path, help="write an HTML profile of the posts here")
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
