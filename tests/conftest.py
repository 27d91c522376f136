"""Fixtures shared by the whole suite.

- ``celery_worker_process`` / ``celery_live``: a real Celery worker consuming from Redis,
  for tests that must prove a task crosses the broker (``@pytest.mark.worker``).
- ``browser_type_launch_args``: pytest-playwright drives Debian's /usr/bin/chromium.
"""

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import quote

import pytest

# Playwright's sync API runs an event loop in the test thread; without this Django refuses
# ORM calls made from that thread (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[1]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

WORKER_START_TIMEOUT = 60
# Written by Django's file-based e-mail backend after every message.
_MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def die_with_parent() -> None:
    """preexec_fn: the child gets SIGTERM if pytest dies, so no process outlives the run."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def stop_process(proc: subprocess.Popen, timeout: float = 30) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# --- Celery ------------------------------------------------------------------------------


@dataclass
class CeleryWorker:
    """A running ``celery -A config worker`` and the directory its e-mails are written to."""

    process: subprocess.Popen
    hostname: str
    mail_dir: Path
    log_path: Path

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no worker log)"
        return "\n".join(text.splitlines()[-lines:])

    def messages(self) -> list[EmailMessage]:
        """Every e-mail the worker has delivered so far (complete messages only)."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log")):
            chunks = path.read_bytes().split(_MAIL_SEPARATOR)
            # The last chunk is empty once the file is complete, or a message still being written.
            for chunk in chunks[:-1]:
                if chunk.strip():
                    found.append(BytesParser(policy=policy.default).parsebytes(chunk))
        return found

    def wait_for_message(self, subject: str, timeout: float = 30) -> EmailMessage:
        """The delivered e-mail with this subject; fails the test after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages():
                if message["Subject"] == subject:
                    return message
            if self.process.poll() is not None:
                pytest.fail(f"Celery worker exited ({self.process.returncode}):\n{self.log_tail()}")
            if time.monotonic() > deadline:
                pytest.fail(
                    f"no e-mail with subject {subject!r} within {timeout}s; "
                    f"worker log:\n{self.log_tail()}"
                )
            time.sleep(0.2)


def _database_url(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if "postgresql" not in engine:
        pytest.fail(
            f"a real Celery worker needs a database it can share with pytest: PostgreSQL "
            f"via DATABASE_URL, not {engine} (run scripts/test.sh)"
        )
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, tmp_path_factory) -> Iterator[CeleryWorker]:
    """A real worker on the test database and CELERY_BROKER_URL, alive for the session.

    Its environment: DJANGO_SETTINGS_MODULE=config.settings.test, CELERY_TASK_ALWAYS_EAGER=0,
    DATABASE_URL=<pytest-django's test database>, EMAIL_BACKEND=<file-based>,
    EMAIL_FILE_PATH=<mail_dir>. Depending on django_db_setup also makes it stop before the
    test database is dropped.
    """
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.fail(
            "CELERY_BROKER_URL is not set: worker tests need Redis (run scripts/test.sh or make test)"
        )

    from django.db import connection

    from config.celery import app

    base = tmp_path_factory.mktemp("celery-worker")
    mail_dir = base / "mail"
    mail_dir.mkdir()
    log_path = base / "worker.log"
    hostname = f"pytest-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"

    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        CELERY_TASK_ALWAYS_EAGER="0",
        DATABASE_URL=_database_url(connection.settings_dict),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        PYTHONUNBUFFERED="1",
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-l",
        "info",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "-n",
        hostname,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )
    worker = CeleryWorker(process=process, hostname=hostname, mail_dir=mail_dir, log_path=log_path)
    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"Celery worker exited ({process.returncode}):\n{worker.log_tail()}")
            replies = app.control.ping(destination=[hostname], timeout=1)
            if any(hostname in reply for reply in replies):
                break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"Celery worker did not answer ping within {WORKER_START_TIMEOUT}s:\n"
                    f"{worker.log_tail()}"
                )
        yield worker
    finally:
        stop_process(process)


@pytest.fixture
def celery_live(celery_worker_process) -> Iterator[CeleryWorker]:
    """For one test, ``.delay()`` in this process goes to Redis and the real worker runs it."""
    from config.celery import app

    if celery_worker_process.process.poll() is not None:
        pytest.fail(f"Celery worker is not running:\n{celery_worker_process.log_tail()}")
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield celery_worker_process
    finally:
        app.conf.task_always_eager = previous


# --- Playwright ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    """Launch Debian's Chromium instead of a Playwright-downloaded build (none can be fetched)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian package chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached pages and search results must not outlive the
    database rows they were made from (the test database is rolled back, the cache is not)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def english_messages():
    """Service messages asserted in English (the Chinese ones are checked in page tests).

    Directories whose tests all read English messages use it from an autouse fixture."""
    from django.utils import translation

    with translation.override("en"):
        yield
