"""The heartbeat is the hottest write path: it must stay at a handful of SQL statements."""

import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from accounts.services import api_token_create
from tests.training.builders import learner_in_a_lesson


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_heartbeat_request_runs_at_most_four_sql_statements():
    cadre, lesson = learner_in_a_lesson()
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_the_heartbeat_itself_skips_waiting_for_the_disk():
    """The report commits without waiting for the WAL flush; every other write still waits
    (the setting is the statement's transaction's, never the connection's)."""
    cadre, lesson = learner_in_a_lesson()
    _token, raw = api_token_create(user=cadre, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/lessons/{lesson.pk}/heartbeat"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the test cluster runs with it off altogether
            cursor.execute("SET synchronous_commit TO on")
    for seq in (1, 2):
        response = client.post(
            url, json.dumps({"device": "d", "seq": seq}), content_type="application/json"
        )
        assert response.status_code == 200
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
