"""``bo-saas worker``: the dramatiq worker processes that run every domain's jobs.

``run_worker`` starts dramatiq's own CLI in a fresh interpreter; each worker
process it forks calls ``boot``, which builds the broker from ``BO_*`` settings
and imports every actor module the domain registry names.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from types import FrameType

from dramatiq.brokers.redis import RedisBroker

from bo_saas.lib.broker import JobDatabase, setup_broker
from bo_saas.lib.embedded import export_to_environment, with_embedded_services
from bo_saas.lib.settings import Settings, get_settings
from bo_saas.server.observability import configure_logging
from bo_saas.server.registry import load


def build_worker_broker(settings: Settings) -> RedisBroker:
    """The broker a worker process runs: the app's middleware plus one database engine for actors."""
    broker = setup_broker(settings.redis_url)
    broker.add_middleware(JobDatabase(settings.database_url))
    load().import_task_modules()
    return broker


def boot() -> None:
    """Called by dramatiq in each worker process (``dramatiq bo_saas.server.worker:boot``)."""
    settings = get_settings()
    configure_logging(settings)
    build_worker_broker(settings)


# dramatiq reads these from the environment. An SLA timer is released from the delay queue
# on a consumer's idle poll, so the poll (1 s by default) bounds how late a breach is seen;
# and every pending timer must fit in the delay-queue prefetch, or a due one waits in Redis
# behind later ones.
WORKER_DEFAULTS = {"dramatiq_worker_timeout": "100", "dramatiq_delay_queue_prefetch": "65535"}


def worker_environment() -> dict[str, str]:
    return {**WORKER_DEFAULTS, **os.environ}


def run_worker(settings: Settings, processes: int = 1, threads: int = 4) -> int:
    """Run the workers until SIGINT/SIGTERM; return dramatiq's exit code.

    dramatiq runs in a new interpreter rather than forked from this one: this
    process may own the embedded PostgreSQL and Redis, and a forked child
    exiting would run their finalisers and stop them. It also gets its own
    session, so a terminal's Ctrl-C reaches it once, through this process.
    """
    settings = with_embedded_services(settings)
    export_to_environment(settings)
    command = [
        sys.executable, "-m", "dramatiq", f"{__name__}:boot",
        "--processes", str(processes), "--threads", str(threads),
    ]  # fmt: skip
    # Forwarding is in place before dramatiq starts: a signal that comes while it starts is sent on once it has.
    worker: subprocess.Popen[bytes] | None = None
    early: list[int] = []

    def forward(signum: int, _frame: FrameType | None) -> None:
        if worker is None:
            early.append(signum)
        else:
            worker.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker = subprocess.Popen(command, start_new_session=True, env=worker_environment())
        for signum in early:
            worker.send_signal(signum)
        return worker.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
