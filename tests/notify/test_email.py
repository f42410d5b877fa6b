"""Email delivery: SMTP to a real local server, .eml files without one, and the send_email job."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bo_saas.lib.email import QUEUE, compose, deliver, send_email
from bo_saas.lib.outbox import enqueue, wait_for_relays
from bo_saas.lib.outbox_models import ProcessedMessage
from bo_saas.lib.settings import Settings, get_settings

BODY = "Hello Ada,\n\nYour invitation is waiting.\n"


def parse(raw: bytes) -> EmailMessage:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


async def test_smtp_transport_delivers_the_message_to_the_server(settings: Settings, smtp_server):
    inbox, port = smtp_server
    smtp = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})

    await deliver(smtp, compose(smtp, to="ada@example.test", subject="Welcome to bo-saas", body=BODY))

    [envelope] = inbox.envelopes
    assert envelope.mail_from == "no-reply@bo-saas.local"
    assert envelope.rcpt_tos == ["ada@example.test"]
    received = parse(envelope.original_content)
    assert received["Subject"] == "Welcome to bo-saas"
    assert received["From"] == "bo-saas <no-reply@bo-saas.local>"
    assert received["Message-ID"].endswith("@bo-saas.local>")
    # SMTP carries lines ending in CRLF.
    assert received.get_content().splitlines() == BODY.splitlines()


async def test_without_smtp_host_the_message_is_a_readable_eml_file(settings: Settings, tmp_path: Path):
    files = settings.model_copy(update={"smtp_host": "", "data_dir": tmp_path})

    await deliver(files, compose(files, to="ada@example.test", subject="Your report", body=BODY))

    [path] = (tmp_path / "mail").iterdir()
    assert path.suffix == ".eml"
    written = parse(path.read_bytes())
    assert written["To"] == "ada@example.test"
    assert written["Subject"] == "Your report"
    assert written["Date"].datetime.utcoffset() == UTC.utcoffset(None)
    assert written.get_content_type() == "text/plain"
    assert written.get_content() == BODY


async def test_send_email_queued_in_a_transaction_arrives_at_the_smtp_server(
    worker_environment: pytest.MonkeyPatch,
    smtp_server,
    job_broker: RedisBroker,
    job_worker,
    runtime_sessionmaker: async_sessionmaker[AsyncSession],
    admin_session: AsyncSession,
):
    inbox, port = smtp_server
    worker_environment.setenv("BO_SMTP_HOST", "127.0.0.1")
    worker_environment.setenv("BO_SMTP_PORT", str(port))
    get_settings.cache_clear()

    async with runtime_sessionmaker() as session:
        message_id = await enqueue(session, send_email, to="ada@example.test", subject="You are invited", body=BODY)
        await session.commit()
    await wait_for_relays()
    await asyncio.to_thread(job_broker.join, QUEUE, timeout=15_000)

    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["ada@example.test"]
    received = parse(envelope.original_content)
    assert received["Subject"] == "You are invited"
    assert received.get_content().splitlines() == BODY.splitlines()
    assert (await admin_session.scalars(select(ProcessedMessage.message_id))).all() == [message_id]


async def test_send_email_delivered_twice_sends_one_email(
    worker_environment: pytest.MonkeyPatch, tmp_path: Path, job_broker: RedisBroker, job_worker
):
    message = send_email.message(to="ada@example.test", subject="Only once", body=BODY)

    job_broker.enqueue(message)
    job_broker.enqueue(message)
    await asyncio.to_thread(job_broker.join, QUEUE, timeout=15_000)

    [path] = (tmp_path / "mail").glob("*.eml")
    assert parse(path.read_bytes())["Subject"] == "Only once"


async def test_bo_saas_worker_process_sends_queued_email_and_stops_on_sigterm(
    settings: Settings,
    tmp_path: Path,
    job_broker: RedisBroker,
    runtime_sessionmaker: async_sessionmaker[AsyncSession],
    admin_session: AsyncSession,
):
    environment = {**os.environ, "BO_DATA_DIR": str(tmp_path)}
    environment.pop("BO_SMTP_HOST", None)
    worker = subprocess.Popen(
        [
            sys.executable, "-c",
            "import sys; from bo_saas.lib.settings import get_settings; from bo_saas.server.worker import run_worker;"
            " sys.exit(run_worker(get_settings(), processes=1, threads=2))",
        ],
        env=environment,
    )  # fmt: skip
    try:
        async with runtime_sessionmaker() as session:
            message_id = await enqueue(session, send_email, to="ada@example.test", subject="From the worker", body=BODY)
            await session.commit()
        await wait_for_relays()

        mail = tmp_path / "mail"
        deadline = asyncio.get_running_loop().time() + 30
        while not list(mail.glob("*.eml")):
            assert asyncio.get_running_loop().time() < deadline, "the worker sent nothing"
            await asyncio.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        exit_code = await asyncio.to_thread(worker.wait, 30)

    assert exit_code == 0
    [path] = mail.glob("*.eml")
    assert parse(path.read_bytes())["Subject"] == "From the worker"
    assert (await admin_session.scalars(select(ProcessedMessage.message_id))).all() == [message_id]
