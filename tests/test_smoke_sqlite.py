"""The embedded default, end to end: SQLite, eager Celery, no services, `runserver`."""

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

pytestmark = pytest.mark.slow


def _die_with_parent() -> None:
    """preexec_fn: runserver gets SIGTERM if pytest dies."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str, timeout: float = 300) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
        )


def _get(url: str, timeout: float = 30) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback http)
        return response.status, response.read().decode("utf-8", errors="replace")


def test_embedded_default_serves_the_home_page(tmp_path):
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "EMAIL_BACKEND", "EMAIL_URL"}
        and not key.startswith("CELERY_TASK_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_URL="locmemcache://",
        SHARED_DATA_DIR=str(SHARED_DATA),
        # Keep the repository's var/ untouched.
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        PRIVATE_STORAGE_ROOT=str(tmp_path / "private"),
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        PYTHONUNBUFFERED="1",
    )

    _manage(env, "migrate", "--noinput")
    _manage(env, "import_regions", str(SHARED_DATA / "regions-guangdong.csv"))
    _manage(env, "seed_demo")

    log_path = tmp_path / "runserver.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"runserver exited ({server.returncode}):\n{log_path.read_text()}")
            try:
                status, html = _get(url)
                break
            except urllib.error.HTTPError as error:
                pytest.fail(f"GET / answered {error.code}:\n{log_path.read_text()[-5000:]}")
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"runserver not answering after 60s:\n{log_path.read_text()}")
                time.sleep(0.5)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)

    assert status == 200
    assert 'lang="zh-hans"' in html
