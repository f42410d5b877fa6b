"""One pipelined Redis connection for the per-request checks (rate limit, revocations).

Every request asks Redis something before it is served. Through redis-py's
asyncio client one such command cost 65–110 µs of CPU (its connection pool,
command wrappers and response callbacks), several times the round trip itself.
Here each process keeps one connection: a command is written at once and its
future waits for the reply; Redis answers commands on a connection in the
order they were sent, so replies resolve the futures first in, first out, and
concurrent requests share the connection without waiting on each other's round
trips. hiredis (the parser redis-py itself uses when it is installed) reads the
replies. About 10 µs a command.

Errors keep redis-py's types: an error reply raises ``ResponseError``; a lost
or refused connection raises ``ConnectionError`` to every command in flight,
and the next command connects again.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import deque
from typing import Any

import hiredis
from redis.asyncio.connection import parse_url
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, ResponseError


class Script:
    """A Lua script run by its SHA1 (``EVALSHA``), loaded with ``EVAL`` when Redis does not know it yet."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()


def _encode(args: tuple[Any, ...]) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        value = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(value), value))
    return b"".join(parts)


class _Protocol(asyncio.Protocol):
    def __init__(self) -> None:
        self.reader = hiredis.Reader(replyError=ResponseError)
        self.waiting: deque[asyncio.Future[Any]] = deque()
        self.transport: asyncio.Transport | None = None
        self.lost = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.reader.feed(data)
        while (reply := self.reader.gets()) is not False:
            waiter = self.waiting.popleft()
            if not waiter.done():
                if isinstance(reply, ResponseError):
                    waiter.set_exception(NoScriptError(str(reply)) if str(reply).startswith("NOSCRIPT") else reply)
                else:
                    waiter.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        error = RedisConnectionError(f"Connection to Redis lost: {exc or 'closed by the server'}")
        while self.waiting:
            waiter = self.waiting.popleft()
            if not waiter.done():
                waiter.set_exception(error)


class RedisPipe:
    """A lazily opened, pipelined connection to the Redis at ``url`` (``redis://`` or ``unix://``)."""

    def __init__(self, url: str) -> None:
        self._options = parse_url(url)
        self._protocol: _Protocol | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connecting: asyncio.Lock | None = None

    async def execute(self, *args: Any) -> Any:
        protocol = await self._connected()
        waiter = asyncio.get_running_loop().create_future()
        protocol.waiting.append(waiter)
        assert protocol.transport is not None
        protocol.transport.write(_encode(args))
        return await waiter

    async def run_script(self, script: Script, keys: list[str], args: list[Any]) -> Any:
        try:
            return await self.execute("EVALSHA", script.sha, len(keys), *keys, *args)
        except NoScriptError:
            # A restarted or flushed Redis has forgotten the script: EVAL runs it and caches it again.
            return await self.execute("EVAL", script.source, len(keys), *keys, *args)

    async def close(self) -> None:
        if self._protocol is not None and self._protocol.transport is not None:
            self._protocol.transport.close()
        self._protocol = None

    async def _connected(self) -> _Protocol:
        loop = asyncio.get_running_loop()
        protocol = self._protocol
        if protocol is not None and not protocol.lost and self._loop is loop:
            return protocol
        if self._connecting is None or self._loop is not loop:
            # A connection (and its lock) belongs to one event loop; tests run apps on several.
            self._connecting, self._loop, self._protocol = asyncio.Lock(), loop, None
        async with self._connecting:
            if self._protocol is None or self._protocol.lost:
                self._protocol = await self._open(loop)
            return self._protocol

    async def _open(self, loop: asyncio.AbstractEventLoop) -> _Protocol:
        options = self._options
        try:
            if "path" in options:
                _, protocol = await loop.create_unix_connection(_Protocol, options["path"])
            else:
                _, protocol = await loop.create_connection(
                    _Protocol, options.get("host", "localhost"), int(options.get("port", 6379))
                )
        except OSError as exc:
            raise RedisConnectionError(f"Cannot connect to Redis: {exc}") from exc
        setup = []
        if options.get("password"):
            username = options.get("username")
            setup.append(("AUTH", username, options["password"]) if username else ("AUTH", options["password"]))
        if int(options.get("db", 0)):
            setup.append(("SELECT", int(options["db"])))
        for command in setup:
            waiter = loop.create_future()
            protocol.waiting.append(waiter)
            assert protocol.transport is not None
            protocol.transport.write(_encode(command))
            await waiter
        return protocol
