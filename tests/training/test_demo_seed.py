"""`seed_demo`'s training content, the demo people's learning, and the province-scale seeder (tiny)."""

import io
from decimal import Decimal

from django.contrib.auth.hashers import is_password_usable
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone
from django.utils.html import escape

from wagtail.models import Page

import pytest
from allauth.account.models import EmailAddress

from accounts.choices import Role
from accounts.models import RoleGrant, User
from cms.models import HomePage
from regions.choices import RegionLevel
from tests.cms.support import SKIP_BACKGROUND_TASKS, module_transaction
from tests.factories import load_small_regions
from training.blocks import checkpoint_blocks, parse_options, validate_options
from training.choices import Category, EnrollmentStatus, EventFormat
from training.demo import content, seed_scale_training
from training.demo.scale import scale_users
from training.models import (
    Certificate,
    CourseIndexPage,
    CoursePage,
    Enrollment,
    EventRegistration,
    HoursEntry,
    LearningPathCourse,
    LearningPathPage,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizQuestion,
    TrainingEventPage,
)
from training.selectors import my_learning

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """seed_demo once for the module (see `module_transaction`); returns what it printed."""
    with module_transaction(django_db_blocker):
        with (
            django_db_blocker.unblock(),
            override_settings(DEBUG=True, TASKS=SKIP_BACKGROUND_TASKS),
        ):
            load_small_regions()
            out = io.StringIO()
            call_command("seed_demo", stdout=out)
        yield out.getvalue()


@pytest.fixture
def seeded(seeded_once, db):
    cache.clear()  # whole pages are cached for visitors
    yield seeded_once
    cache.clear()


def zh_courses():
    return list(CoursePage.objects.live().filter(locale__language_code="zh-hans").order_by("path"))


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def record_counts() -> dict[str, int]:
    models = [
        Page,
        QuizQuestion,
        LearningPathCourse,
        Enrollment,
        LessonProgress,
        QuizAttempt,
        HoursEntry,
        Certificate,
        EventRegistration,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_builds_a_real_catalogue_once(seeded, settings):
    assert "Training: 9 courses" in seeded
    courses = zh_courses()
    assert len(courses) >= 8
    assert {c.category for c in courses} == set(Category.values)
    assert any(c.for_graduates or c.for_operators for c in courses)
    assert all(c.for_cadres for c in courses)
    assert len([c for c in courses if c.prerequisites.exists()]) >= 1
    for course in courses:
        assert Decimal(1) <= course.declared_hours <= Decimal(4), course.title
        lessons = list(LessonPage.objects.live().child_of(course))
        assert 2 <= len(lessons) <= 4, course.title
        assert all(3 <= lesson.reading_minutes <= 8 for lesson in lessons), course.title
        checkpoints = [cp for lesson in lessons for cp in checkpoint_blocks(lesson.body).values()]
        assert checkpoints, f"{course.title} has no checkpoint"
        assert all(not validate_options(cp["kind"], cp["options"]) for cp in checkpoints)
        bank = list(course.questions.all())
        assert 3 <= course.quiz_question_count <= 5
        assert len(bank) >= max(5, course.quiz_question_count), course.title
        assert {q.kind for q in bank} == {"single", "multiple", "truefalse"}, course.title
        assert all(not validate_options(q.kind, q.options) and q.explanation for q in bank)

    path = LearningPathPage.objects.get(locale__language_code="zh-hans")
    assert path.title == "公共服务站专职操作员岗前培训"
    assert path.is_pre_service_track and path.for_graduates and path.for_operators
    assert len(path.courses()) == 3

    events = list(TrainingEventPage.objects.live().filter(locale__language_code="zh-hans"))
    assert len(events) == 3
    assert {e.format for e in events} == {
        EventFormat.TRAINING_CLASS,
        EventFormat.FORUM,
        EventFormat.STUDY_VISIT,
    }
    now = timezone.now()
    for event in events:
        assert 30 <= event.capacity <= 200
        assert event.registration_opens <= now < event.registration_closes < event.starts_at
        assert now < event.starts_at < event.ends_at

    settings.DEBUG = True
    before = record_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert record_counts() == before


def test_every_training_page_has_an_english_translation_with_the_same_checkpoints(seeded):
    en_home = HomePage.objects.get(locale__language_code="en")
    en_index = CourseIndexPage.objects.get(locale__language_code="en")
    assert en_index.get_parent().pk == en_home.pk and en_index.live
    zh_index = CourseIndexPage.objects.get(locale__language_code="zh-hans")
    for page in zh_index.get_descendants().live().specific():
        english = page.get_translation_or_none(en_index.locale)
        assert english is not None and english.live, page.title
        assert english.title != page.title and not has_chinese(english.title), page.title
    for lesson in LessonPage.objects.filter(locale__language_code="zh-hans"):
        english = lesson.get_translation(en_index.locale).specific
        zh_checks, en_checks = checkpoint_blocks(lesson.body), checkpoint_blocks(english.body)
        # Answers given on the English page are checked against the Chinese source's blocks.
        assert list(zh_checks) == list(en_checks), lesson.title
        for block_id, zh_check in zh_checks.items():
            en_check = en_checks[block_id]
            assert zh_check["kind"] == en_check["kind"]
            assert parse_options(zh_check["options"])[1] == parse_options(en_check["options"])[1]
            assert len(parse_options(zh_check["options"])[0]) == len(
                parse_options(en_check["options"])[0]
            )
    for course in zh_courses():
        english = course.get_translation(en_index.locale).specific
        zh_bank = list(course.questions.order_by("sort_order"))
        en_bank = list(english.questions.order_by("sort_order"))
        assert len(zh_bank) == len(en_bank)
        for zh_q, en_q in zip(zh_bank, en_bank, strict=True):
            assert not has_chinese(en_q.text) and not has_chinese(en_q.options)
            assert parse_options(zh_q.options)[1] == parse_options(en_q.options)[1]


def test_demo_cadre_is_part_way_through_one_course_and_has_completed_another(seeded):
    cadre = User.objects.get(email=content.DEMO_CADRE)
    learning = my_learning(user=cadre)

    [in_progress] = learning["in_progress"]
    course = CoursePage.objects.get(pk=in_progress.course.pk)
    assert course.slug == content.CADRE_IN_PROGRESS
    assert (in_progress.lessons_done, in_progress.lessons_total) == (1, 3)
    first, second, third = LessonPage.objects.child_of(course).order_by("path")
    done = LessonProgress.objects.get(user=cadre, lesson=first)
    assert done.completed_at is not None and done.engaged_seconds == done.required_seconds
    started = LessonProgress.objects.get(user=cadre, lesson=second)
    assert started.completed_at is None and 0 < started.engaged_seconds < started.required_seconds
    assert not LessonProgress.objects.filter(user=cadre, lesson=third).exists()

    [completed] = learning["completed"]
    course = CoursePage.objects.get(pk=completed.course.pk)
    assert course.slug == content.CADRE_COMPLETED
    assert completed.status == EnrollmentStatus.COMPLETED
    assert QuizAttempt.objects.filter(user=cadre, course=course, passed=True).exists()
    assert learning["ledger"]["total_hours"] == course.declared_hours > 0
    [certificate] = learning["certificates"]
    assert certificate.course_id == course.pk and certificate.png

    [registration] = learning["registrations"]
    assert registration.event.slug == content.CADRE_EVENT

    graduate = User.objects.get(email=content.DEMO_GRADUATE)
    path = LearningPathPage.objects.get(locale__language_code="zh-hans")
    assert list(Enrollment.objects.filter(user=graduate).values_list("course", flat=True)) == [
        path.courses()[0].pk
    ]


def test_catalogue_and_lessons_render_in_chinese_and_english(seeded, client):
    zh = client.get("/zh-hans/courses/")
    en = client.get("/en/courses/")
    assert zh.status_code == en.status_code == 200
    zh_html, en_html = zh.content.decode(), en.content.decode()
    for spec in content.COURSES:
        assert escape(spec.zh.title) in zh_html
        assert escape(spec.en.title) in en_html and escape(spec.zh.title) not in en_html
    assert escape(content.PRE_SERVICE_PATH["en"]["title"]) in en_html
    assert escape(content.EVENTS[0].en["title"]) in en_html

    # The demo cadre reads the lesson they have started, in both languages.
    client.force_login(User.objects.get(email=content.DEMO_CADRE))
    spec = content.DATA_LAW
    lesson = spec.lessons[1]
    response = client.get(f"/en/courses/{spec.slug}/{lesson.slug}/")
    assert response.status_code == 200
    assert escape(lesson.en.body[-1][1]["question"]) in response.content.decode()
    response = client.get(f"/zh-hans/courses/{spec.slug}/{lesson.slug}/")
    assert escape(lesson.zh.body[-1][1]["question"]) in response.content.decode()


def test_a_checkpoint_answered_on_the_english_page_counts_for_the_course(seeded, client):
    cadre = User.objects.get(email=content.DEMO_CADRE)
    client.force_login(cadre)
    zh_lesson = LessonPage.objects.get(
        locale__language_code="zh-hans",
        slug=content.DATA_LAW.lessons[1].slug,
    )
    en_lesson = zh_lesson.get_translation(
        CourseIndexPage.objects.get(locale__language_code="en").locale
    ).specific
    [(block_id, block)] = checkpoint_blocks(en_lesson.body).items()
    _options, correct = parse_options(block["options"])
    response = client.post(
        f"/en/learning/lessons/{en_lesson.pk}/checkpoint/",
        {"checkpoint": block_id, "chosen": sorted(correct)},
    )
    assert response.status_code == 302
    progress = LessonProgress.objects.get(user=cadre, lesson=zh_lesson)
    assert block_id in progress.checkpoints_passed


def test_scale_seeder_creates_exactly_the_counts_asked_and_is_idempotent(seeded):
    # Two runs that together make the data set: the second one tops up, it does not repeat.
    seed_scale_training(cadres=120, progress_per_cadre=10, batch_size=50)
    result = seed_scale_training(cadres=200, progress_per_cadre=10, batch_size=50)
    assert (result.cadres, result.cadres_created) == (200, 80)
    assert (result.progress, result.progress_created) == (2000, 800)

    cadres = scale_users()
    assert cadres.count() == 200
    assert not any(is_password_usable(p) for p in cadres.values_list("password", flat=True))
    assert not cadres.exclude(home_region__level=RegionLevel.TOWNSHIP).exists()
    townships_used = cadres.values("home_region").distinct().count()
    assert townships_used > 1
    assert RoleGrant.objects.filter(user__in=cadres, role=Role.CADRE).count() == 200
    assert EmailAddress.objects.filter(user__in=cadres, verified=True, primary=True).count() == 200

    progress = LessonProgress.objects.filter(user__in=cadres)
    per_cadre = set(progress.values("user").annotate(n=Count("pk")).values_list("n", flat=True))
    assert per_cadre == {10}
    course_of = {
        lesson.pk: course.pk
        for course in zh_courses()
        for lesson in LessonPage.objects.child_of(course)
    }
    mismatched = [
        p
        for p in progress.select_related("enrollment")
        if p.enrollment.user_id != p.user_id
        or p.enrollment.course_id != course_of[p.lesson_id]
        or p.engaged_seconds > p.required_seconds
        or (p.completed_at is not None) != (p.engaged_seconds == p.required_seconds)
    ]
    assert not mismatched
    checkpoints = {
        lesson.pk: list(checkpoint_blocks(lesson.body))
        for lesson in LessonPage.objects.filter(pk__in=course_of)
    }
    finished = list(progress.filter(completed_at__isnull=False))
    assert finished
    assert all(p.checkpoints_passed == checkpoints[p.lesson_id] for p in finished)
    assert progress.filter(completed_at__isnull=True).exists()

    before = record_counts()
    again = seed_scale_training(cadres=200, progress_per_cadre=10, batch_size=50)
    assert (again.cadres_created, again.progress_created) == (0, 0)
    assert record_counts() == before
