"""Helpers shared by the account and API tests (plain functions, importable from any test module)."""

import re
import time
from urllib.parse import urlparse

from django.core import mail

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import is_mfa_enabled

from accounts.models import User

TOTP_PERIOD = 30

MEIXIAN = "441403"  # 梅县区, 梅州 (under-served)
TIANHE = "440106"  # 天河区, 广州
MEIXIAN_TOWNSHIP = "441403001"  # 新城办事处街道, 梅县区
TIANHE_TOWNSHIP = "440106001"  # 五山街道, 天河区


def give_totp(user: User) -> str:
    """Set up an authenticator app for `user` the way allauth's activation view does; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    assert is_mfa_enabled(user)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret` (not in the last second of its period,
    so that the server checks it in the same period)."""
    if TOTP_PERIOD - time.time() % TOTP_PERIOD < 1.5:
        time.sleep(1.6)
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def link_path(text: str, contains: str) -> str:
    """The path (and query) of the first URL in `text` whose path contains `contains`."""
    for url in re.findall(r"https?://\S+", text):
        parsed = urlparse(url)
        if contains in parsed.path:
            return parsed.path + (f"?{parsed.query}" if parsed.query else "")
    raise AssertionError(f"no link containing {contains!r} in:\n{text}")
