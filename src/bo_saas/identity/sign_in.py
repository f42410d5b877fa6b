"""The OAuth2 token endpoint's grants: password, refresh_token and client_credentials.

Errors are authlib's OAuth2 error types, so their codes and statuses are the
standard ones (``invalid_grant`` 400, ``invalid_client`` 401, ...).
Failed sign-ins are counted per address typed (``sign_in_throttle``), so a locked
address answers the same whether or not an account has it.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

from authlib.oauth2.rfc6749.errors import (
    InvalidClientError,
    InvalidGrantError,
    InvalidRequestError,
)
from litestar import Request
from litestar.concurrency import sync_to_thread
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.audit.record import record_event, record_provider_event
from bo_saas.identity.models import Account, AccountStatus, ApiClient, RefreshToken
from bo_saas.identity.passwords import digest, new_secret, verify_password
from bo_saas.identity.sign_in_throttle import SignInThrottle
from bo_saas.identity.tokens import TokenSigner
from bo_saas.lib.caller import Caller, Role
from bo_saas.lib.clock import utc_now
from bo_saas.lib.db import set_scope
from bo_saas.lib.settings import Settings
from bo_saas.lib.tenant_scope import TenantScope

_MEMBERSHIP = text("SELECT tenant_id, role FROM bo_account_tenants(:account_id) WHERE role <> 'assigned'")


class SignInLockedError(InvalidGrantError):
    """Too many failures for the address typed; ``retry_after`` seconds until it may try again."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many failed sign-ins; try again in {retry_after} seconds")
        self.retry_after = retry_after


@dataclass(frozen=True)
class IssuedTokens:
    caller: Caller
    access_token: str
    expires_in: int
    refresh_token: str | None = None

    def as_response(self) -> dict:
        body = {
            "access_token": self.access_token,
            "token_type": "bearer",
            "expires_in": self.expires_in,
            "role": self.caller.role.value,
            "tenant_id": str(self.caller.tenant_id) if self.caller.tenant_id else None,
        }
        if self.refresh_token:
            body["refresh_token"] = self.refresh_token
        return body


class TokenService:
    def __init__(self, session: AsyncSession, settings: Settings, signer: TokenSigner, request: Request) -> None:
        self.session = session
        self.settings = settings
        self.signer = signer
        self.request = request

    # -- password ---------------------------------------------------------------------------
    async def password_grant(self, username: str | None, password: str | None) -> IssuedTokens:
        if not username or not password:
            raise InvalidRequestError("username and password are required")
        email = username.strip().lower()
        throttle = SignInThrottle(self.request.app.state.redis, self.settings)
        wait = await throttle.locked_for(email)
        if wait is not None:
            # Refused before the account is even looked up: a made-up address answers the same.
            await self._audit_failure(email, "locked")
            raise SignInLockedError(wait)
        account = (await self.session.execute(select(Account).where(Account.email == email))).scalar()
        # argon2 is deliberately slow: verify off the event loop.
        password_ok = await sync_to_thread(verify_password, account.password_hash if account else None, password)
        if account is None or not password_ok:
            failures = await throttle.record_failure(email)
            await self._audit_failure(email, "bad_password", account, failures=failures)
            raise InvalidGrantError("Wrong email or password")
        if account.status is not AccountStatus.ACTIVE:
            await self._audit_failure(email, account.status.value, account)
            raise InvalidGrantError("This account is not active")
        caller = await self._caller_for(account)
        await throttle.clear(email)
        account.last_sign_in_at = utc_now()
        family_id = uuid4()
        refresh = self._new_refresh_token(account.id, family_id=family_id)
        await self._audit(caller, "auth.signed_in", {"grant": "password"})
        return IssuedTokens(caller, self.signer.issue(caller, session_id=family_id), self.signer.ttl_seconds, refresh)

    async def _audit_failure(
        self, email: str, reason: str, account: Account | None = None, *, failures: int | None = None
    ) -> None:
        """Audit the failure, committed even though the request fails."""
        if account is None:
            account = (await self.session.execute(select(Account).where(Account.email == email))).scalar()
        changes: dict = {"reason": reason}
        if failures is not None:
            changes["failed_sign_ins"] = failures
        if account is None:
            changes["email"] = email
            if reason == "bad_password":
                changes["reason"] = "unknown_account"
            record_provider_event(self.session, self.request, action="auth.sign_in_failed", changes=changes)
            await self.session.commit()
            return
        tenant_id = await self._client_tenant(account)
        await self.session.commit()
        actor = (account.id, "account")
        if tenant_id is None:
            record_provider_event(
                self.session, self.request, action="auth.sign_in_failed", changes=changes, actor=actor
            )
        else:
            set_scope(self.session, TenantScope.of(tenant_id))
            record_event(
                self.session,
                self.request,
                tenant_id=tenant_id,
                action="auth.sign_in_failed",
                changes=changes,
                actor=actor,
            )
        await self.session.commit()

    async def _client_tenant(self, account: Account) -> UUID | None:
        if account.staff_role:
            return None
        row = (await self.session.execute(_MEMBERSHIP, {"account_id": account.id})).first()
        return row.tenant_id if row else None

    async def _caller_for(self, account: Account) -> Caller:
        if account.staff_role:
            return Caller(role=account.staff_role, account_id=account.id)
        row = (await self.session.execute(_MEMBERSHIP, {"account_id": account.id})).first()
        if row is None:
            raise InvalidGrantError("This account has no tenant membership")
        return Caller(role=Role(row.role), account_id=account.id, tenant_id=row.tenant_id)

    # -- refresh ----------------------------------------------------------------------------
    async def refresh_grant(self, refresh_token: str | None) -> IssuedTokens:
        if not refresh_token:
            raise InvalidRequestError("refresh_token is required")
        stored = (
            await self.session.execute(
                select(RefreshToken).where(RefreshToken.token_hash == digest(refresh_token)).with_for_update()
            )
        ).scalar()
        now = utc_now()
        if stored is None or stored.revoked_at or stored.expires_at <= now:
            raise InvalidGrantError("The refresh token is invalid, expired or revoked")
        if stored.spent_at is not None:
            # A spent token presented again means it was copied: end the whole family.
            await self.revoke_family(stored.family_id)
            await self.session.commit()
            raise InvalidGrantError("The refresh token was already used; sign in again")
        stored.spent_at = now
        account = await self.session.get(Account, stored.account_id)
        if account is None or account.status is not AccountStatus.ACTIVE:
            await self.session.commit()
            raise InvalidGrantError("This account is not active")
        caller = await self._caller_for(account)
        refresh = self._new_refresh_token(account.id, family_id=stored.family_id)
        return IssuedTokens(
            caller, self.signer.issue(caller, session_id=stored.family_id), self.signer.ttl_seconds, refresh
        )

    def _new_refresh_token(self, account_id: UUID, *, family_id: UUID) -> str:
        token = new_secret()
        now = utc_now()
        self.session.add(
            RefreshToken(
                account_id=account_id,
                family_id=family_id,
                token_hash=digest(token),
                issued_at=now,
                expires_at=now + timedelta(days=self.settings.refresh_token_days),
            )
        )
        return token

    async def revoke_family(self, family_id: UUID) -> None:
        """End a session: its refresh tokens, and at once the access tokens issued in it."""
        await self.request.app.state.revocations.end_session(family_id)
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utc_now())
        )

    async def revoke(self, refresh_token: str) -> None:
        """Sign-out: end the family of this refresh token (unknown tokens are ignored, RFC 7009)."""
        family = (
            await self.session.execute(
                select(RefreshToken.family_id).where(RefreshToken.token_hash == digest(refresh_token))
            )
        ).scalar()
        if family is not None:
            await self.revoke_family(family)

    # -- client credentials -----------------------------------------------------------------
    async def client_credentials_grant(self, client_id: str | None, client_secret: str | None) -> IssuedTokens:
        reference = parse_client_id(client_id or "")
        if reference is None or not client_secret:
            raise InvalidClientError("Unknown client or wrong secret", status_code=401)
        tenant_id, api_client_id = reference
        set_scope(self.session, TenantScope.of(tenant_id))
        api_client = (
            await self.session.execute(
                select(ApiClient).where(ApiClient.tenant_id == tenant_id, ApiClient.id == api_client_id)
            )
        ).scalar()
        if api_client is None or not hmac.compare_digest(api_client.secret_hash, digest(client_secret)):
            raise InvalidClientError("Unknown client or wrong secret", status_code=401)
        if api_client.revoked_at is not None:
            raise InvalidClientError("This API client has been revoked", status_code=401)
        api_client.last_used_at = utc_now()
        caller = Caller(role=Role.CLIENT_MEMBER, api_client_id=api_client.id, tenant_id=tenant_id)
        return IssuedTokens(caller, self.signer.issue(caller), self.signer.ttl_seconds)

    async def _audit(self, caller: Caller, action: str, changes: dict) -> None:
        actor = (caller.actor_id, caller.actor_kind)
        if caller.tenant_id is None:
            record_provider_event(self.session, self.request, action=action, changes=changes, actor=actor)
            return
        # The sign-in's own changes are provider-level; the tenant's event needs the tenant scope.
        await self.session.commit()
        set_scope(self.session, TenantScope.of(caller.tenant_id))
        record_event(
            self.session, self.request, tenant_id=caller.tenant_id, action=action, changes=changes, actor=actor
        )


def format_client_id(tenant_id: UUID, api_client_id: UUID) -> str:
    """The public client id carries its tenant, so the lookup happens inside that tenant's scope."""
    return f"{tenant_id.hex}{api_client_id.hex}"


def parse_client_id(client_id: str) -> tuple[UUID, UUID] | None:
    if len(client_id) != 64:
        return None
    try:
        return UUID(hex=client_id[:32]), UUID(hex=client_id[32:])
    except ValueError:
        return None
