"""Secrets a background job must carry, sealed so the stored job never holds them in clear.

A job's arguments sit in the outbox row, in Redis and, when it keeps failing, in
the dead-letter queue. An invitation or password-reset token must reach the
email and nowhere else in clear: the server keeps only its hash. So the token
rides in the job sealed (Fernet: AES-CBC + HMAC) with a key derived from the
signing secret, and the email job unseals it just before sending.

Why sealing rather than making the token inside the email job: a retried job
then sends the same link again instead of silently invalidating one that may
already have been delivered, and the job stays a plain email sender that needs
no database. Whoever holds the signing secret could read a sealed token, but
that secret already lets its holder mint access tokens, so nothing is weakened.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from bo_saas.lib.settings import Settings

# Domain separation: this key is used for nothing but sealing job secrets.
_CONTEXT = b"bo-saas:sealed-job-secret:v1:"


class UnsealError(ValueError):
    """The sealed value was made with another key (the secret changed) or was altered."""


def _fernet(settings: Settings) -> Fernet:
    key = hashlib.sha256(_CONTEXT + settings.signing_key().encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(settings: Settings, secret: str) -> str:
    return _fernet(settings).encrypt(secret.encode()).decode()


def unseal(settings: Settings, sealed: str) -> str:
    try:
        return _fernet(settings).decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise UnsealError("a sealed job secret could not be opened (was BO_SECRET_KEY changed?)") from None
