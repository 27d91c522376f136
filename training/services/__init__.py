"""Training services, split by subject. Import from here."""

from .learning import (
    LearningError,
    checkpoint_answer,
    course_complete_if_done,
    course_requirements,
    enrollment_create,
    heartbeat_record,
    heartbeat_record_guarded,
    hours_credit,
    lesson_claim_complete,
    lesson_open,
    quiz_attempt_start,
    quiz_attempt_submit,
)

__all__ = [
    "LearningError",
    "checkpoint_answer",
    "course_complete_if_done",
    "course_requirements",
    "enrollment_create",
    "heartbeat_record",
    "heartbeat_record_guarded",
    "hours_credit",
    "lesson_claim_complete",
    "lesson_open",
    "quiz_attempt_start",
    "quiz_attempt_submit",
]
