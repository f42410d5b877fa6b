"""``/api/v1/auth``: the OAuth2 token endpoint, sign-out, and accepting an invitation."""

from __future__ import annotations

from typing import Any

from authlib.oauth2.rfc6749.errors import OAuth2Error, UnsupportedGrantTypeError
from authlib.oauth2.rfc6749.util import extract_basic_authorization
from litestar import Controller, Request, Response, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException
from litestar.params import Body
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bo_saas.identity.models import Account, AccountStatus
from bo_saas.identity.password_reset import PasswordResets
from bo_saas.identity.passwords import WeakPasswordError, digest, hash_password
from bo_saas.identity.schemas import InvitationAccept, PasswordReset, PasswordResetRequest
from bo_saas.identity.sign_in import SignInLockedError, TokenService
from bo_saas.lib.clock import utc_now

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _oauth_error(exc: OAuth2Error) -> Response:
    """RFC 6749's error body, plus Litestar's ``status_code``/``detail`` like every other error."""
    status = exc.status_code or 400
    description = exc.description or exc.get_error_description()
    body = {"error": exc.error, "error_description": description, "status_code": status, "detail": description}
    headers = dict(_NO_STORE)
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="bo-saas"'
    if isinstance(exc, SignInLockedError):
        # The web app says when to try again in the reader's language.
        body["extra"] = {"retry_after": exc.retry_after}
        headers["Retry-After"] = str(exc.retry_after)
    return Response(body, status_code=status, headers=headers)


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]
    opt = {"anonymous": True}

    @post("/token", status_code=200, summary="OAuth2 token endpoint")
    async def token(
        self,
        request: Request,
        db_session: AsyncSession,
        data: dict[str, Any] = Body(media_type=RequestEncodingType.URL_ENCODED),
    ) -> Response:
        """Grants: ``password`` (username, password), ``refresh_token``, ``client_credentials``
        (HTTP Basic or ``client_id``/``client_secret`` form fields)."""
        service = TokenService(db_session, request.app.state.settings, request.app.state.token_signer, request)
        grant = data.get("grant_type")
        try:
            if grant == "password":
                issued = await service.password_grant(data.get("username"), data.get("password"))
            elif grant == "refresh_token":
                issued = await service.refresh_grant(data.get("refresh_token"))
            elif grant == "client_credentials":
                client_id, client_secret = extract_basic_authorization(request.headers)
                if not client_id:
                    client_id, client_secret = data.get("client_id"), data.get("client_secret")
                issued = await service.client_credentials_grant(client_id, client_secret)
            else:
                raise UnsupportedGrantTypeError(grant)
        except OAuth2Error as exc:
            return _oauth_error(exc)
        return Response(issued.as_response(), headers=_NO_STORE)

    @post("/revoke", status_code=200, summary="Sign out: revoke a refresh token (RFC 7009)")
    async def revoke(
        self,
        request: Request,
        db_session: AsyncSession,
        data: dict[str, Any] = Body(media_type=RequestEncodingType.URL_ENCODED),
    ) -> dict[str, str]:
        token = data.get("token")
        if not token:
            raise ClientException("token is required")
        service = TokenService(db_session, request.app.state.settings, request.app.state.token_signer, request)
        await service.revoke(token)
        return {"status": "revoked"}

    @post("/invitations/accept", status_code=200, summary="Set a password from an invitation")
    async def accept_invitation(self, db_session: AsyncSession, data: InvitationAccept) -> dict[str, str]:
        account = (
            await db_session.execute(
                select(Account).where(Account.invite_token_hash == digest(data.token)).with_for_update()
            )
        ).scalar()
        if account is None or account.status is not AccountStatus.INVITED:
            raise ClientException("This invitation is not valid (it may have been used already)")
        if account.invite_expires_at is None or account.invite_expires_at <= utc_now():
            raise ClientException("This invitation has expired; ask your administrator for a new one")
        try:
            account.password_hash = hash_password(data.password)
        except WeakPasswordError as exc:
            raise ClientException(str(exc)) from None
        account.status = AccountStatus.ACTIVE
        account.invite_token_hash = None
        account.invite_expires_at = None
        return {"email": account.email, "status": "active"}

    @post("/password-reset", status_code=202, summary="Ask for a password-reset link by email")
    async def request_password_reset(
        self, request: Request, db_session: AsyncSession, data: PasswordResetRequest
    ) -> dict[str, str]:
        """The same answer whether or not the address has an account; rate-limited per client address."""
        await PasswordResets(db_session, request.app.state.redis, request.app.state.settings, request).request_link(
            data.email
        )
        return {"status": "sent if the address has an account"}

    @post("/password-reset/confirm", status_code=200, summary="Choose a new password with a reset link's token")
    async def confirm_password_reset(
        self, request: Request, db_session: AsyncSession, data: PasswordReset
    ) -> dict[str, str]:
        resets = PasswordResets(db_session, request.app.state.redis, request.app.state.settings, request)
        account = await resets.reset(data.token, data.password)
        return {"email": account.email, "status": "active"}
