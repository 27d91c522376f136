"""Server-verified learning: heartbeats, checkpoints, quizzes, completion and the hours ledger."""

import datetime
import random

from django.core.exceptions import PermissionDenied
from django.utils import timezone

import pytest

from accounts.choices import Role
from tests.factories import load_small_regions, user_with_role
from tests.training.builders import lessons_of, make_course
from training import services
from training.blocks import checkpoint_blocks
from training.choices import AnomalyKind, EnrollmentStatus
from training.models import HoursEntry, LearningAnomaly, LessonProgress, QuizAttempt, QuizQuestion
from training.selectors import hours_ledger, my_learning

T0 = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def cadre(db):
    load_small_regions()
    return user_with_role(Role.CADRE)


@pytest.fixture
def course(db):
    return make_course(lessons=2, reading_minutes=1, questions=3, quiz_question_count=2)


def open_first_lesson(user, course):
    services.enrollment_create(user=user, course=course)
    lesson = lessons_of(course)[0]
    services.lesson_open(user=user, lesson=lesson)
    return lesson


def beat(user, lesson, seq, at, device="tab-a", position=None):
    return services.heartbeat_record(
        user_id=user.pk, lesson_id=lesson.pk, device=device, seq=seq, position=position, now=at
    )


def engaged(user, lesson):
    return LessonProgress.objects.get(user=user, lesson=lesson).engaged_seconds


def test_regular_heartbeats_credit_the_real_time_between_them(cadre, course):
    lesson = open_first_lesson(cadre, course)
    assert (
        beat(cadre, lesson, 1, T0).credited_seconds == 0
    )  # the first report only starts the clock
    assert beat(cadre, lesson, 2, T0 + datetime.timedelta(seconds=15)).credited_seconds == 15
    assert beat(cadre, lesson, 3, T0 + datetime.timedelta(seconds=30)).credited_seconds == 15
    assert engaged(cadre, lesson) == 30


def test_heartbeats_too_fast_earn_nothing_and_do_not_move_the_clock(cadre, course):
    lesson = open_first_lesson(cadre, course)
    beat(cadre, lesson, 1, T0)
    result = beat(cadre, lesson, 2, T0 + datetime.timedelta(seconds=1))
    assert result.credited_seconds == 0
    assert result.refused == AnomalyKind.TOO_FAST
    # The next regular report is measured from the last accepted one, not the refused one.
    assert beat(cadre, lesson, 3, T0 + datetime.timedelta(seconds=15)).credited_seconds == 15


def test_a_script_posting_every_second_earns_no_more_than_wall_clock_time(cadre, course):
    lesson = open_first_lesson(cadre, course)
    for n in range(60):
        beat(cadre, lesson, n + 1, T0 + datetime.timedelta(seconds=n))
    assert engaged(cadre, lesson) <= 60


def test_idle_or_hidden_gaps_are_not_counted(cadre, course):
    lesson = open_first_lesson(cadre, course)
    beat(cadre, lesson, 1, T0)
    result = beat(cadre, lesson, 2, T0 + datetime.timedelta(minutes=10))
    assert result.credited_seconds == 0
    assert engaged(cadre, lesson) == 0


def test_replayed_or_out_of_order_heartbeats_earn_nothing_and_are_recorded(cadre, course):
    lesson = open_first_lesson(cadre, course)
    beat(cadre, lesson, 5, T0)
    replay = beat(cadre, lesson, 5, T0 + datetime.timedelta(seconds=15))
    older = beat(cadre, lesson, 3, T0 + datetime.timedelta(seconds=30))
    assert replay.credited_seconds == older.credited_seconds == 0
    assert replay.refused == AnomalyKind.REPLAYED
    assert LearningAnomaly.objects.filter(user=cadre, kind=AnomalyKind.REPLAYED).exists()


def test_two_devices_at_once_never_count_twice(cadre, course):
    lesson = open_first_lesson(cadre, course)
    # Two tabs each report every 15 s, offset by 7 s: 60 s of wall-clock time in all.
    for n in range(5):
        beat(cadre, lesson, n + 1, T0 + datetime.timedelta(seconds=15 * n), device="phone")
        beat(cadre, lesson, n + 1, T0 + datetime.timedelta(seconds=15 * n + 7), device="desk")
    assert engaged(cadre, lesson) <= 67
    assert engaged(cadre, lesson) >= 50


def test_credit_is_capped_at_the_lesson_length(cadre, course):
    lesson = open_first_lesson(cadre, course)
    for n in range(10):  # 135 s of beats on a 60 s lesson
        beat(cadre, lesson, n + 1, T0 + datetime.timedelta(seconds=15 * n))
    progress = LessonProgress.objects.get(user=cadre, lesson=lesson)
    assert progress.engaged_seconds == progress.required_seconds == 60
    assert progress.completed_at is not None


def test_heartbeat_for_a_lesson_not_enrolled_in_is_refused_and_recorded(cadre, course):
    lesson = lessons_of(course)[0]
    with pytest.raises(PermissionDenied):
        beat(cadre, lesson, 1, T0)
    assert LearningAnomaly.objects.filter(user=cadre, kind=AnomalyKind.NOT_ENROLLED).exists()


def test_a_claimed_position_ahead_of_the_time_spent_is_an_anomaly_and_earns_nothing_extra(
    cadre, course
):
    lesson = open_first_lesson(cadre, course)
    beat(cadre, lesson, 1, T0)
    result = beat(cadre, lesson, 2, T0 + datetime.timedelta(seconds=15), position=3000)
    assert result.engaged_seconds == 15
    assert LearningAnomaly.objects.filter(user=cadre, kind=AnomalyKind.POSITION_AHEAD).count() == 1


def test_claiming_completion_without_the_time_gets_no_credit(cadre, course):
    lesson = open_first_lesson(cadre, course)
    assert services.lesson_claim_complete(user=cadre, lesson=lesson) is False
    assert LearningAnomaly.objects.filter(user=cadre, kind=AnomalyKind.COMPLETION_CLAIM).exists()
    assert LessonProgress.objects.get(user=cadre, lesson=lesson).completed_at is None


def test_lessons_in_order_refuse_a_later_lesson_first(cadre, course):
    services.enrollment_create(user=cadre, course=course)
    second = lessons_of(course)[1]
    with pytest.raises(services.LearningError):
        services.lesson_open(user=cadre, lesson=second)


def test_prerequisites_block_self_enrolment(cadre, db):
    first = make_course(title="基础课")
    second = make_course(title="进阶课")
    second.prerequisites.add(first)
    second.save_revision().publish()
    with pytest.raises(services.LearningError):
        services.enrollment_create(user=cadre, course=second)


def test_enrolling_twice_returns_the_same_enrolment(cadre, course):
    first, created = services.enrollment_create(user=cadre, course=course)
    again, created_again = services.enrollment_create(user=cadre, course=course)
    assert created and not created_again and first.pk == again.pk


def test_checkpoints_must_be_answered_correctly_before_the_lesson_is_done(cadre, db):
    course = make_course(lessons=1, checkpoints=1, quiz_question_count=0, questions=0)
    lesson = open_first_lesson(cadre, course)
    for n in range(6):
        beat(cadre, lesson, n + 1, T0 + datetime.timedelta(seconds=15 * n))
    assert LessonProgress.objects.get(user=cadre, lesson=lesson).completed_at is None
    checkpoint_id = next(iter(checkpoint_blocks(lesson.body)))
    wrong = services.checkpoint_answer(
        user=cadre, lesson=lesson, checkpoint_id=checkpoint_id, chosen=[0]
    )
    assert not wrong.correct and wrong.correct_options == []  # the answer is not given away
    right = services.checkpoint_answer(
        user=cadre, lesson=lesson, checkpoint_id=checkpoint_id, chosen=[1]
    )
    assert right.correct and right.lesson_done
    # No quiz: completing the only lesson completes the course and credits its hours once.
    assert HoursEntry.objects.filter(user=cadre).count() == 1


def test_a_checkpoint_that_is_not_in_the_lesson_is_refused(cadre, db):
    course = make_course(lessons=1, checkpoints=1, quiz_question_count=0, questions=0)
    lesson = open_first_lesson(cadre, course)
    with pytest.raises(services.LearningError):
        services.checkpoint_answer(
            user=cadre, lesson=lesson, checkpoint_id="not-a-block", chosen=[1]
        )


def complete_lessons(user, course):
    for lesson in lessons_of(course):
        progress = services.lesson_open(user=user, lesson=lesson)
        LessonProgress.objects.filter(pk=progress.pk).update(
            engaged_seconds=progress.required_seconds, completed_at=timezone.now()
        )


def answers_for(attempt, correct=True):
    result = {}
    for qid in attempt.question_ids:
        q = QuizQuestion.objects.get(pk=qid)
        result[str(qid)] = [0 if correct else 1]
        assert q.options.startswith("*")
    return result


def test_quiz_draws_n_questions_and_never_sends_answers_before_submission(cadre, course):
    services.enrollment_create(user=cadre, course=course)
    attempt = services.quiz_attempt_start(user=cadre, course=course, rng=random.Random(1))
    assert len(attempt.question_ids) == 2
    assert len(set(attempt.question_ids)) == 2


def test_passing_the_quiz_after_the_lessons_completes_the_course_and_credits_hours_once(
    cadre, course
):
    services.enrollment_create(user=cadre, course=course)
    complete_lessons(cadre, course)
    attempt = services.quiz_attempt_start(user=cadre, course=course)
    result = services.quiz_attempt_submit(
        user=cadre, attempt_id=attempt.pk, answers=answers_for(attempt)
    )
    assert result.attempt.passed and result.attempt.score == 100 and result.course_completed
    services.course_complete_if_done(enrollment_id=cadre.enrollments.get().pk)
    assert HoursEntry.objects.filter(user=cadre).count() == 1
    assert hours_ledger(user=cadre)["online_hours"] == course.declared_hours
    assert cadre.enrollments.get().status == EnrollmentStatus.COMPLETED


def test_a_quiz_submitted_twice_is_refused_the_second_time(cadre, course):
    services.enrollment_create(user=cadre, course=course)
    attempt = services.quiz_attempt_start(user=cadre, course=course)
    services.quiz_attempt_submit(
        user=cadre, attempt_id=attempt.pk, answers=answers_for(attempt, correct=False)
    )
    with pytest.raises(services.LearningError):
        services.quiz_attempt_submit(
            user=cadre, attempt_id=attempt.pk, answers=answers_for(attempt)
        )


def test_a_quiz_submitted_after_the_time_limit_counts_as_failed(cadre, course):
    services.enrollment_create(user=cadre, course=course)
    attempt = services.quiz_attempt_start(user=cadre, course=course)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=5)
    )
    with pytest.raises(services.LearningError):
        services.quiz_attempt_submit(
            user=cadre, attempt_id=attempt.pk, answers=answers_for(attempt)
        )
    attempt.refresh_from_db()
    assert attempt.submitted_at is not None and not attempt.passed and attempt.score == 0


def test_answers_to_questions_not_drawn_are_refused(cadre, course):
    services.enrollment_create(user=cadre, course=course)
    attempt = services.quiz_attempt_start(user=cadre, course=course)
    other = QuizQuestion.objects.filter(course=course).exclude(pk__in=attempt.question_ids).first()
    with pytest.raises(services.LearningError):
        services.quiz_attempt_submit(
            user=cadre, attempt_id=attempt.pk, answers={str(other.pk): [0]}
        )
    attempt.refresh_from_db()
    assert attempt.submitted_at is None  # nothing was recorded; the learner can still submit


def test_attempt_limit_and_cool_down(cadre, db):
    course = make_course(attempt_limit=2, cooldown_minutes=10)
    services.enrollment_create(user=cadre, course=course)
    first = services.quiz_attempt_start(user=cadre, course=course)
    services.quiz_attempt_submit(
        user=cadre, attempt_id=first.pk, answers=answers_for(first, correct=False)
    )
    with pytest.raises(services.LearningError, match="10"):
        services.quiz_attempt_start(user=cadre, course=course)
    QuizAttempt.objects.filter(pk=first.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    second = services.quiz_attempt_start(user=cadre, course=course)
    services.quiz_attempt_submit(
        user=cadre, attempt_id=second.pk, answers=answers_for(second, correct=False)
    )
    QuizAttempt.objects.filter(pk=second.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    with pytest.raises(services.LearningError):
        services.quiz_attempt_start(user=cadre, course=course)


def test_my_learning_query_count_does_not_grow_with_enrolments(
    cadre, django_assert_max_num_queries
):
    courses = [make_course(title=f"课程{n}", lessons=1) for n in range(3)]
    services.enrollment_create(user=cadre, course=courses[0])
    # Counts, a page of rows per list, lesson counts, links, events, hours, certificates.
    with django_assert_max_num_queries(12) as one:
        data = my_learning(user=cadre)
    assert data["in_progress"][0].lessons_total == 1
    for course in courses[1:]:
        services.enrollment_create(user=cadre, course=course)
    with django_assert_max_num_queries(len(one)) as three:
        data = my_learning(user=cadre)
    assert len(data["in_progress"]) == 3
    assert len(three) == len(one)
