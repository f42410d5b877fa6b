"""Summarise a py-spy profile of the server (``--format raw``: collapsed stacks).

``python -m bench.profile_report bench-results/profile-real-*.txt``

Two views, both as shares of the samples where the server was working:

- self time by package: the leaf frame's package (sqlalchemy, asyncpg,
  litestar, redis, ...). Asynchronous code is sampled in fragments (a resumed
  task, a SQLAlchemy greenlet), so attributing each sample to where the CPU
  actually was is the view that adds up.
- inclusive time of named steps of the request path (a frame anywhere on the
  sampled stack), for the steps worth pricing one by one. Middleware frames are
  not listed: they wrap everything below them, so their inclusive share says
  nothing about their own cost (price them with ``bench.run --ablate``).

Samples of an idle thread-pool worker waiting for work, and of the event loop
itself (uvloop's C code, where py-spy cannot tell polling from work), are left
out of both.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^():]*)(?::\d+)?\)$")
_IDLE_LEAVES = ("_worker (concurrent/futures/thread.py:81)", "Runner.run (asyncio/runners.py")

# (label, pattern matched against "function (file)" of any frame on the stack)
STEPS = (
    ("structlog (the access line, context vars)", r"\(structlog/"),
    ("prometheus_client", r"\(prometheus_client/"),
    ("joserfc (the bearer token check)", r"\(joserfc/"),
    ("redis client (the rate limit store)", r"\(redis/"),
    ("guards (authorize_connection: copies the handler per guard)", r"^BaseRouteHandler\.authorize_connection "),
    ("dependency injection (litestar/_kwargs, _signature)", r"\(litestar/_(kwargs|signature)/"),
    ("  tenant scope (provide_scope)", r"^provide_scope "),
    ("advanced-alchemy (session provider, autocommit)", r"\(advanced_alchemy/"),
    ("_user(): rows -> structs", r"^_user "),
    ("SQLAlchemy (any frame)", r"\(sqlalchemy/"),
    ("  after_begin set_config (lib/db.py)", r"^_declare_tenant_scope "),
    ("  statement cache lookup (Connection._execute_clauseelement)", r"^Connection\._execute_clauseelement "),
    ("asyncpg (any frame)", r"\(asyncpg/"),
    ("response encoding (litestar encode_json)", r"^encode_json "),
)


def _package(frame: str) -> str:
    match = _FRAME.match(frame)
    if not match or not match.group("file"):
        return "(native / unknown)"
    path = match.group("file")
    if path.startswith("<"):
        return path
    return path.split("/", 1)[0].removesuffix(".py")


def summarise(path: Path) -> tuple[int, Counter, Counter]:
    packages: Counter = Counter()
    steps: Counter = Counter()
    busy = 0
    patterns = [(label, re.compile(pattern)) for label, pattern in STEPS]
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        frames = stack.split(";")
        if frames[-1].startswith(_IDLE_LEAVES):
            continue
        samples = int(count)
        busy += samples
        packages[_package(frames[-1])] += samples
        for label, pattern in patterns:
            if any(pattern.search(frame) for frame in frames):
                steps[label] += samples
    return busy, packages, steps


def report(path: Path, *, top: int = 14) -> str:
    busy, packages, steps = summarise(path)
    if not busy:
        return f"{path}: no busy samples"
    lines = [f"{path.name}: {busy} busy samples", "  self time by package:"]
    lines += [f"    {100 * n / busy:5.1f}%  {name}" for name, n in packages.most_common(top)]
    lines.append("  inclusive, by step of the request path:")
    lines += [f"    {100 * steps[label] / busy:5.1f}%  {label}" for label, _ in STEPS]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Summarise py-spy raw profiles of the bench server.")
    parser.add_argument("profiles", nargs="+", type=Path)
    args = parser.parse_args()
    for path in args.profiles:
        print(report(path))
        print()


if __name__ == "__main__":
    main()
