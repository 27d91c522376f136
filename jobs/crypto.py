"""Encryption of resident ID numbers at rest, and the keyed hash that keeps them unique.

Without configured keys (development and tests) both are derived from SECRET_KEY, so that
`make run` needs no set-up; production settings require PERSONAL_DATA_KEYS and
PERSONAL_DATA_HASH_KEY from the environment.
"""

import base64
import hashlib
import hmac
from functools import cache

from django.conf import settings

from cryptography.fernet import Fernet, MultiFernet


def _derived(purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        keys = (base64.urlsafe_b64encode(_derived("personal-data-key")).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _cipher() -> MultiFernet:
    return _fernet(tuple(settings.PERSONAL_DATA_KEYS))


def personal_encrypt(value: str) -> str:
    return _cipher().encrypt(value.encode()).decode()


def personal_decrypt(token: str) -> str:
    return _cipher().decrypt(token.encode()).decode()


def personal_reencrypt(token: str) -> str:
    """The same value under the first (newest) key."""
    return _cipher().rotate(token.encode()).decode()


def personal_hash(value: str) -> str:
    key = settings.PERSONAL_DATA_HASH_KEY.encode() or _derived("personal-data-hash")
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
