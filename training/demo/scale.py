"""The province-scale data set for benchmarks: cadres across every township, and their progress.

`seed_demo --scale province` makes 200,000 cadres spread evenly over Guangdong's 1,760
townships and 2,000,000 lesson-progress rows (10 per cadre, over the demo courses). Rows are
written with bulk inserts in batches, each batch in its own transaction, so a run that is
stopped half-way resumes where it stopped; a complete data set is detected by two counts and
left alone.
"""

import datetime
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from allauth.account.models import EmailAddress

from accounts.choices import Role
from accounts.models import RoleGrant, User
from regions.choices import RegionLevel
from regions.models import Region

from ..blocks import checkpoint_blocks
from ..choices import EnrollmentSource, EnrollmentStatus
from ..models import CoursePage, Enrollment, LessonPage, LessonProgress
from . import content

DOMAIN = "scale.gd.cn"
MAX_CADRES = 999_999  # six digits in the e-mail address
SURNAMES = "陈李黄张梁林刘吴罗何郑杨曾钟谢郭邓冯叶蔡许赖彭卢潘朱温邱胡周"
GIVEN_NAMES = [
    "建国",
    "志强",
    "秀英",
    "丽华",
    "伟明",
    "嘉欣",
    "国华",
    "淑芬",
    "文杰",
    "晓燕",
    "家豪",
    "美玲",
    "振华",
    "海燕",
    "俊杰",
    "桂英",
    "永强",
    "丽娟",
    "子轩",
    "思敏",
    "志明",
    "惠珍",
    "锦辉",
    "雪梅",
    "浩然",
    "婉婷",
    "德明",
    "素芳",
    "伟强",
    "晓琳",
]


def scale_email(number: int) -> str:
    return f"cadre.{number:06d}@{DOMAIN}"


def scale_users(first: int = 1, last: int = MAX_CADRES) -> QuerySet[User]:
    """Scale cadres number `first` to `last`, by a range scan of the e-mail index."""
    return User.objects.filter(
        email__gte=scale_email(first), email__lte=scale_email(last), email__endswith=f"@{DOMAIN}"
    )


def _full_name(number: int) -> str:
    return (
        SURNAMES[number % len(SURNAMES)] + GIVEN_NAMES[(number // len(SURNAMES)) % len(GIVEN_NAMES)]
    )


@dataclass(frozen=True)
class _Lesson:
    pk: int
    required_seconds: int
    checkpoints: list[str]


@dataclass(frozen=True)
class ScaleResult:
    cadres: int  # scale cadres there are now (up to the number asked for)
    cadres_created: int
    progress: int
    progress_created: int
    seconds: float


def _course_plan() -> list[tuple[int, list[_Lesson]]]:
    """The demo courses (Chinese source pages) and their lessons, in catalogue order."""
    slugs = [spec.slug for spec in content.COURSES]
    courses = {
        c.slug: c
        for c in CoursePage.objects.live().filter(
            locale__language_code=settings.LANGUAGE_CODE, slug__in=slugs
        )
    }
    plan = []
    for slug in slugs:
        if slug not in courses:
            continue
        lessons = [
            _Lesson(lesson.pk, lesson.required_seconds, list(checkpoint_blocks(lesson.body)))
            for lesson in LessonPage.objects.live().child_of(courses[slug]).order_by("path")
        ]
        if lessons:
            plan.append((courses[slug].pk, lessons))
    return plan


def _segments(number: int, plan, per_cadre: int) -> list[tuple[int, list[_Lesson]]]:
    """The courses a cadre has started and the lessons opened in each: whole courses from a
    starting point that differs from one cadre to the next, the last one cut short."""
    segments, need, index = [], per_cadre, number % len(plan)
    while need:
        course_pk, lessons = plan[index]
        taken = lessons[:need]
        segments.append((course_pk, taken))
        need -= len(taken)
        index = (index + 1) % len(plan)
    return segments


def _seed_cadres(*, cadres: int, batch_size: int, log: Callable[[str], None]) -> int:
    townships = list(
        Region.objects.filter(level=RegionLevel.TOWNSHIP).order_by("code").values_list("pk", "name")
    )
    if not townships:
        raise ValueError("No townships: import the regions first.")
    placeholder = User()
    placeholder.set_unusable_password()
    password = placeholder.password  # one unusable hash for all: nobody can sign in as them
    created = 0
    for first in range(1, cadres + 1, batch_size):
        last = min(first + batch_size - 1, cadres)
        with transaction.atomic():
            existing = set(scale_users(first, last).values_list("email", flat=True))
            if len(existing) == last - first + 1:
                continue
            now = timezone.now()
            new_users = []
            for number in range(first, last + 1):
                email = scale_email(number)
                if email in existing:
                    continue
                region_pk, region_name = townships[(number - 1) % len(townships)]
                new_users.append(
                    User(
                        email=email,
                        password=password,
                        full_name=_full_name(number),
                        home_region_id=region_pk,
                        unit=region_name,
                        is_demo=True,
                        date_joined=now,
                    )
                )
            User.objects.bulk_create(new_users, batch_size=batch_size, ignore_conflicts=True)
            new_emails = {u.email for u in new_users}
            ids = [
                (pk, email)
                for pk, email in scale_users(first, last).values_list("pk", "email")
                if email in new_emails
            ]
            RoleGrant.objects.bulk_create(
                [RoleGrant(user_id=pk, role=Role.CADRE, granted_at=now) for pk, _email in ids],
                batch_size=batch_size,
                ignore_conflicts=True,
            )
            EmailAddress.objects.bulk_create(
                [
                    EmailAddress(user_id=pk, email=email, verified=True, primary=True)
                    for pk, email in ids
                ],
                batch_size=batch_size,
                ignore_conflicts=True,
            )
        created += len(new_users)
        log(f"  cadres: {last:,} of {cadres:,}")
    return created


PROGRESS_FIELDS = (
    "user_id",
    "lesson_id",
    "enrollment_id",
    "engaged_seconds",
    "required_seconds",
    "last_position",
    "checkpoints_passed",
    "completed_at",
    "updated_at",
)
ENROLLMENT_FIELDS = ("user_id", "course_id", "status", "source", "enrolled_at", "last_lesson_id")


def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows, skipping any that would break a unique constraint.

    On PostgreSQL the rows are COPYed into a temporary table and moved over with INSERT … ON
    CONFLICT DO NOTHING: several times faster than bulk_create, whose per-value preparation in
    Python is most of its cost at a few million rows. Elsewhere, bulk_create(ignore_conflicts).
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows],
            batch_size=len(rows),
            ignore_conflicts=True,
        )
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    json_at = [
        i
        for i, f in enumerate(fields)
        if model._meta.get_field(f).get_internal_type() == "JSONField"
    ]
    staging = quote(f"scale_{model._meta.db_table}")
    # Table and column names come from the model, quoted; the values travel by COPY.
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
            for row in rows:
                if json_at:
                    row = list(row)
                    for i in json_at:
                        row[i] = json.dumps(row[i])
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} "  # noqa: S608
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {staging}")


def _progress_rows(*, rng: random.Random, user_pk: int, segments, enrollment_ids, now):
    """One cadre's lesson progress: in each course, some lessons done and the rest part-way."""
    rows = []
    for course_pk, lessons in segments:
        enrollment_pk = enrollment_ids[(user_pk, course_pk)]
        days_ago = rng.randint(1, 150)
        done = rng.randint(0, len(lessons))
        for position, lesson in enumerate(lessons):
            when = now - datetime.timedelta(
                days=rng.randint(0, days_ago - 1), seconds=rng.randint(0, 86_399)
            )
            required = lesson.required_seconds
            if position < done:
                rows.append(
                    (user_pk, lesson.pk, enrollment_pk, required, required, required,
                     lesson.checkpoints, when, when)
                )  # fmt: skip
            else:
                engaged = rng.randint(0, required - 1)
                rows.append(
                    (user_pk, lesson.pk, enrollment_pk, engaged, required, engaged, [], None, when)
                )
    return rows


def _seed_progress(*, cadres: int, per_cadre: int, batch_size: int, log) -> None:
    plan = _course_plan()
    available = sum(len(lessons) for _course, lessons in plan)
    if per_cadre > available:
        raise ValueError(
            f"The demo courses have {available} lessons: a cadre cannot have {per_cadre} in progress. "
            "Run seed_demo first."
        )
    cadres_per_batch = max(1, batch_size // per_cadre)
    batches = 0
    for first in range(1, cadres + 1, cadres_per_batch):
        last = min(first + cadres_per_batch - 1, cadres)
        with transaction.atomic():
            users = list(scale_users(first, last).values_list("pk", "email"))
            pks = [pk for pk, _email in users]
            if LessonProgress.objects.filter(user_id__in=pks).count() >= len(pks) * per_cadre:
                continue
            rng = random.Random(first)  # noqa: S311 - demo data, the same on every run
            now = timezone.now()
            enrolled_at = now - datetime.timedelta(days=150)
            plans = {pk: _segments(int(email[6:12]), plan, per_cadre) for pk, email in users}
            _insert(
                Enrollment,
                ENROLLMENT_FIELDS,
                [
                    (pk, course_pk, EnrollmentStatus.ACTIVE.value, EnrollmentSource.SELF.value,
                     enrolled_at, lessons[-1].pk)
                    for pk, segments in plans.items()
                    for course_pk, lessons in segments
                ],
            )  # fmt: skip
            enrollment_ids = {
                (user_pk, course_pk): pk
                for user_pk, course_pk, pk in Enrollment.objects.filter(
                    user_id__in=pks
                ).values_list("user_id", "course_id", "pk")
            }
            rows = []
            for pk, segments in plans.items():
                rows += _progress_rows(
                    rng=rng, user_pk=pk, segments=segments, enrollment_ids=enrollment_ids, now=now
                )
            _insert(LessonProgress, PROGRESS_FIELDS, rows)
        batches += 1
        if batches % 20 == 0 or last == cadres:
            log(f"  lesson progress: cadres {last:,} of {cadres:,}")


def seed_scale_training(
    *,
    cadres: int = 200_000,
    progress_per_cadre: int = 10,
    batch_size: int = 10_000,
    log: Callable[[str], None] | None = None,
) -> ScaleResult:
    """Add the scale cadres and their lesson progress that are not there yet. Needs the regions
    and the demo courses (`seed_demo_training`)."""
    if not 0 < cadres <= MAX_CADRES:
        raise ValueError(f"cadres must be between 1 and {MAX_CADRES:,}")
    started = time.perf_counter()
    write = log or (lambda _message: None)

    def say(message: str) -> None:
        write(f"{message} [{time.perf_counter() - started:.0f} s]")

    everyone = scale_users(1, cadres)
    progress_of_everyone = LessonProgress.objects.filter(user__in=everyone)

    cadres_before = everyone.count()
    created = 0
    if cadres_before < cadres:
        say(f"Scale: creating {cadres - cadres_before:,} cadres…")
        created = _seed_cadres(cadres=cadres, batch_size=batch_size, log=say)
    else:
        say(f"Scale: all {cadres:,} cadres are there.")

    progress_before = progress_of_everyone.count()
    wanted = cadres * progress_per_cadre
    if progress_before < wanted:
        say(f"Scale: creating {wanted - progress_before:,} lesson-progress rows…")
        _seed_progress(cadres=cadres, per_cadre=progress_per_cadre, batch_size=batch_size, log=say)
        progress_after = progress_of_everyone.count()
    else:
        say(f"Scale: all {wanted:,} lesson-progress rows are there.")
        progress_after = progress_before
    return ScaleResult(
        cadres=cadres_before + created,
        cadres_created=created,
        progress=progress_after,
        progress_created=progress_after - progress_before,
        seconds=time.perf_counter() - started,
    )
