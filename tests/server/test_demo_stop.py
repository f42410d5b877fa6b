"""Stopping ``bo-saas demo`` stops everything it started: the API, the worker, the embedded servers.

The demo runs as an operator runs it: in a session of its own (as a terminal or a
supervisor gives it), on embedded PostgreSQL and Redis under a temporary data
folder, on a free port. Its process tree and the embedded servers (found by
their working directory, since they daemonize out of the tree) are recorded
once it serves; after the signal, none of them may remain.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from bo_saas.lib.settings import PROJECT_ROOT
from tests.servers import free_port, is_alive, processes_in

pytestmark = pytest.mark.embedded

START_SECONDS = 120  # a fresh embedded database: initdb, migrations, the demo tenants
STOP_SECONDS = 45  # the worker may take its time to finish jobs in hand; the servers each have 15 s


class Demo:
    def __init__(self, folder: Path) -> None:
        self.data_dir = folder / "data"
        self.port = free_port()
        self.log = folder / "demo.log"
        self._seen: dict[int, psutil.Process] = {}
        # As on a fresh machine: no BO_* from the test session (its database and Redis URLs above all).
        env = {k: v for k, v in os.environ.items() if not k.startswith("BO_")}
        env.update(BO_DATA_DIR=str(self.data_dir), BO_PORT=str(self.port))
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bo_saas.server.cli", "demo"],
                cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_serving(self) -> None:
        """The API answers and the worker has booted (it starts beside the API and may come second)."""
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert self.process.poll() is None, f"the demo exited early:\n{self.output()}"
            assert time.monotonic() < deadline, f"the demo did not start in time:\n{self.output()}"
            try:
                answered = httpx.get(f"http://127.0.0.1:{self.port}/ready", timeout=2).status_code == 200
            except httpx.HTTPError:
                answered = False
            if answered and "Worker process is ready for action" in self.output():
                return
            time.sleep(0.2)

    def started_processes(self) -> list[psutil.Process]:
        """The demo, every process under it, and the embedded servers in its data folder."""
        demo = psutil.Process(self.process.pid)
        for process in [demo, *demo.children(recursive=True), *processes_in(self.data_dir)]:
            self._seen.setdefault(process.pid, process)
        return list(self._seen.values())

    def kill_everything(self) -> None:
        """Whatever is left, however the test ended: nothing may outlive it."""
        with contextlib.suppress(psutil.NoSuchProcess):
            self.started_processes()
        for process in [*self._seen.values(), *processes_in(self.data_dir)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                if is_alive(process):
                    process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    running = Demo(tmp_path)
    try:
        yield running
    finally:
        running.kill_everything()


def _describe(processes: list[psutil.Process]) -> list[str]:
    described = []
    for process in processes:
        try:
            described.append(f"{process.pid} {' '.join(process.cmdline())}")
        except psutil.NoSuchProcess:
            continue
    return described


def _wait_until_gone(processes: list[psutil.Process], seconds: float) -> list[psutil.Process]:
    deadline = time.monotonic() + seconds
    while (left := [p for p in processes if is_alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a new server binds it
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _assert_everything_stopped(demo: Demo, started: list[psutil.Process]) -> None:
    try:
        demo.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the demo did not exit:\n{demo.output()}")
    left = _wait_until_gone(started, 5)  # the demo waited for its servers; allow the last exits to land
    assert _describe(left) == [], demo.output()
    assert _describe(processes_in(demo.data_dir)) == []
    assert _port_is_free(demo.port)


def _processes_named(processes: list[psutil.Process]) -> set[str]:
    names = set()
    for process in processes:
        command = " ".join(process.cmdline())
        for name in ("postgres", "redis-server", "dramatiq", "bo_saas.server.cli worker"):
            if name in command:
                names.add(name)
    return names


def test_sigterm_to_the_demo_stops_the_api_the_worker_and_the_embedded_servers(demo: Demo) -> None:
    demo.wait_until_serving()
    started = demo.started_processes()
    # The record holds what the issue saw left behind, so an empty "left" list means something.
    assert _processes_named(started) == {"postgres", "redis-server", "dramatiq", "bo_saas.server.cli worker"}

    demo.process.send_signal(signal.SIGTERM)  # as a supervisor or `kill %1` does

    _assert_everything_stopped(demo, started)


def test_ctrl_c_to_the_demo_stops_the_api_the_worker_and_the_embedded_servers(demo: Demo) -> None:
    demo.wait_until_serving()
    started = demo.started_processes()
    assert _processes_named(started) == {"postgres", "redis-server", "dramatiq", "bo_saas.server.cli worker"}

    os.killpg(demo.process.pid, signal.SIGINT)  # a terminal's Ctrl-C goes to its whole foreground group

    _assert_everything_stopped(demo, started)
