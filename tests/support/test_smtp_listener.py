"""The SMTP listener over a real socket: what it accepts, refuses, and answers when the ingest fails.

The ingest and the recipient check are the handler's seams: here they are small recording
functions, so the SMTP behaviour is tested without a database. The command's own wiring to the
desk's ingest is exercised by running `bo-saas mail serve` as a process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiosmtplib
import pytest
import structlog
from structlog.testing import capture_logs

from bo_saas.support import smtp_listener
from bo_saas.support.mail_parsing import MAX_MESSAGE_BYTES, MalformedMessageError, parse_message
from bo_saas.support.smtp_listener import SupportMailHandler, start_listener
from tests.servers import free_port

CHANNELS = {"help@acme.test", "support@acme-ar.test"}
MESSAGE = (
    b"From: Bob <bob@example.com>\r\nTo: help@acme.test\r\nSubject: Where is my invoice?\r\n"
    b"Message-ID: <q1@example.com>\r\n\r\nHello, where is my invoice?\r\n"
)


@dataclass
class Desk:
    """Stands in for the desk's ingest: records each delivery; ``failure`` makes the next ones raise."""

    received: list[tuple[str, bytes]] = field(default_factory=list)
    failure: Exception | None = None

    async def accepts(self, address: str) -> bool:
        return address in CHANNELS

    async def ingest(self, recipient: str, raw: bytes) -> object | None:
        if self.failure is not None:
            raise self.failure
        self.received.append((recipient, raw))
        return "created"


@dataclass
class Listener:
    desk: Desk
    port: int

    def client(self) -> aiosmtplib.SMTP:
        return aiosmtplib.SMTP(hostname="127.0.0.1", port=self.port, timeout=10)


async def running(data_size_limit: int = MAX_MESSAGE_BYTES) -> tuple[Listener, asyncio.Server]:
    desk = Desk()
    port = free_port()
    handler = SupportMailHandler(accepts=desk.accepts, ingest=desk.ingest)
    server = await start_listener(handler, host="127.0.0.1", port=port, data_size_limit=data_size_limit)
    return Listener(desk, port), server


@pytest.fixture
async def listener() -> AsyncIterator[Listener]:
    running_listener, server = await running()
    yield running_listener
    server.close()
    await server.wait_closed()


async def test_message_to_a_channel_address_is_handed_to_the_ingest_with_the_envelope_sender(listener: Listener):
    async with listener.client() as client:
        errors, reply = await client.sendmail("Bob@Example.com", ["Help@Acme.Test"], MESSAGE)

    assert errors == {}
    assert reply.startswith("2.0.0 Message accepted")
    [(recipient, raw)] = listener.desk.received
    assert recipient == "help@acme.test"
    assert raw.startswith(b"Return-Path: <Bob@Example.com>\r\n")
    assert raw.endswith(MESSAGE)
    assert parse_message(raw).subject == "Where is my invoice?"


async def test_unknown_recipient_is_refused_with_550_before_the_body_is_sent(listener: Listener):
    async with listener.client() as client:
        await client.ehlo()
        await client.mail("bob@example.com")
        response = await client.execute_command(b"RCPT", b"TO:<nobody@acme.test>")

    assert response.code == 550
    assert response.message.startswith("5.1.1")
    assert listener.desk.received == []


async def test_only_the_known_recipients_of_a_message_get_it(listener: Listener):
    async with listener.client() as client:
        errors, _ = await client.sendmail(
            "bob@example.com", ["help@acme.test", "nobody@acme.test", "support@acme-ar.test"], MESSAGE
        )

    assert errors["nobody@acme.test"].code == 550
    assert [recipient for recipient, _ in listener.desk.received] == ["help@acme.test", "support@acme-ar.test"]


async def test_bounce_with_the_null_sender_reaches_the_ingest_with_an_empty_return_path(listener: Listener):
    async with listener.client() as client:
        await client.sendmail("", ["help@acme.test"], MESSAGE)

    [(_, raw)] = listener.desk.received
    assert raw.startswith(b"Return-Path: <>\r\n")
    assert parse_message(raw).headers["return-path"] == "<>"


async def test_message_over_the_size_limit_is_refused_with_552():
    small, server = await running(data_size_limit=2048)
    try:
        async with small.client() as client:
            await client.ehlo()
            await client.mail("bob@example.com")
            await client.rcpt("help@acme.test")
            with pytest.raises(aiosmtplib.SMTPDataError) as refused:
                await client.data(MESSAGE + b"x" * 4096 + b"\r\n")
        assert refused.value.code == 552
        assert small.desk.received == []
    finally:
        server.close()
        await server.wait_closed()


async def test_the_listener_advertises_the_message_size_limit(listener: Listener):
    async with listener.client() as client:
        await client.ehlo()
        assert client.esmtp_extensions["size"] == str(MAX_MESSAGE_BYTES)


async def test_unexpected_ingest_error_answers_451_so_the_sender_retries_and_is_logged(
    listener: Listener, monkeypatch: pytest.MonkeyPatch
):
    listener.desk.failure = RuntimeError("database is down")
    with capture_logs() as logs:
        # A logger made under capture_logs, so a logger cached by an earlier configuration cannot bypass it.
        monkeypatch.setattr(smtp_listener, "log", structlog.get_logger("bo_saas.support.smtp"))
        async with listener.client() as client:
            await client.ehlo()
            await client.mail("bob@example.com")
            await client.rcpt("help@acme.test")
            with pytest.raises(aiosmtplib.SMTPDataError) as refused:
                await client.data(MESSAGE)

    assert refused.value.code == 451
    assert refused.value.message.startswith("4.3.0")
    [failure] = [entry for entry in logs if entry["event"] == "mail.ingest_failed"]
    assert failure["recipient"] == "help@acme.test"
    assert failure["log_level"] == "error"


async def test_message_that_is_not_mail_is_refused_permanently_with_554(listener: Listener):
    listener.desk.failure = MalformedMessageError("no headers")
    async with listener.client() as client:
        await client.ehlo()
        await client.mail("bob@example.com")
        await client.rcpt("help@acme.test")
        with pytest.raises(aiosmtplib.SMTPDataError) as refused:
            await client.data(b"\x00\x01 not mail\r\n")

    assert refused.value.code == 554


async def test_a_failing_recipient_check_answers_451_not_550(listener: Listener):
    async def broken_lookup(address: str) -> bool:
        raise ConnectionError("database is down")

    handler = SupportMailHandler(accepts=broken_lookup, ingest=listener.desk.ingest)
    port = free_port()
    server = await start_listener(handler, host="127.0.0.1", port=port)
    try:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=10) as client:
            await client.ehlo()
            await client.mail("bob@example.com")
            response = await client.execute_command(b"RCPT", b"TO:<help@acme.test>")
        assert response.code == 451
    finally:
        server.close()
        await server.wait_closed()


def test_mail_serve_help_works():
    result = subprocess.run(
        [sys.executable, "-m", "bo_saas.server.cli", "mail", "serve", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "--port" in result.stdout and "--host" in result.stdout


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_mail_serve_listens_and_exits_0_on_a_stop_signal(stop_signal: signal.Signals):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bo_saas.server.cli", "mail", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "BO_LOG_JSON": "false"},
    )
    try:
        banner = await _smtp_banner(port, process)
        assert "bo-saas support" in banner
        process.send_signal(stop_signal)
        _, stderr = await asyncio.to_thread(process.communicate, timeout=30)
        assert process.returncode == 0, stderr.decode()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


async def _smtp_banner(port: int, process: subprocess.Popen) -> str:
    """The greeting of the listener once it accepts connections (the command starts in a second or two)."""
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        if process.poll() is not None:
            raise AssertionError(f"mail serve exited early: {process.stderr.read().decode()}")
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.2)
            continue
        greeting = await reader.readline()
        writer.write(b"QUIT\r\n")
        await writer.drain()
        writer.close()
        return greeting.decode()
