"""Who is signed in, for the few answers given before the session/CSRF/auth middleware runs.

The heartbeat, the learner's lesson page and the public searches are answered early (see
training/heartbeat_middleware.py) because they are the most frequent requests. They must accept
exactly what django.contrib.auth and the API accept, and hand anything unusual to the normal
path: `session_member` checks a session as `django.contrib.auth.get_user` does (backend, active
account, session hash of the current password) in one query that also reads the roles, and
declines privileged roles, whose MFA rule lives in accounts/middleware.py.
"""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.utils.crypto import constant_time_compare, salted_hmac

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
