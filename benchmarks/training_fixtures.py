"""Data for benchmarks/training_http.py, created inside `manage.py shell` (Django is set up).

Prints one JSON line: tokens and lesson ids for heartbeats, session cookies, URLs.
"""

import json
import os

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.module_loading import import_string

from accounts.choices import Role
from accounts.models import User
from accounts.services import api_token_create, role_grant
from regions.models import Region
from tests.training.builders import lessons_of, make_course
from training import services

LEARNERS = 64
HEAVY_ENROLMENTS = int(os.environ.get("BENCH_HEAVY_ENROLMENTS", "300"))


def session_cookie(user: User) -> str:
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def learner(email: str, township: Region) -> User:
    user, _created = User.objects.get_or_create(email=email, defaults={"home_region": township})
    user.set_password("bench-pass-2026")
    user.save()
    role_grant(user=user, role=Role.CADRE)
    return user


def main() -> None:
    township = Region.objects.filter(level="township").order_by("code").first()
    course = make_course(title="基准测试课程", lessons=3, reading_minutes=30, slug="bench-course")
    lessons = lessons_of(course)
    tokens, cookies, lesson_ids = [], [], []
    for n in range(LEARNERS):
        user = learner(f"bench.{n:03d}@bench.gd.cn", township)
        services.enrollment_create(user=user, course=course)
        services.lesson_open(user=user, lesson=lessons[0])
        _token, raw = api_token_create(user=user, name="bench")
        tokens.append(raw)
        cookies.append(session_cookie(user))
        lesson_ids.append(lessons[0].pk)
    reader = User.objects.get(email="bench.000@bench.gd.cn")
    heavy = learner("bench.heavy@bench.gd.cn", township)
    for n in range(HEAVY_ENROLMENTS):
        extra = make_course(
            title=f"选修课程 {n + 1:03d}",
            lessons=1,
            questions=0,
            quiz_question_count=0,
            slug=f"bench-extra-{n}",
        )
        services.enrollment_create(user=heavy, course=extra)
    _token, heavy_token = api_token_create(user=heavy, name="bench")
    print(
        json.dumps(
            {
                "tokens": tokens,
                "cookies": cookies,
                "lesson_ids": lesson_ids,
                "lesson_url": lessons[0].url,
                "catalogue_url": course.get_parent().url,
                "reader_cookie": session_cookie(reader),
                "heavy_cookie": session_cookie(heavy),
                "heavy_token": heavy_token,
            }
        )
    )


main()
