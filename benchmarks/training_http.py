"""Training targets over HTTP: heartbeats, catalogue, lesson page, "My learning", hours ledger.

Starts a throwaway PostgreSQL and Redis, loads regions and demo content, creates benchmark
learners, serves the production settings with gunicorn (as `make serve` does) and drives it with
wrk (2 threads, 32 connections, 20 s after a 5 s warm-up). Prints a markdown table.

    .venv/bin/python benchmarks/training_http.py
"""

import argparse
import json
import subprocess
import sys
import tempfile
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.support import (
    ROOT,
    demo_site,
    gunicorn,
    load_average,
    machine,
    throwaway_postgres,
    throwaway_redis,
    wrk,
)

HEARTBEAT_LUA = """
local tokens = {%(tokens)s}
local lessons = {%(lessons)s}
local counter = 0
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
request = function()
  counter = counter + 1
  local i = (counter %% #tokens) + 1
  local body = string.format('{"device":"w%%d-%%d","seq":%%d}', tid, counter, counter)
  return wrk.format("POST", "/api/v1/lessons/" .. lessons[i] .. "/heartbeat",
    {["Authorization"] = "Bearer " .. tokens[i], ["Content-Type"] = "application/json"}, body)
end
"""

# How the lesson page's script reports: the session cookie, with Django's CSRF token.
SESSION_HEARTBEAT_LUA = """
local cookies = {%(cookies)s}
local lessons = {%(lessons)s}
local csrf = "benchmarkcsrfsecret0123456789abc"
local counter = 0
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
request = function()
  counter = counter + 1
  local i = (counter %% #cookies) + 1
  local body = string.format('{"device":"w%%d-%%d","seq":%%d}', tid, counter, counter)
  return wrk.format("POST", "/api/v1/lessons/" .. lessons[i] .. "/heartbeat",
    {["Cookie"] = "sessionid=" .. cookies[i] .. "; csrftoken=" .. csrf, ["X-CSRFToken"] = csrf,
     ["Content-Type"] = "application/json", ["Referer"] = "http://127.0.0.1/"}, body)
end
"""

HEADER_LUA = """
wrk.headers["%(name)s"] = "%(value)s"
"""


def lua_list(values) -> str:
    return ", ".join(json.dumps(v) for v in values)


def size_of(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return len(response.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="> 1: gthread workers")
    parser.add_argument(
        "--only", default="", help="run only the cases whose name contains one of these (a,b)"
    )
    args = parser.parse_args()
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]

    with (
        throwaway_postgres() as database_url,
        throwaway_redis() as redis_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        print("setting up: migrate, regions, demo, benchmark learners…", file=sys.stderr)
        env, serve_env = demo_site(database_url, redis_url, tmp)
        fixtures = json.loads(
            subprocess.run(
                [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c",
                 "exec(open('benchmarks/training_fixtures.py').read())"],
                cwd=ROOT, check=True, capture_output=True, text=True,
                env={**env, "BENCH_HEAVY_ENROLMENTS": "0" if wanted and not any(
                    w in "My learning, 300 enrolments / hours ledger API, 300 enrolments" for w in wanted
                ) else "300"},
            ).stdout.strip().splitlines()[-1]
        )  # fmt: skip
        rows = []
        with gunicorn(serve_env, workers=args.workers, threads=args.threads) as base:
            cases = [
                ("heartbeat POST (session + CSRF, as the lesson page sends it)", "/", SESSION_HEARTBEAT_LUA % {
                    "cookies": lua_list(fixtures["cookies"]), "lessons": lua_list(fixtures["lesson_ids"])}),
                ("heartbeat POST (API token)", "/", HEARTBEAT_LUA % {
                    "tokens": lua_list(fixtures["tokens"]), "lessons": lua_list(fixtures["lesson_ids"])}),
                ("catalogue, anonymous", fixtures["catalogue_url"], ""),
                ("lesson page, anonymous", fixtures["lesson_url"], ""),
                ("lesson page, signed-in learner", fixtures["lesson_url"],
                 HEADER_LUA % {"name": "Cookie", "value": "sessionid=" + fixtures["reader_cookie"]}),
                ("My learning, 300 enrolments", "/zh-hans/learning/",
                 HEADER_LUA % {"name": "Cookie", "value": "sessionid=" + fixtures["heavy_cookie"]}),
                ("hours ledger API, 300 enrolments", "/api/v1/me/learning-hours",
                 HEADER_LUA % {"name": "Authorization", "value": "Bearer " + fixtures["heavy_token"]}),
            ]  # fmt: skip
            for name, path, lua in cases:
                if wanted and not any(w in name for w in wanted):
                    continue
                wrk(base + path, lua=lua, seconds=5)  # warm-up
                for connections in (32, 1) if "My learning" in name or "ledger" in name else (32,):
                    load = load_average()
                    result = wrk(
                        base + path, lua=lua, seconds=args.seconds, connections=connections
                    )
                    rows.append((name, connections, result, load))
                    print(name, connections, result, file=sys.stderr)
            lesson_bytes = size_of(
                base + fixtures["lesson_url"], {"Cookie": "sessionid=" + fixtures["reader_cookie"]}
            )
            css_bytes = size_of(base + "/static/cms/site.css", {})
            js_bytes = size_of(base + "/static/training/lesson.js", {})

    print(f"Measured {date.today()} on {machine()}; load average at the end: {load_average()}.\n")
    gthread = f", gthread × {args.threads} threads" if args.threads > 1 else " sync"
    print(f"gunicorn: {args.workers} workers{gthread}.\n")
    print(
        "| case | clients | requests/s | p50 ms | p95 ms | p99 ms | errors / non-2xx | load before |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for name, connections, r, load in rows:
        print(
            f"| {name} | {connections} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} "
            f"| {r['p99_ms']:.1f} | {r['errors']} / {r['non2xx']} | {load} |"
        )
    total = lesson_bytes + css_bytes + js_bytes
    print(
        f"\nLesson page weight (no media): HTML {lesson_bytes} B + CSS {css_bytes} B + JS {js_bytes} B = {total / 1024:.1f} KB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
