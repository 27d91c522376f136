"""The demo catalogue as Wagtail pages: Chinese pages first, then an English translation of each."""

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from wagtail.models import Locale, Page

from cms.models import HomePage
from regions.models import Region

from ..models import (
    CourseIndexPage,
    CoursePage,
    LearningPathCourse,
    LearningPathPage,
    LessonPage,
    QuizQuestion,
    TrainingEventPage,
)
from . import content
from .content import Course, Event, Lesson

ZH, EN = "zh-hans", "en"
_BLOCK_IDS = uuid.UUID("6f1c1f8e-6a3b-4d1e-9a57-1b7a2f0c9d42")


def checkpoint_id(course_slug: str, lesson_slug: str, number: int) -> str:
    """The same block id in both languages: answers on the English page count for the course."""
    return str(uuid.uuid5(_BLOCK_IDS, f"{course_slug}/{lesson_slug}/checkpoint-{number}"))


def _stream(course: Course, lesson: Lesson, items: list) -> list[dict]:
    blocks, number = [], 0
    for block_type, value in items:
        block = {"type": block_type, "value": value}
        if block_type == "checkpoint":
            block["id"] = checkpoint_id(course.slug, lesson.slug, number)
            number += 1
        else:
            block["id"] = str(uuid.uuid4())
        blocks.append(block)
    return blocks


def _description(paragraphs: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translate(page: Page, locale: Locale, update) -> Page:
    """The page's translation, made (with its parents) and filled in by `update` only the first time."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translation = page.copy_for_translation(locale, copy_parents=True).specific
    update(translation)
    translation.save_revision().publish()
    return translation


# --- Chinese pages ----------------------------------------------------------------------------------


def _catalogue(home: HomePage) -> CourseIndexPage:
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        text = content.CATALOGUE["zh"]
        index = _publish(
            home,
            CourseIndexPage(
                title=text["title"], slug="courses", intro=text["intro"], locale=home.locale
            ),
        )
    return index


def _course(index: CourseIndexPage, spec: Course, by_slug: dict[str, CoursePage]) -> CoursePage:
    course = CoursePage.objects.child_of(index).filter(slug=spec.slug).first()
    if course is None:
        course = CoursePage(
            title=spec.zh.title,
            slug=spec.slug,
            locale=index.locale,
            summary=spec.zh.summary,
            description=_description(spec.zh.body),
            category=spec.category,
            declared_hours=Decimal(spec.hours),
            for_cadres=spec.for_cadres,
            for_graduates=spec.for_graduates,
            for_operators=spec.for_operators,
            quiz_question_count=spec.quiz_question_count,
            prerequisites=[by_slug[slug] for slug in spec.prerequisites],
            questions=[
                QuizQuestion(
                    sort_order=n, kind=q.kind, text=q.zh[0], options=q.zh[1], explanation=q.zh[2]
                )
                for n, q in enumerate(spec.questions)
            ],
        )
        _publish(index, course)
    for lesson_spec in spec.lessons:
        if not LessonPage.objects.child_of(course).filter(slug=lesson_spec.slug).exists():
            _publish(
                course,
                LessonPage(
                    title=lesson_spec.zh.title,
                    slug=lesson_spec.slug,
                    locale=course.locale,
                    summary=lesson_spec.zh.summary,
                    reading_minutes=lesson_spec.minutes,
                    body=_stream(spec, lesson_spec, lesson_spec.zh.body),
                ),
            )
    return CoursePage.objects.get(pk=course.pk)


def _path(index: CourseIndexPage, by_slug: dict[str, CoursePage]) -> LearningPathPage:
    spec = content.PRE_SERVICE_PATH
    path = LearningPathPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if path is None:
        path = _publish(
            index,
            LearningPathPage(
                slug=spec["slug"],
                locale=index.locale,
                title=spec["zh"]["title"],
                summary=spec["zh"]["summary"],
                description=spec["zh"]["description"],
                for_cadres=False,
                for_graduates=True,
                for_operators=True,
                is_pre_service_track=True,
                path_courses=[
                    LearningPathCourse(sort_order=n, course=by_slug[slug])
                    for n, slug in enumerate(spec["courses"])
                ],
            ),
        )
    return path


def _at(day: datetime.date, hour_minute: tuple[int, int]) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(*hour_minute)))


def _event(index: CourseIndexPage, spec: Event) -> TrainingEventPage:
    event = TrainingEventPage.objects.child_of(index).filter(slug=spec.slug).first()
    if event is None:
        now = timezone.now()
        day = timezone.localdate(now) + datetime.timedelta(days=spec.days_ahead)
        starts = _at(day, spec.start)
        event = _publish(
            index,
            TrainingEventPage(
                slug=spec.slug,
                locale=index.locale,
                title=spec.zh["title"],
                summary=spec.zh["summary"],
                description=spec.zh["description"],
                venue_address=spec.zh["venue_address"],
                format=spec.format,
                category=spec.category,
                for_cadres=True,
                for_operators=spec.for_operators,
                starts_at=starts,
                ends_at=_at(day, spec.end),
                venue_region=Region.objects.get(code=spec.region_code),
                capacity=spec.capacity,
                registration_opens=now - datetime.timedelta(days=1),
                registration_closes=starts - datetime.timedelta(days=2),
                declared_hours=Decimal(spec.hours),
            ),
        )
    return event


# --- English translations ---------------------------------------------------------------------------


def _translate_course(
    course: CoursePage, spec: Course, en: Locale, en_by_slug: dict[str, CoursePage]
) -> CoursePage:
    def update(page: CoursePage) -> None:
        page.title = spec.en.title
        page.summary = spec.en.summary
        page.description = _description(spec.en.body)
        page.prerequisites = [en_by_slug[slug] for slug in spec.prerequisites]
        # copy_for_translation copied the question bank (child objects): translate it in place.
        questions = list(page.questions.order_by("sort_order"))
        for question, question_spec in zip(questions, spec.questions, strict=True):
            question.text, question.options, question.explanation = question_spec.en
        page.questions = questions

    translation = _translate(course, en, update)
    lessons = {lesson.slug: lesson for lesson in LessonPage.objects.child_of(course)}
    for lesson_spec in spec.lessons:

        def update_lesson(page: LessonPage, lesson_spec: Lesson = lesson_spec) -> None:
            page.title = lesson_spec.en.title
            page.summary = lesson_spec.en.summary
            page.body = _stream(spec, lesson_spec, lesson_spec.en.body)

        _translate(lessons[lesson_spec.slug], en, update_lesson)
    return translation


def _translate_path(path: LearningPathPage, en: Locale, en_by_slug: dict[str, CoursePage]) -> None:
    spec = content.PRE_SERVICE_PATH

    def update(page: LearningPathPage) -> None:
        page.title = spec["en"]["title"]
        page.summary = spec["en"]["summary"]
        page.description = spec["en"]["description"]
        page.path_courses = [
            LearningPathCourse(sort_order=n, course=en_by_slug[slug])
            for n, slug in enumerate(spec["courses"])
        ]

    _translate(path, en, update)


def _translate_event(event: TrainingEventPage, spec: Event, en: Locale) -> None:
    def update(page: TrainingEventPage) -> None:
        for name in ("title", "summary", "description", "venue_address"):
            setattr(page, name, spec.en[name])

    _translate(event, en, update)


# --- all of it ----------------------------------------------------------------------------------------


def seed_catalogue(*, home: HomePage) -> dict:
    """Create what is missing of the demo catalogue under `home` (Chinese) and its English translation."""
    en, _created = Locale.objects.get_or_create(language_code=EN)
    index = _catalogue(home)
    courses: dict[str, CoursePage] = {}
    for spec in content.COURSES:
        courses[spec.slug] = _course(index, spec, courses)
    path = _path(index, courses)
    events = {spec.slug: _event(index, spec) for spec in content.EVENTS}

    def update_index(page: CourseIndexPage) -> None:
        page.title = content.CATALOGUE["en"]["title"]
        page.intro = content.CATALOGUE["en"]["intro"]

    _translate(index, en, update_index)
    en_courses: dict[str, CoursePage] = {}
    for spec in content.COURSES:
        en_courses[spec.slug] = _translate_course(courses[spec.slug], spec, en, en_courses)
    _translate_path(path, en, en_courses)
    for spec in content.EVENTS:
        _translate_event(events[spec.slug], spec, en)
    return {"index": index, "courses": courses, "path": path, "events": events}
