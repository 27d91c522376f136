"""In-process part of benchmarks/jobs_province.py, run inside `manage.py shell` (Django set up,
PostgreSQL, DEBUG off). Reads BENCH_FIXTURES (the JSON file jobs_fixtures.py printed); prints one
JSON line:

- submissions: `application_submit` with 10 ranked posts (every eligibility rule checked), each
  on a different graduate; wall time per call (commit and the e-mail task's publication included)
  and the SQL queries of each call (CaptureQueriesContext);
- export: `export_run` of the 5,000-application round, as the Celery task runs it;
- post search without the cache: `post_search_page` (count + first page) for a province, a city,
  a county and a township;
- whole pages for one signed-in client (Django's test client): the HR list's first page and the
  post search, with their SQL query counts.
"""

import json
import os
import resource
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from config.celery import app
from jobs.models import ExportJob, RecruitmentRound
from jobs.selectors.posts import post_search_page, post_search_parse
from jobs.services.applications import application_submit
from jobs.services.exports import export_run

# The e-mail task is published to a broker nobody consumes here, as a real request publishes it
# to Redis: its publication is part of the server time, the sending is not.
app.conf.task_always_eager = False
app.conf.broker_url = "memory://"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "max": max(values),
        "mean": statistics.fmean(values),
    }


def submissions(fixtures: dict, limit: int) -> dict:
    round_ = RecruitmentRound.objects.get(pk=fixtures["submit_round"])
    plan = fixtures["submissions"][:limit]
    users = User.objects.in_bulk([user_id for user_id, _posts in plan])
    times, queries = [], []
    warm = plan[:5]
    for user_id, post_ids in warm:  # warm-up: imports, template loading, connection
        application_submit(user=users[user_id], round_=round_, post_ids=post_ids)
    for user_id, post_ids in plan[len(warm) :]:
        user = User.objects.get(pk=user_id)  # as the request's authentication reads it
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            application_submit(user=user, round_=round_, post_ids=post_ids)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return {"ms": summary(times), "queries": {"min": min(queries), "max": max(queries)}}


def export(fixtures: dict) -> dict:
    round_ = RecruitmentRound.objects.get(pk=fixtures["hr_round"])
    job = ExportJob.objects.create(round=round_, total=round_.applications.count())
    started = time.perf_counter()
    job = export_run(export_id=job.pk)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": job.done,
        "status": job.status,
        "bytes": job.file.size if job.file else 0,
    }


def search(fixtures: dict, rounds: int = 30) -> dict:
    out = {}
    for code in fixtures["search_codes"]:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            page = post_search_page(search=post_search_parse(region=code))
            times.append((time.perf_counter() - started) * 1000)
        out[code] = {**summary(times), "count": page["count"]}
    return out


def pages(fixtures: dict, rounds: int = 30) -> dict:
    """Server time of whole pages, one client (Django's test client: no network, no gunicorn)."""
    from django.test import Client

    officer = User.objects.get(email="hr.441403@scale.gd.cn")
    graduate = (
        User.objects.filter(email__endswith="@scale.gd.cn", graduate_profile__isnull=False)
        .order_by("email")
        .first()
    )
    cases = {
        "HR list, first page": (
            officer,
            f"/zh-hans/jobs/hr/rounds/{fixtures['hr_round']}/applications/",
        ),
        "post search page, signed-in graduate, province": (
            graduate,
            "/zh-hans/jobs/posts/?region=440000",
        ),
        "post search page, signed-in graduate, township": (
            graduate,
            "/zh-hans/jobs/posts/?region=441403103",
        ),
    }
    out = {}
    for name, (user, path) in cases.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        times, queries = [], 0
        for _ in range(rounds):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured.captured_queries)
        out[name] = {**summary(times), "queries": queries, "bytes": len(response.content)}
    return out


def main() -> None:
    with open(os.environ["BENCH_FIXTURES"]) as handle:
        fixtures = json.load(handle)
    limit = int(os.environ.get("BENCH_SUBMISSIONS", "300"))
    result = {
        "search": search(fixtures),
        "pages": pages(fixtures),
        "submissions": submissions(fixtures, limit),
        "export": export(fixtures),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "postgres": connection.cursor().connection.info.parameter_status("server_version"),
    }
    print(json.dumps(result))


main()
