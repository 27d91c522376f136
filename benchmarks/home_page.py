"""Home page under `make serve`: anonymous visitors, 32 connections, p95 and SQL queries.

Starts a throwaway PostgreSQL and Redis (the cache, as production has it), runs migrate,
import_regions and seed_demo, collects the static files, serves the production settings with
gunicorn (3 sync workers, as `make serve` does) and drives /zh-hans/ with wrk (2 threads,
32 connections, 20 s after a 5 s warm-up). A separate Django process counts the SQL queries
of a cold (uncached) render and of a cached one. Everything started is stopped at the end.

    .venv/bin/python benchmarks/home_page.py [--seconds 20] [--no-uncached]

Target: p95 ≤ 50 ms with ≤ 10 SQL queries per request.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import urllib.request
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import (
    PYTHON,
    ROOT,
    demo_site,
    gunicorn,
    load_average,
    machine,
    throwaway_postgres,
    throwaway_redis,
    wrk,
)

PATH = "/zh-hans/"
TARGET_P95_MS = 50
TARGET_QUERIES = 10

# Run inside `manage.py shell` with the production settings, the benchmark's database and cache.
COUNT_QUERIES = """
import json, time
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from cms.middleware import invalidate_anonymous_pages

client = Client(HTTP_HOST="127.0.0.1")
client.get(%(path)r)  # warm the process (templates, URL resolvers), as a running worker is

def measure(name):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(%(path)r)
        elapsed = (time.perf_counter() - started) * 1000
    return name, {
        "status": response.status_code,
        "page_cache": response.get("X-Page-Cache", ""),
        "queries": len(queries.captured_queries),
        "ms": round(elapsed, 1),
    }

results = {}
cache.clear()  # nothing cached at all: Wagtail's site lookup and the page cache are cold
results.update([measure("cold, every cache empty")])
invalidate_anonymous_pages()  # what publishing a page does: only the page cache is dropped
results.update([measure("after a publish")])
results.update([measure("cached")])
print(json.dumps(results))
"""


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        found.append((int(entry.name), ppid, cmdline))
    return found


def server_pids(*, http_port: str, redis_port: str, pg_port: str) -> dict[str, list[int]]:
    """The gunicorn master and workers, redis-server, and the postmaster with its backends."""
    procs = _processes()
    gunicorn = [
        pid for pid, _pp, cmd in procs if "gunicorn" in cmd and f"127.0.0.1:{http_port}" in cmd
    ]
    redis = [pid for pid, _pp, cmd in procs if "redis-server" in cmd and f":{redis_port}" in cmd]
    postmaster = [
        pid
        for pid, _pp, cmd in procs
        if cmd.startswith(("postgres ", "/usr/lib/postgresql")) and f"-p {pg_port}" in cmd
    ]
    postgres = postmaster + [pid for pid, ppid, _cmd in procs if ppid in postmaster]
    return {"gunicorn": gunicorn, "redis": redis, "postgres": postgres}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (those still alive)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.status, dict(response.headers), response.read()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--no-uncached",
        action="store_true",
        help="skip the second run with the anonymous page cache switched off",
    )
    args = parser.parse_args()

    problems: list[str] = []
    runs: list[tuple[str, dict]] = []
    with (
        throwaway_postgres() as database_url,
        throwaway_redis() as redis_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        print("setting up: migrate, import_regions, seed_demo, collectstatic…", file=sys.stderr)
        _setup_env, serve_env = demo_site(database_url, redis_url, tmp)

        queries = json.loads(
            subprocess.run(
                [PYTHON, "manage.py", "shell", "-c", COUNT_QUERIES % {"path": PATH}],
                cwd=ROOT, env=serve_env, check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1]
        )  # fmt: skip
        print("queries:", queries, file=sys.stderr)

        cases = [("anonymous page cache on (production)", serve_env, True)]
        if not args.no_uncached:
            cases.append(
                (
                    "anonymous page cache off (every request renders)",
                    {**serve_env, "ANONYMOUS_PAGE_CACHE_SECONDS": "0"},
                    False,
                )
            )
        for name, env, expect_hit in cases:
            with gunicorn(env, workers=args.workers) as base:
                url = base + PATH
                first = fetch(url)
                second = fetch(url)
                if first[0] != 200 or second[0] != 200:
                    problems.append(f"{name}: {url} answered {first[0]} / {second[0]}")
                cached = second[1].get("X-Page-Cache") == "hit"
                if cached != expect_hit:
                    problems.append(
                        f"{name}: second request X-Page-Cache={second[1].get('X-Page-Cache')}"
                    )
                wrk(url, seconds=5)  # warm-up
                pids = server_pids(
                    http_port=base.rsplit(":", 1)[1],
                    redis_port=redis_url.rsplit(":", 1)[1],
                    pg_port=database_url.rsplit(":", 1)[1].split("/")[0],
                )
                if not all(pids.values()):
                    problems.append(f"{name}: server processes not all found: {pids}")
                cpu_before = {k: cpu_seconds(v) for k, v in pids.items()}
                wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
                result = wrk(url, seconds=args.seconds)
                wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
                for key, value in pids.items():
                    used = cpu_seconds(value) - cpu_before[key]
                    result[f"cpu_ms_{key}"] = 1000 * used / result["requests"]
                wrk_used = (wrk_after.ru_utime - wrk_before.ru_utime) + (
                    wrk_after.ru_stime - wrk_before.ru_stime
                )
                result["cpu_ms_wrk"] = 1000 * wrk_used / result["requests"]
                result["bytes"] = len(second[2])
                result["load"] = load_average()
                runs.append((name, result))
                print(name, result, file=sys.stderr)

    cold = queries["cold, every cache empty"]
    print(f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {machine()}.\n")
    print(
        f"Command: `wrk -t2 -c32 -d{args.seconds}s --latency http://127.0.0.1:PORT{PATH}` "
        "(+ a Lua `done` hook printing p95), after `wrk … -d5s` as warm-up.\n"
    )
    print(
        "| server | requests/s | p50 ms | p95 ms | p99 ms | errors / non-2xx | page bytes | load avg after |"
    )
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |")
    for name, r in runs:
        print(
            f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['errors']} / {r['non2xx']} | {r['bytes']} | {r['load']} |"
        )
    print(
        "\nCPU per request, read from /proc while wrk ran, so it does not depend on how busy the "
        "machine was: an otherwise idle 2-CPU machine serves at most 2000 ms / (all four) per second."
    )
    print(
        "\n| server | gunicorn ms | Redis ms | PostgreSQL ms | wrk ms | idle 2-CPU ceiling req/s |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, r in runs:
        total = r["cpu_ms_gunicorn"] + r["cpu_ms_redis"] + r["cpu_ms_postgres"] + r["cpu_ms_wrk"]
        print(
            f"| {name} | {r['cpu_ms_gunicorn']:.2f} | {r['cpu_ms_redis']:.2f} "
            f"| {r['cpu_ms_postgres']:.2f} | {r['cpu_ms_wrk']:.2f} | {2000 / total:.0f} |"
        )
    print(
        "\n| render of /zh-hans/ (one request, warm process) | SQL queries | time ms | X-Page-Cache |"
    )
    print("| --- | ---: | ---: | --- |")
    for name, q in queries.items():
        print(f"| {name} | {q['queries']} | {q['ms']} | {q['page_cache'] or '–'} |")
    production = runs[0][1]
    met = production["p95_ms"] <= TARGET_P95_MS and cold["queries"] <= TARGET_QUERIES
    print(
        f"\nTarget p95 ≤ {TARGET_P95_MS} ms with ≤ {TARGET_QUERIES} SQL queries per request: "
        f"{'met' if met else 'NOT met'} (p95 {production['p95_ms']:.1f} ms, "
        f"{cold['queries']} queries for a cold render, {queries['cached']['queries']} when cached)."
    )
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if problems or production["errors"] or production["non2xx"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
