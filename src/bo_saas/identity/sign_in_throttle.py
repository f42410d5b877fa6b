"""Failed sign-ins counted per address typed, in Redis, whether or not an account has it.

Counting on the account row told an attacker which addresses exist: only a real
account ever answered "Too many failed sign-ins". Keyed by a digest of the
address as typed (trimmed, lower-cased), a made-up address is locked exactly as
a real one, so the lock message reveals nothing. Redis keys expire on their own,
so addresses nobody owns leave nothing behind.

Past ``login_max_failures`` failures the address is locked for
``login_lock_seconds``, doubling with every further failure, at most an hour.
"""

from __future__ import annotations

import hashlib
import math

import redis.asyncio as aioredis

from bo_saas.lib.settings import Settings

MAX_LOCK_SECONDS = 60 * 60
# A failure is forgotten a day after the address's last failure.
FAILURE_MEMORY_SECONDS = 24 * 60 * 60
_PREFIX = "bo_saas:sign_in"


def _key(email: str, part: str) -> str:
    # A digest, so Redis never holds the addresses people typed.
    return f"{_PREFIX}:{hashlib.sha256(email.encode()).hexdigest()}:{part}"


class SignInThrottle:
    def __init__(self, redis: aioredis.Redis, settings: Settings) -> None:
        self.redis = redis
        self.settings = settings

    async def locked_for(self, email: str) -> int | None:
        """Whole seconds until ``email`` may try again, or None when it is not locked."""
        remaining_ms = await self.redis.pttl(_key(email, "lock"))
        if remaining_ms is None or remaining_ms <= 0:
            return None
        return max(1, math.ceil(remaining_ms / 1000))

    async def record_failure(self, email: str) -> int:
        """Count one failure; returns the address's failures so far (locking it past the maximum)."""
        failures_key = _key(email, "failures")
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(failures_key)
            pipe.expire(failures_key, FAILURE_MEMORY_SECONDS)
            failures, _ = await pipe.execute()
        over = int(failures) - self.settings.login_max_failures
        if over >= 0:
            lock = min(self.settings.login_lock_seconds * 2 ** min(over, 16), MAX_LOCK_SECONDS)
            await self.redis.set(_key(email, "lock"), "1", ex=lock)
        return int(failures)

    async def clear(self, email: str) -> None:
        """A successful sign-in (or a password reset) forgets the address's failures."""
        await self.redis.delete(_key(email, "failures"), _key(email, "lock"))
