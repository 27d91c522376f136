"""A heartbeat with an API token is checked before the middleware stack exactly as the API checks it.

training/heartbeat_middleware.py answers token reports with accounts.early_auth.token_member
instead of django-ninja's BearerTokenAuth. Each case runs twice: through the short path, and with
the short path removed (the endpoint alone); the learner must not be able to tell them apart.
"""

import datetime
import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import APIToken

import pytest

from accounts.choices import Role
from accounts.services import api_token_create, api_token_revoke
from tests.factories import load_small_regions, user_with_role
from tests.training.builders import HEARTBEAT_T0 as T0
from tests.training.builders import lessons_of, make_course
from training import services
from training.models import LearnerClock


def enrolled(role=Role.CADRE, *args):
    user = user_with_role(role, *args)
    course = make_course(lessons=1, reading_minutes=1)
    services.enrollment_create(user=user, course=course)
    lesson = lessons_of(course)[0]
    services.lesson_open(user=user, lesson=lesson)
    return user, lesson


@pytest.fixture
def cadre(db):
    load_small_regions()
    return enrolled()


def beat(lesson, authorization: str, seq: int = 1):
    return Client(HTTP_AUTHORIZATION=authorization).post(
        f"/api/v1/lessons/{lesson.pk}/heartbeat",
        json.dumps({"device": "phone", "seq": seq}),
        content_type="application/json",
    )


def test_a_valid_token_is_accepted(path, cadre, clock):
    user, lesson = cadre
    _token, raw = api_token_create(user=user, name="phone")
    assert beat(lesson, f"Bearer {raw}").json()["refused"] == "started"
    clock["value"] += datetime.timedelta(seconds=15)
    assert beat(lesson, f"bearer {raw}", seq=2).json()["credited_seconds"] == 15


def test_a_revoked_token_is_refused(path, cadre):
    user, lesson = cadre
    token, raw = api_token_create(user=user, name="phone")
    api_token_revoke(user=user, token_id=token.pk)
    response = beat(lesson, f"Bearer {raw}")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert not LearnerClock.objects.filter(user=user).exists()  # nothing was recorded


def test_the_token_of_a_deactivated_learner_is_refused(path, cadre):
    user, lesson = cadre
    _token, raw = api_token_create(user=user, name="phone")
    user.is_active = False
    user.save()
    assert beat(lesson, f"Bearer {raw}").status_code == 401


@pytest.mark.parametrize(
    "authorization", ["Bearer", "Bearer ", "Token {raw}", "Bearer {raw}x", "Bearer  {raw}"]
)
def test_a_malformed_or_unknown_token_is_refused(path, cadre, authorization):
    user, lesson = cadre
    _token, raw = api_token_create(user=user, name="phone")
    response = beat(lesson, authorization.format(raw=raw))
    assert response.status_code == 401


def test_a_token_decides_alone_for_a_privileged_user_as_on_the_api(path, db):
    load_small_regions()
    officer, lesson = enrolled(Role.HR_OFFICER, "441403")
    _token, raw = api_token_create(user=officer, name="phone")
    assert beat(lesson, f"Bearer {raw}").status_code == 200


def test_the_last_use_is_stamped_at_most_once_a_minute(path, cadre, clock):
    user, lesson = cadre
    token, raw = api_token_create(user=user, name="phone")
    beat(lesson, f"Bearer {raw}")
    assert APIToken.objects.get(pk=token.pk).last_used_at == T0
    clock["value"] = T0 + datetime.timedelta(seconds=30)
    beat(lesson, f"Bearer {raw}", seq=2)
    assert APIToken.objects.get(pk=token.pk).last_used_at == T0
    clock["value"] = T0 + datetime.timedelta(seconds=61)
    beat(lesson, f"Bearer {raw}", seq=3)
    assert APIToken.objects.get(pk=token.pk).last_used_at == clock["value"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_token_heartbeat_on_the_short_path_runs_two_statements():
    load_small_regions()
    user, lesson = enrolled()
    _token, raw = api_token_create(user=user, name="phone")
    beat(lesson, f"Bearer {raw}")  # creates the clock; stamps the token
    with CaptureQueriesContext(connection) as queries:
        response = beat(lesson, f"Bearer {raw}", seq=2)
    assert response.status_code == 200
    statements = [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("BEGIN", "COMMIT"))
    ]
    # The token with its user, then the report (one statement on PostgreSQL, two elsewhere).
    assert len(statements) <= (2 if connection.vendor == "postgresql" else 3), "\n".join(statements)
