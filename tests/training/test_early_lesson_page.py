"""The learner's part of a lesson page read in one query keeps lesson_open's rules.

training/lesson_page.py reads the progress row, the enrolment's last lesson and the earlier
lessons' completion in one raw query and calls lesson_open only when something must be written
or refused. The order rule and the "last lesson" bookkeeping must hold on that short read too.
"""

from django.test import Client
from django.utils import timezone

from wagtail.models import Site

import pytest

from accounts.choices import Role
from cms.models import SiteSettings
from tests.factories import load_small_regions, user_with_role
from tests.training.builders import lessons_of, make_course
from training import services
from training.models import Enrollment, LessonProgress


@pytest.fixture
def course_and_learner(db):
    load_small_regions()
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    course = make_course(lessons=2, reading_minutes=1)
    user = user_with_role(Role.CADRE)
    services.enrollment_create(user=user, course=course)
    client = Client()
    client.force_login(user)
    return course, user, client


def test_a_lesson_opened_in_order_shows_its_progress_on_every_visit(course_and_learner):
    course, user, client = course_and_learner
    first, second = lessons_of(course)
    client.get(first.url)
    LessonProgress.objects.filter(user=user, lesson=first).update(completed_at=timezone.now())
    for _visit in range(3):
        html = client.get(second.url).content.decode()
        assert 'id="lesson-progress"' in html and "message--warning" not in html


def test_an_earlier_lesson_no_longer_done_blocks_the_next_one_again(course_and_learner):
    course, user, client = course_and_learner
    first, second = lessons_of(course)
    client.get(first.url)
    LessonProgress.objects.filter(user=user, lesson=first).update(completed_at=timezone.now())
    client.get(second.url)
    client.get(second.url)  # from the cached shell, progress row present
    LessonProgress.objects.filter(user=user, lesson=first).update(completed_at=None)
    html = client.get(second.url).content.decode()
    assert "message--warning" in html and 'id="lesson-progress"' not in html


def test_going_back_to_an_earlier_lesson_records_it_as_the_last_one(course_and_learner):
    course, user, client = course_and_learner
    first, second = lessons_of(course)
    client.get(first.url)
    LessonProgress.objects.filter(user=user, lesson=first).update(completed_at=timezone.now())
    client.get(second.url)
    assert Enrollment.objects.get(user=user).last_lesson_id == second.pk
    client.get(first.url)
    assert Enrollment.objects.get(user=user).last_lesson_id == first.pk


def test_a_finished_lesson_says_so(course_and_learner):
    course, user, client = course_and_learner
    first, _second = lessons_of(course)
    client.get(first.url)
    LessonProgress.objects.filter(user=user, lesson=first).update(
        engaged_seconds=60, completed_at=timezone.now()
    )
    html = client.get(first.url).content.decode()
    assert 'data-done="1"' in html and 'data-engaged="60"' in html
