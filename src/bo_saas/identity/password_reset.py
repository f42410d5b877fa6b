"""Forgotten passwords: a one-time, short-lived link by email, and choosing a new password with it.

Asking answers the same whether or not the address has an account, so the form
cannot be used to learn who has one. Tokens live in Redis under their SHA-256
digest only, expiring on their own after ``password_reset_minutes``; a new link
replaces the account's previous one, and using a link deletes it (one use).
Redis suits them: they are short-lived, and losing one only means asking again.

Rate limits: one email per address a minute (silently, so the answer stays the
same) and ``REQUESTS_PER_ADDRESS_WINDOW`` requests per client address in
``WINDOW_SECONDS`` (429 with ``Retry-After``), so nobody floods a mailbox.
"""

from __future__ import annotations

import hashlib
from uuid import UUID

import redis.asyncio as aioredis
from litestar import Request
from litestar.exceptions import ClientException, TooManyRequestsException
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event, record_provider_event
from bo_saas.identity.accounts import INVITE_VALID_FOR, AccountError, normalise_email
from bo_saas.identity.invitations import send_invitation, send_password_reset
from bo_saas.identity.models import Account, AccountStatus, RefreshToken
from bo_saas.identity.passwords import WeakPasswordError, check_password_strength, digest, hash_password, new_secret
from bo_saas.identity.sign_in_throttle import SignInThrottle
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import set_scope
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope

_PREFIX = "bo_saas:password_reset"
EMAIL_INTERVAL_SECONDS = 60
WINDOW_SECONDS = 15 * 60
REQUESTS_PER_ADDRESS_WINDOW = 10
INVALID_LINK = "This reset link is not valid or has expired; ask for a new one"
_CLIENT_TENANT = text(
    "SELECT a.tenant_id, t.name FROM bo_account_tenants(:account_id) a JOIN tenants t ON t.id = a.tenant_id"
    " WHERE a.role <> 'assigned' LIMIT 1"
)


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class PasswordResets:
    def __init__(self, session: AsyncSession, redis: aioredis.Redis, settings: Settings, request: Request) -> None:
        self.session = session
        self.redis = redis
        self.settings = settings
        self.request = request

    async def request_link(self, email: str) -> None:
        """Send a reset link if ``email`` has an account; the caller answers the same either way."""
        await self._limit_client()
        try:
            email = normalise_email(email)
        except AccountError:
            return
        # At most one email per address a minute, whoever asks.
        if not await self.redis.set(f"{_PREFIX}:sent:{_sha(email)}", "1", nx=True, ex=EMAIL_INTERVAL_SECONDS):
            return
        account = (await self.session.execute(select(Account).where(Account.email == email))).scalar()
        if account is None or account.status is AccountStatus.DEACTIVATED:
            return
        tenant_id, tenant_name = await self._client_tenant(account.id)
        if account.status is AccountStatus.INVITED:
            # Never set a password yet: a fresh invitation is the link they need.
            token = new_secret()
            account.invite_token_hash = digest(token)
            account.invite_expires_at = utc_now() + INVITE_VALID_FOR
            await send_invitation(self.session, account, token, tenant_name=tenant_name)
            return
        token = new_secret()
        ttl = self.settings.password_reset_minutes * 60
        previous = await self.redis.getset(f"{_PREFIX}:account:{account.id}", digest(token))
        if previous:
            await self.redis.delete(f"{_PREFIX}:token:{previous.decode()}")
        await self.redis.expire(f"{_PREFIX}:account:{account.id}", ttl)
        await self.redis.set(f"{_PREFIX}:token:{digest(token)}", str(account.id), ex=ttl)
        await send_password_reset(self.session, account, token, minutes=self.settings.password_reset_minutes)
        await self._audit(account, tenant_id, "auth.password_reset_requested")

    async def reset(self, token: str, password: str) -> Account:
        """Set a new password with a reset token; the token is spent, every session ended."""
        key = f"{_PREFIX}:token:{digest(token)}"
        if await self.redis.get(key) is None:
            raise ClientException(INVALID_LINK)
        # Checked before the token is spent, so a too-short password does not burn the link.
        try:
            check_password_strength(password)
        except WeakPasswordError as exc:
            raise ClientException(str(exc)) from None
        account_id = await self.redis.getdel(key)  # one use, even for two requests at once
        if account_id is None:
            raise ClientException(INVALID_LINK)
        account = await self.session.get(Account, UUID(account_id.decode()), with_for_update=True)
        if account is None or account.status is not AccountStatus.ACTIVE:
            raise ClientException(INVALID_LINK)
        await self.redis.delete(f"{_PREFIX}:account:{account.id}")
        account.password_hash = hash_password(password)
        # Whoever knew the old password is signed out everywhere: each session's refresh tokens, and its access
        # tokens at once (by session, not by time: the sign-in with the new password may fall in the same second).
        ended = await self.session.scalars(
            update(RefreshToken)
            .where(RefreshToken.account_id == account.id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utc_now())
            .returning(RefreshToken.family_id)
        )
        for family_id in set(ended):
            await self.request.app.state.revocations.end_session(family_id)
        await SignInThrottle(self.redis, self.settings).clear(account.email)
        tenant_id, _ = await self._client_tenant(account.id)
        await self._audit(account, tenant_id, "auth.password_reset")
        return account

    async def _limit_client(self) -> None:
        host = self.request.client.host if self.request.client else "unknown"
        key = f"{_PREFIX}:client:{_sha(host)}"
        async with self.redis.pipeline(transaction=True) as pipe:
            # The window starts with the first request (SET NX EX, not EXPIRE NX: that needs Redis 7, and the
            # embedded Redis is 6.2).
            pipe.set(key, 0, ex=WINDOW_SECONDS, nx=True)
            pipe.incr(key)
            pipe.ttl(key)
            _, count, ttl = await pipe.execute()
        if int(count) > REQUESTS_PER_ADDRESS_WINDOW:
            wait = max(int(ttl), 1)
            raise TooManyRequestsException(
                f"Too many password-reset requests; try again in {wait} seconds",
                headers={"Retry-After": str(wait)},
                extra={"retry_after": wait},
            )

    async def _client_tenant(self, account_id: UUID) -> tuple[UUID | None, str | None]:
        row = (await self.session.execute(_CLIENT_TENANT, {"account_id": account_id})).first()
        return (row.tenant_id, row.name) if row else (None, None)

    async def _audit(self, account: Account, tenant_id: UUID | None, action: str) -> None:
        actor = (account.id, "account")
        if tenant_id is None:
            record_provider_event(self.session, self.request, action=action, actor=actor)
            return
        # The change itself is provider-level; the tenant's event needs the tenant's scope.
        await self.session.commit()
        set_scope(self.session, TenantScope.of(tenant_id))
        record_event(self.session, self.request, tenant_id=tenant_id, action=action, actor=actor)
