"""Email against real servers: a local SMTP server (aiosmtpd) and a dramatiq worker in this process."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from dramatiq import Worker
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy.ext.asyncio import AsyncEngine

from bo_saas.lib.settings import Settings, get_settings
from bo_saas.server.worker import build_worker_broker


@pytest.fixture
def job_broker(settings: Settings, admin_engine: AsyncEngine) -> RedisBroker:
    """The process's broker on the test Redis, as a worker process builds it.

    Through admin_engine the root conftest empties the tables and Redis after the
    test: jobs write to both even when the test itself never opens a session.
    """
    return build_worker_broker(settings)


@pytest.fixture
def job_worker(job_broker: RedisBroker) -> Iterator[Worker]:
    worker = Worker(job_broker, worker_threads=2, worker_timeout=100)
    worker.start()
    yield worker
    worker.stop()


class Inbox:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def worker_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """Settings the worker's actors read with get_settings(): a private data folder, no SMTP unless a test sets it."""
    monkeypatch.setenv("BO_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BO_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()
