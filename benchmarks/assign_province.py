"""Benchmark: assign one course to every cadre of Guangdong (200,000 people) in the background.

Steps, each in its own process so that each peak memory figure is that step's own:

1. ``manage.py migrate`` (setup);
2. setup: import all 28,639 regions (if not there yet), create the cadres (or reuse them),
   spread round-robin over the province's 1,760 townships with ``bulk_create`` and unusable
   passwords, and publish a fresh course;
3. **the run**: ``assignment_run`` for that course to the whole province, as the Celery task
   runs it. Mail tasks are published to an in-memory broker (one task per 500 people), as a
   real run publishes them to Redis; nothing consumes them here. Timed inside the process:
   the enrolment phase (finding the missing enrolments and inserting them), the notice phase
   (recording who is told) and the whole run; peak RSS from ``resource.getrusage``;
4. the same run again (idempotency: nothing may be added, nobody told twice);
5. the mail work, measured on a sample of chunks with Django's dummy e-mail backend: this is
   what the mail workers do after the run, in parallel, and is not part of it.

Targets: the run ≤ 60 s, peak memory ≤ 500 MB.

Usage (from the repository root)::

    .venv/bin/python benchmarks/assign_province.py --start-postgres
    .venv/bin/python benchmarks/assign_province.py --postgres postgres://user@host:5432/db

``--start-postgres`` runs a throwaway PostgreSQL cluster (as the ``postgres`` user when run as
root) on a free loopback port, with its default durable settings, and stops and deletes it at
the end. With ``--postgres`` the database is migrated, and regions and cadres already there are
reused. The script exits non-zero when a target is missed or a step fails.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.support import load_average, machine, throwaway_postgres  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_MB = 500.0
PEOPLE = 200_000
EMAIL_DOMAIN = "bench-cadre.invalid"
MAIL_SAMPLE_CHUNKS = 10


# --- child steps (run with Django set up) --------------------------------------------------------


def _django() -> None:
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def step_setup(people: int) -> dict:
    _django()
    import secrets

    from django.conf import settings
    from django.db import transaction

    from accounts.choices import Role
    from accounts.models import RoleGrant, User
    from regions.models import Region
    from regions.services import regions_import
    from tests.training.builders import make_course

    started = time.perf_counter()
    if Region.objects.count() < 28_000:
        regions_import(source=Path(settings.SHARED_DATA_DIR) / "regions-guangdong.csv")
    regions_seconds = time.perf_counter() - started

    townships = list(
        Region.objects.filter(level="township").order_by("code").values_list("pk", flat=True)
    )
    existing = User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).count()
    started = time.perf_counter()
    batch = 5_000
    for start in range(existing, people, batch):
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"cadre{n}@{EMAIL_DOMAIN}",
                        full_name=f"干部{n}",
                        password="!" + secrets.token_urlsafe(30),  # unusable: cannot sign in
                        home_region_id=townships[n % len(townships)],
                    )
                    for n in range(start, min(start + batch, people))
                ],
                batch_size=batch,
            )
            RoleGrant.objects.bulk_create(
                [RoleGrant(user_id=u.pk, role=Role.CADRE) for u in users], batch_size=batch
            )
    users_seconds = time.perf_counter() - started

    admin = User.objects.filter(email="admin@bench-admin.invalid").first()
    if admin is None:
        admin = User.objects.create_superuser(
            email="admin@bench-admin.invalid", full_name="省人社厅"
        )
        RoleGrant.objects.create(user=admin, role=Role.ADMIN)
    course = make_course(
        title=f"数据安全基础（基准 {time.strftime('%H%M%S')}）",
        lessons=1,
        questions=0,
        quiz_question_count=0,
    )
    return {
        "course_id": course.pk,
        "admin_id": admin.pk,
        "people": User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).count(),
        "townships": len(townships),
        "regions_seconds": regions_seconds,
        "users_created": max(0, people - existing),
        "users_seconds": users_seconds,
        "peak_mb": _peak_mb(),
    }


def _timed(module, name: str, totals: dict) -> None:
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - start

    setattr(module, name, wrapper)


def step_run(course_id: int, admin_id: int, assignment_id: int | None) -> dict:
    _django()
    from django.db import connection

    from config.celery import app
    from regions.models import Region
    from training.models import Assignment, AssignmentNotice, Enrollment
    from training.services import assignments

    # Publish the mail tasks as a real run does, to a broker nobody consumes here.
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    published = []
    totals: dict[str, float] = {}
    _timed(assignments, "_enrol_batch", totals)
    _timed(assignments, "_notices_batch", totals)
    original_enqueue = assignments._enqueue_notices

    def counting_enqueue(assignment_id, user_ids):
        published.append(len(user_ids))
        original_enqueue(assignment_id, user_ids)

    assignments._enqueue_notices = counting_enqueue

    if assignment_id is None:
        assignment = Assignment.objects.create(
            course_id=course_id,
            region=Region.objects.get(parent__isnull=True),
            due_date=date.today() + timedelta(days=30),
            created_by_id=admin_id,
        )
    else:
        assignment = Assignment.objects.get(pk=assignment_id)
    baseline_mb = _peak_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    result = assignments.assignment_run(assignment_id=assignment.pk)
    run_seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    assignment.refresh_from_db()
    return {
        "assignment_id": assignment.pk,
        "status": assignment.status,
        "total": assignment.total,
        "batches": result.batches,
        "enrolled": result.enrolled,
        "notified": result.notified,
        "enrollments_in_db": Enrollment.objects.filter(course_id=course_id).count(),
        "notices_in_db": AssignmentNotice.objects.filter(assignment=assignment).count(),
        "mail_tasks": len(published),
        "mail_recipients": sum(published),
        "run_seconds": run_seconds,
        "cpu_seconds": cpu_seconds,
        "enrol_seconds": totals.get("_enrol_batch", 0.0),
        "notice_seconds": totals.get("_notices_batch", 0.0),
        "peak_mb": _peak_mb(),
        "baseline_mb": baseline_mb,
        "postgres": connection.cursor().connection.info.parameter_status("server_version"),
    }


def step_mail(assignment_id: int, chunks: int) -> dict:
    _django()
    from django.core import mail

    from training.models import AssignmentNotice
    from training.services.assignments import MAIL_CHUNK, assignment_notices_send

    ids = list(
        AssignmentNotice.objects.filter(assignment_id=assignment_id)
        .order_by("user_id")
        .values_list("user_id", flat=True)[: chunks * MAIL_CHUNK]
    )
    started = time.perf_counter()
    sent = 0
    for start in range(0, len(ids), MAIL_CHUNK):
        # Eager Celery: each message is rendered and handed to the dummy backend at once.
        sent += assignment_notices_send(
            assignment_id=assignment_id, user_ids=ids[start : start + MAIL_CHUNK]
        )
    seconds = time.perf_counter() - started
    return {"mails": sent, "seconds": seconds, "per_mail_ms": seconds * 1000 / max(sent, 1),
            "backend": mail.get_connection().__class__.__module__, "peak_mb": _peak_mb()}  # fmt: skip


# --- the orchestrating process ----------------------------------------------------------------------


def child(env: dict, *args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--step", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        sys.exit(f"step {args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench(database_url: str, people: int) -> int:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "0",  # DEBUG would keep every SQL statement in memory
        "CELERY_BROKER_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    print(f"machine: {machine()}; load average {load_average()}; {date.today()}", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(f"migrate: {time.perf_counter() - started:.1f} s", flush=True)
    setup = child(env, "setup", "--people", str(people))
    print(f"setup: {json.dumps(setup)}", flush=True)
    first = child(
        env, "run", "--course", str(setup["course_id"]), "--admin", str(setup["admin_id"])
    )
    print(f"first run: {json.dumps(first)}", flush=True)
    again = child(
        env, "run", "--course", str(setup["course_id"]), "--admin", str(setup["admin_id"]),
        "--assignment", str(first["assignment_id"]),
    )  # fmt: skip
    print(f"second run: {json.dumps(again)}", flush=True)
    mails = child(
        env,
        "mail",
        "--assignment",
        str(first["assignment_id"]),
        "--chunks",
        str(MAIL_SAMPLE_CHUNKS),
    )
    print(f"mail sample: {json.dumps(mails)}", flush=True)
    print(f"load average at the end: {load_average()}", flush=True)

    checks = {
        "first run done": first["status"] == "done",
        "everyone enrolled": first["enrollments_in_db"] == setup["people"] == first["total"],
        "everyone told once": first["notices_in_db"] == setup["people"] == first["mail_recipients"],
        "rerun adds nothing": (again["enrolled"], again["notified"], again["mail_tasks"])
        == (0, 0, 0),
        "rerun keeps counts": again["enrollments_in_db"] == first["enrollments_in_db"],
        f"run ≤ {TARGET_SECONDS:.0f} s": first["run_seconds"] <= TARGET_SECONDS,
        f"peak ≤ {TARGET_MB:.0f} MB": first["peak_mb"] <= TARGET_MB
        and again["peak_mb"] <= TARGET_MB,
    }
    print()
    print(
        "| run | people | enrolment phase (s) | notices (s) | whole run (s) | worker CPU (s) "
        "| peak RSS (MB) | mail tasks |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, run in (("first (empty)", first), ("second (idempotent)", again)):
        print(
            f"| {name} | {run['total']:,} | {run['enrol_seconds']:.1f} | {run['notice_seconds']:.1f} "
            f"| {run['run_seconds']:.1f} | {run['cpu_seconds']:.1f} | {run['peak_mb']:.0f} "
            f"| {run['mail_tasks']} |"
        )
    per_mail = mails["per_mail_ms"]
    print(
        f"\nmail work: {mails['mails']} e-mails rendered and sent to the dummy backend in "
        f"{mails['seconds']:.1f} s ({per_mail:.2f} ms each; {setup['people'] * per_mail / 1000:.0f} s of "
        f"worker time for everyone, spread over the mail workers)"
    )
    for name, ok in checks.items():
        print(f"{'ok ' if ok else 'FAIL'} {name}")
    return 0 if all(checks.values()) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--start-postgres", action="store_true", help="run a throwaway PostgreSQL cluster"
    )
    parser.add_argument("--postgres", help="postgres://… of an existing database")
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--step", choices=["setup", "run", "mail"], help=argparse.SUPPRESS)
    parser.add_argument("--course", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--admin", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--assignment", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--chunks", type=int, default=MAIL_SAMPLE_CHUNKS, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step == "setup":
        print(json.dumps(step_setup(args.people)))
        return 0
    if args.step == "run":
        print(json.dumps(step_run(args.course, args.admin, args.assignment)))
        return 0
    if args.step == "mail":
        print(json.dumps(step_mail(args.assignment, args.chunks)))
        return 0

    if args.start_postgres:
        with throwaway_postgres() as url:
            return bench(url, args.people)
    url = args.postgres or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("give --start-postgres, --postgres postgres://… or DATABASE_URL=postgres://…")
    return bench(url, args.people)


if __name__ == "__main__":
    sys.exit(main())
