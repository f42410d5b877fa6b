"""Requests per minute per caller: a fixed-window counter in Redis, one round trip of constant size per request.

Each identity (person, API client, else client address) has one integer key in
Redis. A Lua script increments it, gives it the window's expiry on the first
request of a window, and returns the count and the seconds left, so a request
costs one ``EVALSHA`` on the process's pipelined connection (``lib.redis_pipe``)
whatever the limit or traffic (Litestar's own limiter
read and wrote a JSON list of every request of the window, twice per request,
under an app-wide lock). The window starts at the caller's first request and
ends ``window_seconds`` later, as with Litestar's limiter.

Headers are the ones Litestar's limiter sent (``RateLimit-Policy``, ``-Limit``,
``-Remaining``, ``-Reset``). A refused request raises ``TooManyRequestsException``
with those headers; ``server/refusals.py`` answers it (adding ``Retry-After``) so
that the access log and metrics see the 429.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import TooManyRequestsException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from bo_saas.lib.redis_pipe import RedisPipe, Script

KEY_PREFIX = "bo_saas:rate_limit:"

# KEYS[1]: the caller's counter; ARGV[1]: the window in seconds. Returns {count, seconds left}.
# EXPIRE only when the key has none (TTL -1): the window is fixed at the first request (Redis 6.2 has no EXPIRE NX).
_COUNT = Script("""
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  ttl = tonumber(ARGV[1])
  redis.call('EXPIRE', KEYS[1], ttl)
end
return {count, ttl}
""")


class RateLimitMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    exclude_path_pattern = ("/health", "/ready", "/metrics", "/schema")

    def __init__(
        self,
        redis: RedisPipe,
        limit: int,
        identity: Callable[[ASGIConnection], str],
        *,
        window_seconds: int = 60,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.identity = identity
        self.redis = redis
        self._policy = f"{limit}; w={window_seconds}"

    def _key(self, scope: Scope) -> str:
        key = KEY_PREFIX + self.identity(ASGIConnection(scope))
        # Like Litestar's limiter: mounted apps and static files count apart from the API.
        handler = scope.get("route_handler")
        if getattr(handler, "is_mount", False):
            key += "::mount"
        if getattr(handler, "is_static", False):
            key += "::static"
        return key

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        count, reset = await self.redis.run_script(_COUNT, [self._key(scope)], [self.window])
        count, reset = int(count), max(0, int(reset))
        if count > self.limit:
            raise TooManyRequestsException(headers=self._headers(0, reset))
        extra = [(name.encode(), value.encode()) for name, value in self._headers(self.limit - count, reset).items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await next_app(scope, receive, send_with_headers)

    def _headers(self, remaining: int, reset: int) -> dict[str, str]:
        return {
            "RateLimit-Policy": self._policy,
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(remaining),
            "RateLimit-Reset": str(reset),
        }
