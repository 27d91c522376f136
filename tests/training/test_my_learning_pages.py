""" "My learning" lists courses a page at a time, so hundreds of enrolments stay one short page."""

import datetime

from django.utils import timezone

import pytest

from accounts.choices import Role
from tests.factories import load_small_regions, user_with_role
from tests.training.builders import make_course
from training import selectors, services
from training.choices import EnrollmentStatus
from training.models import Enrollment


@pytest.fixture
def cadre(db):
    load_small_regions()
    return user_with_role(Role.CADRE)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(selectors, "MY_LEARNING_PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "MY_LEARNING_DUE_SHOWN", 2)


def enrol(user, titles, **kwargs):
    for title in titles:
        services.enrollment_create(user=user, course=make_course(title=title, lessons=1), **kwargs)


def test_in_progress_courses_come_a_page_at_a_time(client, cadre, small_pages):
    enrol(cadre, ["课程甲", "课程乙", "课程丙"])
    client.force_login(cadre)
    first = client.get("/zh-hans/learning/").content.decode()
    second = client.get("/zh-hans/learning/?page=2").content.decode()
    shown_first = [t for t in ("课程甲", "课程乙", "课程丙") if t in first]
    shown_second = [t for t in ("课程甲", "课程乙", "课程丙") if t in second]
    assert len(shown_first) == 2 and len(shown_second) == 1
    assert set(shown_first) | set(shown_second) == {"课程甲", "课程乙", "课程丙"}
    assert "第 1 页，共 2 页" in first and 'href="?page=2&amp;done=1#progress-heading"' in first
    assert 'rel="prev"' in second and 'rel="next"' not in second


@pytest.mark.parametrize("page_number", ["0", "-3", "abc", "99"])
def test_a_page_number_out_of_range_shows_a_valid_page(client, cadre, small_pages, page_number):
    enrol(cadre, ["课程甲", "课程乙", "课程丙"])
    client.force_login(cadre)
    response = client.get("/zh-hans/learning/", {"page": page_number})
    assert response.status_code == 200
    assert "课程" in response.content.decode()


def test_completed_courses_have_their_own_pages(client, cadre, small_pages):
    enrol(cadre, ["已完成一", "已完成二", "已完成三", "在学"])
    now = timezone.now()
    for n, title in enumerate(["已完成一", "已完成二", "已完成三"]):
        Enrollment.objects.filter(user=cadre, course__title=title).update(
            status=EnrollmentStatus.COMPLETED, completed_at=now - datetime.timedelta(days=n)
        )
    client.force_login(cadre)
    html = client.get("/zh-hans/learning/").content.decode()
    # Most recently completed first; the in-progress list is not disturbed.
    assert "已完成一" in html and "已完成二" in html and "已完成三" not in html
    assert "在学" in html
    older = client.get("/zh-hans/learning/?done=2&page=1").content.decode()
    assert "已完成三" in older and "已完成一" not in older and "在学" in older


def test_assigned_courses_list_the_nearest_due_dates(cadre, small_pages):
    today = timezone.localdate()
    for days, title in [(9, "九天后"), (2, "两天后"), (5, "五天后")]:
        services.enrollment_create(
            user=cadre,
            course=make_course(title=title, lessons=1),
            source="assigned",
            due_date=today + datetime.timedelta(days=days),
        )
    data = selectors.my_learning(user=cadre)
    assert [e.course_title for e in data["due"]] == ["两天后", "五天后"]
    assert data["in_progress_page"].count == 3


def test_my_learning_asks_no_page_to_anonymous_visitors(client, db):
    response = client.get("/zh-hans/learning/?page=2")
    assert response.status_code == 302
