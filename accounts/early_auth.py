"""Who is signed in, for the few answers given before the session/CSRF/auth middleware runs.

The heartbeat, the learner's lesson page and the public searches are answered early (see
training/heartbeat_middleware.py) because they are the most frequent requests. They must accept
exactly what django.contrib.auth and the API accept, and hand anything unusual to the normal
path: `session_member` checks a session as `django.contrib.auth.get_user` does (backend, active
account, session hash of the current password) in one query that also reads the roles, and
declines privileged roles, whose MFA rule lives in accounts/middleware.py; `token_member`
checks a bearer token as the API's `BearerTokenAuth` (wagtail.api.v3.auth) does, in one query.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.dateparse import parse_datetime

from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import APIToken

from ninja.utils import check_csrf

from accounts.choices import PRIVILEGED_ROLES

# What AbstractBaseUser.get_session_auth_hash salts the password hash with.
_SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
_SESSION_USER_SQL = """
SELECT u.password, u.is_active, u.is_superuser,
       (SELECT {roles} FROM accounts_rolegrant AS g WHERE g.user_id = u.id)
FROM accounts_user AS u WHERE u.id = %s
"""
_ROLES = {"postgresql": "string_agg(g.role, ',')", "sqlite": "group_concat(g.role, ',')"}


def session_member(request, *, csrf: bool) -> tuple[int, frozenset[str]] | None:
    """The signed-in user's id and roles, checked as django.contrib.auth.get_user checks it, in one query.

    `request.session` must be loaded. None for anything unusual (no or stale session, a password
    changed since, an inactive account, a superuser or privileged role — which has the MFA
    rule —, a failed CSRF check when `csrf`): the caller then takes the general path.
    """
    session = request.session
    try:
        user_id = int(session[SESSION_KEY])
        backend, session_hash = session[BACKEND_SESSION_KEY], session[HASH_SESSION_KEY]
    except (KeyError, TypeError, ValueError):
        return None
    if backend not in settings.AUTHENTICATION_BACKENDS or connection.vendor not in _ROLES:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_SESSION_USER_SQL.format(roles=_ROLES[connection.vendor]), [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    password, is_active, is_superuser, roles = row
    if not is_active or is_superuser or PRIVILEGED_ROLES & set((roles or "").split(",")):
        return None
    expected = salted_hmac(_SESSION_HASH_SALT, password, algorithm="sha256").hexdigest()
    if not constant_time_compare(session_hash, expected):
        return None
    if csrf and check_csrf(request):
        return None
    return user_id, frozenset(role for role in (roles or "").split(",") if role)


# BearerTokenAuth's lookup: a token that is not revoked, whose user is active.
_BEARER_USER_SQL = """
SELECT t.id, t.last_used_at, t.user_id FROM wagtailcore_apitoken AS t
JOIN accounts_user AS u ON u.id = t.user_id
WHERE t.key_hash IN ({hashes}) AND t.revoked_at IS NULL AND u.is_active
"""


@dataclass(frozen=True)
class _Token:
    pk: int
    last_used_at: datetime.datetime | None


def bearer_token(request) -> str | None:
    """The token of an `Authorization: Bearer …` header, parsed as django-ninja's HttpBearer does."""
    value = request.headers.get("Authorization")
    if not value:
        return None
    scheme, *rest = value.split(" ")
    return " ".join(rest) if scheme.lower() == "bearer" else None


def token_member(token: str) -> int | None:
    """The id of the user a bearer token authenticates, checked as the API checks it, in one query.

    The same rules as `BearerTokenAuth` (api/auth.py's first callback): an existing token, not
    revoked, of an active user; its last use is stamped the same way (at most once per
    WAGTAILAPI_TOKEN_LAST_USED_INTERVAL). A token decides alone: no MFA rule, as on the API.
    None for anything else; the caller then takes the API's own path, which refuses it.
    """
    hashes = APIToken.candidate_key_hashes(token)
    with connection.cursor() as cursor:
        cursor.execute(_BEARER_USER_SQL.format(hashes=", ".join(["%s"] * len(hashes))), hashes)
        rows = cursor.fetchall()
    if len(rows) != 1:
        return None
    token_id, last_used_at, user_id = rows[0]
    if isinstance(last_used_at, str):  # SQLite may hand back text…
        last_used_at = parse_datetime(last_used_at)
    if last_used_at is not None and timezone.is_naive(last_used_at):  # …or naive UTC
        last_used_at = timezone.make_aware(last_used_at, datetime.UTC)
    BearerTokenAuth()._touch_last_used(_Token(token_id, last_used_at))
    return user_id
