"""Enrolment, lesson progress from server-observed heartbeats, checkpoints, quizzes and completion.

The browser never decides anything here: it reports that it is still showing a lesson, and the
server credits at most the wall-clock time that really passed since the last accepted report.
"""

import datetime
import itertools
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.models import User

from ..blocks import checkpoint_blocks, parse_options
from ..choices import AnomalyKind, EnrollmentSource, EnrollmentStatus, HoursSource
from ..models import (
    CoursePage,
    Enrollment,
    HoursEntry,
    LearnerClock,
    LearningAnomaly,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizQuestion,
)

# The client reports every 15 s while the lesson is visible and the learner active.
HEARTBEAT_SECONDS = 15
# Reports closer together than this earn nothing (and the clock does not move).
MIN_INTERVAL_SECONDS = 5
# A longer silence means a hidden tab, an idle learner or a closed laptop: it earns nothing.
MAX_INTERVAL_SECONDS = 45
# How far a claimed media position may run ahead of the engaged time before it is an anomaly.
POSITION_TOLERANCE_SECONDS = 60
ANOMALY_QUIET_MINUTES = 10


class LearningError(ValidationError):
    """A learner action that is refused, with a message for the learner."""


# --- enrolment ----------------------------------------------------------------------------


def _prerequisites_missing(*, user: User, course: CoursePage) -> list[CoursePage]:
    # Works on a page fresh from the database and on one with unsaved (modelcluster) relations.
    required = list(
        CoursePage.objects.live().filter(pk__in=[c.pk for c in course.prerequisites.all()])
    )
    if not required:
        return []
    done = set(
        Enrollment.objects.filter(
            user=user, course__in=required, status=EnrollmentStatus.COMPLETED
        ).values_list("course_id", flat=True)
    )
    return [c for c in required if c.pk not in done]


def enrollment_create(
    *,
    user: User,
    course: CoursePage,
    source: str = EnrollmentSource.SELF,
    due_date: datetime.date | None = None,
    assignment=None,
) -> tuple[Enrollment, bool]:
    """Enrol a learner, idempotently: enrolling twice returns the first enrolment."""
    if not course.live:
        raise LearningError(_("This course is not open."))
    if source == EnrollmentSource.SELF:
        missing = _prerequisites_missing(user=user, course=course)
        if missing:
            raise LearningError(
                _("Complete these courses first: %(titles)s")
                % {"titles": "、".join(c.title for c in missing)}
            )
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                user=user, course=course, source=source, due_date=due_date, assignment=assignment
            )
    except IntegrityError:
        return Enrollment.objects.get(user=user, course=course), False
    return enrollment, True


def course_lessons(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.live().child_of(course).order_by("path"))


def lesson_open(
    *,
    user: User,
    lesson: LessonPage,
    course: CoursePage | None = None,
    required_seconds: int | None = None,
    lessons: list[tuple[int, str]] | None = None,
) -> LessonProgress:
    """The learner opens a lesson: check the order rules and make sure a progress row exists.

    What the caller already knows saves queries: `course`, the lesson's parent; `required_seconds`,
    the lesson's (without its body); `lessons`, the course's live lessons as (id, title) in order
    (training/lesson_page.py keeps them with the page).
    """
    course = course or lesson.get_parent().specific
    progress = (
        LessonProgress.objects.select_related("enrollment")
        .filter(user=user, lesson_id=lesson.pk)
        .first()
    )
    enrollment = (
        progress.enrollment
        if progress is not None
        else Enrollment.objects.filter(user=user, course=course).first()
    )
    if enrollment is None:
        raise PermissionDenied(_("Enrol in the course to open its lessons."))
    if course.sequential and enrollment.status != EnrollmentStatus.COMPLETED:
        if lessons is None:
            lessons = [(earlier.pk, earlier.title) for earlier in course_lessons(course)]
        before = list(itertools.takewhile(lambda item: item[0] != lesson.pk, lessons))
        done = set()
        if before:
            done = set(
                LessonProgress.objects.filter(
                    user=user,
                    lesson_id__in=[pk for pk, _title in before],
                    completed_at__isnull=False,
                ).values_list("lesson_id", flat=True)
            )
        for pk, title in before:
            if pk not in done:
                raise LearningError(
                    _("Finish “%(title)s” first: this course's lessons are taken in order.")
                    % {"title": title}
                )
    if progress is None:
        progress, _created = LessonProgress.objects.get_or_create(
            user=user,
            lesson=lesson,
            defaults={
                "enrollment": enrollment,
                "required_seconds": required_seconds or lesson.required_seconds,
            },
        )
    if enrollment.last_lesson_id != lesson.pk:
        Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=lesson)
    progress.enrollment = enrollment  # the caller reads it; spare it a query
    return progress


# --- heartbeats -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HeartbeatResult:
    credited_seconds: int
    engaged_seconds: int
    required_seconds: int
    lesson_done: bool
    refused: str | None = None  # why nothing was credited, for the client's log


def _anomaly(*, user_id: int, lesson_id: int | None, kind: str, detail: dict) -> None:
    """Record an anomaly for HR, at most once per learner, lesson and kind every few minutes."""
    since = timezone.now() - datetime.timedelta(minutes=ANOMALY_QUIET_MINUTES)
    if not LearningAnomaly.objects.filter(
        user_id=user_id, lesson_id=lesson_id, kind=kind, created_at__gte=since
    ).exists():
        LearningAnomaly.objects.create(
            user_id=user_id, lesson_id=lesson_id, kind=kind, detail=detail
        )


def _db_time(value: datetime.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _py_time(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite hands back text
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


# One statement moves the learner's clock, whatever device reports: SET sees the old row, so
# prev_* keep what the clock said before, and concurrent reports queue on the row lock.
_CLOCK_SQL = """
UPDATE training_learnerclock SET
    prev_beat_at = last_beat_at, prev_seq = last_seq, prev_device = device,
    last_beat_at = CASE WHEN {accept} THEN %(now)s ELSE last_beat_at END,
    last_seq = CASE WHEN {accept} THEN %(seq)s ELSE last_seq END,
    device = CASE WHEN {accept} THEN %(device)s ELSE device END
WHERE user_id = %(user)s
RETURNING prev_beat_at, prev_seq, prev_device, last_beat_at
""".format(
    accept="(NOT (device = %(device)s AND %(seq)s <= last_seq) AND last_beat_at <= %(soonest)s)"
)

_PROGRESS_SQL = """
UPDATE training_lessonprogress SET
    engaged_seconds = CASE WHEN engaged_seconds + %(credit)s > required_seconds
                           THEN required_seconds ELSE engaged_seconds + %(credit)s END,
    last_position = COALESCE(%(position)s, last_position),
    updated_at = %(now)s
WHERE user_id = %(user)s AND lesson_id = %(lesson)s
RETURNING id, engaged_seconds, required_seconds, completed_at, enrollment_id
"""


def _advance_clock(
    *, user_id: int, device: str, seq: int, now: datetime.datetime
) -> tuple[int, str | None]:
    """Move the learner's single clock forward; return (seconds to credit, reason if none)."""
    params = {
        "user": user_id,
        "device": device,
        "seq": seq,
        "now": _db_time(now),
        "soonest": _db_time(now - datetime.timedelta(seconds=MIN_INTERVAL_SECONDS)),
    }
    with connection.cursor() as cursor:
        cursor.execute(_CLOCK_SQL, params)
        row = cursor.fetchone()
    if row is None:
        try:
            with transaction.atomic():
                LearnerClock.objects.create(
                    user_id=user_id,
                    last_beat_at=now,
                    last_seq=seq,
                    device=device,
                    prev_beat_at=now,
                    prev_seq=seq,
                    prev_device=device,
                )
        except IntegrityError:
            return 0, AnomalyKind.TOO_FAST
        return 0, "started"
    prev_beat_at, prev_seq, prev_device, last_beat_at = row
    if _py_time(last_beat_at) != now:
        if prev_device == device and seq <= prev_seq:
            return 0, AnomalyKind.REPLAYED
        return 0, AnomalyKind.TOO_FAST
    elapsed = (now - _py_time(prev_beat_at)).total_seconds()
    credit = int(elapsed) if elapsed <= MAX_INTERVAL_SECONDS else 0
    return credit, None if credit else "resumed"


# PostgreSQL does the whole report in one statement: the clock moves only if the learner has a
# progress row for the lesson, and the credit (real time since the clock's previous beat, nothing
# after a silence) is added to that row, capped at the lesson's length. Concurrent reports of one
# learner queue on the clock row's lock; each then sees the other's committed clock and progress.
# `guard`: a condition on who is asking (heartbeat_record_guarded), checked in the same
# statement; when it fails, nothing is written and no row comes back.
# `relaxed`: this statement's transaction (and only it) commits without waiting for the WAL
# flush. Waiting for the disk on every report capped the heartbeat at the disk's flush rate and
# gave it 0.2-0.4 s stalls; what a PostgreSQL crash can lose is the last ~0.6 s of reports, i.e.
# at most one interval of credit per learner (the next report resumes without credit). Any
# later ordinary commit (a lesson completed, hours credited) flushes it first, so nothing
# written after it can survive without it.
_ONE_STATEMENT_SQL = """
WITH relaxed AS (
    SELECT set_config('synchronous_commit', 'off', true) AS setting
), enrolled AS (
    SELECT id FROM training_lessonprogress, relaxed
    WHERE user_id = %(user)s AND lesson_id = %(lesson)s AND ({guard})
), clock AS (
    -- accepted: not a replay or an older report of the same tab, and at least 5 s after the last
    UPDATE training_learnerclock SET
        prev_beat_at = last_beat_at, prev_seq = last_seq, prev_device = device,
        last_beat_at = CASE WHEN (NOT (device = %(device)s AND %(seq)s <= last_seq) AND last_beat_at <= %(soonest)s) THEN %(now)s ELSE last_beat_at END,
        last_seq = CASE WHEN (NOT (device = %(device)s AND %(seq)s <= last_seq) AND last_beat_at <= %(soonest)s) THEN %(seq)s ELSE last_seq END,
        device = CASE WHEN (NOT (device = %(device)s AND %(seq)s <= last_seq) AND last_beat_at <= %(soonest)s) THEN %(device)s ELSE device END
    WHERE user_id = %(user)s AND EXISTS (SELECT 1 FROM enrolled)
    RETURNING prev_beat_at, prev_seq, prev_device, last_beat_at
), credit AS (
    SELECT clock.*, CASE
        WHEN clock.last_beat_at = %(now)s
             AND clock.prev_beat_at >= %(latest)s
        THEN floor(extract(epoch FROM (%(now)s - clock.prev_beat_at)))::integer
        ELSE 0 END AS seconds
    FROM clock
)
UPDATE training_lessonprogress AS p SET
    engaged_seconds = LEAST(p.required_seconds, p.engaged_seconds + credit.seconds),
    last_position = COALESCE(%(position)s::integer, p.last_position),
    updated_at = %(now)s
FROM credit
WHERE p.id = (SELECT id FROM enrolled)
RETURNING p.id, p.engaged_seconds, p.required_seconds, p.completed_at, credit.seconds,
          credit.prev_beat_at, credit.prev_seq, credit.prev_device, credit.last_beat_at
"""


def _refusal(*, now, device, seq, credit, prev_seq, prev_device, last_beat_at) -> str | None:
    """Why a report that reached the clock earned nothing (None when it earned time)."""
    if _py_time(last_beat_at) != now:
        if prev_device == device and seq <= prev_seq:
            return AnomalyKind.REPLAYED
        return AnomalyKind.TOO_FAST
    return None if credit else "resumed"


def _heartbeat_one_statement(
    *,
    user_id: int,
    lesson_id: int,
    device: str,
    seq: int,
    position: int | None,
    now,
    guard: str = "TRUE",
    guard_params: dict | None = None,
) -> tuple[tuple, str | None] | None:
    """The common case on PostgreSQL; None when the clock or the progress row does not exist yet
    (or the guard fails)."""
    params = {
        **(guard_params or {}),
        "user": user_id,
        "lesson": lesson_id,
        "device": device,
        "seq": seq,
        "position": position,
        "now": now,
        "soonest": now - datetime.timedelta(seconds=MIN_INTERVAL_SECONDS),
        "latest": now - datetime.timedelta(seconds=MAX_INTERVAL_SECONDS),
    }
    with connection.cursor() as cursor:
        cursor.execute(_ONE_STATEMENT_SQL.format(guard=guard), params)
        row = cursor.fetchone()
    if row is None:
        return None
    progress_id, engaged, required, completed_at, credit, _prev_at, prev_seq, prev_device, last = (
        row
    )
    reason = _refusal(
        now=now,
        device=device,
        seq=seq,
        credit=credit,
        prev_seq=prev_seq,
        prev_device=prev_device,
        last_beat_at=last,
    )
    return (progress_id, engaged, required, completed_at, credit), reason


def _heartbeat_two_statements(
    *, user_id: int, lesson_id: int, device: str, seq: int, position: int | None, now
) -> tuple[tuple, str | None]:
    """Any database, and the first report ever (it creates the clock); raises if not enrolled."""
    with transaction.atomic():
        credit, reason = _advance_clock(user_id=user_id, device=device, seq=seq, now=now)
        with connection.cursor() as cursor:
            cursor.execute(
                _PROGRESS_SQL,
                {
                    "credit": credit,
                    "position": position,
                    "now": _db_time(now),
                    "user": user_id,
                    "lesson": lesson_id,
                },
            )
            row = cursor.fetchone()
        if row is None:
            # Undo the clock move: time on a lesson one may not take is not time on anything.
            transaction.set_rollback(True)
    if row is None:
        detail = {"seq": seq}
        if not LessonPage.objects.filter(pk=lesson_id).exists():
            # A made-up lesson id is refused like any other lesson one may not take.
            detail["lesson_id"], lesson_id = lesson_id, None
        _anomaly(user_id=user_id, lesson_id=lesson_id, kind=AnomalyKind.NOT_ENROLLED, detail=detail)
        raise PermissionDenied(_("Open the lesson from its course page first."))
    progress_id, engaged, required, completed_at, _enrollment_id = row
    return (progress_id, engaged, required, completed_at, credit), reason


def _beat(user_id, lesson_id, device, seq, position, now) -> dict:
    """A report's fields as the statements take them (device cut to 40, position ≥ 0)."""
    return {
        "user_id": user_id,
        "lesson_id": lesson_id,
        "device": (device or "")[:40],
        "seq": seq,
        "position": None if position is None else max(0, int(position)),
        "now": now or timezone.now(),
    }


def heartbeat_record(
    *,
    user_id: int,
    lesson_id: int,
    device: str,
    seq: int,
    position: int | None = None,
    now: datetime.datetime | None = None,
) -> HeartbeatResult:
    """Credit engaged time on a lesson from one report of a visible, active lesson page.

    One SQL statement in the common case on PostgreSQL (two, in a transaction, elsewhere).
    """
    beat = _beat(user_id, lesson_id, device, seq, position, now)
    done_by_one = None
    if connection.vendor == "postgresql":
        done_by_one = _heartbeat_one_statement(**beat)
    row, reason = done_by_one or _heartbeat_two_statements(**beat)
    return _heartbeat_result(row, reason, **beat)


def heartbeat_record_guarded(
    *,
    guard: str,
    guard_params: dict,
    user_id: int,
    lesson_id: int,
    device: str,
    seq: int,
    position: int | None = None,
    now: datetime.datetime | None = None,
) -> HeartbeatResult | None:
    """heartbeat_record in one statement, only if `guard` (an SQL condition with `guard_params`)
    holds in that same statement — e.g. that the learner's session or token is still valid.

    PostgreSQL only. None, with nothing written, when the guard fails or the common case does
    not apply (no clock or progress row yet, not enrolled); the caller then takes the usual path.
    """
    if connection.vendor != "postgresql":
        return None
    beat = _beat(user_id, lesson_id, device, seq, position, now)
    done = _heartbeat_one_statement(**beat, guard=guard, guard_params=guard_params)
    if done is None:
        return None
    return _heartbeat_result(*done, **beat)


def _heartbeat_result(
    row: tuple, reason: str | None, *, user_id, lesson_id, device, seq, position, now
) -> HeartbeatResult:
    progress_id, engaged, required, completed_at, credit = row
    # The rare paths below write in their own transactions; the common one has already committed.
    if reason == AnomalyKind.REPLAYED:
        _anomaly(
            user_id=user_id, lesson_id=lesson_id, kind=reason, detail={"seq": seq, "device": device}
        )
    if position is not None and position > engaged + POSITION_TOLERANCE_SECONDS:
        _anomaly(
            user_id=user_id,
            lesson_id=lesson_id,
            kind=AnomalyKind.POSITION_AHEAD,
            detail={"position": position, "engaged": engaged},
        )
    done = completed_at is not None
    if not done and engaged >= required:
        with transaction.atomic():
            progress = LessonProgress.objects.get(pk=progress_id)
            done = _lesson_complete_if_done(progress=progress, now=now)
    return HeartbeatResult(credit, engaged, required, done, reason)


def _lesson_complete_if_done(*, progress: LessonProgress, now: datetime.datetime) -> bool:
    if progress.completed_at is not None:
        return True
    if progress.engaged_seconds < progress.required_seconds:
        return False
    lesson = LessonPage.objects.get(pk=progress.lesson_id)
    needed = set(checkpoint_blocks(lesson.body))
    if not needed <= set(progress.checkpoints_passed):
        return False
    updated = LessonProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(
        completed_at=now
    )
    if updated:
        progress.completed_at = now
        course_complete_if_done(enrollment_id=progress.enrollment_id)
    return True


def lesson_claim_complete(*, user: User, lesson: LessonPage) -> bool:
    """The client says the lesson is finished: true only if the server already saw the time."""
    progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    if progress is None:
        raise PermissionDenied(_("Open the lesson from its course page first."))
    with transaction.atomic():
        done = _lesson_complete_if_done(progress=progress, now=timezone.now())
    if not done and progress.engaged_seconds < progress.required_seconds:
        _anomaly(
            user_id=user.pk,
            lesson_id=lesson.pk,
            kind=AnomalyKind.COMPLETION_CLAIM,
            detail={"engaged": progress.engaged_seconds, "required": progress.required_seconds},
        )
    return done


# --- checkpoints -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerResult:
    correct: bool
    explanation: str
    correct_options: list[int]
    lesson_done: bool


def _grade(kind_options: str, chosen: list[int]) -> tuple[bool, list[int]]:
    _options, correct = parse_options(kind_options)
    return set(chosen) == correct, sorted(correct)


def checkpoint_answer(
    *, user: User, lesson: LessonPage, checkpoint_id: str, chosen: list[int]
) -> AnswerResult:
    blocks = checkpoint_blocks(lesson.body)
    if checkpoint_id not in blocks:
        raise LearningError({"checkpoint": _("This question is not part of the lesson.")})
    progress = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    if progress is None:
        raise PermissionDenied(_("Open the lesson from its course page first."))
    block = blocks[checkpoint_id]
    options, _correct = parse_options(block["options"])
    if not chosen or any(not 0 <= i < len(options) for i in chosen):
        raise LearningError({"chosen": _("Choose one of the options.")})
    correct, correct_options = _grade(block["options"], chosen)
    with transaction.atomic():
        progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
        if correct and checkpoint_id not in progress.checkpoints_passed:
            progress.checkpoints_passed = [*progress.checkpoints_passed, checkpoint_id]
            progress.save(update_fields=["checkpoints_passed"])
        done = _lesson_complete_if_done(progress=progress, now=timezone.now())
    return AnswerResult(
        correct, block.get("explanation") or "", correct_options if correct else [], done
    )


# --- quizzes ---------------------------------------------------------------------------------


def quiz_attempt_start(
    *, user: User, course: CoursePage, rng: random.Random | None = None
) -> QuizAttempt:
    enrollment = Enrollment.objects.filter(user=user, course=course).first()
    if enrollment is None:
        raise PermissionDenied(_("Enrol in the course first."))
    if not course.quiz_question_count:
        raise LearningError(_("This course has no quiz."))
    now = timezone.now()
    with transaction.atomic():
        # Serialise attempts of one learner on one course (two tabs starting at once).
        Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
        attempts = list(
            QuizAttempt.objects.filter(user=user, course=course).order_by("-started_at")
        )
        if any(a.passed for a in attempts):
            raise LearningError(_("You have already passed this quiz."))
        open_attempt = next(
            (a for a in attempts if a.submitted_at is None and a.deadline > now), None
        )
        if open_attempt:
            return open_attempt
        if len(attempts) >= course.attempt_limit:
            raise LearningError(
                _("You have used all %(n)s attempts for this quiz.") % {"n": course.attempt_limit}
            )
        if attempts:
            last_end = attempts[0].submitted_at or attempts[0].deadline
            wait_until = last_end + datetime.timedelta(minutes=course.cooldown_minutes)
            if wait_until > now:
                minutes = int((wait_until - now).total_seconds() // 60) + 1
                raise LearningError(_("You can try again in %(m)s minutes.") % {"m": minutes})
        bank = list(QuizQuestion.objects.filter(course=course).values_list("pk", flat=True))
        if len(bank) < course.quiz_question_count:
            raise LearningError(_("This quiz is not ready yet. Please tell the course editor."))
        drawn = (rng or random.SystemRandom()).sample(bank, course.quiz_question_count)
        return QuizAttempt.objects.create(
            user=user,
            course=course,
            question_ids=drawn,
            started_at=now,
            deadline=now + datetime.timedelta(minutes=course.quiz_time_limit_minutes),
        )


@dataclass(frozen=True)
class QuizResult:
    attempt: QuizAttempt
    feedback: list[dict]
    course_completed: bool


def quiz_attempt_submit(
    *, user: User, attempt_id: int, answers: dict[str, list[int]]
) -> QuizResult:
    """Grade an attempt once. Late, repeated or foreign answers are refused with a reason."""
    now = timezone.now()
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().filter(pk=attempt_id, user=user).first()
        if attempt is None:
            raise QuizAttempt.DoesNotExist
        if attempt.submitted_at is not None:
            raise LearningError(_("This attempt has already been submitted."))
        drawn = [str(q) for q in attempt.question_ids]
        foreign = set(answers) - set(drawn)
        if foreign:
            raise LearningError(
                {"answers": _("Some answers are for questions not in this attempt.")}
            )
        late = now > attempt.deadline + datetime.timedelta(seconds=30)
        questions = {str(q.pk): q for q in QuizQuestion.objects.filter(pk__in=attempt.question_ids)}
        feedback, right = [], 0
        for qid in drawn:
            question = questions.get(qid)
            if question is None:
                continue
            chosen = sorted({int(i) for i in answers.get(qid, [])})
            correct, correct_options = _grade(question.options, chosen)
            right += correct and not late
            feedback.append(
                {
                    "question_id": int(qid),
                    "correct": correct,
                    "correct_options": correct_options,
                    "explanation": question.explanation,
                }
            )
        attempt.answers = {k: answers.get(k, []) for k in drawn}
        attempt.submitted_at = now
        attempt.score = 0 if late else round(100 * right / max(len(drawn), 1))
        attempt.passed = not late and attempt.score >= attempt.course.pass_mark
        attempt.save(update_fields=["answers", "submitted_at", "score", "passed"])
        completed = False
        if attempt.passed:
            enrollment = Enrollment.objects.get(user=user, course_id=attempt.course_id)
            completed = course_complete_if_done(enrollment_id=enrollment.pk)
    if late:
        raise LearningError(_("The time limit for this attempt had passed: it counts as failed."))
    return QuizResult(attempt, feedback, completed)


# --- completion and hours -----------------------------------------------------------------------


def course_requirements(*, enrollment: Enrollment) -> dict:
    course = enrollment.course
    lessons = [lesson for lesson in course_lessons(course) if lesson.required]
    done = set(
        LessonProgress.objects.filter(
            user_id=enrollment.user_id, lesson__in=lessons, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    quiz_needed = bool(course.quiz_question_count)
    quiz_passed = (
        QuizAttempt.objects.filter(user_id=enrollment.user_id, course=course, passed=True).exists()
        if quiz_needed
        else True
    )
    return {
        "lessons_total": len(lessons),
        "lessons_done": len(done),
        "quiz_needed": quiz_needed,
        "quiz_passed": quiz_passed,
        "met": len(done) == len(lessons) and quiz_passed,
    }


def course_complete_if_done(*, enrollment_id: int) -> bool:
    """Mark the course complete and credit its hours exactly once, inside the caller's transaction."""
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update().select_related("course").get(pk=enrollment_id)
        )
        if enrollment.status == EnrollmentStatus.COMPLETED:
            return True
        if not course_requirements(enrollment=enrollment)["met"]:
            return False
        now = timezone.now()
        enrollment.status = EnrollmentStatus.COMPLETED
        enrollment.completed_at = now
        enrollment.save(update_fields=["status", "completed_at"])
        hours_credit(user_id=enrollment.user_id, course=enrollment.course, when=now)
    from .certificates import certificate_request

    transaction.on_commit(
        lambda: certificate_request(user_id=enrollment.user_id, course_id=enrollment.course_id)
    )
    return True


def hours_credit(
    *, user_id: int, course=None, event=None, when: datetime.datetime | None = None
) -> HoursEntry | None:
    """Add a course's or an event's hours to the learner's ledger, at most once (a DB constraint)."""
    when = when or timezone.now()
    source = HoursSource.COURSE if course is not None else HoursSource.EVENT
    hours = (course or event).declared_hours
    lookup = {"course": course} if course is not None else {"event": event}
    if HoursEntry.objects.filter(user_id=user_id, **lookup).exists():
        return None
    try:
        with transaction.atomic():
            return HoursEntry.objects.create(
                user_id=user_id,
                year=timezone.localtime(when).year,
                source=source,
                hours=Decimal(hours),
                credited_at=when,
                **lookup,
            )
    except IntegrityError:
        return None
