"""Short-lived signed access tokens (JWT, HS256, joserfc).

Claims: ``sub`` (account or API client id), ``kind`` (``account`` or
``api_client``), ``role``, ``tid`` (a client's tenant), ``sid`` (a person's
session: the refresh-token family its sign-in started), ``iat``, ``exp``, ``jti``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from uuid import UUID, uuid4

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

from bo_saas.lib.caller import Caller, Role

ALGORITHM = "HS256"
ISSUER = "bo-saas"


class InvalidTokenError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class VerifiedToken:
    caller: Caller
    session_id: UUID | None
    issued_at: int


class TokenSigner:
    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._key = OctKey.import_key(secret.encode())
        self.ttl_seconds = ttl_seconds
        self._registry = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": ISSUER},
            sub={"essential": True},
            exp={"essential": True},
        )

    def issue(self, caller: Caller, *, session_id: UUID | None = None, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        claims = {
            "iss": ISSUER,
            "sub": str(caller.actor_id),
            "kind": caller.actor_kind,
            "role": caller.role.value,
            "iat": issued,
            "exp": issued + self.ttl_seconds,
            "jti": uuid4().hex,
        }
        if caller.tenant_id:
            claims["tid"] = str(caller.tenant_id)
        if session_id:
            claims["sid"] = str(session_id)
        return jwt.encode({"alg": ALGORITHM}, claims, self._key)

    def verify(self, token: str) -> Caller:
        return self.decode(token).caller

    def decode(self, token: str) -> VerifiedToken:
        try:
            decoded = jwt.decode(token, self._key, algorithms=[ALGORITHM])
            self._registry.validate(decoded.claims)
            claims = decoded.claims
            subject = UUID(claims["sub"])
            role = Role(claims["role"])
            tenant_id = UUID(claims["tid"]) if claims.get("tid") else None
            kind = claims.get("kind")
            session_id = UUID(claims["sid"]) if claims.get("sid") else None
            issued_at = int(claims.get("iat") or 0)
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise InvalidTokenError(str(exc) or type(exc).__name__) from None
        if role.is_staff == (tenant_id is not None):
            raise InvalidTokenError("token tenant does not match its role")
        if kind == "account":
            caller = Caller(role=role, account_id=subject, tenant_id=tenant_id)
        elif kind == "api_client":
            caller = Caller(role=role, api_client_id=subject, tenant_id=tenant_id)
        else:
            raise InvalidTokenError("unknown token kind")
        return VerifiedToken(caller, session_id, issued_at)
