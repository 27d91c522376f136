"""A short path for the lesson heartbeat, the most frequent request the platform serves.

Every learner's open lesson reports every 15 s. Through the full stack (sessions, locale, CSRF,
authentication, messages, allauth, django-ninja) a report costs about 2.5 ms of CPU before any
work is done; this middleware answers a well-formed, authenticated report right after Django's
security middleware, with the same checks:

- the same authentication as the API endpoint (api/auth.py: a bearer token decides alone;
  otherwise the session cookie, with django-ninja's CSRF check and the MFA rule for privileged
  roles). A learner's session is checked as django.contrib.auth.get_user checks it (backend,
  active account, session hash of the current password) in one query that also reads the roles;
  privileged roles and anything unusual go through the API's own callbacks;
- the same service (training.services.heartbeat_record: one SQL statement on PostgreSQL).

A session or token this process has fully checked before is checked again inside that one
statement (accounts.early_auth's guards, training.services.heartbeat_record_guarded): the
condition holds exactly while the full check would pass, and when it fails nothing is written
and the full check runs.

Anything else — a malformed body, a failed authentication or CSRF check — is passed on to the
real endpoint, which answers it exactly as before (nothing has been written by then). A report
for a lesson the learner has not opened is refused here with the endpoint's own JSON error,
after the service has recorded the anomaly.
"""

import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from django.utils.translation import get_language_from_request, gettext, override

from ninja.errors import HttpError

from accounts.early_auth import (
    bearer_token,
    session_member_guarded,
    session_member_remembering,
    token_member,
    token_member_guarded,
)


@dataclass(frozen=True)
class _Learner:
    pk: int


# /<language>/<course index>/<course>/<lesson>/
LESSON_PATH = re.compile(r"^/[a-z-]+/(?:[\w-]+/){3}$")
HEARTBEAT_PATH = re.compile(r"^/api/v1/lessons/([1-9][0-9]{0,17})/heartbeat$")


def _payload(request) -> dict | None:
    """The report's fields when they are exactly what the endpoint's schema accepts, else None."""
    if request.content_type != "application/json":
        return None
    try:
        data = json.loads(request.body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    device, seq, position = data.get("device"), data.get("seq"), data.get("position")
    if not isinstance(device, str) or not 1 <= len(device) <= 40:
        return None
    if type(seq) is not int or seq < 1:
        return None
    if position is not None and (type(position) is not int or position < 0):
        return None
    return {"device": device, "seq": seq, "position": position}


class HeartbeatMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.session_store = import_string(settings.SESSION_ENGINE + ".SessionStore")

    def __call__(self, request):
        if request.method == "POST":
            match = HEARTBEAT_PATH.match(request.path_info)
            if match:
                response = self.answer(request, int(match[1]))
                if response is not None:
                    return response
        elif (
            request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and "messages" not in request.COOKIES
            and LESSON_PATH.match(request.path_info)
        ):
            # A learner's lesson page from its cached shell (training/lesson_page.py).
            from .lesson_page import serve_early

            response = serve_early(request, self.session_store)
            if response is not None:
                return response
        return self.get_response(request)

    def _authenticated_user(self, request):
        from api.auth import token_or_session

        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        request.session = self.session_store(session_key)
        token = bearer_token(request)
        if token is not None:
            # A bearer header decides alone (api/auth.py): a token refused here is refused by
            # the endpoint's own authentication too, which answers it.
            user_id = token_member(token)
            return None if user_id is None else _Learner(user_id)
        if "authorization" not in request.headers and session_key:
            learner = session_member_remembering(request)
            if learner is not None:
                return _Learner(learner[0])
        request.user = SimpleLazyObject(lambda: auth.get_user(request))
        for callback in token_or_session:
            try:
                if callback(request):
                    return request.user
            except HttpError:  # the CSRF check failed
                return None
        return None

    @staticmethod
    def _guarded(request, lesson_id: int, payload: dict):
        """The report written with the authentication checked inside the same SQL statement,
        for a session or token this process has checked before; None if that does not apply
        (then nothing was written)."""
        from training.services import heartbeat_record_guarded

        token = bearer_token(request)
        if token is not None:
            guard = token_member_guarded(token)
        elif "authorization" not in request.headers:
            guard = session_member_guarded(request)
        else:
            guard = None
        if guard is None:
            return None
        user_id, condition, params = guard
        return heartbeat_record_guarded(
            guard=condition, guard_params=params, user_id=user_id, lesson_id=lesson_id, **payload
        )

    def answer(self, request, lesson_id: int) -> HttpResponse | None:
        from training.services import heartbeat_record

        payload = _payload(request)
        if payload is None:
            return None
        result = self._guarded(request, lesson_id, payload)
        if result is not None:
            return self._json(
                request, self._body(result), vary_cookie=bearer_token(request) is None
            )
        user = self._authenticated_user(request)
        if user is None:
            return None
        try:
            result = heartbeat_record(user_id=user.pk, lesson_id=lesson_id, **payload)
        except PermissionDenied:
            # What api/errors.py answers, in the caller's language (LocaleMiddleware's choice).
            language = get_language_from_request(request)
            with override(language):
                body = {"code": "permission_denied", "message": gettext("You may not do this.")}
            response = self._json(request, body, status=403)
            response.headers.setdefault("Content-Language", language)
            patch_vary_headers(response, ("Accept-Language",))
            return response
        return self._json(request, self._body(result))

    @staticmethod
    def _body(result) -> dict:
        return {
            "credited_seconds": result.credited_seconds,
            "engaged_seconds": result.engaged_seconds,
            "required_seconds": result.required_seconds,
            "lesson_done": result.lesson_done,
            "refused": result.refused,
        }

    @staticmethod
    def _json(
        request, body: dict, status: int = 200, vary_cookie: bool | None = None
    ) -> HttpResponse:
        response = HttpResponse(
            json.dumps(body), status=status, content_type="application/json; charset=utf-8"
        )
        if request.session.accessed if vary_cookie is None else vary_cookie:
            patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
