"""/healthz: ready when the database and the Celery broker answer; 503 with the reason when not."""

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

from django.db import OperationalError

import pytest

from config.celery import app as celery_app
from tests.conftest import die_with_parent, stop_process

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# Nothing listens on port 1: a connection there is refused at once.
DOWN_BROKER = "redis://127.0.0.1:1/0"


@contextlib.contextmanager
def broker(url: str) -> Iterator[None]:
    """Point the Celery app at ``url`` for the duration, as if CELERY_BROKER_URL were set.

    Celery reads the CELERY_BROKER_URL environment variable itself, before its settings.
    """
    previous_setting = celery_app.conf.broker_url
    previous_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    celery_app.conf.broker_url = url
    try:
        # The app now connects there (kombu shows the URL with a masked password).
        assert celery_app.connection_for_write().as_uri().endswith(url.split("://", 1)[1])
        yield
    finally:
        if previous_env is None:
            del os.environ["CELERY_BROKER_URL"]
        else:
            os.environ["CELERY_BROKER_URL"] = previous_env
        celery_app.conf.broker_url = previous_setting


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """CELERY_BROKER_URL when it is set (CI, scripts/test.sh); else a Redis started here."""
    if os.environ.get("CELERY_BROKER_URL"):
        yield os.environ["CELERY_BROKER_URL"]
        return
    if not os.access(REDIS_SERVER, os.X_OK):
        pytest.fail(
            f"{REDIS_SERVER} is missing: run `make system-deps` (Debian package redis-server)"
        )
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=die_with_parent,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", port), timeout=0.2),
            ):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"redis-server did not start on port {port} (exit {process.poll()})")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_process(process, timeout=10)


def test_healthz_in_tests_reports_eager_celery(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


def test_healthz_is_never_cached(client):
    client.get("/healthz")

    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "X-Page-Cache" not in response
    assert not response.cookies


def test_healthz_reports_a_broker_that_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    with broker(DOWN_BROKER):
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")
    # A load balancer's probe gets its answer quickly, not after a long retry loop.
    assert elapsed < 10


def test_healthz_reports_a_working_broker(client, settings, redis_url):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    with broker(redis_url):
        response = client.get("/healthz")

    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


class _BrokenConnection:
    """Stands in for django.db.connection when the database cannot be reached."""

    def cursor(self):
        raise OperationalError("connection refused")


def test_healthz_reports_a_database_that_is_down(client, monkeypatch):
    monkeypatch.setattr("core.views.connection", _BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "error: OperationalError",
        "broker": "eager",
    }
