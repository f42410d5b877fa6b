"""Employees' personal data encrypted at rest: AES-256-GCM, one sealed blob per employee, keys from configuration.

A blob is ``[key id length][key id][12-byte nonce][ciphertext + tag]``; the
plaintext is the JSON of the personal fields. The associated data is the
tenant's id and the employee's id, so a blob copied onto another row (another
employee, another tenant) fails to open instead of showing someone else's data.

Keys come from ``BO_HR_KEYS`` (``id:base64,...``): the first seals, every one
opens. Rotation: put a new key first, run ``bo-saas hr rotate-keys`` (reseals
every row with it), then drop the old key. With no key configured a development
key is derived from the secret key (HKDF), with a warning: data sealed with it
is only as safe as that secret. Once keys are configured that key still opens
(never seals) the older rows, so ``rotate-keys`` moves them onto the real key.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

import structlog
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bo_saas.lib.settings import Settings

log = structlog.get_logger(__name__)

DEV_KEY_ID = "dev"
_DEV_KEY_INFO = b"bo-saas:hr-personal-data:v1"
_NONCE = 12


class SealedDataError(ValueError):
    """A blob that cannot be opened: its key is not configured, or it was altered or moved to another row."""


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]  # in configuration order: the first seals
    sealing_id: str

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, bytes]]) -> Keyring:
        return cls(dict(pairs), pairs[0][0])

    def key_id_of(self, blob: bytes) -> str:
        size = blob[0] if blob else 0
        if not blob or len(blob) < 1 + size + _NONCE + 16:
            raise SealedDataError("the personal data blob is damaged")
        return blob[1 : 1 + size].decode("ascii", errors="replace")

    def seal(self, tenant_id: UUID, employee_id: UUID, fields: dict[str, Any]) -> bytes:
        key_id = self.sealing_id.encode("ascii")
        nonce = os.urandom(_NONCE)
        plaintext = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
        sealed = AESGCM(self.keys[self.sealing_id]).encrypt(nonce, plaintext, _associated(tenant_id, employee_id))
        return bytes([len(key_id)]) + key_id + nonce + sealed

    def open(self, tenant_id: UUID, employee_id: UUID, blob: bytes) -> dict[str, Any]:
        key_id = self.key_id_of(blob)
        key = self.keys.get(key_id)
        if key is None:
            raise SealedDataError(f"personal data sealed with key {key_id!r}, which BO_HR_KEYS no longer has")
        start = 1 + len(key_id.encode("ascii"))
        nonce, sealed = blob[start : start + _NONCE], blob[start + _NONCE :]
        try:
            plaintext = AESGCM(key).decrypt(nonce, sealed, _associated(tenant_id, employee_id))
        except InvalidTag:
            raise SealedDataError("the personal data blob does not belong to this employee or was altered") from None
        return json.loads(plaintext)


def _associated(tenant_id: UUID, employee_id: UUID) -> bytes:
    return tenant_id.bytes + employee_id.bytes


def keyring(settings: Settings) -> Keyring:
    """The configured keys, or the development key derived from the secret key (with a warning).

    With keys configured, the development key still opens (never seals) what was sealed before them, until
    ``bo-saas hr rotate-keys`` has resealed it: a machine started without keys moves onto real ones.
    """
    if not settings.hr_keys:
        return _development_keyring(settings.signing_key())
    pairs = []
    for entry in settings.hr_keys:  # validated by Settings: id:base64 of 32 bytes
        key_id, _, encoded = entry.partition(":")
        pairs.append((key_id, base64.b64decode(encoded)))
    if DEV_KEY_ID not in dict(pairs):
        pairs.append((DEV_KEY_ID, _derived_key(settings.signing_key())))
    return Keyring.from_pairs(pairs)


def _derived_key(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DEV_KEY_INFO).derive(secret.encode())


@lru_cache(maxsize=4)
def _development_keyring(secret: str) -> Keyring:
    # Cached so the warning comes once per process, not once per request.
    log.warning("hr.dev_key", detail="BO_HR_KEYS is not set: HR personal data is sealed with a key derived from the "
                "secret key; set BO_HR_KEYS in production")  # fmt: skip
    return Keyring.from_pairs([(DEV_KEY_ID, _derived_key(secret))])
