"""Access tokens refused at once when what they stand for ends, for one Redis round trip per request.

Access tokens are checked by signature alone, so without this a deactivated
account, a revoked API client or a signed-out session kept working until its
token expired (``BO_ACCESS_TOKEN_MINUTES``). Ending one writes a Redis key;
the bearer-token middleware reads the caller's keys (actor and session) in one
``MGET`` on the process's pipelined connection (``lib.redis_pipe``). A key lives
as long as an access token can: by then every token it refuses has expired
anyway, so the set stays small.

- actor (account or API client): the time it was revoked; tokens issued up to
  that second are refused, later ones (after a reactivation) are not.
- session (a refresh-token family, which each sign-in starts): ended for good.
"""

from __future__ import annotations

import time
from uuid import UUID

import redis.asyncio as aioredis

from bo_saas.lib.caller import Caller
from bo_saas.lib.redis_pipe import RedisPipe

PREFIX = "bo_saas:revoked"
# Clock skew between processes that issue and check tokens.
MARGIN_SECONDS = 60


class Revocations:
    def __init__(self, redis: aioredis.Redis, pipe: RedisPipe, access_token_seconds: int) -> None:
        self.redis = redis  # revoking: rare writes
        self.pipe = pipe  # checking: every request
        self.ttl_seconds = access_token_seconds + MARGIN_SECONDS

    async def revoke_actor(self, kind: str, actor_id: UUID) -> None:
        await self.redis.set(_actor_key(kind, actor_id), int(time.time()), ex=self.ttl_seconds)

    async def end_session(self, session_id: UUID) -> None:
        await self.redis.set(_session_key(session_id), 1, ex=self.ttl_seconds)

    async def is_revoked(self, caller: Caller, session_id: UUID | None, issued_at: int) -> bool:
        keys = [_actor_key(caller.actor_kind, caller.actor_id)]
        if session_id is not None:
            keys.append(_session_key(session_id))
        values = await self.pipe.execute("MGET", *keys)
        revoked_at = values[0]
        if revoked_at is not None and issued_at <= int(revoked_at):
            return True
        return len(values) > 1 and values[1] is not None


def _actor_key(kind: str, actor_id: UUID | None) -> str:
    return f"{PREFIX}:{kind}:{actor_id}"


def _session_key(session_id: UUID) -> str:
    return f"{PREFIX}:session:{session_id}"
