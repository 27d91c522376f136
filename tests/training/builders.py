"""Builders for training pages in tests: a catalogue under the demo home page, courses, lessons."""

import datetime
from decimal import Decimal

from django.utils import timezone

from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from training.models import CourseIndexPage, CoursePage, LessonPage, QuizQuestion, TrainingEventPage


def catalogue() -> CourseIndexPage:
    existing = CourseIndexPage.objects.filter(locale__language_code="zh-hans").first()
    if existing:
        return existing
    home = HomePage.objects.filter(locale__language_code="zh-hans").first()
    if home is None:
        home = _minimal_home()
    index = CourseIndexPage(title="课程中心", slug="courses")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def _minimal_home() -> HomePage:
    """A Chinese home page as the default site's root: much faster than the full demo seed."""
    zh, _created = Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node()
    for placeholder in root.get_children().exact_type(Page):
        placeholder.delete()
    home = HomePage(title="乡村数字人才平台", slug="home", locale=zh)
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    return home


def checkpoint(
    question="数据安全法自哪一年起施行？", options="2019年\n*2021年\n2023年", kind="single"
):
    return {
        "type": "checkpoint",
        "value": {
            "question": question,
            "kind": kind,
            "options": options,
            "explanation": "2021年9月1日起施行。",
        },
    }


def paragraph(text="政务数据共享应遵循“一数一源”。"):
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def make_course(
    *,
    title="数据安全基础",
    lessons=2,
    reading_minutes=1,
    checkpoints=0,
    questions=3,
    quiz_question_count=2,
    hours="2.0",
    sequential=True,
    **fields,
) -> CoursePage:
    index = catalogue()
    course = CoursePage(
        title=title,
        slug=fields.pop("slug", None) or f"course-{CoursePage.objects.count() + 1}",
        summary=fields.pop("summary", "面向乡镇干部的数据安全入门课程。"),
        category=fields.pop("category", "cybersecurity"),
        declared_hours=Decimal(hours),
        sequential=sequential,
        quiz_question_count=quiz_question_count,
        **fields,
    )
    index.add_child(instance=course)
    for n in range(questions):
        QuizQuestion.objects.create(
            course=course,
            sort_order=n,
            kind="single",
            text=f"第{n + 1}题：正确的是？",
            options="*正确选项\n错误选项",
        )
    course.save_revision().publish()
    for n in range(lessons):
        body = [paragraph()] + [checkpoint() for _ in range(checkpoints)]
        lesson = LessonPage(
            title=f"第{n + 1}课", slug=f"lesson-{n + 1}", reading_minutes=reading_minutes, body=body
        )
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return CoursePage.objects.get(pk=course.pk)


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def make_event(
    *, region, capacity=3, hours="3.0", starts_in=datetime.timedelta(days=7), **fields
) -> TrainingEventPage:
    index = catalogue()
    now = timezone.now()
    starts = now + starts_in
    event = TrainingEventPage(
        title=fields.pop("title", "数字政府专题培训班"),
        slug=fields.pop("slug", None) or f"event-{TrainingEventPage.objects.count() + 1}",
        format=fields.pop("format", "class"),
        category=fields.pop("category", "egov-platforms"),
        summary=fields.pop("summary", "面向镇街干部的一日集中培训。"),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=6),
        venue_region=region,
        venue_address=fields.pop("venue_address", "梅县区行政服务中心三楼会议室"),
        capacity=capacity,
        registration_opens=fields.pop("registration_opens", now - datetime.timedelta(days=1)),
        registration_closes=fields.pop("registration_closes", starts - datetime.timedelta(hours=1)),
        declared_hours=Decimal(hours),
        **fields,
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    return TrainingEventPage.objects.get(pk=event.pk)


# The heartbeat tests' clock starts here; the early-path tests name the middleware they remove.
HEARTBEAT_T0 = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
EARLY_MIDDLEWARE = "training.heartbeat_middleware.HeartbeatMiddleware"


def learner_in_a_lesson(role=None, **course_fields):
    """A user (a cadre unless `role`) enrolled in a new course and with its first lesson open."""
    from accounts.choices import Role
    from tests.factories import load_small_regions, user_with_role
    from training import services

    load_small_regions()
    user = user_with_role(role or Role.CADRE)
    course = make_course(**course_fields)
    services.enrollment_create(user=user, course=course)
    lesson = lessons_of(course)[0]
    services.lesson_open(user=user, lesson=lesson)
    return user, lesson
