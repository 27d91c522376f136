"""A heartbeat from a session or token seen before is checked inside its own SQL statement.

After a first accepted report, each process remembers what it checked (accounts.early_auth) and
later reports are written by training.services.heartbeat_record_guarded with the check in the
same statement (PostgreSQL; elsewhere the full check runs every time). Whatever changes between
two reports — password, active flag, roles, logout, revoked token, missing CSRF token — the
answer must be what the endpoint alone gives: each case runs through the short path and with the
short path removed, and must give the same status and write the same.
"""

import datetime
import json

from django.db import connection
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

import pytest

from accounts import early_auth
from accounts.choices import Role
from accounts.services import api_token_create, api_token_revoke, role_grant
from regions.models import Region
from tests.factories import load_small_regions, user_with_role
from tests.training.builders import learner_in_a_lesson, lessons_of, make_course
from training import services
from training.models import LessonProgress


@pytest.fixture(autouse=True)
def forget():
    early_auth._sessions.clear()
    early_auth._tokens.clear()
    yield
    early_auth._sessions.clear()
    early_auth._tokens.clear()


@pytest.fixture
def learner(db):
    load_small_regions()
    user = user_with_role(Role.CADRE)
    course = make_course(lessons=1, reading_minutes=5)
    services.enrollment_create(user=user, course=course)
    lesson = lessons_of(course)[0]
    services.lesson_open(user=user, lesson=lesson)
    return user, lesson


class Tab:
    """The lesson page's script: a session with the CSRF token, or an API token."""

    def __init__(self, user, *, token: bool):
        if token:
            self.raw = api_token_create(user=user, name="phone")[1]
            self.client = Client(HTTP_AUTHORIZATION=f"Bearer {self.raw}")
            self.extra = {}
        else:
            self.client = Client(enforce_csrf_checks=True)
            self.client.force_login(user)
            csrf = get_token(RequestFactory().get("/"))
            self.client.cookies["csrftoken"] = csrf
            self.extra = {"HTTP_X_CSRFTOKEN": csrf}
        self.seq = 0

    def beat(self, lesson, **extra):
        self.seq += 1
        return self.client.post(
            f"/api/v1/lessons/{lesson.pk}/heartbeat",
            json.dumps({"device": "tab", "seq": self.seq}),
            content_type="application/json",
            **{**self.extra, **extra},
        )


def engaged(user, lesson) -> int:
    return LessonProgress.objects.get(user=user, lesson=lesson).engaged_seconds


def two_beats(tab, user, lesson, clock):
    assert tab.beat(lesson).status_code == 200
    clock["value"] += datetime.timedelta(seconds=15)
    assert tab.beat(lesson).json()["credited_seconds"] == 15
    clock["value"] += datetime.timedelta(seconds=15)


@pytest.mark.parametrize("token", [False, True], ids=["session", "token"])
def test_reports_after_the_first_keep_crediting_time(path, learner, clock, token):
    user, lesson = learner
    tab = Tab(user, token=token)
    two_beats(tab, user, lesson, clock)
    assert tab.beat(lesson).json()["credited_seconds"] == 15
    assert engaged(user, lesson) == 30


@pytest.mark.parametrize("token", [False, True], ids=["session", "token"])
def test_a_deactivated_learner_is_refused_at_once(path, learner, clock, token):
    user, lesson = learner
    tab = Tab(user, token=token)
    two_beats(tab, user, lesson, clock)
    user.is_active = False
    user.save()
    assert tab.beat(lesson).status_code == 401
    assert engaged(user, lesson) == 15


def test_a_password_change_ends_the_session_at_once(path, learner, clock):
    user, lesson = learner
    tab = Tab(user, token=False)
    two_beats(tab, user, lesson, clock)
    user.set_password("another-password-2026")
    user.save()
    assert tab.beat(lesson).status_code == 401
    assert engaged(user, lesson) == 15


def test_signing_out_ends_the_session_at_once(path, learner, clock):
    user, lesson = learner
    tab = Tab(user, token=False)
    two_beats(tab, user, lesson, clock)
    cookies = {name: morsel.value for name, morsel in tab.client.cookies.items()}
    tab.client.logout()
    for name, value in cookies.items():  # a copy of the old cookies, replayed
        tab.client.cookies[name] = value
    assert tab.beat(lesson).status_code == 401
    assert engaged(user, lesson) == 15


def test_a_privileged_role_granted_meanwhile_brings_the_mfa_rule(path, learner, clock):
    user, lesson = learner
    tab = Tab(user, token=False)
    two_beats(tab, user, lesson, clock)
    role_grant(user=user, role=Role.HR_OFFICER, region=Region.objects.get(code="441403"))
    assert tab.beat(lesson).status_code == 401
    assert engaged(user, lesson) == 15


def test_a_report_without_the_csrf_token_is_refused_after_the_first(path, learner, clock):
    user, lesson = learner
    tab = Tab(user, token=False)
    two_beats(tab, user, lesson, clock)
    response = tab.beat(lesson, HTTP_X_CSRFTOKEN="")
    assert response.status_code == 403
    assert engaged(user, lesson) == 15


def test_a_token_revoked_meanwhile_is_refused_at_once(path, learner, clock):
    user, lesson = learner
    tab = Tab(user, token=True)
    two_beats(tab, user, lesson, clock)
    token = user.api_tokens.get()
    api_token_revoke(user=user, token_id=token.pk)
    assert tab.beat(lesson).status_code == 401
    assert engaged(user, lesson) == 15


def test_a_lesson_not_opened_is_still_refused_and_recorded(path, learner, clock):
    user, lesson = learner
    tab = Tab(user, token=False)
    two_beats(tab, user, lesson, clock)
    other = lessons_of(make_course(title="别的课"))[0]
    response = tab.beat(other)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("token", [False, True], ids=["session", "token"])
def test_a_report_after_the_first_is_one_statement_on_postgresql(token):
    user, lesson = learner_in_a_lesson()
    tab = Tab(user, token=token)
    tab.beat(lesson)
    with CaptureQueriesContext(connection) as queries:
        response = tab.beat(lesson)
    assert response.status_code == 200
    statements = [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("BEGIN", "COMMIT"))
    ]
    assert len(statements) <= (1 if connection.vendor == "postgresql" else 4), statements
