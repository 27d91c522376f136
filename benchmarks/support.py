"""Shared pieces of the benchmark scripts: throwaway services, the web server, wrk, the machine."""

import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def throwaway_postgres(*, durable: bool = True) -> Iterator[str]:
    """A fresh PostgreSQL cluster on a free loopback port; stopped and deleted on exit.

    PostgreSQL refuses to run as root, so as root its commands run as the postgres user.
    """
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not bins or not (bins[-1] / "initdb").exists():
        sys.exit("PostgreSQL server binaries not found under /usr/lib/postgresql")
    pg_bin = bins[-1]
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="pgbench-", dir="/tmp"))  # reachable by postgres
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    base.chmod(0o700)
    data, port = base / "data", free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={base}"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    started = False
    try:
        subprocess.run(
            [*as_pg, pg_bin / "initdb", "-D", data, "-U", "bench", "--auth=trust",
             "--encoding=UTF8", "--locale=C.UTF-8"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        subprocess.run(
            [*as_pg, pg_bin / "pg_ctl", "-D", data, "-l", base / "postgres.log", "-w", "-t", "60",
             "-o", options, "start"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        started = True
        subprocess.run(
            [pg_bin / "createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "bench", "bench"],
            check=True,
        )
        yield f"postgres://bench@127.0.0.1:{port}/bench"
    finally:
        if started:
            subprocess.run(
                [*as_pg, pg_bin / "pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "60", "stop"],
                check=False, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def throwaway_redis() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def manage(args: list[str], env: dict[str, str], *, quiet: bool = True) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
        stdout=subprocess.PIPE if quiet else None,
    )  # fmt: skip
    return out.stdout or ""


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 3, threads: int = 1) -> Iterator[str]:
    """The production settings under gunicorn, as `make serve` runs them."""
    port = free_port()
    args = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
    ]  # fmt: skip
    if threads > 1:
        args += ["--worker-class", "gthread", "--threads", str(threads)]
    proc = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(url + "/healthz", timeout=1)  # noqa: S310 - loopback
                break
            time.sleep(0.2)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)


# wrk prints p50/75/90/99; this script adds p95 and the counts as one JSON line.
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format('{"requests": %d, "seconds": %.3f, "errors": %d, "non2xx": %d, '
    .. '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def wrk(
    url: str, *, lua: str = "", connections: int = 32, seconds: int = 20, threads: int = 2
) -> dict:
    """Run wrk with an optional request script; return req/s, p50, p95, p99 and error counts."""
    threads = min(threads, connections)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + WRK_REPORT)
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def machine() -> str:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {ram} RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def demo_site(database_url: str, redis_url: str, workdir: str) -> tuple[dict, dict]:
    """Migrate, import the regions and seed the demo into a fresh database; collect static files.

    Returns the environment for setup commands (dev settings, DEBUG on: seed_demo needs it) and
    the one `make serve` runs with (production settings over plain HTTP). Both share the secret
    key, so sessions created during setup are valid on the server.
    """
    setup_env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CACHE_URL": redis_url + "/1",
        "DJANGO_SECRET_KEY": "benchmark-secret-key-not-for-production",
        "DJANGO_STATIC_ROOT": str(Path(workdir) / "static"),
        "DJANGO_MEDIA_ROOT": str(Path(workdir) / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "1",
        "LOG_LEVEL": "WARNING",
    }
    setup_env.pop("CELERY_BROKER_URL", None)
    manage(["migrate", "--noinput"], setup_env)
    regions = str(ROOT.parent / "shared" / "data" / "regions-guangdong.csv")
    manage(["import_regions", "--no-progress", regions], setup_env)
    manage(["seed_demo"], setup_env)
    serve_env = {
        **setup_env,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Production requires the personal-data keys (jobs/crypto.py); throwaway ones here.
        "PERSONAL_DATA_KEYS": os.environ.get(
            "PERSONAL_DATA_KEYS", "YmVuY2htYXJrLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24="
        ),
        "PERSONAL_DATA_HASH_KEY": os.environ.get(
            "PERSONAL_DATA_HASH_KEY", "benchmark-hash-key-not-for-production"
        ),
    }
    manage(["collectstatic", "--noinput", "-v", "0"], serve_env)
    return setup_env, serve_env
