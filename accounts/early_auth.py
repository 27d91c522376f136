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
import hashlib
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
    checked = _session_check(request, csrf=csrf)
    return None if checked is None else checked[:2]


def _session_check(request, *, csrf: bool) -> tuple[int, frozenset[str], str] | None:
    """session_member, plus the password hash the session was checked against."""
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
    return user_id, frozenset(role for role in (roles or "").split(",") if role), password


# BearerTokenAuth's lookup: the token that is not revoked (exactly one), and its user.
_BEARER_USER_SQL = """
SELECT t.id, t.last_used_at, t.user_id, u.is_active FROM wagtailcore_apitoken AS t
JOIN accounts_user AS u ON u.id = t.user_id
WHERE t.key_hash IN ({hashes}) AND t.revoked_at IS NULL
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
    if len(rows) != 1 or not rows[0][3]:
        return None
    token_id, last_used_at, user_id, _active = rows[0]
    if isinstance(last_used_at, str):  # SQLite may hand back text…
        last_used_at = parse_datetime(last_used_at)
    if last_used_at is not None and timezone.is_naive(last_used_at):  # …or naive UTC
        last_used_at = timezone.make_aware(last_used_at, datetime.UTC)
    BearerTokenAuth()._touch_last_used(_Token(token_id, last_used_at))
    _remember_token(hashes, token_id, user_id, last_used_at)
    return user_id


# --- checked again inside the write ------------------------------------------------------------
#
# A heartbeat (training.services.heartbeat_record_guarded) can carry the authentication check
# inside its own SQL statement: a condition that holds exactly when the session or token would
# still be accepted, so the check and the write are one round trip and nothing is written when
# it fails. The condition needs what the first full check found (the session's stored data and
# the user's password hash, or the token's row); each process remembers that for a bounded
# number of sessions and tokens. Any failure sends the request through the full check again.

_REMEMBERED = 20_000  # entries per kind and process; all are forgotten when full


@dataclass(frozen=True)
class _Session:
    user_id: int
    data: str  # django_session.session_data as stored when the session was checked
    password: str  # md5 of the password hash it was checked against


@dataclass(frozen=True)
class _RememberedToken:
    token_id: int
    user_id: int
    hashes: tuple[str, ...]
    until: datetime.datetime | None  # when BearerTokenAuth would stamp its last use again


_sessions: dict[str, _Session] = {}
_tokens: dict[str, _RememberedToken] = {}

# The session row as stored (the database copy is written first by the cached_db and db
# engines, and deleted on logout), the same user, password, active flag, no superuser or
# privileged role: what session_member checks.
_SESSION_GUARD = """
EXISTS (SELECT 1 FROM django_session AS s WHERE s.session_key = %(g_session)s
        AND s.session_data = %(g_data)s AND s.expire_date > %(now)s)
AND EXISTS (SELECT 1 FROM accounts_user AS u WHERE u.id = %(user)s AND u.is_active
        AND NOT u.is_superuser AND md5(u.password) = %(g_password)s
        AND NOT EXISTS (SELECT 1 FROM accounts_rolegrant AS g
                        WHERE g.user_id = u.id AND g.role = ANY(%(g_roles)s)))
"""
# The same token, still not revoked, of the same active user: what token_member checks.
_BEARER_GUARD = """
EXISTS (SELECT 1 FROM wagtailcore_apitoken AS t JOIN accounts_user AS u ON u.id = t.user_id
        WHERE t.id = %(g_token)s AND t.user_id = %(user)s AND t.key_hash = ANY(%(g_hashes)s)
        AND t.revoked_at IS NULL AND u.is_active)
"""
_DB_SESSION_ENGINES = {
    "django.contrib.sessions.backends.cached_db",
    "django.contrib.sessions.backends.db",
}


def _md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _remember(memo: dict, key: str, value) -> None:
    if len(memo) >= _REMEMBERED:
        memo.clear()
    memo[key] = value


def session_member_guarded(request) -> tuple[int, str, dict] | None:
    """For a session checked before by this process: its user id and the SQL condition (with
    its parameters) that holds while the session would still be accepted. None otherwise.

    The CSRF check runs here, as session_member(csrf=True) runs it. The condition uses the
    statement's `%(user)s` and `%(now)s`.
    """
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    remembered = _sessions.get(session_key) if session_key else None
    if remembered is None or check_csrf(request):
        return None
    params = {
        "g_session": session_key,
        "g_data": remembered.data,
        "g_password": remembered.password,
        "g_roles": sorted(PRIVILEGED_ROLES),
    }
    return remembered.user_id, _SESSION_GUARD, params


def session_member_remembering(request) -> tuple[int, frozenset[str]] | None:
    """session_member(csrf=True), and on success remember the session for session_member_guarded."""
    checked = _session_check(request, csrf=True)
    if checked is None:
        return None
    user_id, roles, password = checked
    if connection.vendor == "postgresql" and settings.SESSION_ENGINE in _DB_SESSION_ENGINES:
        session = request.session
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT session_data FROM django_session"
                " WHERE session_key = %s AND expire_date > %s",
                [session.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        # Remembered only if the stored row is the session just checked.
        if row is not None and session.decode(row[0]) == dict(session.items()):
            _remember(_sessions, session.session_key, _Session(user_id, row[0], _md5(password)))
    return user_id, roles


def _remember_token(hashes, token_id: int, user_id: int, last_used_at) -> None:
    interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", 60)
    until = None
    if interval is not None:
        stamped = timezone.now() if last_used_at is None else last_used_at
        if (timezone.now() - stamped).total_seconds() >= interval:
            stamped = timezone.now()  # _touch_last_used has just stamped it
        until = stamped + datetime.timedelta(seconds=interval)
    _remember(_tokens, hashes[0], _RememberedToken(token_id, user_id, tuple(hashes), until))


def token_member_guarded(token: str) -> tuple[int, str, dict] | None:
    """For a token checked before by this process, while its last-use stamp is fresh: its user
    id and the SQL condition (with its parameters) that holds while the token would still be
    accepted. None otherwise: then token_member checks it, and stamps it when due."""
    hashes = APIToken.candidate_key_hashes(token)
    remembered = _tokens.get(hashes[0])
    if remembered is None or tuple(hashes) != remembered.hashes:
        return None
    if remembered.until is not None and timezone.now() >= remembered.until:
        return None
    params = {"g_token": remembered.token_id, "g_hashes": list(remembered.hashes)}
    return remembered.user_id, _BEARER_GUARD, params
