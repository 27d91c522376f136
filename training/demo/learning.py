"""The demo people's learning records, made through the same services a learner's actions call.

Only the engaged time is written directly: the server credits it from heartbeats spread over
real minutes, which a seed cannot wait for.
"""

import random

from django.utils import timezone

from accounts.models import User

from ..blocks import checkpoint_blocks, parse_options
from ..models import (
    CoursePage,
    Enrollment,
    EventRegistration,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizQuestion,
    TrainingEventPage,
)
from ..services.certificates import certificates_issue_for
from ..services.events import event_register
from ..services.learning import (
    LearningError,
    course_complete_if_done,
    course_lessons,
    enrollment_create,
    lesson_open,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from . import content


def _lesson_done(*, user: User, lesson: LessonPage) -> LessonProgress:
    progress = lesson_open(user=user, lesson=lesson)
    if progress.completed_at is None:
        now = timezone.now()
        progress.engaged_seconds = progress.required_seconds
        progress.last_position = progress.required_seconds
        progress.checkpoints_passed = list(checkpoint_blocks(lesson.body))
        progress.completed_at = now
        progress.updated_at = now
        progress.save(
            update_fields=[
                "engaged_seconds",
                "last_position",
                "checkpoints_passed",
                "completed_at",
                "updated_at",
            ]
        )
    return progress


def _lesson_started(*, user: User, lesson: LessonPage) -> LessonProgress:
    progress = lesson_open(user=user, lesson=lesson)
    if progress.completed_at is None and not progress.engaged_seconds:
        progress.engaged_seconds = progress.required_seconds // 3
        progress.last_position = progress.engaged_seconds
        progress.save(update_fields=["engaged_seconds", "last_position"])
    return progress


def _quiz_passed(*, user: User, course: CoursePage) -> None:
    if QuizAttempt.objects.filter(user=user, course=course, passed=True).exists():
        return
    attempt = quiz_attempt_start(user=user, course=course, rng=random.Random(course.pk))  # noqa: S311
    answers = {}
    for question in QuizQuestion.objects.filter(pk__in=attempt.question_ids):
        _options, correct = parse_options(question.options)
        answers[str(question.pk)] = sorted(correct)
    quiz_attempt_submit(user=user, attempt_id=attempt.pk, answers=answers)


def course_completed_by(*, user: User, course: CoursePage) -> Enrollment:
    """Every lesson done, the quiz passed, the hours credited, the certificate issued."""
    enrollment, _created = enrollment_create(user=user, course=course)
    for lesson in course_lessons(course):
        _lesson_done(user=user, lesson=lesson)
    if course.quiz_question_count:
        _quiz_passed(user=user, course=course)
    course_complete_if_done(enrollment_id=enrollment.pk)
    # Normally a Celery task does this after the commit; the demo wants it there at once.
    certificates_issue_for(user_id=user.pk, course_id=course.pk)
    return Enrollment.objects.get(pk=enrollment.pk)


def course_half_done_by(*, user: User, course: CoursePage) -> Enrollment:
    """The first lesson done, the second one started."""
    enrollment, _created = enrollment_create(user=user, course=course)
    first, second, *_rest = course_lessons(course)
    _lesson_done(user=user, lesson=first)
    _lesson_started(user=user, lesson=second)
    return Enrollment.objects.get(pk=enrollment.pk)


def seed_demo_learning(*, courses: dict[str, CoursePage], path, events: dict) -> dict:
    """The demo cadre part-way through one course with another completed; the graduate starting the
    pre-service path; the cadre registered for an event. Does nothing for demo people who do not exist."""
    done = {}
    cadre = User.objects.filter(email=content.DEMO_CADRE).first()
    if cadre is not None:
        done["completed"] = course_completed_by(user=cadre, course=courses[content.CADRE_COMPLETED])
        done["in_progress"] = course_half_done_by(
            user=cadre, course=courses[content.CADRE_IN_PROGRESS]
        )
        event: TrainingEventPage = events[content.CADRE_EVENT]
        registration = EventRegistration.objects.filter(event=event, user=cadre).first()
        if registration is None:
            try:
                registration = event_register(user=cadre, event=event)
            except LearningError:
                registration = None  # the demo event's registration window has passed
        done["registration"] = registration
    graduate = User.objects.filter(email=content.DEMO_GRADUATE).first()
    if graduate is not None:
        first_course = path.courses()[0]
        done["graduate"], _created = enrollment_create(user=graduate, course=first_course)
    return done
