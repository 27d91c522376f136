"""The heartbeat is the hottest write path: it must stay at a handful of SQL statements."""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from accounts.choices import Role
from accounts.services import api_token_create
from tests.factories import load_small_regions, user_with_role
from tests.training.builders import lessons_of, make_course
from training import services


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_heartbeat_request_runs_at_most_four_sql_statements():
    load_small_regions()
    cadre = user_with_role(Role.CADRE)
    course = make_course()
    services.enrollment_create(user=cadre, course=course)
    lesson = lessons_of(course)[0]
    services.lesson_open(user=cadre, lesson=lesson)
    _token, raw = api_token_create(user=cadre, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/lessons/{lesson.pk}/heartbeat"
    client.post(url, json.dumps({"device": "d", "seq": 1}), content_type="application/json")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            url, json.dumps({"device": "d", "seq": 2}), content_type="application/json"
        )
    assert response.status_code == 200
    # Transaction control (SQLite's BEGIN IMMEDIATE / COMMIT) is not a query on the data.
    statements = [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("BEGIN", "COMMIT"))
    ]
    assert len(statements) <= 4, "\n".join(statements)
