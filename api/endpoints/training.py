import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ninja import Field, Router, Schema, Status

from api.auth import token_or_session
from api.schemas import ErrorOut
from training import selectors, services
from training.canonical import canonical
from training.choices import Category
from training.models import CoursePage, LessonPage, QuizAttempt

router = Router(tags=["training"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class CourseOut(Schema):
    id: int
    title: str
    summary: str
    category: str
    declared_hours: Decimal
    audiences: list[str]
    url: str | None


class CourseDetailOut(CourseOut):
    lessons: list[dict]
    quiz_question_count: int
    pass_mark: int
    sequential: bool
    prerequisite_ids: list[int]


def _course_out(course: CoursePage) -> dict:
    return {
        "id": course.pk,
        "title": course.title,
        "summary": course.summary,
        "category": course.category,
        "declared_hours": course.declared_hours,
        "audiences": course.audiences,
        "url": course.url,
    }


@router.get("/courses", response=list[CourseOut], summary="The live online courses")
def course_list(
    request, category: Category | None = None, audience: str | None = None, q: str = ""
):
    courses = selectors.courses_public(category=category, audience=audience, q=q)
    return [_course_out(c) for c in courses]


@router.get(
    "/courses/{course_id}",
    response={200: CourseDetailOut, 404: ErrorOut},
    summary="One course with its lessons",
)
def course_detail(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    lessons = LessonPage.objects.live().child_of(course).order_by("path")
    return {
        **_course_out(course),
        "lessons": [
            {
                "id": lesson.pk,
                "title": lesson.title,
                "required": lesson.required,
                "required_seconds": lesson.required_seconds,
            }
            for lesson in lessons
        ],
        "quiz_question_count": course.quiz_question_count,
        "pass_mark": course.pass_mark,
        "sequential": course.sequential,
        "prerequisite_ids": list(course.prerequisites.values_list("pk", flat=True)),
    }


class EnrollmentOut(Schema):
    id: int
    course_id: int
    course_title: str = Field(..., alias="course.title")
    status: str
    source: str
    due_date: datetime.date | None
    enrolled_at: datetime.datetime
    completed_at: datetime.datetime | None


@router.post(
    "/courses/{course_id}/enrollment",
    response={200: EnrollmentOut, 201: EnrollmentOut, **ERRORS},
    auth=token_or_session,
    summary="Enrol the caller (idempotent: 201 the first time, 200 after)",
)
def course_enrol(request, course_id: int):
    course = canonical(get_object_or_404(CoursePage.objects.live(), pk=course_id))
    enrollment, created = services.enrollment_create(user=request.user, course=course)
    return Status(201 if created else 200, enrollment)


@router.get(
    "/me/enrollments", response={200: list[EnrollmentOut], 401: ErrorOut}, auth=token_or_session
)
def my_enrollments(request):
    return list(selectors.enrollments_for_user(user=request.user))


class HeartbeatIn(Schema):
    device: str = Field(..., min_length=1, max_length=40, description="A random id per browser tab")
    seq: int = Field(..., ge=1, description="Increases by one with every report from this tab")
    position: int | None = Field(
        None, ge=0, description="Media position in seconds, if media is playing"
    )


class HeartbeatOut(Schema):
    credited_seconds: int
    engaged_seconds: int
    required_seconds: int
    lesson_done: bool
    refused: str | None


@router.post(
    "/lessons/{lesson_id}/heartbeat",
    response={200: HeartbeatOut, **ERRORS},
    auth=token_or_session,
    summary="Report that the lesson is visible and the learner active (every 15 s)",
)
def lesson_heartbeat(request, lesson_id: int, payload: HeartbeatIn):
    """The server credits at most the real time since the learner's last accepted report, on any
    device, and never beyond the lesson's length. Reports closer than 5 s apart, replayed or out of
    order earn nothing; after a silence longer than 45 s the next report only restarts the clock."""
    result = services.heartbeat_record(
        user_id=request.user.pk,
        lesson_id=lesson_id,
        device=payload.device,
        seq=payload.seq,
        position=payload.position,
    )
    return {
        "credited_seconds": result.credited_seconds,
        "engaged_seconds": result.engaged_seconds,
        "required_seconds": result.required_seconds,
        "lesson_done": result.lesson_done,
        "refused": result.refused,
    }


class AnswerIn(Schema):
    checkpoint: str
    chosen: list[int]


class AnswerOut(Schema):
    correct: bool
    message: str
    explanation: str
    correct_options: list[int]
    lesson_done: bool


@router.post(
    "/lessons/{lesson_id}/answers",
    response={200: AnswerOut, **ERRORS},
    auth=token_or_session,
    summary="Answer a checkpoint question of a lesson",
)
def lesson_answer(request, lesson_id: int, payload: AnswerIn):
    lesson = canonical(get_object_or_404(LessonPage.objects.live(), pk=lesson_id))
    result = services.checkpoint_answer(
        user=request.user, lesson=lesson, checkpoint_id=payload.checkpoint, chosen=payload.chosen
    )
    return {
        "correct": result.correct,
        "message": _("Correct.")
        if result.correct
        else _("Not quite. Read the section again and try once more."),
        "explanation": result.explanation if result.correct else "",
        "correct_options": result.correct_options,
        "lesson_done": result.lesson_done,
    }


class QuizQuestionOut(Schema):
    id: int
    kind: str
    text: str
    options: list[str]


class QuizAttemptOut(Schema):
    id: int
    course_id: int
    started_at: datetime.datetime
    deadline: datetime.datetime
    submitted_at: datetime.datetime | None
    score: int | None
    passed: bool
    questions: list[QuizQuestionOut]


def _attempt_out(attempt: QuizAttempt) -> dict:
    return {
        "id": attempt.pk,
        "course_id": attempt.course_id,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "passed": attempt.passed,
        # Options only, in the caller's language: which are correct is never sent before submission.
        "questions": [
            {"id": q["id"], "kind": q["kind"], "text": q["text"], "options": q["options"]}
            for q in selectors.attempt_questions(attempt=attempt)
        ],
    }


@router.post(
    "/quizzes/{course_id}/attempts",
    response={201: QuizAttemptOut, **ERRORS},
    auth=token_or_session,
    summary="Start (or resume) an attempt at a course's quiz",
)
def quiz_start(request, course_id: int):
    course = canonical(get_object_or_404(CoursePage.objects.live(), pk=course_id))
    attempt = services.quiz_attempt_start(user=request.user, course=course)
    return Status(201, _attempt_out(attempt))


class QuizSubmitIn(Schema):
    answers: dict[str, list[int]] = Field(..., description="question id → chosen option indexes")


class QuizFeedbackOut(Schema):
    question_id: int
    correct: bool
    correct_options: list[int]
    explanation: str


class QuizResultOut(Schema):
    score: int
    passed: bool
    pass_mark: int
    course_completed: bool
    feedback: list[QuizFeedbackOut]


@router.post(
    "/quiz-attempts/{attempt_id}/submit",
    response={200: QuizResultOut, **ERRORS},
    auth=token_or_session,
    summary="Submit an attempt once; score and feedback come back",
)
def quiz_submit(request, attempt_id: int, payload: QuizSubmitIn):
    try:
        result = services.quiz_attempt_submit(
            user=request.user, attempt_id=attempt_id, answers=payload.answers
        )
    except QuizAttempt.DoesNotExist as exc:
        from django.http import Http404

        raise Http404 from exc
    return {
        "score": result.attempt.score,
        "passed": result.attempt.passed,
        "pass_mark": result.attempt.course.pass_mark,
        "course_completed": result.course_completed,
        "feedback": result.feedback,
    }


class LedgerOut(Schema):
    year: int
    online_hours: Decimal
    event_hours: Decimal
    total_hours: Decimal
    required_hours: Decimal
    due_hours: Decimal


@router.get(
    "/me/learning-hours",
    response={200: LedgerOut, 401: ErrorOut, 422: ErrorOut},
    auth=token_or_session,
    summary="The caller's learning hours for a year",
)
def my_hours(request, year: int | None = None):
    if year is not None and not 2000 <= year <= timezone.localdate().year + 1:
        raise ValidationError({"year": _("Choose a year between 2000 and next year.")})
    return selectors.hours_ledger(user=request.user, year=year)
