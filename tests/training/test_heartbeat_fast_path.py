"""The heartbeat's short path (training/heartbeat_middleware.py) answers like the API endpoint.

Well-formed, authenticated reports are answered by the middleware; everything else reaches the
django-ninja endpoint, which answers as it always did. `answered` records, per request, whether
the middleware answered (True) or passed the request on (False).
"""

import datetime
import json

from django.db import connection
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

import pytest

from accounts.choices import Role
from accounts.services import api_token_create, api_token_revoke
from tests.factories import load_small_regions, user_with_role
from tests.training.builders import HEARTBEAT_T0 as T0
from tests.training.builders import learner_in_a_lesson, lessons_of, make_course
from training import services
from training.choices import AnomalyKind
from training.heartbeat_middleware import HeartbeatMiddleware
from training.models import LearningAnomaly, LessonProgress


@pytest.fixture
def answered(monkeypatch):
    seen = []
    original = HeartbeatMiddleware.answer

    def spy(self, request, lesson_id):
        response = original(self, request, lesson_id)
        seen.append(response is not None)
        return response

    monkeypatch.setattr(HeartbeatMiddleware, "answer", spy)
    return seen


@pytest.fixture
def cadre(db):
    load_small_regions()
    return user_with_role(Role.CADRE)


@pytest.fixture
def lesson(cadre):
    course = make_course(lessons=2, reading_minutes=1)
    services.enrollment_create(user=cadre, course=course)
    first = lessons_of(course)[0]
    services.lesson_open(user=cadre, lesson=first)
    return first


def url(lesson_id) -> str:
    return f"/api/v1/lessons/{lesson_id}/heartbeat"


def post(client, lesson_id, body, **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url(lesson_id), data, content_type="application/json", **extra)


def token_client(user) -> Client:
    _token, raw = api_token_create(user=user, name="tab")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def session_client(user) -> tuple[Client, dict]:
    """A browser session that enforces CSRF, and the header the lesson page's script sends."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    token = get_token(RequestFactory().get("/"))
    client.cookies["csrftoken"] = token
    return client, {"HTTP_X_CSRFTOKEN": token}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["message"]
    return body


# --- answered by the short path ------------------------------------------------------------------


def test_token_reports_credit_real_time_through_the_short_path(cadre, lesson, clock, answered):
    client = token_client(cadre)
    first = post(client, lesson.pk, {"device": "tab", "seq": 1})
    assert first.status_code == 200
    assert first.json() == {
        "credited_seconds": 0,
        "engaged_seconds": 0,
        "required_seconds": 60,
        "lesson_done": False,
        "refused": "started",
    }
    clock["value"] = T0 + datetime.timedelta(seconds=15)
    second = post(client, lesson.pk, {"device": "tab", "seq": 2}).json()
    assert second["credited_seconds"] == 15 and second["engaged_seconds"] == 15
    assert second["refused"] is None
    assert answered == [True, True]


def test_session_reports_with_the_csrf_token_take_the_short_path(cadre, lesson, clock, answered):
    client, csrf = session_client(cadre)
    assert post(client, lesson.pk, {"device": "tab", "seq": 1}, **csrf).status_code == 200
    clock["value"] = T0 + datetime.timedelta(seconds=20)
    body = post(client, lesson.pk, {"device": "tab", "seq": 2, "position": 10}, **csrf).json()
    assert body["credited_seconds"] == 20
    assert LessonProgress.objects.get(user=cadre, lesson=lesson).last_position == 10
    assert answered == [True, True]


def test_time_stays_capped_and_replays_are_recorded(cadre, lesson, clock, answered):
    client = token_client(cadre)
    for seq in range(1, 8):  # 6 intervals of 15 s on a 60 s lesson
        clock["value"] = T0 + datetime.timedelta(seconds=15 * seq)
        last = post(client, lesson.pk, {"device": "tab", "seq": seq}).json()
    assert last["engaged_seconds"] == 60 and last["lesson_done"] is True
    clock["value"] += datetime.timedelta(seconds=15)
    replay = post(client, lesson.pk, {"device": "tab", "seq": 3}).json()
    assert replay["credited_seconds"] == 0 and replay["refused"] == AnomalyKind.REPLAYED
    assert LearningAnomaly.objects.filter(user=cadre, kind=AnomalyKind.REPLAYED).count() == 1
    assert all(answered)


def test_two_devices_at_once_earn_the_wall_clock_time_once(cadre, lesson, clock):
    phone, laptop = token_client(cadre), token_client(cadre)
    post(phone, lesson.pk, {"device": "phone", "seq": 1})
    for n in range(1, 4):
        clock["value"] = T0 + datetime.timedelta(seconds=15 * n)
        post(phone, lesson.pk, {"device": "phone", "seq": n + 1})
        clock["value"] += datetime.timedelta(seconds=1)
        post(laptop, lesson.pk, {"device": "laptop", "seq": n})
    assert LessonProgress.objects.get(user=cadre, lesson=lesson).engaged_seconds == 45


def test_a_lesson_not_opened_is_refused_with_the_api_error_and_recorded(cadre, answered):
    other = lessons_of(make_course(title="别的课"))[0]
    client = token_client(cadre)
    response = post(client, other.pk, {"device": "tab", "seq": 1})
    assert_error(response, 403, "permission_denied")
    assert LearningAnomaly.objects.filter(
        user=cadre, lesson=other, kind=AnomalyKind.NOT_ENROLLED
    ).exists()
    assert answered == [True]


def test_a_lesson_that_does_not_exist_is_refused_not_a_server_error(cadre, lesson):
    response = post(token_client(cadre), 987654, {"device": "tab", "seq": 1})
    assert_error(response, 403, "permission_denied")
    anomaly = LearningAnomaly.objects.get(user=cadre, kind=AnomalyKind.NOT_ENROLLED)
    assert anomaly.lesson_id is None and anomaly.detail["lesson_id"] == 987654


def test_the_refusal_speaks_the_callers_language(cadre):
    other = lessons_of(make_course(title="别的课"))[0]
    client = token_client(cadre)
    chinese = post(client, other.pk, {"device": "t", "seq": 1}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = post(client, other.pk, {"device": "t", "seq": 2}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["message"] == "You may not do this."
    assert chinese.json()["message"] != english.json()["message"]


# --- passed on to the endpoint, which answers as before -------------------------------------------


def test_a_session_report_without_the_csrf_token_is_refused(cadre, lesson, answered):
    client, _csrf = session_client(cadre)
    response = post(client, lesson.pk, {"device": "tab", "seq": 1})
    assert_error(response, 403, "permission_denied")
    assert answered == [False]
    assert LessonProgress.objects.get(user=cadre, lesson=lesson).updated_at is not None
    assert not LearningAnomaly.objects.exists()


def test_a_session_report_with_a_wrong_csrf_token_is_refused(cadre, lesson, answered):
    client, _csrf = session_client(cadre)
    wrong = {"HTTP_X_CSRFTOKEN": get_token(RequestFactory().get("/"))}
    assert_error(
        post(client, lesson.pk, {"device": "tab", "seq": 1}, **wrong), 403, "permission_denied"
    )
    assert answered == [False]


def test_reports_without_credentials_or_with_a_bad_token_are_401(cadre, lesson, answered):
    assert_error(post(Client(), lesson.pk, {"device": "t", "seq": 1}), 401, "not_authenticated")
    garbage = Client(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert_error(post(garbage, lesson.pk, {"device": "t", "seq": 1}), 401, "not_authenticated")
    assert answered == [False, False]


def test_a_revoked_token_does_not_fall_back_to_a_valid_session(cadre, lesson, answered):
    token, raw = api_token_create(user=cadre, name="old")
    api_token_revoke(user=cadre, token_id=token.pk)
    client, csrf = session_client(cadre)
    response = post(
        client, lesson.pk, {"device": "t", "seq": 1}, HTTP_AUTHORIZATION=f"Bearer {raw}", **csrf
    )
    assert_error(response, 401, "not_authenticated")
    assert answered == [False]


def test_a_deactivated_learners_token_is_401(cadre, lesson):
    client = token_client(cadre)
    cadre.is_active = False
    cadre.save()
    assert_error(post(client, lesson.pk, {"device": "t", "seq": 1}), 401, "not_authenticated")


def test_a_privileged_session_without_mfa_is_401(db, answered):
    load_small_regions()
    hr = user_with_role(Role.HR_OFFICER, "441403")
    course = make_course()
    services.enrollment_create(user=hr, course=course)
    lesson = lessons_of(course)[0]
    services.lesson_open(user=hr, lesson=lesson)
    client, csrf = session_client(hr)
    assert_error(
        post(client, lesson.pk, {"device": "t", "seq": 1}, **csrf), 401, "not_authenticated"
    )
    assert answered == [False]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"device": "tab", "seq": -1}, "seq"),
        ({"device": "tab", "seq": 0}, "seq"),
        ({"device": "", "seq": 1}, "device"),
        ({"device": "x" * 41, "seq": 1}, "device"),
        ({"seq": 1}, "device"),
        ({"device": "tab"}, "seq"),
        ({"device": "tab", "seq": 1, "position": -5}, "position"),
        ({"device": "tab", "seq": "many"}, "seq"),
    ],
)
def test_malformed_reports_get_the_validation_error_format(cadre, lesson, answered, body, field):
    body_out = assert_error(post(token_client(cadre), lesson.pk, body), 422, "validation_error")
    assert [e["field"] for e in body_out["errors"]] == [field]
    assert answered == [False]
    assert LessonProgress.objects.get(user=cadre, lesson=lesson).engaged_seconds == 0


def test_a_body_that_is_not_json_is_refused(cadre, lesson, answered):
    response = post(token_client(cadre), lesson.pk, "{not json")
    assert response.status_code in (400, 422)
    assert response.json()["code"]
    assert answered == [False]


def test_other_methods_and_paths_are_not_touched(cadre, lesson, answered):
    client = token_client(cadre)
    assert client.get(url(lesson.pk)).status_code == 405
    assert client.post(url(lesson.pk) + "/", content_type="application/json").status_code == 404
    assert answered == []


# --- cost --------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_heartbeat_runs_at_most_four_sql_statements(answered):
    cadre, lesson = learner_in_a_lesson()
    client, csrf = session_client(cadre)
    post(client, lesson.pk, {"device": "d", "seq": 1}, **csrf)
    with CaptureQueriesContext(connection) as queries:
        response = post(client, lesson.pk, {"device": "d", "seq": 2}, **csrf)
    assert response.status_code == 200 and answered == [True, True]
    statements = [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("BEGIN", "COMMIT"))
    ]
    # The session (from the cache, or the database), the user, their roles, the report.
    assert len(statements) <= 4, "\n".join(statements)
    if connection.vendor == "postgresql":
        assert sum("training_learnerclock" in s for s in statements) == 1


def test_a_session_from_before_a_password_change_is_401(cadre, lesson, answered):
    client, csrf = session_client(cadre)
    cadre.set_password("a-new-password-2026")
    cadre.save()
    response = post(client, lesson.pk, {"device": "t", "seq": 1}, **csrf)
    assert_error(response, 401, "not_authenticated")
    assert answered == [False]


def test_a_deactivated_learners_session_is_401(cadre, lesson, answered):
    client, csrf = session_client(cadre)
    cadre.is_active = False
    cadre.save()
    assert_error(
        post(client, lesson.pk, {"device": "t", "seq": 1}, **csrf), 401, "not_authenticated"
    )
    assert answered == [False]
