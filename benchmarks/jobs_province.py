"""Jobs targets (issue 4) on the province-scale data set: post search, submitting an
application, the HR list of a round with 5,000 applications and its XLSX export.

Starts a throwaway PostgreSQL (durable defaults) and Redis, migrates, imports all regions,
runs `seed_demo` and the province-scale jobs seed (26,735 posts, 100,000 graduates with 10
preferences each: `jobs.demo.seed_scale_jobs`, timed), adds the benchmark rounds
(benchmarks/jobs_fixtures.py), then:

1. in-process (benchmarks/jobs_inprocess.py, DEBUG off): `application_submit` with 10 posts
   on distinct graduates (time and SQL queries per call), `export_run` of 5,000 applications,
   and the post search selector without its cache;
2. over HTTP: the production settings under gunicorn (as `make serve`), driven by wrk
   (2 threads, 32 connections, 20 s after a 5 s warm-up): the public post search page and API
   rotating over a province, a city, a county and a township (anonymous: the responses come
   from the cache), the page over every region down to townships (1,904 cache keys) before
   and after the warm task (`jobs.early.search_warm`, what the Celery worker runs after a
   change) has cached each region's first page, the API and the page for a signed-in graduate
   over the same regions, and the first page of the HR list of 5,000 applications, signed in
   as the county's HR officer (TOTP enabled).

Prints a markdown report.

    .venv/bin/python benchmarks/jobs_province.py [--graduates 100000] [--seconds 20]
"""

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import (
    ROOT,
    WRK_REPORT,
    demo_site,
    gunicorn,
    load_average,
    machine,
    throwaway_postgres,
    throwaway_redis,
)

ROTATE_LUA = """
local paths = {%(paths)s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {%(headers)s})
end
"""
TARGETS = {
    "search_p95_ms": 60,
    "submit_ms": 50,
    "submit_queries": 15,
    "hr_p95_ms": 100,
    "export_s": 10,
}


def lua_rotate(paths: list[str], cookie: str = "") -> str:
    headers = f'["Cookie"] = "sessionid={cookie}"' if cookie else ""
    return ROTATE_LUA % {"paths": ", ".join(json.dumps(p) for p in paths), "headers": headers}


def wrk(url: str, *, lua: str, connections: int = 32, seconds: int = 20) -> dict:
    """benchmarks.support.wrk with a 10 s timeout: a slow page is measured, not dropped."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua + WRK_REPORT)
    try:
        out = subprocess.run(
            ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
             "--latency", "-s", script.name, url],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    finally:
        Path(script.name).unlink()
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def status_of(url: str, cookie: str = "") -> int:
    """The status of one GET, redirects not followed (a sign-in or MFA redirect is a failure)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    connection.request(
        "GET", parts.path + ("?" + parts.query if parts.query else ""), headers=headers
    )
    status = connection.getresponse().status
    connection.close()
    return status


def shell(env: dict, code: str, extra_env: dict | None = None) -> str:
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", code],
        cwd=ROOT, env={**env, **(extra_env or {})}, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.strip().splitlines()[-1]


SEED = """
import json, time
from jobs.demo import seed_scale_jobs
r = seed_scale_jobs(graduates=%d, log=lambda m: print(m, flush=True))
print(json.dumps(r.__dict__))
"""


WARM = """
from jobs.early import search_warm
from jobs.selectors.posts import public_cache_generation
print(search_warm(generation=public_cache_generation()))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graduates", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-inprocess", action="store_true")
    args = parser.parse_args()

    with (
        throwaway_postgres() as database_url,
        throwaway_redis() as redis_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        print("setting up: migrate, regions, seed_demo…", file=sys.stderr, flush=True)
        env, serve_env = demo_site(database_url, redis_url, tmp)
        env = {**env, "DJANGO_DEBUG": "0", "PRIVATE_STORAGE_ROOT": str(Path(tmp) / "private")}
        env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        serve_env = {**serve_env, "PRIVATE_STORAGE_ROOT": env["PRIVATE_STORAGE_ROOT"]}
        print("province-scale jobs seed…", file=sys.stderr, flush=True)
        load_seed = load_average()
        started = time.perf_counter()
        seed = json.loads(shell(env, SEED % args.graduates))
        seed_wall = time.perf_counter() - started
        print(f"seed: {seed}", file=sys.stderr, flush=True)
        fixtures_text = shell(env, "exec(open('benchmarks/jobs_fixtures.py').read())")
        fixtures = json.loads(fixtures_text)
        fixtures_path = Path(tmp) / "fixtures.json"
        fixtures_path.write_text(fixtures_text)
        print(
            f"fixtures: HR round {fixtures['hr_round']} with {fixtures['hr_applications']} "
            f"applications; {len(fixtures['submissions'])} planned submissions",
            file=sys.stderr,
            flush=True,
        )
        load_inprocess = load_average()
        inprocess = None
        if not args.skip_inprocess:
            inprocess = json.loads(
                shell(
                    env,
                    "exec(open('benchmarks/jobs_inprocess.py').read())",
                    {
                        "BENCH_FIXTURES": str(fixtures_path),
                        "BENCH_SUBMISSIONS": str(args.submissions),
                    },
                )
            )
        print(f"in-process: {inprocess}", file=sys.stderr, flush=True)

        rows = []
        warmed, warm_seconds = None, 0.0
        if not args.skip_http:
            codes = fixtures["search_codes"]
            every_region = json.loads(
                shell(
                    env,
                    "import json; from regions.models import Region; print(json.dumps(list("
                    "Region.objects.filter(depth__lte=3).order_by('code').values_list('code', flat=True))))",
                )
            )
            hr_path = f"/zh-hans/jobs/hr/rounds/{fixtures['hr_round']}/applications/"
            n = f"{len(every_region):,}"
            graduate = fixtures["graduate_cookie"]
            every_page = [f"/zh-hans/jobs/posts/?region={c}" for c in every_region]
            cases = [
                (f"post search page, anonymous, {n} regions, not warmed",
                 lua_rotate(every_page), (32,)),
                ("warm", None, ()),
                ("post search page, anonymous, 4 regions",
                 lua_rotate([f"/zh-hans/jobs/posts/?region={c}" for c in codes]), (32,)),
                ("post search API, anonymous, 4 regions",
                 lua_rotate([f"/api/v1/posts?region={c}" for c in codes]), (32,)),
                (f"post search page, anonymous, {n} regions, warmed",
                 lua_rotate(every_page), (32,)),
                (f"post search API, anonymous, {n} regions, warmed",
                 lua_rotate([f"/api/v1/posts?region={c}" for c in every_region]), (32,)),
                ("post search page, signed-in graduate, 4 regions",
                 lua_rotate([f"/zh-hans/jobs/posts/?region={c}" for c in codes], graduate), (32, 1)),
                (f"post search page, signed-in graduate, {n} regions, warmed",
                 lua_rotate(every_page, graduate), (32,)),
                ("HR list of 5,000 applications, first page, county HR officer",
                 lua_rotate([hr_path], fixtures["hr_cookie"]), (32, 1)),
            ]  # fmt: skip
            with gunicorn(serve_env, workers=args.workers) as base:
                for path, cookie in (
                    (f"/zh-hans/jobs/posts/?region={codes[0]}", ""),
                    (f"/api/v1/posts?region={codes[0]}", ""),
                    (f"/zh-hans/jobs/posts/?region={codes[0]}", fixtures["graduate_cookie"]),
                    (hr_path, fixtures["hr_cookie"]),
                ):
                    started = time.perf_counter()
                    status = status_of(base + path, cookie)
                    print(
                        f"GET {path}: {status} in {(time.perf_counter() - started) * 1000:.0f} ms",
                        file=sys.stderr,
                        flush=True,
                    )
                    if status != 200:
                        sys.exit(f"GET {path} answered {status}, not 200: fix the set-up first")
                for name, lua, clients in cases:
                    if name == "warm":
                        started = time.perf_counter()
                        warmed = shell(env, WARM)
                        warm_seconds = time.perf_counter() - started
                        print(f"warmed {warmed} regions in {warm_seconds:.0f} s", file=sys.stderr)
                        continue
                    check = wrk(base + "/", lua=lua, seconds=2, connections=2)
                    if check["non2xx"] or check["errors"]:
                        print(f"{name}: warm-up gave {check}", file=sys.stderr, flush=True)
                    wrk(base + "/", lua=lua, seconds=5)  # warm-up
                    for connections in clients:
                        # Let the server finish what the last run left queued (a timed-out
                        # client's request is still served), then warm up at this concurrency.
                        time.sleep(5)
                        wrk(base + "/", lua=lua, seconds=3, connections=connections)
                        load = load_average()
                        result = wrk(
                            base + "/", lua=lua, seconds=args.seconds, connections=connections
                        )
                        rows.append((name, connections, result, load))
                        print(name, connections, result, file=sys.stderr, flush=True)

    print(f"Measured {date.today()} on {machine()}.\n")
    print(
        f"Seed (`seed_scale_jobs(graduates={args.graduates:,})`, PostgreSQL, load average before "
        f"{load_seed}): {seed['rounds']} rounds, {seed['posts']:,} posts, "
        f"{seed['graduates']:,} graduates, {seed['applications']:,} applications, "
        f"{seed['preferences']:,} preferences in {seed['seconds']:.0f} s "
        f"({seed_wall:.0f} s with Django's start-up).\n"
    )
    if inprocess is not None:
        s, e = inprocess["submissions"], inprocess["export"]
        print(
            f"In-process (PostgreSQL {inprocess['postgres']}, load average before {load_inprocess}):\n"
        )
        print("| what | n | p50 | p95 | max | target | met |")
        print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
        ms = s["ms"]
        print(
            f"| `application_submit`, 10 posts, ms | {ms['n']} | {ms['p50']:.1f} | {ms['p95']:.1f} "
            f"| {ms['max']:.1f} | ≤ {TARGETS['submit_ms']} ms | "
            f"{'yes' if ms['p95'] <= TARGETS['submit_ms'] else 'no'} |"
        )
        q = s["queries"]
        print(
            f"| SQL queries per submission | {ms['n']} | {q['min']} | – | {q['max']} "
            f"| ≤ {TARGETS['submit_queries']} | {'yes' if q['max'] <= TARGETS['submit_queries'] else 'no'} |"
        )
        for code, r in inprocess["search"].items():
            print(
                f"| post search selector, region {code} ({r['count']:,} posts), no cache, ms "
                f"| {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | – | – |"
            )
        print(
            f"| XLSX export of {e['rows']:,} applications (`export_run`), s | 1 | {e['seconds']:.1f} "
            f"| – | – | ≤ {TARGETS['export_s']} s | {'yes' if e['seconds'] <= TARGETS['export_s'] else 'no'} |"
        )
        for name, r in inprocess["pages"].items():
            print(
                f"| {name}: server time, 1 client, ms ({r['queries']} SQL queries, "
                f"{r['bytes'] / 1024:.0f} KB) | {r['n']} | {r['p50']:.1f} | {r['p95']:.1f} "
                f"| {r['max']:.1f} | – | – |"
            )
        print(
            f"\nExport file: {e['bytes'] / 1024:.0f} KB; peak RSS of the process {inprocess['peak_mb']:.0f} MB.\n"
        )
    if rows:
        print(f"HTTP (gunicorn {args.workers} sync workers; wrk 2 threads, 10 s timeout):\n")
        print(
            "| case | clients | requests/s | p50 ms | p95 ms | p99 ms | errors / non-2xx | load before |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
        for name, connections, r, load in rows:
            print(
                f"| {name} | {connections} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
                f"| {r['p99_ms']:.1f} | {r['errors']} / {r['non2xx']} | {load} |"
            )
    if warmed is not None:
        print(
            f"\nWarm task (`search_warm`, page in both languages and API for each region): "
            f"{warmed} regions in {warm_seconds:.0f} s (with Django's start-up)."
        )
    print(f"\nLoad average at the end: {load_average()}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
