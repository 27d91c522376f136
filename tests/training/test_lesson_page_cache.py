"""A signed-in learner's lesson page: the cached shell plus the learner's own part.

Learners' pages come from the shell before the session/auth middleware
(training.heartbeat_middleware → lesson_page.serve_early); staff pages after it
(lesson_page.serve_cached); misses through Wagtail (lesson_page.serve).
"""

import json

from django.contrib.auth.models import Group
from django.test import Client

from wagtail.models import PageViewRestriction, Site

import pytest

from accounts.choices import Role
from cms.models import SiteSettings
from tests.factories import load_small_regions, user_with_role
from tests.training.builders import lessons_of, make_course
from training import lesson_page, services
from training.blocks import checkpoint_blocks
from training.models import LessonProgress


@pytest.fixture
def served(monkeypatch):
    """Per lesson request: True when it came from the cached shell, False when Wagtail rendered it."""
    seen = []

    def hit_spy(original):
        def spy(*args):
            response = original(*args)
            if response is not None:
                seen.append(True)
            return response

        return spy

    def render_spy(original):
        def spy(*args):
            seen.append(False)
            return original(*args)

        return spy

    monkeypatch.setattr(lesson_page, "serve_early", hit_spy(lesson_page.serve_early))
    monkeypatch.setattr(lesson_page, "serve_cached", hit_spy(lesson_page.serve_cached))
    monkeypatch.setattr(lesson_page, "serve", render_spy(lesson_page.serve))
    return seen


@pytest.fixture
def regions(db):
    load_small_regions()


def learner(course=None) -> tuple[Client, object]:
    # The footer's site settings exist on a real site; created on first use, they drop the caches.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    user = user_with_role(Role.CADRE)
    if course is not None:
        services.enrollment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    return client, user


def test_the_second_visit_comes_from_the_shell_with_the_learners_own_progress(regions, served):
    course = make_course(lessons=2, reading_minutes=1)
    lesson = lessons_of(course)[0]
    client, user = learner(course)
    first = client.get(lesson.url)
    assert first.status_code == 200 and 'id="lesson-progress"' in first.content.decode()
    LessonProgress.objects.filter(user=user, lesson=lesson).update(engaged_seconds=37)
    second = client.get(lesson.url)
    html = second.content.decode()
    assert served == [False, True]
    assert 'data-engaged="37"' in html and 'value="37"' in html
    assert second["Cache-Control"].startswith("private")
    assert "lesson-page-csrf-token-placeholder" not in html and "<!--lesson:" not in html
    assert html.count("training/lesson") == 1  # the script, once


def test_each_learner_sees_only_their_own_part(regions, served):
    course = make_course(lessons=1, reading_minutes=1)
    lesson = lessons_of(course)[0]
    enrolled, user = learner(course)
    stranger, _other = learner()
    enrolled.get(lesson.url)
    LessonProgress.objects.filter(user=user, lesson=lesson).update(engaged_seconds=42)
    mine = enrolled.get(lesson.url).content.decode()
    theirs = stranger.get(lesson.url).content.decode()
    assert 'data-engaged="42"' in mine
    assert "lesson-progress" not in theirs and "data-engaged" not in theirs
    assert "去参加" in theirs or "Go to the course" in theirs or course.url in theirs
    assert "政务数据共享" not in theirs  # the lesson text is for enrolled learners
    assert "政务数据共享" in mine
    assert served == [False, True, True]


def test_the_first_visit_opens_the_lesson_and_sets_the_last_lesson(regions, served):
    course = make_course(lessons=2, reading_minutes=1)
    second_lesson = lessons_of(course)[1]
    first_lesson = lessons_of(course)[0]
    client, user = learner(course)
    client.get(first_lesson.url)  # fills the cache for the first lesson
    other, other_user = learner(course)
    other.get(first_lesson.url)
    assert LessonProgress.objects.filter(user=other_user, lesson=first_lesson).exists()
    assert served == [False, True]
    # A sequential course: the second lesson is blocked until the first is done.
    html = other.get(second_lesson.url).content.decode()
    assert "message--warning" in html and "lesson-progress" not in html


def test_checkpoint_results_and_csrf_tokens_are_per_learner(regions, served):
    course = make_course(lessons=1, checkpoints=2, quiz_question_count=0, questions=0)
    lesson = lessons_of(course)[0]
    ids = list(checkpoint_blocks(lesson.body))
    client, user = learner(course)
    client.get(lesson.url)
    LessonProgress.objects.filter(user=user, lesson=lesson).update(checkpoints_passed=[ids[1]])
    html = client.get(lesson.url).content.decode()
    assert served[-1] is True
    assert html.count("message--success") == 1
    assert html.index(f'id="checkpoint-{ids[1]}"') < html.index("message--success")
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert len(token) == 64
    # The no-JavaScript form works with the token the cached page carried.
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    csrf_client.cookies.update(client.cookies)
    page = csrf_client.get(lesson.url).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    answer = csrf_client.post(
        f"/zh-hans/learning/lessons/{lesson.pk}/checkpoint/",
        {"csrfmiddlewaretoken": token, "checkpoint": ids[0], "chosen": "0"},
    )
    assert answer.status_code == 302


def test_messages_are_shown_and_never_cached(regions, served):
    course = make_course(lessons=1)
    client, _user = learner()
    response = client.post(f"/zh-hans/learning/courses/{course.pk}/enrol/")
    lesson_url = response["Location"]
    with_message = client.get(lesson_url).content.decode()
    assert "message--success" in with_message
    again = client.get(lesson_url).content.decode()
    assert "message--success" not in again  # shown once, and not kept in the shell
    assert served == [False, False]  # the first render (with the message) stored nothing
    client.get(lesson_url)
    assert served[-1] is True


def test_publishing_the_lesson_shows_the_change_at_once(regions, served):
    course = make_course(lessons=1)
    lesson = lessons_of(course)[0]
    client, _user = learner(course)
    client.get(lesson.url)
    lesson.title = "改过的标题"
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "改过的标题" in html
    assert served == [False, False]


def test_a_restricted_lesson_is_never_served_from_the_shell(regions, served):
    course = make_course(lessons=1)
    lesson = lessons_of(course)[0]
    client, _user = learner(course)
    client.get(lesson.url)
    client.get(lesson.url)
    assert served == [False, True]
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="编辑"))
    before = len(served)
    response = client.get(lesson.url)
    client.get(lesson.url)
    assert True not in served[before:]  # Wagtail's view restriction decides, not the shell
    assert response.status_code in (302, 403) or "lesson-progress" not in response.content.decode()


def test_staff_get_their_own_navigation(regions, monkeypatch):
    from django.conf import settings

    monkeypatch.setattr(settings, "DEMO_MFA_WAIVER", True)
    course = make_course(lessons=1)
    lesson = lessons_of(course)[0]
    cadre_client, _cadre = learner(course)
    cadre_client.get(lesson.url)
    cadre_html = cadre_client.get(lesson.url).content.decode()
    assert "/learning/assign/" not in cadre_html
    hr = user_with_role(Role.HR_OFFICER, "441403")
    from tests.accounts.helpers import give_totp

    give_totp(hr)
    hr_client = Client()
    hr_client.force_login(hr)
    assert "/learning/assign/" in hr_client.get(lesson.url).content.decode()


def test_anonymous_visitors_get_the_public_page(client, regions):
    course = make_course(lessons=1)
    lesson = lessons_of(course)[0]
    html = client.get(lesson.url).content.decode()
    assert "lesson-progress" not in html and "<!--lesson:" not in html
    assert course.url in html
    assert "training/lesson" not in html


def test_other_pages_at_the_same_depth_are_served_by_wagtail(regions):
    course = make_course(lessons=1)
    client, _user = learner(course)
    assert client.get(course.url + "no-such-lesson/").status_code == 404
    assert client.get(course.url).status_code == 200


def test_a_cached_lesson_page_runs_few_queries(regions, django_assert_max_num_queries):
    course = make_course(lessons=2, reading_minutes=1)
    lesson = lessons_of(course)[0]
    client, _user = learner(course)
    client.get(lesson.url)
    # Session, user, roles; enrolment, progress (and, in a sequential course, the lessons done).
    with django_assert_max_num_queries(7):
        response = client.get(lesson.url)
    assert response.status_code == 200


def test_heartbeat_url_points_at_the_source_lesson(regions):
    course = make_course(lessons=1)
    lesson = lessons_of(course)[0]
    client, _user = learner(course)
    client.get(lesson.url)
    html = client.get(lesson.url).content.decode()
    assert f"/api/v1/lessons/{lesson.pk}/heartbeat" in html
    box = html.split('id="lesson-progress"', 1)[1]
    assert json.dumps(box[:10])  # the box is there


def test_a_learners_page_comes_before_the_middleware_with_the_usual_headers(regions, served):
    course = make_course(lessons=1, checkpoints=1, quiz_question_count=0, questions=0)
    lesson = lessons_of(course)[0]
    client, user = learner(course)
    full = client.get(lesson.url)
    early = client.get(lesson.url)
    assert served == [False, True]
    for header in ("Content-Language", "X-Frame-Options", "Cache-Control", "Content-Type"):
        assert early[header] == full[header], header
    assert "Cookie" in early["Vary"]
    assert early.content.decode().replace(
        early.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1][:64], "T"
    ) == full.content.decode().replace(
        full.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1][:64], "T"
    )


def test_a_stale_session_is_not_served_early(regions, served):
    course = make_course(lessons=1)
    lesson = lessons_of(course)[0]
    client, user = learner(course)
    client.get(lesson.url)
    user.set_password("changed-password-2026")
    user.save()
    response = client.get(lesson.url)
    assert "lesson-progress" not in response.content.decode()
    assert served[-1] is not True or "lesson-progress" not in response.content.decode()


def test_the_english_page_is_served_in_english(regions, served):
    course = make_course(lessons=1)
    lesson = lessons_of(course)[0]
    client, _user = learner(course)
    english_url = "/en/" + lesson.url.split("/", 2)[2]
    client.get(english_url)
    response = client.get(english_url)
    if response.status_code == 200:
        assert response["Content-Language"] == "en"
